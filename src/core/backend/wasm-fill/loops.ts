/**
 * Plain typed-array loops for the kernels the wasm backend lacks and that no composition of its own kernels
 * covers cheaply: the two depthwise gradients (NHWC, filter [kH, kW, C, multiplier]) and the segment sum.
 * They read and write views of the wasm heap that wasm-fill.ts takes after every allocation is made.
 */
import type {backend_util} from '@tensorflow/tfjs-core'

type Info = backend_util.Conv2DInfo

/** Calls `visit(inputPixel, outputPixel, tap)` for every in-bounds (output pixel, filter tap) pair. */
function forEachTap(info: Info, visit: (inPixel: number, outPixel: number, tap: number) => void): void {
  const {batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth} = info
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const outPixel = (n * outHeight + oh) * outWidth + ow
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * info.strideHeight - info.padInfo.top + kh * info.dilationHeight
          if (ih < 0 || ih >= inHeight) continue
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * info.strideWidth - info.padInfo.left + kw * info.dilationWidth
            if (iw < 0 || iw >= inWidth) continue
            visit((n * inHeight + ih) * inWidth + iw, outPixel, kh * filterWidth + kw)
          }
        }
      }
    }
  }
}

/** dx of a depthwise convolution: dx[in, c] += dy[out, c·M + q] · w[tap, c·M + q]. */
export function depthwiseBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, info: Info): void {
  const c = info.inChannels
  const oc = info.outChannels
  const mult = oc / c
  dx.fill(0)
  forEachTap(info, (inPixel, outPixel, tap) => {
    const i0 = inPixel * c
    const o0 = outPixel * oc
    const w0 = tap * oc
    for (let o = 0; o < oc; o++) {
      const ci = i0 + Math.floor(o / mult)
      dx[ci] = (dx[ci] as number) + (dy[o0 + o] as number) * (w[w0 + o] as number)
    }
  })
}

/** dW of a depthwise convolution: dW[tap, c·M + q] += x[in, c] · dy[out, c·M + q]. */
export function depthwiseBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, info: Info): void {
  const c = info.inChannels
  const oc = info.outChannels
  const mult = oc / c
  dw.fill(0)
  forEachTap(info, (inPixel, outPixel, tap) => {
    const i0 = inPixel * c
    const o0 = outPixel * oc
    const w0 = tap * oc
    for (let o = 0; o < oc; o++) {
      dw[w0 + o] = (dw[w0 + o] as number) + (x[i0 + Math.floor(o / mult)] as number) * (dy[o0 + o] as number)
    }
  })
}

/** out[id] += x[row] for every row whose id is in [0, segments); out must be zeroed by the caller. */
export function segmentSum(x: Float32Array, ids: Int32Array, out: Float32Array, segments: number): void {
  const inner = ids.length === 0 ? 0 : x.length / ids.length
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r] as number
    if (id < 0 || id >= segments) continue
    for (let j = 0; j < inner; j++) out[id * inner + j] = (out[id * inner + j] as number) + (x[r * inner + j] as number)
  }
}
