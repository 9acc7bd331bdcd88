import {createRequire} from 'node:module'
import {describe, expect, it} from 'vitest'
import {loadTfjs} from '../../../src/core/backend/runtime.js'
import {currentBackend, loadBackend, probeBackends} from '../../../src/core/backend/select.js'
import {errorOf} from '../../helpers/read.js'
import {loadBlasAddon} from '../../../src/core/backend/blas/addon.js'
import {configureBlas} from '../../../src/core/backend/blas/options.js'
import {blasKernelsEnabled, disableBlasKernels} from '../../../src/core/backend/blas.js'

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
const HAVE_BLAS = loadBlasAddon().addon !== undefined

describe('loadBackend', () => {
  it('auto prefers cpu with working OpenBLAS kernels, says why, and registers them', async () => {
    const selection = await loadBackend('auto')
    expect(selection.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(currentBackend()).toEqual(selection)
    if (HAVE_NODE || HAVE_NODE_GPU || !HAVE_BLAS) return // a native backend wins, or there is no addon: below
    expect(selection).toMatchObject({name: 'cpu', tfjsName: 'cpu', requested: 'auto'})
    expect(selection.backends.slice(0, 3)).toEqual([
      {name: 'tensorflow-gpu', available: false, reason: "@tensorflow/tfjs-node-gpu is not installed (an optional peer dependency: npm install '@tensorflow/tfjs-node-gpu@4.22.0')"},
      {name: 'tensorflow', available: false, reason: "@tensorflow/tfjs-node is not installed (an optional peer dependency: npm install '@tensorflow/tfjs-node@4.22.0')"},
      {name: 'wasm', available: false, reason: "not tried: auto stopped at 'cpu'"},
    ])
    expect(selection.backends[3]?.reason).toMatch(/^auto picks it: the OpenBLAS kernels load and pass their self-test \(OpenBLAS .*\), faster than wasm$/)
    const tf = (await loadTfjs()).core
    expect(tf.getBackend()).toBe('cpu')
    expect(blasKernelsEnabled(tf)).toBe(true)
  })

  it.skipIf(HAVE_NODE || HAVE_NODE_GPU)('auto takes wasm when the OpenBLAS kernels are disabled, and says so', async () => {
    const tf = (await loadTfjs()).core
    disableBlasKernels(tf)
    configureBlas({disabled: true})
    try {
      const selection = await loadBackend('auto')
      expect(selection).toMatchObject({name: 'wasm', requested: 'auto'})
      expect(selection.backends.slice(2)).toEqual([
        {name: 'wasm', available: true, reason: 'auto picks it: cpu has no working OpenBLAS kernels (the BLAS kernels are disabled by KMODEL_BLAS=0)'},
        {name: 'cpu', available: false, reason: "not tried: auto stopped at 'wasm'"},
      ])
      expect(tf.getBackend()).toBe('wasm')
      await loadBackend('cpu')
      expect(blasKernelsEnabled(tf)).toBe(false) // an explicit cpu keeps tfjs' kernels while disabled
    } finally {
      configureBlas({})
    }
    await loadBackend('cpu')
    expect(blasKernelsEnabled(tf)).toBe(HAVE_BLAS)
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
    const {backends: statuses, auto} = await probeBackends()
    if (!HAVE_NODE && !HAVE_NODE_GPU) expect(auto).toBe(HAVE_BLAS ? 'cpu' : 'wasm')
    expect(statuses.find((b) => b.name === auto)?.reason).toMatch(/^(auto picks it|first backend)/)
    expect(statuses.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(statuses.filter((b) => b.name === 'wasm' || b.name === 'cpu').every((b) => b.available)).toBe(true)
    if (!HAVE_NODE) expect(statuses[1]).toEqual({name: 'tensorflow', available: false, reason: "@tensorflow/tfjs-node is not installed (an optional peer dependency: npm install '@tensorflow/tfjs-node@4.22.0')"})
    expect((await loadTfjs()).core.getBackend()).toBe('cpu')
  })

  it.skipIf(HAVE_NODE)('refuses a requested native backend that is not installed, with the reason and a hint', async () => {
    const error = await errorOf(loadBackend('tensorflow'))
    expect(error).toMatchObject({code: 'KM_BACKEND_UNAVAILABLE', exit: 6})
    expect(error.message).toMatchInlineSnapshot(`"Backend 'tensorflow' is not available: @tensorflow/tfjs-node is not installed (an optional peer dependency: npm install '@tensorflow/tfjs-node@4.22.0')."`)
    expect(error.hint).toContain('--backend auto, wasm or cpu')
    expect((await loadTfjs()).core.getBackend()).toBe('cpu') // the active backend is unchanged
  })
})
