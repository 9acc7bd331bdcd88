/**
 * tf-keras's LocallyConnected1D/2D: a convolution whose weights are not shared, one kernel per output position,
 * `activation(local_conv(inputs) + bias)`. The three `implementation`s store the weights differently and compute
 * the same function (tf-keras's layers/locally_connected/ and utils/conv_utils.py):
 *
 * 1. kernel (positions, window · in, filters): each output position's input window, flattened in the input's
 *    layout (channels_last: window then channel; channels_first: channel then window), times its own matrix.
 *    "valid" padding only.
 * 2. a dense kernel between every input and output element (channels_last (in…, C, out…, F), channels_first
 *    (C, in…, F, out…)), multiplied by the 0/1 connectivity mask, then one matrix product.
 * 3. a flat vector of the connected (output, input) pairs' weights, in the sorted order of conv_kernel_idxs.
 *
 * Connectivity (conv_connected_inputs) centres the window: output o reads inputs [max(0, c − ⌊k/2⌋),
 * min(len, c + k − ⌊k/2⌋)) with c = o · stride, plus ⌊k/2⌋ for "valid" — so "same" is not TensorFlow's SAME.
 * The bias has shape (out…, filters); for channels_first tf-keras's bias_add *reshapes* it to (filters, out…)
 * (no transpose), which kmodel reproduces.
 */
import type {Tensor, Tensor3D} from '@tensorflow/tfjs-core'
import {convParams} from '../layers/conv.js'
import {int, optInt} from '../layers/config.js'
import {BackendError} from '../errors.js'
import {floatInput, paddingOf, requiredWeight, unsupported, weightOf} from './conv-common.js'
import {activationFn} from './activations.js'
import type {ComputeCall, ComputeOutput, ComputeTable, LayerCompute} from './types.js'

/** The static geometry of one call. */
interface Geometry {
  cf: boolean
  inDims: number[]
  outDims: number[]
  kernel: number[]
  strides: number[]
  same: boolean
  channels: number
  filters: number
}

const prod = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1)

/** conv_utils.conv_output_length without dilation: "valid" ⌈(len − k + 1) / s⌉, "same" ⌈len / s⌉. */
function outLength(len: number, k: number, s: number, same: boolean): number {
  if (len === 0) return 0
  return Math.floor(((same ? len : len - k + 1) + s - 1) / s)
}

/** conv_connected_inputs along one axis: the input range [start, end) output `o` reads. */
function connected(g: Geometry, d: number, o: number): [number, number] {
  const k = g.kernel[d] ?? 1
  const left = Math.floor(k / 2)
  const centre = o * (g.strides[d] ?? 1) + (g.same ? 0 : left)
  return [Math.max(0, centre - left), Math.min(g.inDims[d] ?? 0, centre + k - left)]
}

/** Every multi-index of `dims`, row-major. */
function positions(dims: readonly number[]): number[][] {
  let out: number[][] = [[]]
  for (const d of dims) out = out.flatMap((p) => Array.from({length: d}, (_, i) => [...p, i]))
  return out
}

/** Row-major flat index of a multi-index in `dims`. */
function ravel(index: readonly number[], dims: readonly number[]): number {
  return index.reduce((acc, v, i) => acc * (dims[i] ?? 1) + v, 0)
}

/** Flat index of (spatial position, channel) in one sample of the input, in the layer's data format. */
function inputIndex(g: Geometry, pos: readonly number[], channel: number): number {
  return g.cf ? ravel([channel, ...pos], [g.channels, ...g.inDims]) : ravel([...pos, channel], [...g.inDims, g.channels])
}

/** The input ranges output position `pos` reads, one per axis, as lists of positions. */
function window(g: Geometry, pos: readonly number[]): number[][] {
  return positions(pos.map((o, d) => {
    const [start, end] = connected(g, d, o)
    return Math.max(end - start, 0)
  })).map((offset) => offset.map((v, d) => v + connected(g, d, pos[d] ?? 0)[0]))
}

/** implementation 1: gather every position's window (features in the input's layout), one matmul per position. */
function localConv(c: ComputeCall, g: Geometry, xf: Tensor, kernel: Tensor): Tensor {
  const tf = c.tf
  const outs = positions(g.outDims)
  const feature = prod(g.kernel) * g.channels
  const idx: number[] = []
  for (const pos of outs) {
    const cells = window(g, pos)
    const channels = Array.from({length: g.channels}, (_, ch) => ch)
    if (g.cf) for (const ch of channels) for (const cell of cells) idx.push(inputIndex(g, cell, ch))
    else for (const cell of cells) for (const ch of channels) idx.push(inputIndex(g, cell, ch))
  }
  if (idx.length !== outs.length * feature || kernel.shape.join() !== [outs.length, feature, g.filters].join()) {
    throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${c.class_name}: the kernel ${JSON.stringify(kernel.shape)} does not fit implementation 1 (expected ${JSON.stringify([outs.length, feature, g.filters])}).`)
  }
  const batch = xf.shape[0] ?? 0
  const windows = tf.transpose(tf.reshape(tf.gather(xf, tf.tensor1d(idx, 'int32'), 1), [batch, outs.length, feature]), [1, 0, 2])
  const y = tf.transpose(tf.matMul(windows as Tensor3D, kernel as Tensor3D), [1, 0, 2])
  return g.cf ? tf.transpose(y, [0, 2, 1]) : y
}

/** implementation 2: (kernel × connectivity mask) as an (inputs, outputs) matrix, one matmul. */
function maskedMatmul(c: ComputeCall, g: Geometry, xf: Tensor, kernel: Tensor): Tensor {
  const tf = c.tf
  const inSize = prod(g.inDims)
  const outSize = prod(g.outDims)
  const mask = new Float32Array(inSize * outSize)
  for (const pos of positions(g.outDims)) for (const cell of window(g, pos)) mask[ravel(cell, g.inDims) * outSize + ravel(pos, g.outDims)] = 1
  const maskShape = g.cf ? [1, ...g.inDims, 1, ...g.outDims] : [...g.inDims, 1, ...g.outDims, 1]
  const expected = g.cf ? [g.channels, ...g.inDims, g.filters, ...g.outDims] : [...g.inDims, g.channels, ...g.outDims, g.filters]
  if (kernel.shape.join() !== expected.join()) {
    throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${c.class_name}: the kernel ${JSON.stringify(kernel.shape)} does not fit implementation 2 (expected ${JSON.stringify(expected)}).`)
  }
  const masked = tf.mul(kernel, tf.tensor(mask, maskShape))
  return tf.matMul(xf, tf.reshape(masked, [inSize * g.channels, outSize * g.filters]))
}

/**
 * implementation 3's layout: for every output element in flat order, the flat input indices it reads
 * (ascending) and their positions in the weight vector — conv_kernel_idxs sorted by (output, input), so each
 * output's weights are one run, in input order. Rows are padded to the longest run with index `inSize` (a
 * zero column appended to the input) and weight index `count` (a zero appended to the weights).
 */
function sparseLayout(g: Geometry, inSize: number): {width: number; inputs: Int32Array; weights: Int32Array; count: number} {
  const outPositions = positions(g.outDims)
  const runs = outPositions.map((pos) => window(g, pos))
  const width = runs.reduce((w, r) => Math.max(w, r.length * g.channels), 1)
  const outSize = outPositions.length * g.filters
  const inputs = new Int32Array(outSize * width).fill(inSize)
  const weights = new Int32Array(outSize * width)
  let count = 0
  for (let o = 0; o < outSize; o++) {
    const p = g.cf ? o % outPositions.length : Math.floor(o / g.filters)
    const cells = runs[p] ?? []
    const ins = cells.flatMap((cell) => Array.from({length: g.channels}, (_, ch) => inputIndex(g, cell, ch))).sort((x, y) => x - y)
    ins.forEach((index, j) => {
      inputs[o * width + j] = index
      weights[o * width + j] = count + j
    })
    weights.fill(-1, o * width + ins.length, (o + 1) * width)
    count += ins.length
  }
  weights.forEach((v, i) => {
    if (v < 0) weights[i] = count
  })
  return {width, inputs, weights, count}
}

/**
 * implementation 3: the sparse product. Each output's connected (input, weight) pairs, padded to the longest
 * run with a zero input and a zero weight, gathered and summed (plain gathers: no segment sum, which tfjs's
 * wasm backend lacks).
 */
function sparseMatmul(c: ComputeCall, g: Geometry, xf: Tensor, kernel: Tensor): Tensor {
  const tf = c.tf
  const inSize = xf.shape[1] ?? 0
  const {width, inputs, weights, count} = sparseLayout(g, inSize)
  if (kernel.shape.join() !== String(count)) {
    throw new BackendError('KM_BACKEND_WEIGHTS', `Layer class ${c.class_name}: the kernel ${JSON.stringify(kernel.shape)} does not fit implementation 3 (expected [${count}]).`)
  }
  const outSize = prod(g.outDims) * g.filters
  const batch = xf.shape[0] ?? 0
  const xs = tf.gather(tf.concat([xf, tf.zeros([batch, 1])], 1), tf.tensor1d(inputs, 'int32'), 1)
  const ws = tf.gather(tf.concat([tf.reshape(kernel, [-1]), tf.zeros([1])], 0), tf.tensor1d(weights, 'int32'))
  return tf.sum(tf.mul(tf.reshape(xs, [batch, outSize, width]), tf.reshape(ws, [outSize, width])), -1)
}

function geometry(c: ComputeCall, x: Tensor, n: number): Geometry {
  const p = convParams(c.config, n)
  if (!p.strides.every((s) => Number.isInteger(s) && s >= 1)) throw unsupported(c, 'strides', p.strides, 'strides must be positive integers')
  const same = paddingOf(c, p.padding, false) === 'same'
  const inDims = p.cf ? x.shape.slice(2) : x.shape.slice(1, -1)
  const outDims = inDims.map((len, d) => outLength(len, p.kernel[d] ?? 1, p.strides[d] ?? 1, same))
  const channels = (p.cf ? x.shape[1] : x.shape[n + 1]) ?? 0
  if (outDims.some((d) => d <= 0)) throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: one of the dimensions in the output is <= 0 due to downsampling (input shape ${JSON.stringify(x.shape)}).`)
  return {cf: p.cf, inDims, outDims, kernel: p.kernel, strides: p.strides, same, channels, filters: int(c.config, 'filters', 0)}
}

function locallyConnected(n: number): LayerCompute {
  return {
    call(c: ComputeCall): ComputeOutput {
      const tf = c.tf
      const x = floatInput(c)
      if (x.rank !== n + 2) throw new BackendError('KM_BACKEND_INPUT', `Layer class ${c.class_name}: the input has rank ${x.rank}; Keras expects ${n + 2}.`)
      const g = geometry(c, x, n)
      const impl = optInt(c.config, 'implementation') ?? 1
      if (impl === 1 && g.same) throw unsupported(c, 'padding', c.config.padding ?? null, 'tf-keras\'s implementation 1 supports only "valid" padding')
      if (impl !== 1 && impl !== 2 && impl !== 3) throw unsupported(c, 'implementation', impl, 'tf-keras has implementations 1, 2 and 3')
      const kernel = requiredWeight(c, 'kernel')
      const xf = tf.reshape(x, [x.shape[0] ?? -1, prod(x.shape.slice(1))])
      const flat = impl === 1 ? localConv(c, g, xf, kernel) : impl === 2 ? maskedMatmul(c, g, xf, kernel) : sparseMatmul(c, g, xf, kernel)
      const shape = g.cf ? [g.filters, ...g.outDims] : [...g.outDims, g.filters]
      let y = tf.reshape(flat, [x.shape[0] ?? -1, ...shape])
      const bias = weightOf(c, 'bias')
      if (bias !== undefined) y = tf.add(y, tf.reshape(bias, [1, ...shape]))
      return {outputs: [activationFn(tf, c.generation, c.config.activation)(y)]}
    },
  }
}

/** tf-keras's LocallyConnected1D / LocallyConnected2D. */
export const LOCAL_COMPUTE: ComputeTable = {
  LocallyConnected1D: locallyConnected(1),
  LocallyConnected2D: locallyConnected(2),
}
