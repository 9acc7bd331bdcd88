/**
 * Keras's activation functions by name, as each generation resolves and computes them.
 *
 * Spellings: a name (`"relu"`), null (linear), Keras 3's `{"module": "keras.activations", "class_name":
 * "function", "config": "relu"}` or `{"class_name": "relu", ...}` (its config ignored, as Keras 3 does), and an
 * activation layer object (`{"class_name": "LeakyReLU", "config": {...}}`, Keras 3 `module: "keras.layers"`,
 * also `Activation` wrapping another), or in Keras 2 a layer class by name (`"LeakyReLU"` builds it with defaults).
 *
 * Names: Keras 3.15 `activations.ALL_OBJECTS_DICT` (with the swish and hard_swish aliases); tf-keras 2.21's
 * module functions (Keras 1 and standalone Keras 2 names are a subset). Where the generations differ, each
 * computes its own: hard_sigmoid is clip(0.2x + 0.5, 0, 1) in Keras 2 and relu6(x + 3) / 6 in Keras 3; Keras 2
 * refuses softmax on a rank-1 tensor (Keras 1 also above rank 3). gelu is the exact erf form in both (neither
 * passes `approximate`); leaky_relu's slope is 0.2 in both. A name the generation does not know, Keras 3's
 * `threshold` (two required arguments, so Keras raises when it is called) and a PReLU object (it would own a
 * weight kmodel does not see) are BackendErrors, never a guess.
 *
 * Logits: like Keras (`output._keras_logits = x` in tf-keras `backend.sigmoid` / `backend.softmax` and Keras 3's
 * `activations.sigmoid` / `activations.softmax`), the tensor a sigmoid or softmax returns remembers its input;
 * the crossentropy losses and metrics read it back (`kerasLogits`) and compute from the logits instead of the
 * clipped probabilities, whenever the very tensor the activation returned reaches them.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Json, JsonObject} from '../json.js'
import {isObject} from '../json.js'
import {BackendError} from '../errors.js'
import type {Core} from '../backend/runtime.js'
import type {Dialect} from '../model/spec.js'
import {ACTIVATION_FUNCTIONS_K2, ACTIVATIONS_K3} from '../layers/identifier-tables.js'
import {type ActivationFn, expm1, glu, layerActivation, logSoftmaxAxis, softmaxLayer, sparsemax} from './activation-math.js'

export type {ActivationFn} from './activation-math.js'

/** What produced a tensor that carries logits. */
export type LogitsKind = 'sigmoid' | 'softmax'

/** Tensor returned by a sigmoid / softmax activation → its input (Keras's `_keras_logits`). */
const LOGITS = new WeakMap<Tensor, {kind: LogitsKind; logits: Tensor}>()

/**
 * Marks `output` as the result of a sigmoid / softmax applied to `logits` (over any axis: Keras does not record
 * which) and returns it. Callers computing a softmax outside activationFn (the Softmax layer) call this on the
 * tensor they return, as Keras's Softmax layer goes through `activations.softmax` (one axis or null; not several).
 */
export function rememberLogits(output: Tensor, kind: LogitsKind, logits: Tensor): Tensor {
  LOGITS.set(output, {kind, logits})
  return output
}

/** The logits `t` was computed from, when `t` is the very tensor a sigmoid / softmax activation returned. */
export function kerasLogits(t: Tensor): {kind: LogitsKind; logits: Tensor} | undefined {
  return LOGITS.get(t)
}

type Builder = (tf: Core, generation: Dialect, kerasVersion: string | null) => ActivationFn

/** Keras 3's hard_sigmoid: relu6(x + 3) / 6. */
const hardSigmoid3 = (tf: Core, x: Tensor): Tensor => tf.div(tf.relu6(tf.add(x, 3)), 6)

/** Activations both generations define the same way (TensorFlow's ops). */
const COMMON: Readonly<Record<string, Builder>> = {
  linear: () => (x) => x,
  relu: (tf) => (x) => tf.relu(x),
  relu6: (tf) => (x) => tf.relu6(x),
  sigmoid: (tf) => (x) => rememberLogits(tf.sigmoid(x), 'sigmoid', x),
  tanh: (tf) => (x) => tf.tanh(x),
  elu: (tf) => (x) => tf.elu(x),
  selu: (tf) => (x) => tf.selu(x),
  softplus: (tf) => (x) => tf.softplus(x),
  softsign: (tf) => (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  swish: (tf) => (x) => tf.mul(x, tf.sigmoid(x)),
  silu: (tf) => (x) => tf.mul(x, tf.sigmoid(x)),
  // tf.nn.gelu(approximate=False): 0.5·x·(1 + erf(x / √2)).
  gelu: (tf) => (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  exponential: (tf) => (x) => tf.exp(x),
  mish: (tf) => (x) => tf.mul(x, tf.tanh(tf.softplus(x))),
  leaky_relu: (tf) => (x) => tf.leakyRelu(x, 0.2),
  log_softmax: (tf) => (x) => logSoftmaxAxis(tf, x, -1),
  hard_sigmoid: (tf, g) => (g === 'keras3' ? (x) => hardSigmoid3(tf, x) : (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1)),
  softmax: (tf, g, version) => (x) => {
    if (g === 'keras2' && version?.startsWith('1.') === true && x.rank > 3) {
      throw new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Keras 1 applies softmax to 2-D and 3-D tensors only; this one has rank ${x.rank}.`, {hint: 'Keras 1 raises on it too.'})
    }
    return rememberLogits(softmaxLayer(tf, x, -1, g), 'softmax', x)
  },
}

/** Activations only Keras 3 defines (keras/src/backend/tensorflow/nn.py). */
const KERAS3: Readonly<Record<string, Builder>> = {
  hard_silu: (tf) => (x) => tf.mul(x, hardSigmoid3(tf, x)),
  hard_swish: (tf) => (x) => tf.mul(x, hardSigmoid3(tf, x)),
  hard_tanh: (tf) => (x) => tf.clipByValue(x, -1, 1),
  hard_shrink: (tf) => (x) => tf.where(tf.greater(tf.abs(x), 0.5), x, tf.zerosLike(x)),
  soft_shrink: (tf) => (x) => tf.where(tf.greater(x, 0.5), tf.sub(x, 0.5), tf.where(tf.less(x, -0.5), tf.add(x, 0.5), tf.zerosLike(x))),
  tanh_shrink: (tf) => (x) => tf.sub(x, tf.tanh(x)),
  log_sigmoid: (tf) => (x) => tf.logSigmoid(x),
  celu: (tf) => (x) => tf.add(tf.maximum(x, 0), expm1(tf, tf.minimum(x, 0))),
  glu: (tf) => (x) => glu(tf, x),
  squareplus: (tf) => (x) => tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), 4))), 2),
  sparse_plus: (tf) => (x) => tf.where(tf.lessEqual(x, -1), tf.zerosLike(x), tf.where(tf.less(x, 1), tf.mul(0.25, tf.square(tf.add(x, 1))), x)),
  sparse_sigmoid: (tf) => (x) => tf.where(tf.lessEqual(x, -1), tf.zerosLike(x), tf.where(tf.greaterEqual(x, 1), tf.onesLike(x), tf.mul(0.5, tf.add(x, 1)))),
  sparsemax: (tf) => (x) => sparsemax(tf, x),
}

/** Activation layer classes: tf-keras resolves its advanced activations by name or object; Keras 3 takes these `keras.layers` objects. */
const LAYER_CLASSES: Readonly<Record<Dialect, ReadonlySet<string>>> = {
  keras2: new Set(['ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'PReLU']),
  keras3: new Set(['ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'PReLU', 'Activation']),
}

/** What a saved activation value names: a function by name, or an activation layer with its config. */
type Resolved = {fn: string} | {layer: string; config: JsonObject}

/** Keras 3 `{"class_name": "function", "config": "relu"}`; tf-keras looks `registered_name` up unless module is builtins. */
function functionEntry(value: JsonObject, generation: Dialect): Resolved | undefined {
  const fromRegistry = generation === 'keras2' && value.module !== 'builtins' && value.registered_name !== undefined
  const name = fromRegistry ? value.registered_name : value.config
  if (name === null) return {fn: 'linear'}
  return typeof name === 'string' ? {fn: name} : undefined
}

function resolve(value: Json | undefined, generation: Dialect): Resolved | undefined {
  if (value === undefined || value === null) return {fn: 'linear'}
  if (typeof value === 'string') return LAYER_CLASSES.keras2.has(value) && generation === 'keras2' ? {layer: value, config: {}} : {fn: value}
  if (!isObject(value) || typeof value.class_name !== 'string') return undefined
  if (value.class_name === 'function') return functionEntry(value, generation)
  if (LAYER_CLASSES[generation].has(value.class_name)) return {layer: value.class_name, config: isObject(value.config) ? value.config : {}}
  // A function named by class_name: Keras 3 ignores its config; tf-keras would pass a non-empty one as arguments.
  const cfg = value.config
  if (generation === 'keras2' && isObject(cfg) && Object.keys(cfg).length > 0) return undefined
  return {fn: value.class_name}
}

/**
 * The activation's name from any saved spelling (`"relu"`, a serialised function, an activation layer object →
 * its class name, e.g. `"LeakyReLU"`), `"linear"` for null, or undefined when the value names none.
 */
export function activationName(value: Json | undefined, generation: Dialect = 'keras3'): string | undefined {
  const r = resolve(value, generation)
  return r === undefined ? undefined : 'fn' in r ? r.fn : r.layer
}

function unknown(value: Json | undefined, why: string): BackendError {
  return new BackendError('KM_BACKEND_ACTIVATION', `The activation ${JSON.stringify(value)} is not one kmodel computes (${why}).`, {
    hint: 'summary and to-json still work; computing needs a built-in Keras activation.',
  })
}

function layerFn(tf: Core, generation: Dialect, value: Json | undefined, layer: string, config: JsonObject, version: string | null): ActivationFn {
  if (layer === 'Activation') return activationFn(tf, generation, config.activation, version)
  if (layer === 'PReLU') throw unknown(value, 'a PReLU object as an activation owns an alpha weight that is not among the layer\'s weights')
  const fn = layerActivation(tf, generation, layer, config)
  if (fn === undefined) throw unknown(value, `no activation layer ${layer}`)
  // a Softmax layer object over one axis (or null) computes through Keras's softmax activation; over several, not
  const axis = config.axis
  if (layer === 'Softmax' && !(Array.isArray(axis) && axis.length > 1)) return (x) => rememberLogits(fn(x), 'softmax', x)
  return fn
}

/**
 * The function for a saved activation value, as `generation` computes it (`kerasVersion`, when known, tells
 * Keras 1's softmax rank limit). Throws BackendError KM_BACKEND_ACTIVATION for values Keras would not resolve
 * or kmodel does not compute.
 */
export function activationFn(tf: Core, generation: Dialect, value: Json | undefined, kerasVersion: string | null = null): ActivationFn {
  const r = resolve(value, generation)
  if (r === undefined) throw unknown(value, 'not a built-in activation name or object')
  if ('layer' in r) return layerFn(tf, generation, value, r.layer, r.config, kerasVersion)
  const known = generation === 'keras3' ? ACTIVATIONS_K3.has(r.fn) : ACTIVATION_FUNCTIONS_K2.has(r.fn)
  if (!known) throw unknown(value, `Keras ${generation === 'keras3' ? 3 : 2} has no activation "${r.fn}"`)
  if (r.fn === 'threshold') throw unknown(value, 'Keras 3 "threshold" needs its threshold and default_value arguments, so Keras raises when it is called')
  const builder = COMMON[r.fn] ?? (generation === 'keras3' ? KERAS3[r.fn] : undefined)
  if (builder === undefined) throw unknown(value, `no definition of "${r.fn}"`)
  return builder(tf, generation, kerasVersion)
}
