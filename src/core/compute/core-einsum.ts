/**
 * Two-operand einsum over tfjs-core (whose own einsum refuses most of EinsumDense's equations), as TensorFlow
 * computes it: each operand's axes are classified — batch (in both operands and the output), contracted (in both,
 * not the output), free (in one operand and the output), summed away (in one operand only) — then the operands
 * are transposed and reshaped to [batch, free, contracted] × [batch, contracted, free], multiplied, and the
 * product is reshaped and transposed to the output's order. An ellipsis (`...`) in the input and output stands for
 * the input's dimensions the spec does not name (EinsumDense's `...ab,bc->...ac` and `ab...,bc->ac...`).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import type {Core} from '../backend/runtime.js'

function problem(equation: string, why: string): BackendError {
  return new BackendError('KM_BACKEND_UNSUPPORTED_ARGUMENT', `Layer class EinsumDense: argument 'equation' = ${JSON.stringify(equation)} is not computed by kmodel (${why}).`, {
    hint: 'Keras accepts "ab,bc->ac", "...ab,bc->...ac" and "ab...,bc->ac..." forms with two operands.',
  })
}

/** A spec's axis labels, the ellipsis expanded to `elided` labels of its own (`#0`, `#1`, …). */
function labels(spec: string, elided: number): string[] {
  const parts = spec.split('...')
  if (parts.length > 2) return []
  const dots = Array.from({length: Math.max(elided, 0)}, (_, i) => `#${i}`)
  return parts.length === 1 ? [...spec] : [...(parts[0] ?? ''), ...dots, ...(parts[1] ?? '')]
}

/** Where `labels` sit in `order`. */
const positions = (order: readonly string[], of: readonly string[]): number[] => of.map((l) => order.indexOf(l))

/** Sums away the axes whose labels appear nowhere else; returns the reduced tensor and its labels. */
function sumAway(tf: Core, t: Tensor, own: string[], keep: (l: string) => boolean): [Tensor, string[]] {
  const drop = own.map((l, i) => (keep(l) ? -1 : i)).filter((i) => i >= 0)
  if (drop.length === 0) return [t, own]
  return [tf.sum(t, drop), own.filter((l) => keep(l))]
}

const size = (t: Tensor, own: readonly string[], group: readonly string[]): number =>
  group.reduce((n, l) => n * (t.shape[own.indexOf(l)] ?? 1), 1)

/** `equation` applied to (x, kernel), as tf.einsum / keras.ops.einsum compute it. */
export function einsum2(tf: Core, equation: string, x: Tensor, kernel: Tensor): Tensor {
  const eq = equation.replace(/\s/g, '')
  const m = /^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]*)$/.exec(eq)
  if (m === null) throw problem(equation, 'not of the form input,kernel->output')
  const [inSpec, kSpec, outSpec] = [m[1] ?? '', m[2] ?? '', m[3] ?? '']
  const named = inSpec.replace('...', '').length
  const elided = x.rank - named
  let xl = labels(inSpec, elided)
  let kl = labels(kSpec, 0)
  const ol = labels(outSpec, elided)
  if (xl.length !== x.rank || kl.length !== kernel.rank) throw problem(equation, `the specs do not fit an input of rank ${x.rank} and a kernel of rank ${kernel.rank}`)
  for (const spec of [xl, kl, ol]) if (new Set(spec).size !== spec.length) throw problem(equation, 'a label repeats within one operand (a diagonal)')
  if (ol.some((l) => !xl.includes(l) && !kl.includes(l))) throw problem(equation, 'an output label is in neither operand')
  let xt = x
  let kt = kernel
  ;[xt, xl] = sumAway(tf, xt, xl, (l) => kl.includes(l) || ol.includes(l))
  ;[kt, kl] = sumAway(tf, kt, kl, (l) => xl.includes(l) || ol.includes(l))
  const batch = ol.filter((l) => xl.includes(l) && kl.includes(l))
  const contract = xl.filter((l) => kl.includes(l) && !ol.includes(l))
  const freeX = xl.filter((l) => !kl.includes(l))
  const freeK = kl.filter((l) => !xl.includes(l))
  const [b, c, fx, fk] = [size(xt, xl, batch), size(xt, xl, contract), size(xt, xl, freeX), size(kt, kl, freeK)]
  const a3 = tf.reshape(tf.transpose(xt, positions(xl, [...batch, ...freeX, ...contract])), [b, fx, c])
  const k3 = tf.reshape(tf.transpose(kt, positions(kl, [...batch, ...contract, ...freeK])), [b, c, fk])
  const product = tf.matMul(a3, k3)
  const dims = [...batch, ...freeX].map((l) => xt.shape[xl.indexOf(l)] ?? 1).concat(freeK.map((l) => kt.shape[kl.indexOf(l)] ?? 1))
  const order = [...batch, ...freeX, ...freeK]
  return tf.transpose(tf.reshape(product, dims), positions(order, ol))
}
