import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'

import {painter} from '../../../src/core/render/ansi.js'

describe('painter', () => {
  const chalk = new Chalk({level: 1})
  const samples = ['', 'Dense', 'Model: "x"', 'two\nlines', 'crlf\r\nline\n', '\n', 'in\u001B[22mner', 'y\u001B[39me\u001B[33ms', 'a$&b$1']

  for (const name of ['bold', 'dim', 'yellow'] as const) {
    it(`colours like chalk at level 1: ${name}`, () => {
      for (const text of samples) expect(painter(true)[name](text)).toBe(chalk[name](text))
    })
  }

  it('leaves text alone when colour is off', () => {
    for (const text of samples) expect(painter(false).bold(text)).toBe(text)
  })
})
