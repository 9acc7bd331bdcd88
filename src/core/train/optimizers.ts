/**
 * Keras's optimizer updates in tfjs-core ops. kmodel keeps its own rather than tfjs's `tf.train.*` because
 * tfjs has no AdamW, no Keras 1/2 `decay`, no `weight_decay` / `clipnorm` / `clipvalue`, and places Adam's
 * ε and RMSprop's square root differently. The rules (standard, as the Keras docs state them), with
 * g the gradient, t the 1-based step and lr the (decayed) learning rate:
 *
 *   sgd       m ← μ·m − lr·g;  w ← w + m (nesterov: w ← w + μ·m − lr·g); μ = 0: w ← w − lr·g
 *   adam      m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  (amsgrad: v̂ ← max(v̂, v))
 *             w ← w − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)
 *   adamw     w ← w − lr·λ·w, then adam (decoupled weight decay, Loshchilov & Hutter)
 *   rmsprop   v ← ρ·v + (1−ρ)·g²;  (centered: a ← ρ·a + (1−ρ)·g, d = v − a²) else d = v
 *             Δ = lr·g / √(d + ε);  momentum: m ← μ·m + Δ, w ← w − m; else w ← w − Δ
 *             legacy (Keras 1/2, tf-keras before 2.11) without momentum: Δ = lr·g / (√d + ε)
 *   adagrad   s ← s + g² (s starts at initial_accumulator_value);  w ← w − lr·g / √(s + ε)
 *             legacy (ResourceApplyAdagradV2, Keras 1/2): w ← w − lr·g / (√s + ε)
 *   adadelta  s ← ρ·s + (1−ρ)·g²;  Δ = −√(d + ε)/√(s + ε) · g;  d ← ρ·d + (1−ρ)·Δ²;  w ← w + lr·Δ
 *   adamax    m ← β1·m + (1−β1)·g;  u ← max(β2·u, |g|);  w ← w − lr/(1−β1ᵗ) · m / (u + ε)
 *
 * The legacy optimizers' other rules (TensorFlow's ResourceApplyKerasMomentum, ResourceApplyAdam, the
 * momentum and centered RMSprop kernels, ResourceApplyAdadelta, ResourceApplyAdaMax) are the ones above.
 *
 * Every optimizer also takes Keras 3's `weight_decay` (applied as for adamw) and Keras 1/2's `decay`
 * (lr / (1 + decay·iterations)); gradients are clipped first (`global_clipnorm`, `clipnorm`, `clipvalue`).
 */
import type {Tensor, Variable} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import type {OptimizerSpec} from './optimizer-spec.js'

/** Applies one update to every trainable variable. */
export interface Optimizer {
  /** `iteration`: updates already applied (0 for the first). Disposes nothing it was given. */
  apply(vars: readonly Variable[], grads: readonly Tensor[], iteration: number): void
  dispose(): void
}

type Slots = Variable[]
type Rule = (tf: Core, w: Tensor, g: Tensor, s: Slots, lr: number, t: number) => Tensor

/** Number of state tensors (slots) per variable, and each slot's initial value. */
const SLOTS: Record<OptimizerSpec['name'], (spec: OptimizerSpec) => number[]> = {
  sgd: (s) => (s.momentum > 0 ? [0] : []),
  adam: (s) => (s.amsgrad ? [0, 0, 0] : [0, 0]),
  adamw: (s) => (s.amsgrad ? [0, 0, 0] : [0, 0]),
  rmsprop: (s) => [0, ...(s.centered ? [0] : []), ...(s.momentum > 0 ? [0] : [])],
  adagrad: (s) => [s.initialAccumulator],
  adadelta: () => [0, 0],
  adamax: () => [0, 0],
}

function sgd(spec: OptimizerSpec): Rule {
  return (tf, w, g, [m], lr) => {
    if (m === undefined) return tf.sub(w, tf.mul(g, lr))
    const next = tf.sub(tf.mul(m, spec.momentum), tf.mul(g, lr))
    m.assign(next)
    return spec.nesterov ? tf.add(w, tf.sub(tf.mul(next, spec.momentum), tf.mul(g, lr))) : tf.add(w, next)
  }
}

function adam(spec: OptimizerSpec): Rule {
  return (tf, w, g, [m, v, vhat], lr, t) => {
    if (m === undefined || v === undefined) throw new Error('adam: missing slots')
    m.assign(tf.add(tf.mul(m, spec.beta1), tf.mul(g, 1 - spec.beta1)))
    v.assign(tf.add(tf.mul(v, spec.beta2), tf.mul(tf.square(g), 1 - spec.beta2)))
    let denom: Tensor = v
    if (vhat !== undefined) {
      vhat.assign(tf.maximum(vhat, v))
      denom = vhat
    }
    const alpha = (lr * Math.sqrt(1 - spec.beta2 ** t)) / (1 - spec.beta1 ** t)
    return tf.sub(w, tf.mul(tf.div(m, tf.add(tf.sqrt(denom), spec.epsilon)), alpha))
  }
}

function rmsprop(spec: OptimizerSpec): Rule {
  return (tf, w, g, slots, lr) => {
    const [v, ...rest] = slots
    if (v === undefined) throw new Error('rmsprop: missing slots')
    v.assign(tf.add(tf.mul(v, spec.rho), tf.mul(tf.square(g), 1 - spec.rho)))
    let denom: Tensor = v
    const a = spec.centered ? rest.shift() : undefined
    if (a !== undefined) {
      a.assign(tf.add(tf.mul(a, spec.rho), tf.mul(g, 1 - spec.rho)))
      denom = tf.sub(v, tf.square(a))
    }
    const m = rest[0]
    // tf-keras legacy RMSprop without momentum is Python (ε after the root); with momentum, TF's kernels (ε inside)
    const root = spec.legacy && m === undefined ? tf.add(tf.sqrt(denom), spec.epsilon) : tf.sqrt(tf.add(denom, spec.epsilon))
    const step = tf.div(tf.mul(g, lr), root)
    if (m === undefined) return tf.sub(w, step)
    m.assign(tf.add(tf.mul(m, spec.momentum), step))
    return tf.sub(w, m)
  }
}

const RULES: Record<OptimizerSpec['name'], (spec: OptimizerSpec) => Rule> = {
  sgd,
  adam,
  adamw: adam,
  rmsprop,
  adagrad: (spec) => (tf, w, g, [s], lr) => {
    if (s === undefined) throw new Error('adagrad: missing slot')
    s.assign(tf.add(s, tf.square(g)))
    const root = spec.legacy ? tf.add(tf.sqrt(s), spec.epsilon) : tf.sqrt(tf.add(s, spec.epsilon))
    return tf.sub(w, tf.div(tf.mul(g, lr), root))
  },
  adadelta: (spec) => (tf, w, g, [s, d], lr) => {
    if (s === undefined || d === undefined) throw new Error('adadelta: missing slots')
    s.assign(tf.add(tf.mul(s, spec.rho), tf.mul(tf.square(g), 1 - spec.rho)))
    const delta = tf.mul(tf.neg(g), tf.div(tf.sqrt(tf.add(d, spec.epsilon)), tf.sqrt(tf.add(s, spec.epsilon))))
    d.assign(tf.add(tf.mul(d, spec.rho), tf.mul(tf.square(delta), 1 - spec.rho)))
    return tf.add(w, tf.mul(delta, lr))
  },
  adamax: (spec) => (tf, w, g, [m, u], lr, t) => {
    if (m === undefined || u === undefined) throw new Error('adamax: missing slots')
    m.assign(tf.add(tf.mul(m, spec.beta1), tf.mul(g, 1 - spec.beta1)))
    u.assign(tf.maximum(tf.mul(u, spec.beta2), tf.abs(g)))
    return tf.sub(w, tf.mul(tf.div(m, tf.add(u, spec.epsilon)), lr / (1 - spec.beta1 ** t)))
  },
}

/** The gradients after Keras's clipping options (global norm, then per-variable norm, then value). */
function clipGradients(tf: Core, spec: OptimizerSpec, grads: readonly Tensor[]): Tensor[] {
  let out = [...grads]
  if (spec.globalClipnorm !== null) {
    const norm = Math.sqrt(out.reduce((s, g) => s + (tf.sum(tf.square(g)).dataSync()[0] ?? 0), 0))
    if (norm > spec.globalClipnorm) out = out.map((g) => tf.mul(g, spec.globalClipnorm as number / norm))
  }
  if (spec.clipnorm !== null) {
    const limit = spec.clipnorm
    out = out.map((g) => tf.mul(g, tf.div(limit, tf.maximum(tf.norm(g), limit))))
  }
  if (spec.clipvalue !== null) out = out.map((g) => tf.clipByValue(g, -(spec.clipvalue as number), spec.clipvalue as number))
  return out
}

/** An optimizer for `spec`; its state (slots) lives in tfjs variables until dispose(). */
export function makeOptimizer(tf: Core, spec: OptimizerSpec): Optimizer {
  const rule = RULES[spec.name](spec)
  const slots = new Map<Variable, Slots>()
  const slotsOf = (w: Variable): Slots => {
    let s = slots.get(w)
    if (s === undefined) {
      s = SLOTS[spec.name](spec).map((init) => tf.variable(tf.fill(w.shape, init), false))
      slots.set(w, s)
    }
    return s
  }
  return {
    apply(vars, grads, iteration) {
      const lr = spec.decay > 0 ? spec.learningRate / (1 + spec.decay * iteration) : spec.learningRate
      tf.tidy(() => {
        const clipped = clipGradients(tf, spec, grads)
        vars.forEach((w, i) => {
          const g = clipped[i]
          if (g === undefined) return
          const decayed = spec.weightDecay > 0 ? tf.sub(w, tf.mul(w, lr * spec.weightDecay)) : w
          w.assign(rule(tf, decayed, g, slotsOf(w), lr, iteration + 1))
        })
      })
    },
    dispose() {
      for (const s of slots.values()) tf.dispose(s)
      slots.clear()
    },
  }
}
