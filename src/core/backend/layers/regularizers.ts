/**
 * The `L1` and `L2` regularizer class names tf.keras ≥ 2.3 and Keras 3 write (`keras.regularizers.l2(0.01)`
 * serialises as `{"class_name": "L2", "config": {"l2": 0.01}}`); tfjs registers only `L1L2`
 * (KERAS-REFERENCE §5.2). Both deserialise to tfjs's L1L2 with the other factor zero — the same penalty.
 */
import type {serialization} from '@tensorflow/tfjs-core'
import type {Tfjs} from '../runtime.js'
import type {ConfigDict, RegisteredClass} from './util.js'

/** Keras's default factor for `l1()` / `l2()` without an argument. */
const DEFAULT_FACTOR = 0.01

function factor(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_FACTOR
}

/** Defines the regularizer name classes against the loaded tfjs. */
export function defineRegularizers(tf: Tfjs): Record<'L1' | 'L2', RegisteredClass> {
  const {Serializable} = tf.core.serialization
  const l1l2 = tf.layers.regularizers.l1l2

  /** `{"class_name": "L1", "config": {"l1": f}}` → L1L2(l1 = f, l2 = 0). */
  class L1 extends Serializable {
    static className = 'L1'
    override getConfig(): ConfigDict {
      return {l1: DEFAULT_FACTOR}
    }
    static override fromConfig<T extends serialization.Serializable>(_cls: serialization.SerializableConstructor<T>, config: ConfigDict): T {
      return l1l2({l1: factor(config.l1), l2: 0}) as unknown as T
    }
  }

  /** `{"class_name": "L2", "config": {"l2": f}}` → L1L2(l1 = 0, l2 = f). */
  class L2 extends Serializable {
    static className = 'L2'
    override getConfig(): ConfigDict {
      return {l2: DEFAULT_FACTOR}
    }
    static override fromConfig<T extends serialization.Serializable>(_cls: serialization.SerializableConstructor<T>, config: ConfigDict): T {
      return l1l2({l1: 0, l2: factor(config.l2)}) as unknown as T
    }
  }

  return {L1, L2}
}
