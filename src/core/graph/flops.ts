/**
 * Multiply-accumulates of one forward pass at batch size 1, per layer and in total (`summary --flops`).
 *
 * Convention (the one keras-flops / the TF profiler users compare against, restricted to the weights' work):
 * a MAC is one multiply-add of a matrix product or convolution — Dense, convolutions (incl. transposed,
 * depthwise, separable, locally connected), recurrent kernels per timestep, attention projections and the
 * attention score/value products. Elementwise work (activations, bias adds, normalisation, pooling, merges)
 * counts 0. FLOPs = 2 × MACs. A layer the engine cannot evaluate (custom, Lambda) counts as unknown.
 */
import type {Shape} from '../layers/types.js'
import type {LayerSpec} from '../model/spec.js'
import type {GraphEval, LayerEval} from './evaluate.js'
import type {WeightInfo} from './summary-types.js'

/** MACs of one layer (all its calls), null when unknown; nested models carry their children. */
export interface LayerMacs {
  name: string
  macs: number | null
  children?: LayerMacs[]
}

/** Per-layer MACs and the total; `exact` is false when some layer's MACs are unknown. */
export interface MacsReport {
  layers: LayerMacs[]
  total: number
  exact: boolean
}

const prod = (dims: ReadonlyArray<number | null>): number | null =>
  dims.reduce<number | null>((acc, d) => (acc === null || d === null ? null : acc * d), 1)

const ZERO = /^(InputLayer|Activation|ReLU|LeakyReLU|PReLU|ELU|ThresholdedReLU|Softmax|Dropout|SpatialDropout\dD|GaussianNoise|GaussianDropout|AlphaDropout|ActivityRegularization|Flatten|Reshape|Permute|RepeatVector|Masking|Cropping\dD|ZeroPadding\dD|UpSampling\dD|(Global)?(Max|Average)Pooling\dD|(Max|Avg)Pool\dD|Global(Max|Avg)Pool\dD|Add|Subtract|Multiply|Average|Maximum|Minimum|Concatenate|BatchNormalization|LayerNormalization|GroupNormalization|UnitNormalization|RMSNormalization|Normalization|Rescaling|Resizing|CenterCrop|Embedding|CategoryEncoding|StringLookup|IntegerLookup|Hashing|Discretization|Random\w+)$/

function kernel(weights: WeightInfo[], suffix: string): ReadonlyArray<number | null> | undefined {
  return weights.find((w) => w.name === suffix || w.name.endsWith(`/${suffix}`))?.shape
}

/** MACs of one call of a plain layer, from its weights and the shapes it saw. */
function callMacs(cls: string, config: LayerSpec['config'], weights: WeightInfo[], input: Shape | null, output: Shape | null): number | null {
  if (ZERO.test(cls)) return 0
  const out = output === null ? null : prod(output.slice(1))
  const k = kernel(weights, 'kernel')
  if (cls === 'Dense' || cls === 'EinsumDense' || cls === 'QuantizedDense') {
    if (k === undefined || out === null || output === null) return null
    const units = output.at(-1) ?? null
    const perOutput = prod(k) === null || units === null ? null : (prod(k) as number) / units
    return perOutput === null ? null : out * perOutput
  }
  if (/^Conv\dD$|^Convolution\dD$/.test(cls)) return k === undefined || out === null ? null : mul(out, prod(k.slice(0, -1)))
  if (/^Conv\dDTranspose$|^Deconvolution\dD$/.test(cls)) {
    const inner = input === null ? null : prod(input.slice(1))
    const inCh = k?.at(-1) ?? null
    return k === undefined || inner === null || inCh === null ? null : mul(inner / inCh, prod(k))
  }
  if (/^DepthwiseConv\dD$/.test(cls)) {
    const dk = kernel(weights, 'depthwise_kernel')
    return dk === undefined || out === null ? null : mul(out, prod(dk.slice(0, -2)))
  }
  if (/^SeparableConv\dD$/.test(cls)) {
    const dk = kernel(weights, 'depthwise_kernel')
    const pk = kernel(weights, 'pointwise_kernel')
    const filters = output?.at(-1) ?? null
    if (dk === undefined || pk === undefined || out === null || filters === null) return null
    const positions = out / filters
    return mul(positions, add(prod(dk), prod(pk)))
  }
  if (/^LocallyConnected\dD$/.test(cls)) return k === undefined ? null : prod(k)
  if (/^(SimpleRNN|LSTM|GRU|CuDNNLSTM|CuDNNGRU)$/.test(cls)) {
    const steps = input?.[1] ?? null
    return steps === null ? null : mul(steps, add(prod(k ?? [null]), prod(kernel(weights, 'recurrent_kernel') ?? [null])))
  }
  if (cls === 'Bidirectional') {
    const steps = input?.[1] ?? null
    const kernels = weights.filter((w) => /(^|\/)(recurrent_)?kernel$/.test(w.name))
    return steps === null || kernels.length === 0 ? null : mul(steps, kernels.reduce<number | null>((s, w) => add(s, prod(w.shape)), 0))
  }
  if (cls === 'MultiHeadAttention') return attentionMacs(weights, input, output)
  return null
}

function mul(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a * b
}

function add(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b
}

/** Q/K/V/output projections plus the score and weighted-sum products (self-attention shapes assumed from the query). */
function attentionMacs(weights: WeightInfo[], query: Shape | null, output: Shape | null): number | null {
  const steps = query?.[1] ?? null
  const q = kernel(weights, 'query/kernel')
  const v = kernel(weights, 'value/kernel')
  const o = kernel(weights, 'attention_output/kernel')
  if (steps === null || q === undefined || v === undefined || o === undefined || output === null) return null
  const heads = q[1] ?? null
  const keyDim = q[2] ?? null
  const valueDim = v[2] ?? null
  const projections = add(add(mul(steps, prod(q)), mul(steps, prod(kernel(weights, 'key/kernel') ?? [null]))), add(mul(steps, prod(v)), mul(steps, prod(o))))
  const scores = mul(mul(heads, steps * steps), add(keyDim, valueDim))
  return add(projections, scores)
}

function layerMacs(ev: LayerEval): LayerMacs {
  if (ev.nested !== undefined) {
    const inner = macsOfGraph(ev.nested)
    return {name: ev.layer.name, macs: inner.exact ? inner.total * Math.max(1, ev.calls.length) : null, children: inner.layers}
  }
  let total: number | null = 0
  ev.calls.forEach((outputs, i) => {
    const input = ev.inputs[i]?.[0] ?? null
    const m = ev.weights === null && !ZERO.test(ev.layer.class_name) ? null : callMacs(ev.layer.class_name, ev.layer.config, ev.weights ?? [], input, outputs?.[0] ?? null)
    total = add(total, m)
  })
  return {name: ev.layer.name, macs: total}
}

/** MACs of every layer of an evaluated graph (rows as the summary lists them). */
export function macsOfGraph(evaluation: GraphEval): MacsReport {
  const layers = evaluation.layers
    .filter((l) => !(evaluation.graph.sequential && l.layer.class_name === 'InputLayer'))
    .map(layerMacs)
  const known = layers.filter((l) => l.macs !== null)
  return {layers, total: known.reduce((s, l) => s + (l.macs ?? 0), 0), exact: known.length === layers.length}
}
