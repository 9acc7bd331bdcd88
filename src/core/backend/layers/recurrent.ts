/**
 * Recurrent layers tfjs-layers 4.22 cannot build (KERAS-REFERENCE §5.2):
 *
 * - `GRU` / `GRUCell` with `reset_after: true` (the TF 2 default; tfjs throws "GRUCell does not support
 *   reset_after parameter set to true"). Weights: kernel (in, 3u), recurrent_kernel (u, 3u), bias (2, 3u) —
 *   row 0 the input bias, row 1 the recurrent bias; gate order z, r, h. One step, as Keras computes it:
 *     x_z, x_r, x_h = split(x·W + b_in)        h_z, h_r, h_h = split(h_prev·U + b_rec)
 *     z = rec_act(x_z + h_z)   r = rec_act(x_r + h_r)   h~ = act(x_h + r * h_h)
 *     h = z * h_prev + (1 - z) * h~
 *   With `reset_after: false` the config goes to tfjs's own GRU, which implements that variant.
 * - `CuDNNGRU` (Keras 2.0–2.3, GPU only): the same computation with sigmoid/tanh, but its weights are laid out
 *   for cuDNN: bias (6u) = input biases then recurrent biases, and each gate's kernel block is the row-major
 *   buffer of a (u, in) matrix (the layer passes the blocks to cuDNN flattened, untransposed). The effective
 *   kernel block is therefore reshape(block, [u, in])ᵀ and the recurrent block is blockᵀ — the conversion Keras
 *   applies when it loads CuDNN weights into GRU/LSTM (§3.7).
 * - `CuDNNLSTM`: LSTM (gate order i, f, c, o; sigmoid/tanh) with the same cuDNN kernel layout and bias (8u)
 *   whose two halves (input, recurrent) are summed.
 * The cuDNN layers keep their file layout as their own weights, so weights load positionally as saved.
 * Dropout is not applied by these cells (TODO(#4): training with dropout on registered recurrent layers).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Shape} from '@tensorflow/tfjs-layers'
import type {GRUCell, LSTMCell, RNNLayerArgs} from '@tensorflow/tfjs-layers/dist/layers/recurrent.js'
import {InternalError} from '../../errors.js'
import type {Tfjs} from '../runtime.js'
import type {ConfigDict, Kwargs, RegisteredClass} from './util.js'

type Layout = 'keras' | 'cudnn'
const lastDim = (shape: Shape | Shape[]): number => {
  const s = (Array.isArray(shape[0]) ? shape[0] : shape) as Shape
  const d = s[s.length - 1]
  return typeof d === 'number' ? d : 0
}

/** Defines the classes against the loaded tfjs-layers (their base classes exist only at run time). */
export function defineRecurrentLayers(tf: Tfjs): Record<'GRU' | 'GRUCell' | 'CuDNNGRU' | 'CuDNNLSTM', RegisteredClass> {
  const {core} = tf
  const L = tf.layers.layers
  const NativeGRUCell = L.gruCell({units: 1}).constructor as typeof GRUCell
  const NativeLSTMCell = L.lstmCell({units: 1}).constructor as typeof LSTMCell
  const NativeGRU = L.gru({units: 1}).constructor as new (args: ConfigDict) => InstanceType<typeof L.RNN>

  /** Per-gate cuDNN kernel blocks → the (rows, gates·u) matrix a Keras cell multiplies by. */
  function cudnnKernel(kernel: Tensor, gates: number, units: number, square: boolean): Tensor {
    const rows = kernel.shape[0] ?? 0
    const blocks = core.split(kernel, gates, 1).map((block) => core.transpose(square ? block : core.reshape(block, [units, rows])))
    return core.concat(blocks, 1)
  }

  /** GRU cell with reset_after (Keras or cuDNN weight layout); parsing of the config is tfjs's GRUCell's. */
  class ResetAfterGRUCell extends NativeGRUCell {
    static override className = 'GRUCell'
    readonly layout: Layout
    constructor(args: ConfigDict, layout: Layout = 'keras') {
      super({...args, resetAfter: false} as ConstructorParameters<typeof GRUCell>[0])
      this.layout = layout
    }
    override build(inputShape: Shape | Shape[]): void {
      const u = this.units
      this.kernel = this.addWeight('kernel', [lastDim(inputShape), 3 * u], undefined, this.kernelInitializer, this.kernelRegularizer, true, this.kernelConstraint)
      this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], undefined, this.recurrentInitializer, this.recurrentRegularizer, true, this.recurrentConstraint)
      if (this.useBias || this.layout === 'cudnn') {
        const shape = this.layout === 'cudnn' ? [6 * u] : [2, 3 * u]
        this.bias = this.addWeight('bias', shape, undefined, this.biasInitializer, this.biasRegularizer, true, this.biasConstraint)
      }
      this.built = true
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor[] {
      return core.tidy(() => {
        const [x, h] = inputs as Tensor[]
        if (x === undefined || h === undefined) throw new InternalError(`GRU cell '${this.name}' was called without [inputs, state].`)
        const u = this.units
        const cudnn = this.layout === 'cudnn'
        const W = cudnn ? cudnnKernel(this.kernel.read(), 3, u, false) : this.kernel.read()
        const U = cudnn ? cudnnKernel(this.recurrentKernel.read(), 3, u, true) : this.recurrentKernel.read()
        let mx = core.matMul(x, W)
        let mh = core.matMul(h, U)
        if (this.useBias || cudnn) {
          const [bIn, bRec] = cudnn ? core.split(this.bias.read(), 2, 0) : core.unstack(this.bias.read(), 0)
          mx = core.add(mx, bIn as Tensor)
          mh = core.add(mh, bRec as Tensor)
        }
        const [xz, xr, xh] = core.split(mx, 3, 1) as [Tensor, Tensor, Tensor]
        const [hz, hr, hh] = core.split(mh, 3, 1) as [Tensor, Tensor, Tensor]
        const z = this.recurrentActivation.apply(core.add(xz, hz))
        const r = this.recurrentActivation.apply(core.add(xr, hr))
        const candidate = this.activation.apply(core.add(xh, core.mul(r, hh)))
        const next = core.add(core.mul(z, h), core.mul(core.sub(1, z), candidate))
        return [next, next]
      })
    }
    override getConfig(): ConfigDict {
      return {...super.getConfig(), resetAfter: true}
    }
    static override fromConfig<T>(cls: new (config: ConfigDict) => T, config: ConfigDict): T {
      return config.resetAfter === true ? new cls(config) : (new NativeGRUCell(config as never) as unknown as T)
    }
  }

  /** LSTM cell with the cuDNN weight layout (CuDNNLSTM). */
  class CuDNNLSTMCell extends NativeLSTMCell {
    static override className = 'CuDNNLSTMCell'
    constructor(args: ConfigDict) {
      super({...args, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true} as ConstructorParameters<typeof LSTMCell>[0])
    }
    override build(inputShape: Shape | Shape[]): void {
      const u = this.units
      this.kernel = this.addWeight('kernel', [lastDim(inputShape), 4 * u], undefined, this.kernelInitializer, this.kernelRegularizer, true, this.kernelConstraint)
      this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 4 * u], undefined, this.recurrentInitializer, this.recurrentRegularizer, true, this.recurrentConstraint)
      const forget = this.unitForgetBias
      this.bias = this.addWeight('bias', [8 * u], undefined, forget ? tf.layers.initializers.zeros() : this.biasInitializer, this.biasRegularizer, true, this.biasConstraint)
      // Keras: unit_forget_bias sets the recurrent forget-gate bias (block 6 of 8) to one.
      if (forget) this.bias.write(core.concat([core.zeros([5 * u]), core.ones([u]), core.zeros([2 * u])]))
      this.built = true
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor[] {
      return core.tidy(() => {
        const [x, h, c] = inputs as Tensor[]
        if (x === undefined || h === undefined || c === undefined) throw new InternalError(`CuDNNLSTM cell '${this.name}' was called without [inputs, h, c].`)
        const u = this.units
        const [bIn, bRec] = core.split(this.bias.read(), 2, 0) as [Tensor, Tensor]
        const pre = core.add(core.add(core.matMul(x, cudnnKernel(this.kernel.read(), 4, u, false)), core.matMul(h, cudnnKernel(this.recurrentKernel.read(), 4, u, true))), core.add(bIn, bRec))
        const [zi, zf, zc, zo] = core.split(pre, 4, 1) as [Tensor, Tensor, Tensor, Tensor]
        const carry = core.add(core.mul(core.sigmoid(zf), c), core.mul(core.sigmoid(zi), core.tanh(zc)))
        const out = core.mul(core.sigmoid(zo), core.tanh(carry))
        return [out, out, carry]
      })
    }
  }

  const rnnArgs = (args: ConfigDict, cell: InstanceType<typeof L.RNNCell>): RNNLayerArgs => ({...args, cell} as unknown as RNNLayerArgs)

  /** `keras.layers.GRU`: reset_after configs get ResetAfterGRUCell; the others tfjs's own GRU. */
  class GRU extends L.RNN {
    static override className = 'GRU'
    constructor(args: ConfigDict) {
      super(rnnArgs(args, new ResetAfterGRUCell(args)))
    }
    static override fromConfig<T>(cls: new (config: ConfigDict) => T, config: ConfigDict): T {
      return config.resetAfter === true ? new cls(config) : (new NativeGRU(config) as unknown as T)
    }
  }

  /** `keras.layers.CuDNNGRU` (Keras 2.0–2.3). */
  class CuDNNGRU extends L.RNN {
    static override className = 'CuDNNGRU'
    constructor(args: ConfigDict) {
      super(rnnArgs(args, new ResetAfterGRUCell({...args, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true}, 'cudnn')))
    }
    static override fromConfig<T>(cls: new (config: ConfigDict) => T, config: ConfigDict): T {
      return new cls(config)
    }
  }

  /** `keras.layers.CuDNNLSTM` (Keras 2.0–2.3). */
  class CuDNNLSTM extends L.RNN {
    static override className = 'CuDNNLSTM'
    constructor(args: ConfigDict) {
      super(rnnArgs(args, new CuDNNLSTMCell(args)))
    }
    static override fromConfig<T>(cls: new (config: ConfigDict) => T, config: ConfigDict): T {
      return new cls(config)
    }
  }

  return {GRU, GRUCell: ResetAfterGRUCell, CuDNNGRU, CuDNNLSTM}
}
