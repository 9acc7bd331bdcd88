/**
 * Summary renderers: Keras-faithful text (`--format keras`), kmodel's own table (default) and the
 * `--json` result. All are pure functions of a `ModelSummary`; none touches the terminal.
 */
export {summaryToJson, type OutputShapeJson, type SummaryLayerResult, type SummaryResult, type SummarySource} from './json.js'
export {defaultKerasStyle, KERAS_STYLES, type KerasStyle, type KerasTextOptions, renderKerasText} from './keras-text.js'
export {renderTable, type TableOptions} from './table.js'
