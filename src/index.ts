/**
 * kmodel as a library: the same core the CLI uses, without oclif.
 *
 *   import {readModel, summarize} from 'kmodel'
 *   const {model} = await readModel('model.h5')
 *   console.log(summarize(model).total_params)
 */
export {readModel, type ModelBytes, type ReadResult} from './core/read.js'
export {summarize} from './core/graph/summarize.js'
export type {ModelSummary, SummaryRow, WeightInfo, OutputShape, Dim} from './core/graph/summary-types.js'
export {convertModel, type Converted} from './core/model/dialect.js'
export {validateModel, type Validation, type Issue} from './core/model/validate.js'
export {checkModelFile, type FileCheck} from './core/check.js'
export type {ModelSpec, LayerSpec, GraphSpec, NodeSpec, TensorRef, Dialect} from './core/model/spec.js'
export {renderKerasText, renderTable, summaryToJson, defaultKerasStyle, type KerasStyle} from './core/render/index.js'
export {readWeights} from './core/weights/read.js'
export {loadInto, retarget, type LoadResult} from './core/weights/load.js'
export {matchWeights, type MatchReport, type ExpectedLayer} from './core/weights/match.js'
export {writeWeightsH5, type WriteWeightsOptions} from './core/weights/write-h5.js'
export type {WeightsFile, LayerWeights, WeightTensor} from './core/weights/types.js'
export {diffModels, type DiffResult} from './core/diff.js'
export {predict, readInputArrays} from './core/predict.js'
export {KmodelError, InputError, FormatError, WeightsError, BackendError, InternalError} from './core/errors.js'
