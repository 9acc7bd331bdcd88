/**
 * Suite b (validation): which model config documents Keras's model_from_json accepts. Every case is a valid base
 * model (validation-bases.ts) whose to_json document gets one perturbation (rarely two): a layer argument set to a
 * wrong type, an out-of-range number, a non-finite or huge number, an unknown enum or object name, a key renamed
 * or removed, a graph reference broken. Values are JSON texts written verbatim into the document (`NaN`, `1e400`,
 * `-0`, `9007199254740993` reach both sides exactly as spelt). Cases marked `valid` are forms every generation
 * should accept (aliases, the other spelling of an argument); Keras refusing one is a generator bug.
 */
import type {Generation, OracleCase} from '../harness.js'
import {BASES, type ValidationModel} from './validation-bases.js'
import type {Structural, Sweep, ValidationEdit} from './validation-edits.js'
import {argumentSweeps, structuralCases} from './validation-families.js'

export type {ValidationEdit} from './validation-edits.js'

export interface ValidationCase extends OracleCase {
  model: ValidationModel
  edits: ValidationEdit[]
  /** A form Keras must accept (the generator's claim, checked against Keras's answer). */
  valid?: true
}

function sweepCases(sweep: Sweep): Array<Omit<ValidationCase, 'seed'>> {
  const model = BASES[sweep.base]
  const path = sweep.path ?? ['config', sweep.key]
  const layer = sweep.layer === undefined ? 'l' : sweep.layer
  const one = (value: string, valid: boolean): Omit<ValidationCase, 'seed'> => ({
    id: `${sweep.base}/${sweep.key}=${value}`, model, edits: [{layer, path, op: 'set', value}], ...(valid ? {valid: true as const} : {}),
  })
  return [...(sweep.bad ?? []).map((v) => one(v, false)), ...(sweep.good ?? []).map((v) => one(v, true))]
}

/** Every case for a generation, in a fixed order (nothing here is random: every seed is 1). */
export function validationCases(generation: Generation): ValidationCase[] {
  const cases = [
    ...argumentSweeps(generation).flatMap(sweepCases),
    ...structuralCases(generation).map((s) => ({id: `${s.base}/${s.label}`, model: BASES[s.base], edits: s.edits, ...(s.valid === true ? {valid: true as const} : {})})),
  ]
  return cases.map((c) => ({...c, seed: 1}))
}
