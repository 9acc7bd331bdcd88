import {describe, expect, it} from 'vitest'
import * as kmodel from '../../src/index.js'
import {fixture} from '../helpers/paths.js'

describe('library entry point', () => {
  it('reads and summarises without the CLI', async () => {
    const {model} = await kmodel.readModel(fixture('mlp-tfkeras212.json'))
    expect(kmodel.summarize(model).total_params).toBe(235146)
    expect(typeof kmodel.convertModel).toBe('function')
    expect(new kmodel.FormatError('KM_FORMAT_X', 'm').exit).toBe(4)
  })
})
