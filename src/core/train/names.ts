/**
 * Keras's names for optimizers, losses and metrics → kmodel's canonical names. Keras accepts the same thing
 * under several spellings, and files carry all of them:
 *
 *   "mse" · "MSE" · "mean_squared_error" (Keras 1/2 strings) · "MeanSquaredError" (class names, Keras 2.x
 *   objects and Keras 3 `compile_config`) · "Custom>Adam" (tf.keras 2.11–2.15 optimizer_config)
 *
 * Lookup strips a `Custom>` / `keras.losses.`-style prefix, lower-cases and drops underscores, so each table
 * lists one key per spelling family. Pure: no tfjs here.
 */
import {FormatError} from '../errors.js'

/** Optimizers kmodel trains with (Keras names). */
export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const
/** A canonical optimizer name. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number]

/** Losses kmodel computes (Keras function names). */
export const LOSS_NAMES = [
  'mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_logarithmic_error',
  'huber', 'log_cosh', 'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy',
  'hinge', 'squared_hinge', 'categorical_hinge', 'kl_divergence', 'poisson', 'cosine_similarity',
] as const
/** A canonical loss name. */
export type LossName = (typeof LOSS_NAMES)[number]

/**
 * Metric functions. `accuracy` and `crossentropy` are resolved per output to their binary, categorical or
 * sparse variant (resolveVariant in metrics-resolve.ts), as Keras does for the strings 'accuracy'/'acc' and
 * 'crossentropy'/'ce'.
 */
export const METRIC_NAMES = [
  'accuracy', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy',
  'top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'crossentropy', ...LOSS_NAMES,
] as const
/** A canonical metric function name. */
export type MetricName = (typeof METRIC_NAMES)[number]

/** `Custom>Adam`, `keras.optimizers.Adam`, `Mean_Squared_Error` → `adam`, `meansquarederror`. */
export const lookupKey = (name: string): string => name.replace(/^.*[>.]/, '').replace(/_/g, '').toLowerCase()

const OPTIMIZER_ALIASES: Record<string, OptimizerName> = {
  sgd: 'sgd', adam: 'adam', adamw: 'adamw', rmsprop: 'rmsprop', adagrad: 'adagrad', adadelta: 'adadelta', adamax: 'adamax',
}

const LOSS_ALIASES: Record<string, LossName> = {
  mse: 'mean_squared_error', meansquarederror: 'mean_squared_error',
  mae: 'mean_absolute_error', meanabsoluteerror: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error', meanabsolutepercentageerror: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error', meansquaredlogarithmicerror: 'mean_squared_logarithmic_error',
  huber: 'huber', huberloss: 'huber', logcosh: 'log_cosh',
  binarycrossentropy: 'binary_crossentropy', categoricalcrossentropy: 'categorical_crossentropy',
  sparsecategoricalcrossentropy: 'sparse_categorical_crossentropy',
  hinge: 'hinge', squaredhinge: 'squared_hinge', categoricalhinge: 'categorical_hinge',
  kld: 'kl_divergence', kldivergence: 'kl_divergence', kullbackleiblerdivergence: 'kl_divergence',
  poisson: 'poisson', cosinesimilarity: 'cosine_similarity', cosineproximity: 'cosine_similarity', cosine: 'cosine_similarity',
}

const METRIC_ALIASES: Record<string, MetricName> = {
  ...LOSS_ALIASES,
  accuracy: 'accuracy', acc: 'accuracy', binaryaccuracy: 'binary_accuracy', categoricalaccuracy: 'categorical_accuracy',
  sparsecategoricalaccuracy: 'sparse_categorical_accuracy', topkcategoricalaccuracy: 'top_k_categorical_accuracy',
  sparsetopkcategoricalaccuracy: 'sparse_top_k_categorical_accuracy', crossentropy: 'crossentropy', ce: 'crossentropy',
}

/** The spellings users type, for error messages. */
const KNOWN_LOSSES = 'mse, mae, mape, msle, huber, log_cosh, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge, squared_hinge, categorical_hinge, kld, poisson, cosine_similarity'
const KNOWN_METRICS = `accuracy (acc), binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, crossentropy, and every loss (${KNOWN_LOSSES})`

function unknown(kind: 'optimizer' | 'loss' | 'metric', name: string, where: string, known: string): FormatError {
  const plural = kind === 'loss' ? 'losses' : `${kind}s`
  return new FormatError(`KM_FORMAT_UNKNOWN_${kind.toUpperCase()}`, `Unknown ${kind} '${name}' ${where}.`, {hint: `Known ${plural}: ${known}.`})
}

/** The canonical optimizer for a Keras name; FormatError KM_FORMAT_UNKNOWN_OPTIMIZER listing the known ones. */
export function optimizerName(name: string, where: string): OptimizerName {
  const found = OPTIMIZER_ALIASES[lookupKey(name)]
  if (found === undefined) throw unknown('optimizer', name, where, OPTIMIZER_NAMES.join(', '))
  return found
}

/** The canonical loss for a Keras name; FormatError KM_FORMAT_UNKNOWN_LOSS listing the known ones. */
export function lossName(name: string, where: string): LossName {
  const found = LOSS_ALIASES[lookupKey(name)]
  if (found === undefined) throw unknown('loss', name, where, KNOWN_LOSSES)
  return found
}

/** The canonical metric for a Keras name, or FormatError KM_FORMAT_UNKNOWN_METRIC listing the known ones. */
export function metricName(name: string, where: string): MetricName {
  const found = METRIC_ALIASES[lookupKey(name)]
  if (found === undefined) throw unknown('metric', name, where, KNOWN_METRICS)
  return found
}
