/**
 * `keras.layers.Attention` (Luong-style dot-product attention; tf.keras ≥ 2.1, Keras 3), which tfjs-layers
 * 4.22 lacks. Inputs `[query, value]` or `[query, value, key]` (key defaults to value):
 *   scores  = query · keyᵀ                        (score_mode 'dot'; × scale when use_scale)
 *           = w · Σ tanh(query_i + key_j)          (score_mode 'concat'; inside tanh × scale when use_scale)
 *   output  = softmax(scores over the value axis) · value
 * `causal: true` (tf.keras ≤ 2.9 config) hides later value steps from each query step. Weights, in Keras's
 * order: `scale` (scalar, use_scale) then `concat_score_weight` (scalar, concat mode). Rank-2 inputs are
 * multiplied as matrices, as tf.matmul does in Keras. Dropout on the scores applies only in training (not here).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {LayerVariable, Shape} from '@tensorflow/tfjs-layers'
import {BackendError} from '../../errors.js'
import type {Tfjs} from '../runtime.js'
import type {ConfigDict, Kwargs, RegisteredClass} from './util.js'

/** Defines the class against the loaded tfjs-layers. */
export function defineAttention(tf: Tfjs): Record<'Attention', RegisteredClass> {
  const {core} = tf
  const ones = tf.layers.initializers.ones()

  class Attention extends tf.layers.layers.Layer {
    static className = 'Attention'
    readonly useScale: boolean
    readonly concat: boolean
    readonly causal: boolean
    readonly dropout: number
    scale: LayerVariable | null = null
    concatScoreWeight: LayerVariable | null = null
    constructor(args: ConfigDict) {
      super(args)
      this.useScale = args.useScale === true
      this.concat = args.scoreMode === 'concat'
      this.causal = args.causal === true
      this.dropout = typeof args.dropout === 'number' ? args.dropout : 0
    }
    override build(_inputShape: Shape | Shape[]): void {
      if (this.useScale) this.scale = this.addWeight('scale', [], 'float32', ones)
      if (this.concat) this.concatScoreWeight = this.addWeight('concat_score_weight', [], 'float32', ones)
      this.built = true
    }
    override computeOutputShape(shape: Shape | Shape[]): Shape {
      const shapes = shape as Shape[]
      const query = shapes[0]
      const value = shapes[1]
      if (!Array.isArray(query) || !Array.isArray(value)) throw new BackendError('KM_BACKEND_SHAPE', `Layer '${this.name}' (Attention) needs [query, value] or [query, value, key] inputs.`)
      return [...query.slice(0, -1), value[value.length - 1] ?? null]
    }
    private scores(query: Tensor, key: Tensor): Tensor {
      const scale = this.scale?.read()
      if (!this.concat) {
        const dot = core.matMul(query, key, false, true)
        return scale === undefined ? dot : core.mul(dot, scale)
      }
      const sum = core.add(core.expandDims(query, -2), core.expandDims(key, -3))
      const inner = scale === undefined ? sum : core.mul(sum, scale)
      const weight = this.concatScoreWeight?.read() ?? core.scalar(1)
      return core.mul(weight, core.sum(core.tanh(inner), -1))
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
      return core.tidy(() => {
        const list = Array.isArray(inputs) ? inputs : [inputs]
        const [query, value, key = value] = list
        if (query === undefined || value === undefined || key === undefined || list.length > 3) {
          throw new BackendError('KM_BACKEND_CALL', `Layer '${this.name}' (Attention) needs [query, value] or [query, value, key], got ${list.length} input(s).`)
        }
        let scores = this.scores(query, key)
        if (this.causal) {
          const [tq = 1, tv = 1] = scores.shape.slice(-2)
          const hidden = core.sub(1, core.linalg.bandPart(core.ones([tq, tv]), -1, 0))
          scores = core.sub(scores, core.mul(hidden, 1e9))
        }
        return core.matMul(core.softmax(scores), value)
      })
    }
    override getConfig(): ConfigDict {
      return {...super.getConfig(), useScale: this.useScale, scoreMode: this.concat ? 'concat' : 'dot', causal: this.causal, dropout: this.dropout}
    }
  }
  return {Attention}
}
