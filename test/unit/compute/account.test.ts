/**
 * The compute account (`kmodel backends --layers`): every Keras class the catalogue knows either has a compute
 * function or is refused with a reason — never left to chance — and the aliases of a class compute alike.
 */
import {describe, expect, it} from 'vitest'
import {SEQUENCES, computeAccount} from '../../../src/core/compute/account.js'
import {COMPUTE, REFUSED} from '../../../src/core/compute/index.js'
import {CODE_LAYERS} from '../../../src/core/compute/refuse.js'
import {KNOWN_LAYER_CLASSES, layerClass} from '../../../src/core/layers/catalog.js'
import {RULES} from '../../../src/core/layers/index.js'
import {MODEL_CLASSES} from '../../../src/core/model/spec.js'

describe('compute account', () => {
  it('every catalogued class computes, or is refused by name with a reason', () => {
    const unaccounted = KNOWN_LAYER_CLASSES.filter((name) => !COMPUTE.has(name) && !REFUSED.has(name) && !CODE_LAYERS.has(name) && !MODEL_CLASSES.has(name) && !SEQUENCES.has(name))
    expect(unaccounted, 'add a compute function, or a *_REFUSED entry saying why').toEqual([])
  })

  it('no class is both computed and refused', () => {
    expect([...REFUSED.keys()].filter((name) => COMPUTE.has(name))).toEqual([])
  })

  it('every alias the shape engine knows computes when its class does', () => {
    const missing = KNOWN_LAYER_CLASSES.flatMap((name) => (COMPUTE.has(name) ? (layerClass(name)?.aliases ?? []).filter((a) => RULES.has(a) && !COMPUTE.has(a)) : []))
    expect(missing).toEqual([])
  })

  it('lists each class once with its generations, and a reason exactly when it is refused', () => {
    const rows = computeAccount()
    expect(new Set(rows.map((r) => r.class_name)).size).toBe(rows.length)
    expect(rows.find((r) => r.class_name === 'Dense')).toMatchObject({computes: true, generations: ['keras2', 'keras3']})
    expect(rows.find((r) => r.class_name === 'Lambda')).toMatchObject({computes: false, reason: expect.stringContaining('code')})
    for (const row of rows) expect(row.computes === (row.reason === undefined)).toBe(true)
  })
})
