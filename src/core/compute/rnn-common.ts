/**
 * What every recurrent cell shares: the Cell contract (a per-gate input projection for all time steps at once,
 * then one step at a time), the weight cursor, the config readers (Keras 1 spellings, the version-dependent
 * default of `recurrent_activation`), the training-dropout refusal, and the tensor helpers the loop uses.
 * The helpers avoid tfjs's per-element slice / split / reverse / transpose on the cpu backend (seconds on a
 * long sequence): gate blocks and time steps are taken with `gather`, which runs as one copy.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Json, JsonObject} from '../json.js'
import {BackendError} from '../errors.js'
import {int} from '../layers/config.js'
import {pyTruthy} from '../layers/args.js'
import type {Core} from '../backend/runtime.js'
import {activationFn, type ActivationFn} from './activations.js'
import type {ComputeCall, ComputeWeight} from './types.js'

/** One step of a cell: the step's projected input (one tensor per gate) and the previous states. */
export type StepFn = (input: Tensor[], states: Tensor[]) => {output: Tensor; states: Tensor[]}

/** One cell ready to run. */
export interface Cell {
  /** Number of state tensors (LSTM: h and c). */
  stateCount: number
  /** The input part of a step for N rows at once, one tensor per gate: (N, …features) → (N, …)[]. */
  project(x: Tensor): Tensor[]
  step: StepFn
  /** The zero states for a batch, given one step's projected input. */
  zeros(projected: Tensor[]): Tensor[]
}

/** Hands out a layer's weights in the shape rule's order. */
export class WeightCursor {
  private at = 0
  constructor(private readonly weights: readonly ComputeWeight[], private readonly layer: string) {}

  /** The next weight's value; throws when the layer has fewer weights than its config implies. */
  next(what: string): Tensor {
    const w = this.weights[this.at]
    this.at += 1
    if (w === undefined) throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${this.layer}: the ${what} weight is missing (${this.weights.length} weights given).`)
    return w.value
  }
}

/** `if cfg[key]:` with the constructor default when absent. */
export function truthy(cfg: JsonObject, key: string, fallback: boolean): boolean {
  const v = cfg[key]
  return v === undefined ? fallback : pyTruthy(v)
}

/** Units of a cell config (Keras 1 wrote `output_dim`). */
export function unitsOf(cfg: JsonObject): number {
  return int(cfg, 'units', int(cfg, 'output_dim', 0))
}

/** Keras clips dropout rates into [0, 1] and applies them only when 0 < rate < 1. */
function rateActive(v: Json | undefined): boolean {
  return typeof v === 'number' && v > 0 && v < 1
}

/**
 * Dropout on a recurrent cell runs only in training, with random masks kmodel does not draw the way Keras does:
 * refused there (inference computes Keras's numbers, dropout being the identity).
 */
export function refuseTrainingDropout(c: ComputeCall, cfg: JsonObject, layer: string): void {
  if (!c.training) return
  for (const key of ['dropout', 'recurrent_dropout', 'dropout_W', 'dropout_U']) {
    if (rateActive(cfg[key])) {
      throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${layer}: argument '${key}' = ${JSON.stringify(cfg[key])} is not computed by kmodel in training (Keras's per-gate dropout masks of a recurrent cell).`, {hint: 'Set dropout and recurrent_dropout to 0 to train with kmodel; predict is unaffected.'})
    }
  }
}

/** Keras 1 spelled the gates' activation `inner_activation`; its default changed from hard_sigmoid in Keras 2.3. */
export function recurrentActivationValue(c: ComputeCall, cfg: JsonObject, layer: string): Json {
  const v = cfg.recurrent_activation ?? cfg.inner_activation
  if (v !== undefined) return v
  if (c.generation === 'keras3') return 'sigmoid'
  const version = c.keras_version ?? ''
  if (version.startsWith('1.') || /^2\.[0-2]\.\d+$/.test(version)) return 'hard_sigmoid'
  if (/^2\.(\d+)\.\d+$/.test(version)) return 'sigmoid'
  throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class ${layer}: argument 'recurrent_activation' is absent and its default depends on the Keras version that wrote the file (${version === '' ? 'unknown' : version}).`, {hint: 'Write recurrent_activation into the layer config.'})
}

/** The activation functions of a cell config (`activation` defaults to tanh). */
export function cellActivations(c: ComputeCall, cfg: JsonObject, layer: string, gated: boolean): {act: ActivationFn; rec: ActivationFn} {
  const act = activationFn(c.tf, c.generation, cfg.activation === undefined ? 'tanh' : cfg.activation)
  const rec = gated ? activationFn(c.tf, c.generation, recurrentActivationValue(c, cfg, layer)) : act
  return {act, rec}
}

/** The call's mask: an explicit `mask=` keyword tensor wins over the mask the input carries (Keras's __call__). */
export function callMask(c: ComputeCall): Tensor | null {
  return c.kwargs.mask ?? c.masks[0] ?? null
}

/** The `gates` equal blocks of the last axis (a kernel's or a bias's gate order), as separate tensors. */
export function gateBlocks(tf: Core, t: Tensor, gates: number): Tensor[] {
  const size = (t.shape[t.rank - 1] ?? 0) / gates
  return Array.from({length: gates}, (_, g) => tf.gather(t, tf.range(g * size, (g + 1) * size, 1, 'int32'), t.rank - 1))
}

/** Step `i` of `t` along `axis` (that axis removed). */
export function stepAt(tf: Core, t: Tensor, axis: number, i: number): Tensor {
  return tf.gather(t, tf.scalar(i, 'int32'), axis)
}

/** `t` reversed along `axis`. */
export function reversed(tf: Core, t: Tensor, axis: number): Tensor {
  const n = t.shape[axis] ?? 0
  return tf.gather(t, tf.range(n - 1, -1, -1, 'int32'), axis)
}

/** x·kernel (+ bias) for rows (N, F). */
export function affine(tf: Core, x: Tensor, kernel: Tensor, bias: Tensor | null): Tensor {
  const y = tf.matMul(x, kernel)
  return bias === null ? y : tf.add(y, bias)
}

/** Per-gate projections x·K_g (+ b_g). */
export function gateProjections(tf: Core, x: Tensor, kernels: Tensor[], biases: Tensor[] | null): Tensor[] {
  return kernels.map((k, g) => affine(tf, x, k, biases?.[g] ?? null))
}
