/**
 * Suite a (compute): Keras's outputs vs kmodel predict on the same model JSON, weights and inputs, ≤ 1e-5
 * relative (to max(1, |Keras's value|)), per generation. Beside it, the coverage account: every built-in class
 * kmodel's layer catalogue lists for a generation is either built by some case or named in NOT_GENERATED with
 * its reason.
 */
import {describe, expect, it} from 'vitest'
import {KNOWN_LAYER_CLASSES, layerClass} from '../../src/core/layers/catalog.js'
import {type ComputeAnswer, computeDifference} from './checks/compute.js'
import {computeCases, type ComputeCase, generatedClasses, NOT_GENERATED, notGenerated} from './gen/compute.js'
import {GENERATIONS, type Generation} from './harness.js'
import {defineOracleSuite} from './suite.js'

defineOracleSuite<ComputeCase, ComputeAnswer>({
  suite: 'compute',
  cases: (generation) => computeCases(generation),
  check: (_c, keras, {generation, answers}) => computeDifference(keras, generation, answers.versions?.generation_keras ?? ''),
})

/** The catalogue's classes that exist in some version of the generation. */
function catalogued(g: Generation): string[] {
  return KNOWN_LAYER_CLASSES.filter((name) => {
    const info = layerClass(name)
    return info !== undefined && (g === 'keras3' ? info.keras3 : info.keras2).length > 0
  })
}

/** The classes the generation's cases build, by catalogue name (an exported alias such as GroupQueryAttention
 * counts as its class). */
const built = (g: Generation): Set<string> => new Set([...generatedClasses(computeCases(g))].map((n) => layerClass(n)?.className ?? n))

describe.each(GENERATIONS)('compute coverage (%s)', (g) => {
  it('every catalogued class of the generation is generated or in NOT_GENERATED with a reason', () => {
    const cases = built(g)
    const missing = catalogued(g).filter((name) => !cases.has(name) && notGenerated(name, g) === undefined)
    expect(missing, 'generate these classes in gen/compute-*.ts, or list them in NOT_GENERATED with the reason').toEqual([])
  })

  it('NOT_GENERATED names only catalogued classes of the generation that no case builds', () => {
    const cases = built(g)
    const classes = new Set(catalogued(g))
    const stale = Object.keys(NOT_GENERATED).filter((name) => notGenerated(name, g) !== undefined && (cases.has(name) || !classes.has(name)))
    expect(stale, 'remove these from NOT_GENERATED (generated now, or not a class of this generation)').toEqual([])
  })

  it('every class a case builds is in the catalogue, for this generation', () => {
    const classes = new Set(catalogued(g))
    expect([...built(g)].filter((name) => !classes.has(name)), 'a case builds a class the catalogue does not list for this generation').toEqual([])
  })
})
