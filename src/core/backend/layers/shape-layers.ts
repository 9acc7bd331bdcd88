/**
 * Keras layers tfjs-layers 4.22 lacks that only move or reduce values (KERAS-REFERENCE §5.2): Subtract,
 * UpSampling1D, ZeroPadding1D, Cropping1D, GlobalMaxPooling3D, GlobalAveragePooling3D. Each is written from
 * the Keras layer's documented behaviour; none has weights.
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Shape} from '@tensorflow/tfjs-layers'
import {BackendError} from '../../errors.js'
import type {Tfjs} from '../runtime.js'
import {type ConfigDict, type Kwargs, type RegisteredClass, channelsFirst, intPair, oneShape, oneTensor, positiveInt} from './util.js'

/** Keras's broadcast of two merge-input shapes (right-aligned; 1 stretches; unknown stays unknown). */
function broadcastShapes(a: Shape, b: Shape, layer: string): Shape {
  const rank = Math.max(a.length, b.length)
  const out: Shape = []
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1
    const y = b[b.length - rank + i] ?? 1
    if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : null)
    else if (x === 1 || y === 1 || x === y) out.push(Math.max(x, y))
    else throw new BackendError('KM_BACKEND_SHAPE', `Layer '${layer}' cannot subtract shapes [${a.join(', ')}] and [${b.join(', ')}].`)
  }
  return out
}

/** Defines the classes against the loaded tfjs-layers (their base class exists only at run time). */
export function defineShapeLayers(tf: Tfjs): Record<'Subtract' | 'UpSampling1D' | 'ZeroPadding1D' | 'Cropping1D' | 'GlobalMaxPooling3D' | 'GlobalAveragePooling3D', RegisteredClass> {
  const {core} = tf
  const Layer = tf.layers.layers.Layer

  /** `keras.layers.Subtract`: exactly two inputs, output `a - b` (broadcasting like the other merges). */
  class Subtract extends Layer {
    static className = 'Subtract'
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      const shapes = shape as Shape[]
      if (shapes.length !== 2 || !Array.isArray(shapes[0]) || !Array.isArray(shapes[1])) {
        throw new BackendError('KM_BACKEND_SHAPE', `Layer '${this.name}' (Subtract) needs exactly two inputs, got ${Array.isArray(shapes[0]) ? shapes.length : 1}.`)
      }
      return broadcastShapes(shapes[0], shapes[1], this.name)
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
      const list = Array.isArray(inputs) ? inputs : [inputs]
      const [a, b] = list
      if (list.length !== 2 || a === undefined || b === undefined) throw new BackendError('KM_BACKEND_CALL', `Layer '${this.name}' (Subtract) needs exactly two inputs, got ${list.length}.`)
      return core.sub(a, b)
    }
  }

  /** `keras.layers.UpSampling1D(size)`: repeats each step `size` times along the time axis. */
  class UpSampling1D extends Layer {
    static className = 'UpSampling1D'
    readonly size: number
    constructor(args: ConfigDict) {
      super(args)
      this.size = positiveInt(args.size, 2, 'UpSampling1D size')
    }
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      const [batch, steps, features] = oneShape(shape)
      return [batch ?? null, steps === null || steps === undefined ? null : steps * this.size, features ?? null]
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
      const x = oneTensor(inputs, this.name)
      return core.tidy(() => {
        const [b = 1, s = 1, f = 1] = x.shape
        const tiled = core.tile(core.reshape(x, [b, s, 1, f]), [1, 1, this.size, 1])
        return core.reshape(tiled, [b, s * this.size, f])
      })
    }
    override getConfig(): ConfigDict {
      return {...super.getConfig(), size: this.size}
    }
  }

  /** `keras.layers.ZeroPadding1D(padding)`: zeros before and after the steps (axis 2 for channels_first). */
  class ZeroPadding1D extends Layer {
    static className = 'ZeroPadding1D'
    readonly padding: [number, number]
    readonly first: boolean
    constructor(args: ConfigDict) {
      super(args)
      this.padding = intPair(args.padding, [1, 1], 'ZeroPadding1D padding')
      this.first = channelsFirst(args.dataFormat)
    }
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      const out = [...oneShape(shape)]
      const axis = this.first ? 2 : 1
      const steps = out[axis]
      out[axis] = steps === null || steps === undefined ? null : steps + this.padding[0] + this.padding[1]
      return out
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
      const x = oneTensor(inputs, this.name)
      const pads: Array<[number, number]> = [[0, 0], [0, 0], [0, 0]]
      pads[this.first ? 2 : 1] = this.padding
      return core.pad(x, pads)
    }
    override getConfig(): ConfigDict {
      return {...super.getConfig(), padding: this.padding, dataFormat: this.first ? 'channelsFirst' : 'channelsLast'}
    }
  }

  /** `keras.layers.Cropping1D(cropping)`: drops steps at the start and end of the time axis. */
  class Cropping1D extends Layer {
    static className = 'Cropping1D'
    readonly cropping: [number, number]
    constructor(args: ConfigDict) {
      super(args)
      this.cropping = intPair(args.cropping, [1, 1], 'Cropping1D cropping')
    }
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      const [batch, steps, features] = oneShape(shape)
      return [batch ?? null, steps === null || steps === undefined ? null : steps - this.cropping[0] - this.cropping[1], features ?? null]
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
      const x = oneTensor(inputs, this.name)
      const [b = 1, s = 0, f = 1] = x.shape
      const kept = s - this.cropping[0] - this.cropping[1]
      if (kept <= 0) throw new BackendError('KM_BACKEND_SHAPE', `Layer '${this.name}' crops ${this.cropping[0]}+${this.cropping[1]} steps from an input of ${s} steps.`)
      return core.slice(x, [0, this.cropping[0], 0], [b, kept, f])
    }
    override getConfig(): ConfigDict {
      return {...super.getConfig(), cropping: this.cropping}
    }
  }

  /** GlobalMaxPooling3D / GlobalAveragePooling3D: reduce the three spatial axes (keepdims as Keras ≥ 2.6). */
  function globalPooling3D(className: string, reduce: (x: Tensor, axes: number[], keep: boolean) => Tensor) {
    return class GlobalPooling3D extends Layer {
      static className = className
      readonly first: boolean
      readonly keepdims: boolean
      constructor(args: ConfigDict) {
        super(args)
        this.first = channelsFirst(args.dataFormat)
        this.keepdims = args.keepdims === true
      }
      override computeOutputShape(shape: Shape | Shape[]): Shape {
        const s = oneShape(shape)
        const channels = (this.first ? s[1] : s[4]) ?? null
        if (!this.keepdims) return [s[0] ?? null, channels]
        return this.first ? [s[0] ?? null, channels, 1, 1, 1] : [s[0] ?? null, 1, 1, 1, channels]
      }
      override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
        return reduce(oneTensor(inputs, this.name), this.first ? [2, 3, 4] : [1, 2, 3], this.keepdims)
      }
      override getConfig(): ConfigDict {
        return {...super.getConfig(), dataFormat: this.first ? 'channelsFirst' : 'channelsLast', keepdims: this.keepdims}
      }
    }
  }
  const GlobalMaxPooling3D = globalPooling3D('GlobalMaxPooling3D', (x, axes, keep) => core.max(x, axes, keep))
  const GlobalAveragePooling3D = globalPooling3D('GlobalAveragePooling3D', (x, axes, keep) => core.mean(x, axes, keep))

  return {Subtract, UpSampling1D, ZeroPadding1D, Cropping1D, GlobalMaxPooling3D, GlobalAveragePooling3D}
}
