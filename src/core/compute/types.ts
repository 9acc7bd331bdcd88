/**
 * The contract of a per-class compute function: one call of a Keras layer over tfjs-core tensors, written from
 * Keras's own semantics (never tfjs-layers'). The executor (graph.ts) hands each call its tensors, masks,
 * weights (in the order the shape rule lists them) and the raw Keras config; the function returns the call's
 * output tensors and, where the class computes one, the output masks.
 *
 * Families live one file each (core.ts, conv.ts, …) as `*_COMPUTE` tables keyed by class name, like the shape
 * rules in src/core/layers; index.ts joins them with the table of classes refused with a reason.
 */
import type {Tensor, Variable} from '@tensorflow/tfjs-core'
import type {Json, JsonObject} from '../json.js'
import type {WeightInfo} from '../graph/summary-types.js'
import type {Shape} from '../layers/types.js'
import type {Dialect} from '../model/spec.js'
import type {Core} from '../backend/runtime.js'

/** One weight of the layer: what the shape rule says about it and its current value. */
export interface ComputeWeight {
  /** Name (`kernel`, `forward_lstm/lstm_cell/kernel`), shape, dtype and trainability, as the shape rule lists it. */
  info: WeightInfo
  /** The value (a tfjs Variable; use it as a Tensor). */
  value: Tensor
}

/** What a compute function returns for one call. */
export interface ComputeOutput {
  /** One tensor per output, in Keras's output order. */
  outputs: Tensor[]
  /**
   * One mask per output (null: none). Omitted: the executor applies LayerCompute.mask (Keras's
   * `supports_masking` pass-through) or gives no masks.
   */
  masks?: Array<Tensor | null>
}

/** Options of ComputeCall.inner. */
export interface InnerOptions {
  /** The nested layer's weights, in its own shape rule's order (names without the wrapper's prefix). */
  weights: ComputeWeight[]
  masks?: Array<Tensor | null>
  call_kwargs?: JsonObject
  kwargs?: Readonly<Record<string, Tensor>>
  kwarg_masks?: Readonly<Record<string, Tensor | null>>
  /** Persistent state slot of the nested layer (stateful RNN inside a wrapper): a key unique within the call. */
  stateKey?: string
}

/** Everything a compute function sees about one call. */
export interface ComputeCall {
  /** tfjs-core's namespace: the only way to make tensors. */
  tf: Core
  class_name: string
  /** The raw Keras config (snake_case, as the file has it; Keras 1/2/3 spellings). */
  config: JsonObject
  /** The Keras generation whose semantics apply (`keras2`: Keras ≤ 2 / tf.keras / tf-keras; `keras3`). */
  generation: Dialect
  /** The Keras version that wrote the file, or null. */
  keras_version: string | null
  /** Positional input tensors (float32, or int32 where the model input is integer). */
  inputs: Tensor[]
  /** One mask per positional input (bool tensors of shape inputs[i].shape without the last axis), or null. */
  masks: Array<Tensor | null>
  /**
   * Tensors passed by keyword, by argument name (`value`, `key`, `mask`, …); a keyword holding a list of tensors
   * gives `name/0`, `name/1`, … (Keras 3 `initial_state=[h, c]`).
   */
  kwargs: Readonly<Record<string, Tensor>>
  /** The Keras masks of the keyword tensors, by the same names as `kwargs` (null: none). */
  kwarg_masks: Readonly<Record<string, Tensor | null>>
  /** The call's non-tensor keyword arguments as saved (`training`, `return_attention_scores`, `use_causal_mask`, …). */
  call_kwargs: JsonObject
  /**
   * The call's positional arguments exactly as a Keras 3 node saves them (`args`: tensors as `__keras_tensor__`
   * objects, plain values such as the `0.0` of `ops.not_equal(x, 0.0)` as they are); `[]` for legacy nodes,
   * whose positional arguments are tensors only (in `inputs`).
   */
  call_args: Json[]
  /** The layer's weights in its shape rule's order. */
  weights: ComputeWeight[]
  /**
   * True inside a training step (Dropout active, BatchNormalization on batch statistics). A `training` value
   * saved with a tf-keras call overrides the model's mode (Keras 2 keeps it); Keras 3 ignores a saved one
   * (its functional model passes its own). The executor has applied that rule already.
   */
  training: boolean
  /** Static shapes of the positional inputs and of the outputs, from the shape engine (batch axis null). */
  input_shapes: Array<Shape | null>
  output_shapes: Array<Shape | null>
  /** Runs a layer given as a raw `{class_name, config}` (a wrapper's `layer`, an RNN's `cell`) on tensors. */
  inner(entry: Json | undefined, inputs: Tensor[], options: InnerOptions): ComputeOutput
  /** Sets a non-trainable weight during training (BatchNormalization's moving statistics). */
  assign(weight: ComputeWeight, value: Tensor): void
  /** Adds a loss term to the model's total in training (ActivityRegularization). */
  addLoss(loss: Tensor): void
  /**
   * State that persists across batches for this call (stateful RNNs): get returns undefined before the first
   * set. Values are kept (tf.keep) by the executor; `reset_states` clears them.
   */
  state: {get(key: string): Tensor | undefined; set(key: string, value: Tensor): void}
  /** A fresh integer seed for random ops in training mode (Dropout, GaussianNoise), from the run's seed. */
  seed(): number
}

/** How a class computes. */
export interface LayerCompute {
  call(c: ComputeCall): ComputeOutput
  /**
   * Keras's `supports_masking` without a `compute_mask` of its own: the first input's mask is passed to the
   * single output unchanged when `call` returns no masks. Default false (no mask leaves the layer).
   */
  passMask?: boolean
}

/** Compute functions keyed by Keras `class_name` (every alias spelled out). */
export type ComputeTable = Readonly<Record<string, LayerCompute>>

/** Classes kmodel refuses to compute, with the reason printed by `kmodel backends --layers` and in the error. */
export type RefusalTable = Readonly<Record<string, string>>

/** What one run shares across all calls (one forward pass). */
export interface RunContext {
  tf: Core
  generation: Dialect
  keras_version: string | null
  training: boolean
  /** Loss terms added by layers (ActivityRegularization, activity_regularizer), in training and evaluate. */
  losses: Tensor[]
  /** Moving-statistics updates, applied by the caller after the forward pass. */
  updates: Array<{variable: Variable; value: Tensor}>
  /** Persistent per-call state (stateful RNNs), kept across runs. */
  states: Map<string, Tensor>
  seed: () => number
  /** Activity regularizers to apply, by layer config (regularizers.ts). */
  activity: (config: JsonObject, outputs: Tensor[]) => Tensor | null
}
