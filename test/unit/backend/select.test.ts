import {createRequire} from 'node:module'
import {describe, expect, it} from 'vitest'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {currentBackend, loadBackend, probeBackends} from '../../../src/core/backend/tfjs.js'
import {errorOf} from '../../helpers/read.js'

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg)
    return true
  } catch {
    return false
  }
}
const HAVE_NODE = installed('@tensorflow/tfjs-node')
const HAVE_NODE_GPU = installed('@tensorflow/tfjs-node-gpu')

describe('loadBackend', () => {
  it('auto takes the first backend that initialises and says why the others are not in use', async () => {
    const selection = await loadBackend('auto')
    expect(selection.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(currentBackend()).toEqual(selection)
    if (HAVE_NODE || HAVE_NODE_GPU) return // the machine has a native backend: nothing below applies
    expect(selection).toMatchObject({name: 'wasm', tfjsName: 'wasm', requested: 'auto'})
    expect(selection.backends).toEqual([
      {name: 'tensorflow-gpu', available: false, reason: '@tensorflow/tfjs-node-gpu is not installed (optional dependency)'},
      {name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed (optional dependency)'},
      {name: 'wasm', available: true, reason: 'first backend in auto order that initialised'},
      {name: 'cpu', available: false, reason: "not tried: auto stopped at 'wasm'"},
    ])
    expect((await loadTfjs()).core.getBackend()).toBe('wasm')
  })

  it('switches to an explicitly requested backend', async () => {
    const tf = await loadTfjs()
    expect(await loadBackend('cpu')).toMatchObject({name: 'cpu', requested: 'cpu'})
    expect(tf.core.getBackend()).toBe('cpu')
    expect((await loadBackend('wasm')).backends.find((b) => b.name === 'cpu')?.reason).toBe("not tried: 'wasm' was requested")
    expect(tf.core.getBackend()).toBe('wasm')
    await loadBackend('cpu')
  })

  it('probes every backend and keeps the active one', async () => {
    await loadBackend('cpu')
    const statuses = await probeBackends()
    expect(statuses.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(statuses.filter((b) => b.name === 'wasm' || b.name === 'cpu').every((b) => b.available)).toBe(true)
    if (!HAVE_NODE) expect(statuses[1]).toEqual({name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed (optional dependency)'})
    expect((await loadTfjs()).core.getBackend()).toBe('cpu')
  })

  it.skipIf(HAVE_NODE)('refuses a requested native backend that is not installed, with the reason and a hint', async () => {
    const error = await errorOf(loadBackend('tensorflow'))
    expect(error).toMatchObject({code: 'KM_BACKEND_UNAVAILABLE', exit: 6})
    expect(error.message).toMatchInlineSnapshot(`"Backend 'tensorflow' is not available: @tensorflow/tfjs-node is not installed (optional dependency)."`)
    expect(error.hint).toContain('--backend auto, wasm or cpu')
    expect((await loadTfjs()).core.getBackend()).toBe('cpu') // the active backend is unchanged
  })
})
