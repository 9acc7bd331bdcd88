/**
 * Suite a (compute): one case per built-in Keras layer class that computes, in each generation that has it, ×
 * its arguments (issue #17 §3a, issue #11's list). The families live in gen/compute-*.ts; this file holds the
 * case types, the builders they share, the assembly, and NOT_GENERATED: every catalogued class the suite does
 * not generate, with the reason (compute.test.ts holds the two lists to kmodel's layer catalogue).
 */
import type {Generation} from '../harness.js'
import {coreCases} from './compute-core.js'
import {convCases} from './compute-conv.js'
import {shapeCases} from './compute-shape.js'
import {recurrentCases} from './compute-rnn.js'
import {normCases} from './compute-norm.js'
import {preprocessingCases} from './compute-pre.js'

export type {ComputeCase, InputSpec, ModelSpecCase} from './compute-build.js'
export {NOT_GENERATED, type NotGenerated, generatedClasses, notGenerated} from './compute-coverage.js'
import type {ComputeCase} from './compute-build.js'

/** Every compute case for a generation (deterministic). Without a generation: Keras 3's. */
export function computeCases(generation: Generation = 'keras3'): ComputeCase[] {
  return [
    ...coreCases(generation),
    ...convCases(generation),
    ...shapeCases(generation),
    ...recurrentCases(generation),
    ...normCases(generation),
    ...preprocessingCases(generation),
  ]
}

