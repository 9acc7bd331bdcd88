/**
 * The time loop of every recurrent layer, written from Keras's `backend.rnn` (keras/src/backend/tensorflow/rnn.py
 * and tf_keras backend.rnn, which agree):
 * - the steps run in processing order (reversed when `go_backwards`), and the sequence output stays in that
 *   order (Keras returns a backwards layer's outputs reversed);
 * - at a masked step the states keep their previous values and the output repeats the previous step's output
 *   (zeros before the first step), or is zeros when `zero_output_for_mask` (set by Bidirectional to
 *   `return_sequences`);
 * - the unrolled loop applies `zero_output_for_mask` after the loop with the mask in its original time order,
 *   also when the steps ran backwards: kmodel reproduces that (it is what Keras computes for such a file).
 */
import type {Tensor} from '@tensorflow/tfjs-core'
import type {Core} from '../backend/runtime.js'
import type {StepFn} from './rnn-common.js'

/** What the loop needs besides the step function. */
export interface LoopOptions {
  /** The step inputs in time order (index 0 = the first time step): each step's per-gate tensors (batch, …). */
  steps: Tensor[][]
  /** Initial states, each (batch, …). */
  initial: Tensor[]
  /** The mask in time order, one bool (batch) tensor per step, or null. */
  mask: Tensor[] | null
  goBackwards: boolean
  unroll: boolean
  zeroOutputForMask: boolean
}

/** The loop's results: the last output, every output in processing order, the final states. */
export interface LoopResult {
  last: Tensor
  outputs: Tensor[]
  states: Tensor[]
}

/** A (batch) bool mask reshaped to broadcast against a (batch, …) tensor of rank `rank`. */
function expandMask(tf: Core, mask: Tensor, rank: number): Tensor {
  return rank <= 1 ? mask : tf.reshape(mask, [mask.shape[0] ?? 1, ...Array.from({length: rank - 1}, () => 1)])
}

/** `tf.where(mask, a, b)` with the (batch) mask broadcast over a's trailing axes. */
function select(tf: Core, mask: Tensor, a: Tensor, b: Tensor): Tensor {
  return tf.where(expandMask(tf, mask, a.rank), a, b)
}

/**
 * Runs `step` over the time steps the way Keras's backend.rnn does (see the module comment). Throws nothing of
 * its own: the caller checks the inputs.
 */
export function runLoop(tf: Core, step: StepFn, options: LoopOptions): LoopResult {
  const order = options.steps.map((_, i) => i)
  if (options.goBackwards) order.reverse()
  let states = options.initial
  let previous: Tensor | undefined
  const outputs: Tensor[] = []
  for (const t of order) {
    const input = options.steps[t] as Tensor[]
    const next = step(input, states)
    const mask = options.mask?.[t]
    if (mask === undefined) {
      states = next.states
      outputs.push(next.output)
      previous = next.output
      continue
    }
    // The unrolled loop repeats the previous output and zeroes afterwards; the while loop zeroes at once.
    const held = options.zeroOutputForMask && !options.unroll ? tf.zerosLike(next.output) : previous ?? tf.zerosLike(next.output)
    const output = select(tf, mask, next.output, held)
    states = next.states.map((s, i) => select(tf, mask, s, states[i] as Tensor))
    outputs.push(output)
    previous = output
  }
  if (options.mask !== null && options.zeroOutputForMask && options.unroll) return zeroUnrolled(tf, options.mask, order, outputs, states)
  return {last: outputs[outputs.length - 1] as Tensor, outputs, states}
}

/**
 * The unrolled loop's `zero_output_for_mask`: the last output is zeroed with the last processed step's mask,
 * the sequence with the mask in original time order (processing step i meets mask step i).
 */
function zeroUnrolled(tf: Core, mask: Tensor[], order: number[], outputs: Tensor[], states: Tensor[]): LoopResult {
  const lastStep = order[order.length - 1] as number
  const lastOutput = outputs[outputs.length - 1] as Tensor
  const last = select(tf, mask[lastStep] as Tensor, lastOutput, tf.zerosLike(lastOutput))
  const zeroed = outputs.map((o, i) => select(tf, mask[i] as Tensor, o, tf.zerosLike(o)))
  return {last, outputs: zeroed, states}
}
