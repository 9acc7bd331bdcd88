/**
 * A model ready to compute: the shape engine's evaluation of its graph, one tfjs variable per weight (in the
 * order the shape rules list them), and a forward pass through kmodel's compute functions. This replaces
 * tfjs-layers: predict, evaluate and train all run through `ComputeModel.apply`.
 *
 * Weights per top-level layer are in Keras's order (that layer's `weights`: a leaf's in its rule's order; a
 * nested model's: every sublayer's trainable weights, then every non-trainable one), so the values that
 * load-weights matched for a layer are set in order.
 */
import type {Tensor, Variable} from '@tensorflow/tfjs-core'
import {BackendError, InternalError, WeightsError} from '../errors.js'
import {type GraphEval, evaluateGraph} from '../graph/evaluate.js'
import {sequentialInput} from '../graph/shapes.js'
import {policyName} from '../layers/config.js'
import type {Shape} from '../layers/types.js'
import {type LayerSpec, type ModelSpec, generationOf} from '../model/spec.js'
import type {Core} from '../backend/runtime.js'
import {type BuiltGraph, type RunContext, type Slot, leafLayers, runGraph} from './graph.js'
import {activityPenalty, penalty, regularizerConfig, regularizerFactors, regularizerOf, unattributedTrainingArg} from './regularizers.js'
import {checkComputable} from './refuse.js'
import {activityDividedByBatch} from './activation-train.js'
import {type Constraint, applyConstraint, constraintOf} from './constraints.js'

/** One weight's values: row-major float32 data and its shape. */
export interface WeightValue {
  shape: number[]
  data: Float32Array
}

/** A model input or output: the layer's name and its shape (batch axis null). */
export interface ModelPort {
  name: string
  shape: Shape
  /**
   * The tensor type the model takes (inputs only): `int32` when the InputLayer's dtype is an integer type (Keras
   * casts the data to it, truncating floats), else `float32`.
   */
  dtype?: 'float32' | 'int32'
}

const INTEGER_DTYPES = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64'])

/**
 * The input type an InputLayer declares. A Sequential without an InputLayer (`firstOfSequential`) takes its first
 * layer's dtype, as Keras's Sequential types the Input it creates (Keras 1 `input_dtype: int32` on an Embedding).
 */
function inputDtype(layer: LayerSpec | undefined, firstOfSequential = false): 'float32' | 'int32' {
  const name = layer?.class_name === 'InputLayer' || firstOfSequential ? policyName(layer?.config.dtype) : undefined
  return name !== undefined && INTEGER_DTYPES.has(name) ? 'int32' : 'float32'
}

/** One weight of a top-level layer, in Keras's order, with its effective trainability. */
interface OrderedSlot {
  slot: Slot
  trainable: boolean
}

/** Options of ComputeModel.apply. */
export interface ApplyOptions {
  training: boolean
  /** Restarts the stream of seeds of the random ops in training mode (Dropout, GaussianNoise). */
  seed?: number
}

/** What apply returns: the outputs, and the loss terms the layers added (activity regularization). */
export interface ApplyResult {
  outputs: Tensor[]
  losses: Tensor[]
}

/** A built model. */
export interface ComputeModel {
  name: string
  inputs: ModelPort[]
  outputs: ModelPort[]
  /** Top-level layer names with weights, each with its weights' count. */
  weightCounts: Map<string, number>
  /** The variables training updates (trainable weights of trainable layers), in model order. */
  trainableVariables(): Variable[]
  /** Runs the model; moving-statistics updates are applied when `training`. Call inside a tidy. */
  apply(xs: Tensor[], options: ApplyOptions): ApplyResult
  /** The weight regularizers' penalties (scalars); call inside a tidy. */
  weightPenalties(): Tensor[]
  /**
   * Assigns to each of `variables` (trainable variables the optimizer just updated) its weight's constraint
   * applied to it, as Keras's optimizers do after every update. Reads every trainable weight's constraint on the
   * first call: throws BackendError (KM_BACKEND_CONSTRAINT) for one kmodel does not compute.
   */
  applyConstraints(variables: readonly Variable[]): void
  /** Sets top-level layers' weights in Keras order; shapes are checked (WeightsError, exit 5). */
  setWeights(perLayer: ReadonlyMap<string, readonly WeightValue[]>): void
  /** A top-level layer's current weights in Keras order. */
  readWeights(layer: string): Promise<Float32Array[]>
  /** Clears stateful RNN states. */
  resetStates(): void
  dispose(): void
}

let counter = 0

function createSlots(tf: Core, acc: GraphEval['layers'][number]): Slot[] {
  const weights = acc.weights
  if (weights === null || weights.some((w) => w.shape.some((d) => d === null))) {
    throw new BackendError('KM_BACKEND_WEIGHTS_UNKNOWN', `The weights of layer '${acc.layer.name}' (${acc.layer.class_name}) cannot be determined from the file, so the model cannot be computed.`, {
      hint: 'Run kmodel summary on the file: the layer\'s parameters show as unknown. Give the model a fixed input shape.',
    })
  }
  // tfjs's trainable flag only admits a variable to variableGrads; which weights train is trainableVariables().
  return weights.map((info) => ({info, variable: tf.tidy(() => tf.variable(tf.zeros(info.shape as number[]), true, `km_w${counter++}`))}))
}

function build(tf: Core, evaluation: GraphEval): BuiltGraph {
  const built: BuiltGraph = {evaluation, slots: new Map(), nested: new Map()}
  for (const acc of evaluation.layers) {
    if (acc.layer.graph !== undefined) {
      if (acc.nested === undefined) throw new InternalError(`Nested model '${acc.layer.name}' was not evaluated.`)
      built.nested.set(acc.layer, build(tf, acc.nested))
    } else if (acc.layer.class_name !== 'InputLayer' || (acc.weights?.length ?? 0) > 0) {
      built.slots.set(acc.layer, createSlots(tf, acc))
    }
  }
  return built
}

/** A layer's weights in Keras's order with effective trainability (evaluate.ts's modelWeights order). */
function ordered(built: BuiltGraph, layer: LayerSpec): OrderedSlot[] {
  const nested = built.nested.get(layer)
  if (nested === undefined) return (built.slots.get(layer) ?? []).map((slot) => ({slot, trainable: slot.info.trainable}))
  const all = nested.evaluation.layers.flatMap((l) => ordered(nested, l.layer))
  const frozen = layer.config.trainable === false && nested.evaluation.dialect !== 'keras3'
  const list = [...all.filter((s) => s.trainable), ...all.filter((s) => !s.trainable)]
  return frozen ? list.map((s) => ({...s, trainable: false})) : list
}

function ports(evaluation: GraphEval): {inputs: ModelPort[]; outputs: ModelPort[]} {
  const graph = evaluation.graph
  const evals = new Map(evaluation.layers.map((l) => [l.layer.name, l]))
  const first = graph.layers[0]
  const inputs = graph.sequential
    ? [{name: first?.class_name === 'InputLayer' ? first.name : `${first?.name ?? 'input'}_input`, shape: (first?.class_name === 'InputLayer' ? evals.get(first.name)?.calls[0]?.[0] : evals.get(first?.name ?? '')?.inputs[0]?.[0]) ?? sequentialInput(evaluation.graph.layers[0] as LayerSpec, graph) ?? [], dtype: inputDtype(first, true)}]
    : graph.inputs.map((r) => ({name: r.layer, shape: evals.get(r.layer)?.calls[0]?.[r.tensor_index] ?? [], dtype: inputDtype(evals.get(r.layer)?.layer)}))
  const outputs = graph.outputs.map((r, i) => ({name: r.layer, shape: evaluation.outputs[i] ?? []}))
  return {inputs, outputs}
}

const fmt = (shape: readonly (number | null)[]): string => `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`

/**
 * Builds `model` for computing. Throws BackendError when a layer cannot be computed (KM_BACKEND_CODE_LAYER,
 * KM_BACKEND_UNSUPPORTED_LAYER, KM_BACKEND_WEIGHTS_UNKNOWN). Weights start at zero: set them (setWeights).
 */
export function buildComputeModel(tf: Core, model: ModelSpec, options: {seed?: number} = {}): ComputeModel {
  checkComputable(model.root.graph)
  const generation = generationOf(model)
  const evaluation = evaluateGraph(model.root, model.root.graph, {dialect: model.dialect, keras_version: model.keras_version})
  const root = build(tf, evaluation)
  const perLayer = new Map(evaluation.layers.map((l) => [l.layer.name, ordered(root, l.layer)] as const).filter(([, s]) => s.length > 0))
  for (const acc of evaluation.layers) {
    const expected = acc.weights?.length ?? 0
    if ((perLayer.get(acc.layer.name)?.length ?? 0) !== expected) throw new InternalError(`Layer '${acc.layer.name}': ${perLayer.get(acc.layer.name)?.length ?? 0} weight variables for ${expected} weights.`)
  }
  const leaves = leafLayers(root)
  const divideActivity = activityDividedByBatch(generation, model.keras_version)
  let trainingArgsChecked = false
  /** Refuses (once) to train a model with a regularizer or constraint kmodel cannot attribute (regularizers.ts). */
  const checkTrainingArgs = (): void => {
    if (trainingArgsChecked) return
    for (const {layer} of leaves) {
      const where = unattributedTrainingArg(layer.config)
      if (where !== undefined) {
        throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer '${layer.name}' (${layer.class_name}) has ${where.split('.').at(-1) ?? where} at ${where} inside a wrapped layer, which kmodel's training does not apply; training would leave that term out.`, {
          hint: 'predict still works. To train with kmodel, move the regularizer or constraint to a layer that is not wrapped twice, or drop it.',
        })
      }
    }
    trainingArgsChecked = true
  }
  const states = new Map<string, Tensor>()
  /** States replaced by the last apply: a gradient of that step may still read them, so they go at the next. */
  let retired: Tensor[] = []
  let seedBase = options.seed ?? 0
  const {inputs, outputs} = ports(evaluation)
  /** Each trainable weight's constraint (those with one), read at the first applyConstraints. */
  let constraints: Map<Variable, Constraint> | undefined
  const trainableConstraints = (): Map<Variable, Constraint> => {
    const trainable = new Set([...perLayer.values()].flat().filter((s) => s.trainable).map((s) => s.slot.variable))
    const keras1 = (model.keras_version ?? '').startsWith('1.')
    const out = new Map<Variable, Constraint>()
    for (const {layer, slots} of leaves) {
      for (const s of slots) {
        const c = trainable.has(s.variable) ? constraintOf(layer, s.info, generation, keras1) : null
        if (c !== null) out.set(s.variable, c)
      }
    }
    return out
  }
  return {
    name: model.root.name, inputs, outputs,
    weightCounts: new Map([...perLayer].map(([name, slots]) => [name, slots.length])),
    trainableVariables: () => [...perLayer.values()].flat().filter((s) => s.trainable).map((s) => s.slot.variable),
    apply(xs, options) {
      if (options.seed !== undefined) seedBase = options.seed
      tf.dispose(retired)
      const before = new Map(states)
      const ctx: RunContext = {
        tf, generation, keras_version: model.keras_version, training: options.training, losses: [], updates: [], states,
        seed: () => (seedBase = (seedBase * 1103515245 + 12345) % 2147483648),
        activity: (config, outs) => activityPenalty(tf, config, outs, divideActivity),
      }
      const out = runGraph(ctx, root, {tensors: xs, masks: xs.map(() => null)})
      if (options.training) for (const u of ctx.updates) u.variable.assign(u.value)
      retired = []
      for (const [key, value] of states) {
        if (before.get(key) === value) continue
        states.set(key, tf.keep(value))
        const old = before.get(key)
        if (old !== undefined) retired.push(old)
      }
      return {outputs: out.tensors, losses: ctx.losses}
    },
    weightPenalties() {
      checkTrainingArgs()
      const out: Tensor[] = []
      for (const {layer, slots} of leaves) {
        for (const s of slots) {
          const f = regularizerFactors(regularizerOf(regularizerConfig(layer.config, s.info.name), s.info.name), `weight '${s.info.name}' of layer '${layer.name}'`)
          if (f !== null) out.push(penalty(tf, s.variable, f))
        }
      }
      return out
    },
    applyConstraints(variables) {
      constraints ??= trainableConstraints()
      tf.tidy(() => {
        for (const v of variables) {
          const c = constraints?.get(v)
          if (c !== undefined) v.assign(applyConstraint(tf, v, c, generation))
        }
      })
    },
    setWeights(values) {
      for (const [name, list] of values) {
        const slots = perLayer.get(name)
        if (slots === undefined) throw new WeightsError('KM_WEIGHTS_UNKNOWN_LAYER', `The model has no layer named '${name}' with weights to set.`)
        if (slots.length !== list.length) throw new WeightsError('KM_WEIGHTS_COUNT', `Layer '${name}' has ${slots.length} weight(s); ${list.length} were given.`)
        slots.forEach(({slot}, i) => {
          const value = list[i] as WeightValue
          const shape = slot.variable.shape
          if (shape.length !== value.shape.length || shape.some((d, k) => d !== value.shape[k])) {
            throw new WeightsError('KM_WEIGHTS_SHAPE', `Weight ${i} of layer '${name}' (${slot.info.name}) has shape ${fmt(shape)}; the value given has shape ${fmt(value.shape)}.`)
          }
          const size = shape.reduce((a, b) => a * b, 1)
          if (value.data.length !== size) throw new WeightsError('KM_WEIGHTS_SIZE', `Weight ${i} of layer '${name}' has ${value.data.length} values for shape ${fmt(value.shape)} (${size}).`)
          tf.tidy(() => slot.variable.assign(tf.tensor(value.data, value.shape, 'float32')))
        })
      }
    },
    async readWeights(name) {
      return Promise.all((perLayer.get(name) ?? []).map(async ({slot}) => Float32Array.from(await slot.variable.data())))
    },
    resetStates() {
      for (const t of states.values()) t.dispose()
      states.clear()
    },
    dispose() {
      for (const {slots} of leaves) for (const s of slots) s.variable.dispose()
      for (const t of states.values()) t.dispose()
      states.clear()
    },
  }
}
