/**
 * kmodel as a library (package `kmodel-cli`): the same core the CLI uses, without oclif. An ES module with its
 * types; `require('kmodel-cli')` works where Node can require ES modules (20.19+, 22.12+) and says to use
 * `import()` where it cannot (index.cjs). Every options argument may be left out: each has Keras's default.
 *
 *   import {readModel, summarize, renderTable} from 'kmodel-cli'
 *   const {model} = await readModel('model.h5')
 *   console.log(renderTable(summarize(model)))
 *
 * Errors are KmodelError subclasses with a stable `code` (KM_*), an `exit` code and a `hint`.
 */
import type {ModelSpec} from './core/model/spec.js'
import {loadInto as loadIntoCore, type LoadResult} from './core/weights/load.js'
import {matchWeights as matchWeightsCore, type Assignment, type ExpectedLayer, type MatchOptions, type MatchReport} from './core/weights/match.js'
import type {WeightsFile} from './core/weights/types.js'
import {writeWeightsH5 as writeWeightsH5Core, type WriteWeightsOptions} from './core/weights/write-h5.js'

export {readModel, type ModelBytes, type ReadResult} from './core/read.js'
export {summarize} from './core/graph/summarize.js'
export type {ModelSummary, SummaryRow, WeightInfo, OutputShape, Dim} from './core/graph/summary-types.js'
export {convertModel, type Converted} from './core/model/dialect.js'
export {validateModel, type Validation, type Issue} from './core/model/validate.js'
export {checkModelFile, type FileCheck} from './core/check.js'
export type {ModelSpec, LayerSpec, GraphSpec, NodeSpec, TensorRef, Dialect} from './core/model/spec.js'
export {renderKerasText, renderTable, summaryToJson, defaultKerasStyle, type KerasStyle, type KerasTextOptions, type TableOptions} from './core/render/index.js'
export {readWeights, type ReadWeightsOptions} from './core/weights/read.js'
export {retarget, type LoadResult} from './core/weights/load.js'
export type {MatchReport, ExpectedLayer, MatchOptions, Assignment} from './core/weights/match.js'
export type {WriteWeightsOptions} from './core/weights/write-h5.js'
export type {WeightsFile, LayerWeights, WeightTensor} from './core/weights/types.js'
export {diffModels, type DiffResult} from './core/diff.js'
export {predict, readInputArrays, type PredictOptions} from './core/predict.js'
export {KmodelError, UsageError, InputError, FormatError, WeightsError, BackendError, InternalError, type ExitCode} from './core/errors.js'

/** `model.load_weights()`: by topological order unless `byName`; a mismatch fails unless `skipMismatch`. */
export function loadInto(model: ModelSpec, file: WeightsFile, opts: Partial<{byName: boolean; skipMismatch: boolean}> = {}): LoadResult {
  return loadIntoCore(model, file, {byName: opts.byName ?? false, skipMismatch: opts.skipMismatch ?? false})
}

/** Pairs a weights file's layers with the model's: by order unless `mode: 'name'`; no skip_mismatch unless asked. */
export function matchWeights(model: ExpectedLayer[], file: WeightsFile, opts: Partial<MatchOptions> = {}): {assignments: Assignment[]; report: MatchReport} {
  return matchWeightsCore(model, file, {...opts, mode: opts.mode ?? 'order', skipMismatch: opts.skipMismatch ?? false})
}

/**
 * `save_weights()`: the layout Keras picks from the name (`.weights.h5` → Keras 3, else the legacy Keras 2
 * `.h5`) unless `layout` is given; an existing file is refused (KM_USAGE_OUTPUT_EXISTS) unless `force`.
 */
export async function writeWeightsH5(path: string, file: WeightsFile, opts: Partial<WriteWeightsOptions> = {}): Promise<void> {
  const layout = opts.layout ?? (path.toLowerCase().endsWith('.weights.h5') ? 'keras3' : 'keras2')
  return writeWeightsH5Core(path, file, {...opts, layout, force: opts.force ?? false})
}
