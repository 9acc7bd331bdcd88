/**
 * Whether kmodel's `from-config` verdict on a model config document agrees with Keras's model_from_json on the
 * same text: accept/accept or refuse/refuse. kmodel accepts with exit 0 (warnings allowed), refuses with exit 4
 * (invalid) or 3 (unreadable); anything else (exit 1, a crash) disagrees with every Keras answer, because
 * kmodel promises a clear refusal. Shared by the validation suite and the fuzz runs.
 */
import {checkModelFile, type FileCheck} from '../../../src/core/check.js'
import type {Generation, OracleResult} from '../harness.js'
import {firstLine} from './compute.js'

/** What test/oracle/py/suites/validation.py answers: the verdict and the exact document text loaded. */
export interface ValidationAnswer extends OracleResult {
  ok: boolean
  error?: {type: string; message: string}
  text: string
}

/** kmodel's verdict on a document, in-process (the library call `from-config` makes). */
export interface KmodelVerdict {
  /** 0 valid, 3 unreadable, 4 invalid, 1 unexpected; -1 when checkModelFile itself threw. */
  exit: number
  valid: boolean
  /** The first error's message (or the crash's), null when valid. */
  message: string | null
  warnings: string[]
}

const KERAS: Readonly<Record<Generation, string>> = {keras3: 'Keras 3', keras2: 'tf-keras'}
const clip = (text: string, n = 200): string => (text.length > n ? `${text.slice(0, n)}…` : text)

/** What from-config's FileCheck says, reduced to the verdict. */
export function verdictOf(check: FileCheck): KmodelVerdict {
  const first = check.errors[0]
  return {exit: check.exit, valid: check.valid, message: first === undefined ? null : first.message, warnings: check.warnings.map((w) => w.message)}
}

/** kmodel's verdict on `configText` read as the file `model.json`. */
export async function kmodelVerdict(configText: string): Promise<KmodelVerdict> {
  try {
    return verdictOf(await checkModelFile({bytes: new TextEncoder().encode(configText), name: 'model.json'}))
  } catch (error) {
    return {exit: -1, valid: false, message: `${error instanceof Error ? error.name : 'Error'}: ${firstLine(error)}`, warnings: []}
  }
}

function kmodelSays(v: KmodelVerdict): string {
  if (v.exit === 0) return v.warnings.length === 0 ? 'kmodel accepts' : `kmodel accepts (with warning: ${clip(v.warnings[0] ?? '', 160)})`
  if (v.exit === 4) return `kmodel refuses: ${clip(v.message ?? '')}`
  if (v.exit === 3) return `kmodel refuses it as unreadable (exit 3): ${clip(v.message ?? '')}`
  if (v.exit === -1) return `kmodel crashes: ${clip(v.message ?? '')}`
  return `kmodel fails with exit ${v.exit}: ${clip(v.message ?? '')}`
}

/**
 * Null when kmodel's verdict on `configText` agrees with Keras's (both accept, or both refuse with exit 3/4);
 * else one sentence: "Keras 3 refuses (ValueError: …), kmodel accepts" or "tf-keras accepts, kmodel refuses: …".
 */
export async function validationDifference(configText: string, keras: {ok: boolean; error?: {type: string; message: string}}, generation: Generation): Promise<string | null> {
  const v = await kmodelVerdict(configText)
  const refuses = v.exit === 3 || v.exit === 4
  const clear = v.exit === 0 || refuses
  if (clear && (v.exit === 0) === keras.ok) return null
  const kerasSays = keras.ok
    ? `${KERAS[generation]} accepts`
    : `${KERAS[generation]} refuses (${keras.error?.type ?? 'error'}: ${clip((keras.error?.message ?? '').split('\n')[0] ?? '')})`
  return `${kerasSays}, ${kmodelSays(v)}`
}
