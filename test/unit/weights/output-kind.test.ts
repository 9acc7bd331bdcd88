/** The output's name decides what is written (Keras chooses its loader by extension): output-kind.ts. */
import {describe, expect, it} from 'vitest'
import {KmodelError} from '../../../src/core/errors.js'
import {kerasExtension, layoutOfName, modelOutputFormat, weightsOutput} from '../../../src/core/weights/output-kind.js'

function refusal(fn: () => unknown): KmodelError {
  try {
    fn()
  } catch (error) {
    if (error instanceof KmodelError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('kerasExtension / layoutOfName', () => {
  it.each([
    ['m.weights.h5', '.weights.h5', 'keras3'], ['dir/M.WEIGHTS.H5', '.weights.h5', 'keras3'], ['w.h5', '.h5', 'keras2'],
    ['w.hdf5', '.hdf5', 'keras2'], ['weights.h5.h5', '.h5', 'keras2'], ['m.keras', '.keras', null], ['w.bin', null, null], ['weights', null, null],
  ] as const)('%s', (name, ext, layout) => {
    expect(kerasExtension(name)).toBe(ext)
    expect(layoutOfName(name)).toBe(layout)
  })
})

describe('weightsOutput (save-weights OUT, load-weights -o, train -o)', () => {
  it('takes the layout from the name', () => {
    expect(weightsOutput('out/m.weights.h5', undefined, '-o', true)).toEqual({kind: 'weights', layout: 'keras3'})
    expect(weightsOutput('w.hdf5', undefined, '-o', false)).toEqual({kind: 'weights', layout: 'keras2'})
    expect(weightsOutput('w.h5', 'keras2', '-o', false)).toEqual({kind: 'weights', layout: 'keras2'})
    expect(weightsOutput('w.weights.h5', 'keras3', '-o', false)).toEqual({kind: 'weights', layout: 'keras3'})
  })

  it('refuses a --layout that disagrees with the name (exit 2, a hint naming the right name)', () => {
    const a = refusal(() => weightsOutput('x.h5', 'keras3', '--output', true))
    expect(a).toMatchObject({code: 'KM_USAGE_LAYOUT_EXTENSION', exit: 2})
    expect(a.message).toBe('--layout keras3 disagrees with the name x.h5, which Keras reads as the keras2 layout.')
    expect(a.hint).toMatch(/\*\.weights\.h5/)
    const b = refusal(() => weightsOutput('g.weights.h5', 'keras2', 'OUT', false))
    expect(b).toMatchObject({code: 'KM_USAGE_LAYOUT_EXTENSION', exit: 2})
    expect(b.message).toContain('Keras reads as the keras3 layout')
  })

  it('a .keras name is a whole model where one may be written, else refused with a pointer to save', () => {
    expect(weightsOutput('m.keras', undefined, '-o', true)).toEqual({kind: 'model'})
    expect(refusal(() => weightsOutput('m.keras', undefined, 'OUT', false))).toMatchObject({code: 'KM_USAGE_OUTPUT_KIND', exit: 2, hint: expect.stringContaining('kmodel save')})
    expect(refusal(() => weightsOutput('m.keras', 'keras3', '-o', true))).toMatchObject({code: 'KM_USAGE_LAYOUT_EXTENSION', exit: 2})
  })

  it('refuses names Keras loads no weights from', () => {
    for (const name of ['w.bin', 'weights', 'w.npz', 'w.h5.tmp']) {
      expect(refusal(() => weightsOutput(name, undefined, 'OUT', false))).toMatchObject({code: 'KM_USAGE_OUTPUT_EXTENSION', exit: 2})
    }
  })
})

describe('modelOutputFormat (save -o)', () => {
  it('by extension, a folder for tfjs', () => {
    expect(modelOutputFormat('m.keras', {isFolder: false, tfjs: false})).toBe('keras')
    expect(modelOutputFormat('m.h5', {isFolder: false, tfjs: false})).toBe('h5')
    expect(modelOutputFormat('m.HDF5', {isFolder: false, tfjs: false})).toBe('h5')
    expect(modelOutputFormat('web/', {isFolder: false, tfjs: false})).toBe('tfjs')
    expect(modelOutputFormat('web', {isFolder: true, tfjs: false})).toBe('tfjs')
    expect(modelOutputFormat('web', {isFolder: false, tfjs: true})).toBe('tfjs')
  })

  it('refuses a weights name and unknown extensions with the list', () => {
    const w = refusal(() => modelOutputFormat('m.weights.h5', {isFolder: false, tfjs: false}))
    expect(w).toMatchObject({code: 'KM_USAGE_OUTPUT_KIND', exit: 2})
    expect(w.hint).toMatch(/save-weights/)
    const x = refusal(() => modelOutputFormat('m.pb', {isFolder: false, tfjs: false}))
    expect(x).toMatchObject({code: 'KM_USAGE_OUTPUT_EXTENSION', exit: 2})
    expect(x.hint).toBe('Name the output .keras (Keras 3 model), .h5 / .hdf5 (legacy full model), or a folder ending in / (TensorFlow.js; or --format tfjs).')
  })
})
