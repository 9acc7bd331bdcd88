/**
 * ContrastLimitedAdaptiveHistogramEqualization (Keras 3 clahe.py), deterministic and applied in both modes:
 * the image (mapped from `value_range` to 0–255) is padded symmetrically to a whole number of
 * `tile_grid_size` tiles; each tile and channel gets a 256-bin histogram of its truncated pixel values, clipped
 * at `clip_limit · tile_pixels / 256` with the excess spread over all bins, whose normalized CDF
 * `(cdf − min) · 255 / (tile_pixels − min)` maps pixel values; every pixel blends the maps of the four nearest
 * tile centres bilinearly (edge tiles repeated), all in float32, then maps back to `value_range` and casts to
 * the input dtype.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {intList} from '../layers/config.js'
import {firstInput, isChannelsFirst, onImages, refuseArgument, transformRange, valueRange} from './preprocessing-common.js'
import type {ComputeCall, ComputeOutput, ComputeTable} from './types.js'

const f = Math.fround

/** The blend coordinates of one axis: lower / upper tile index (of the edge-padded grid) and the upper weight. */
function tileCoords(padded: number, tile: number, grid: number): {lo: number[]; hi: number[]; w: number[]} {
  const lo: number[] = []
  const hi: number[] = []
  const w: number[] = []
  for (let i = 0; i < padded; i++) {
    const g = f(f(f(i - f(tile / 2)) / tile) + 1)
    const g0 = Math.floor(g)
    w.push(f(g - g0))
    lo.push(Math.min(Math.max(g0, 0), grid + 1))
    hi.push(Math.min(Math.max(g0 + 1, 0), grid + 1))
  }
  return {lo, hi, w}
}

/** Per tile and channel, the clipped, normalized CDF: (B, gh + 2, gw + 2, C, 256) with the edge tiles repeated. */
function tileMaps(c: ComputeCall, padded: Tensor, grid: [number, number], tile: [number, number], clipLimit: number): Tensor {
  const tf = c.tf
  const [b = 0, , , ch = 0] = padded.shape
  const [gh, gw] = grid
  const n = tile[0] * tile[1]
  const tiled = tf.transpose(tf.reshape(padded, [b, gh, tile[0], gw, tile[1], ch]), [0, 1, 3, 5, 2, 4])
  const ints = tf.clipByValue(tf.cast(tf.reshape(tiled, [b * gh * gw * ch, n]), 'int32'), 0, 255)
  let hists = tf.cast(tf.denseBincount(ints as Parameters<typeof tf.denseBincount>[0], [], 256), 'float32')
  if (clipLimit > 0) {
    const clipped = tf.clipByValue(hists, 0, f(clipLimit * n / 256))
    hists = tf.add(clipped, tf.div(tf.sum(tf.sub(hists, clipped), -1, true), tf.scalar(256)))
  }
  const cdf = tf.cumsum(hists, 1)
  const cdfMin = tf.min(cdf, -1, true)
  const den = tf.sub(tf.scalar(n), cdfMin)
  const norm = tf.clipByValue(tf.div(tf.mul(tf.sub(cdf, cdfMin), tf.scalar(255)), tf.where(tf.equal(den, 0), tf.onesLike(den), den)), 0, 255)
  const maps = tf.reshape(norm, [b, gh, gw, ch, 256])
  const rows = tf.concat([tf.slice(maps, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]), maps, tf.slice(maps, [0, gh - 1, 0, 0, 0], [-1, 1, -1, -1, -1])], 1)
  return tf.concat([tf.slice(rows, [0, 0, 0, 0, 0], [-1, -1, 1, -1, -1]), rows, tf.slice(rows, [0, 0, gw - 1, 0, 0], [-1, -1, 1, -1, -1])], 2)
}

/** CLAHE of a (B, H, W, C) batch already in the 0–255 range. */
function clahe(c: ComputeCall, images: Tensor, grid: [number, number], clipLimit: number): Tensor {
  const tf = c.tf
  const [b = 0, h = 0, w = 0, ch = 0] = images.shape
  const tile: [number, number] = [Math.ceil(h / grid[0]), Math.ceil(w / grid[1])]
  const [ph, pw] = [tile[0] * grid[0], tile[1] * grid[1]]
  const padded = ph === h && pw === w
    ? images
    : tf.transpose(tf.mirrorPad(tf.transpose(images, [0, 3, 1, 2]), [[0, 0], [0, 0], [0, ph - h], [0, pw - w]], 'symmetric'), [0, 2, 3, 1])
  const flat = tf.reshape(tileMaps(c, padded, grid, tile, clipLimit), [-1])
  const ys = tileCoords(ph, tile[0], grid[0])
  const xs = tileCoords(pw, tile[1], grid[1])
  const strideX = 256 * ch
  const strideY = strideX * (grid[1] + 2)
  const base = tf.add(
    tf.add(tf.reshape(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(strideY * (grid[0] + 2), 'int32')), [b, 1, 1, 1]), tf.reshape(tf.mul(tf.range(0, ch, 1, 'int32'), tf.scalar(256, 'int32')), [1, 1, 1, ch])),
    tf.cast(tf.clipByValue(padded, 0, 255), 'int32'),
  )
  const yIdx = (v: number[]): Tensor => tf.reshape(tf.tensor1d(v.map((y) => y * strideY), 'int32'), [1, ph, 1, 1])
  const xIdx = (v: number[]): Tensor => tf.reshape(tf.tensor1d(v.map((x) => x * strideX), 'int32'), [1, 1, pw, 1])
  const take = (y: number[], x: number[]): Tensor => tf.gather(flat, tf.add(tf.add(base, yIdx(y)), xIdx(x)))
  const wx = tf.reshape(tf.tensor1d(xs.w, 'float32'), [1, 1, pw, 1])
  const wy = tf.reshape(tf.tensor1d(ys.w, 'float32'), [1, ph, 1, 1])
  const top = tf.add(tf.mul(take(ys.lo, xs.lo), tf.sub(1, wx)), tf.mul(take(ys.lo, xs.hi), wx))
  const bottom = tf.add(tf.mul(take(ys.hi, xs.lo), tf.sub(1, wx)), tf.mul(take(ys.hi, xs.hi), wx))
  const result = tf.add(tf.mul(top, tf.sub(1, wy)), tf.mul(bottom, wy))
  return tf.slice(result, [0, 0, 0, 0], [b, h, w, ch])
}

function claheLayer(c: ComputeCall): ComputeOutput {
  const grid = intList(c.config.tile_grid_size) ?? [8, 8]
  if (grid.length !== 2 || grid.some((g) => g < 1)) throw refuseArgument(c.class_name, 'tile_grid_size', c.config.tile_grid_size, 'it must be two positive integers')
  const clipLimit = typeof c.config.clip_limit === 'number' ? c.config.clip_limit : 4
  const range = valueRange(c.config, false)
  const x = firstInput(c)
  const y = onImages(c, x, isChannelsFirst(c.config), (im) => {
    const equalized = clahe(c, c.tf.cast(transformRange(c, im, range, [0, 255]), 'float32'), [grid[0] ?? 8, grid[1] ?? 8], clipLimit)
    const back = transformRange(c, equalized, [0, 255], range)
    return x.dtype === 'float32' ? back : c.tf.cast(back, x.dtype)
  })
  return {outputs: [y]}
}

/** Compute function of ContrastLimitedAdaptiveHistogramEqualization. */
export const CLAHE_COMPUTE: ComputeTable = {
  ContrastLimitedAdaptiveHistogramEqualization: {call: claheLayer},
}
