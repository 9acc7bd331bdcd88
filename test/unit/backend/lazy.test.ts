import {createRequire} from 'node:module'
import {expect, it} from 'vitest'

const loadedTfjs = (): string[] => Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('@tensorflow'))

it('importing the backend and predict modules does not load tfjs; the first use does', async () => {
  await import('../../../src/core/predict.js')
  const backend = await import('../../../src/core/backend/select.js')
  await import('../../../src/core/compute/model.js')
  expect(loadedTfjs()).toEqual([])
  await backend.loadBackend('cpu')
  expect(loadedTfjs().some((path) => path.includes('tfjs-core'))).toBe(true)
  expect(loadedTfjs().some((path) => path.includes('tfjs-backend-wasm'))).toBe(false) // cpu asked for: wasm never loaded
  expect(loadedTfjs().some((path) => path.includes('tfjs-layers'))).toBe(false) // kmodel computes with its own core
})
