/**
 * The compute account behind `kmodel backends --layers`: every Keras layer class the catalogue knows, for each
 * generation that has it, with whether kmodel computes it or refuses it and why. Read from the compute tables
 * (index.ts), so the account cannot drift from what predict and train do.
 */
import {KNOWN_LAYER_CLASSES, layerClass} from '../layers/catalog.js'
import {MODEL_CLASSES} from '../model/spec.js'
import {COMPUTE, REFUSED} from './index.js'
import {CODE_LAYERS} from './refuse.js'

/** Classes read as a nested sequence of layers (computed through the executor like a nested Sequential). */
export const SEQUENCES: ReadonlySet<string> = new Set(['Pipeline'])

/** One class in the account. */
export interface ComputeAccountRow {
  class_name: string
  /** Other names Keras accepts for the class. */
  aliases: string[]
  /** The generations that have the class. */
  generations: Array<'keras2' | 'keras3'>
  computes: boolean
  /** Why kmodel refuses the class (absent when it computes). */
  reason?: string
}

/** The reason a class is refused: its table entry, code layers, or no compute function. */
function refusalReason(name: string): string {
  return REFUSED.get(name) ?? (CODE_LAYERS.has(name) ? 'it holds Python code or TF graph ops, which kmodel never runs' : 'kmodel has no compute function for this class')
}

/** Every catalogued class, in catalogue order (aliases share their class's entry; a test checks they compute alike). */
export function computeAccount(): ComputeAccountRow[] {
  return KNOWN_LAYER_CLASSES.map((name) => {
    const info = layerClass(name)
    const aliases = [...(info?.aliases ?? [])]
    const generations = [...(info !== undefined && info.keras2.length > 0 ? ['keras2' as const] : []), ...(info !== undefined && info.keras3.length > 0 ? ['keras3' as const] : [])]
    // A nested model computes through the executor when its layers do; so does Keras 3's Pipeline, which the
    // reader takes as the sequence of layers it holds.
    const computes = (COMPUTE.has(name) || MODEL_CLASSES.has(name) || SEQUENCES.has(name)) && !CODE_LAYERS.has(name)
    return computes ? {class_name: name, aliases, generations, computes} : {class_name: name, aliases, generations, computes, reason: refusalReason(name)}
  })
}
