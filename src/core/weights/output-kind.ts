/**
 * What a file name asks for. Keras chooses its loader by extension, so kmodel chooses what it writes the same
 * way, in this one place (save, save-weights, load-weights -o, train -o and checkpoints):
 *
 *   m.keras          the Keras 3 zip (a whole model)
 *   w.weights.h5     Keras 3's weights layout (Keras 3 save_weights / load_weights require this name)
 *   w.h5, w.hdf5     the legacy save_weights layout (tf.keras picks it for any other .h5), or for `save` the
 *                    legacy full-model file (model.save('m.h5'))
 *   out/             a folder: a TensorFlow.js layers model (save only)
 *
 * A `--layout` that disagrees with the name is refused, never written: Keras would pick the other loader and
 * fail on the file.
 */
import {KmodelError} from '../errors.js'
import type {OutputLayout} from './save.js'

/** What a weights output (save-weights, load-weights -o, train -o) becomes. */
export type WeightsOutput = {kind: 'weights'; layout: OutputLayout} | {kind: 'model'}

/** What `kmodel save` writes. */
export type ModelOutputFormat = 'keras' | 'h5' | 'tfjs'

const LIST = '.keras (whole model), .weights.h5 (Keras 3 weights), .h5 / .hdf5 (legacy weights)'

function usage(code: string, message: string, hint: string): KmodelError {
  return new KmodelError(message, {code, exit: 2, hint})
}

/** The extension as Keras tests it: `.weights.h5`, `.h5`, `.hdf5`, `.keras`, or null. */
export function kerasExtension(path: string): '.weights.h5' | '.h5' | '.hdf5' | '.keras' | null {
  const name = path.toLowerCase()
  if (name.endsWith('.weights.h5')) return '.weights.h5'
  for (const ext of ['.h5', '.hdf5', '.keras'] as const) if (name.endsWith(ext)) return ext
  return null
}

/** The layout a weights file name asks for (`.weights.h5` → keras3, other `.h5`/`.hdf5` → keras2), else null. */
export function layoutOfName(path: string): OutputLayout | null {
  const ext = kerasExtension(path)
  return ext === '.weights.h5' ? 'keras3' : ext === '.h5' || ext === '.hdf5' ? 'keras2' : null
}

/**
 * What a weights output named `path` becomes. `explicit` is the `--layout` the user gave (undefined: from the
 * name). `allowModel`: a `.keras` name writes the whole model (load-weights -o, train -o); otherwise it is
 * refused with a pointer to `kmodel save`. KmodelError KM_USAGE_OUTPUT_* (exit 2) for names Keras would not
 * load as the layout asked for.
 */
export function weightsOutput(path: string, explicit: OutputLayout | undefined, flag: string, allowModel: boolean): WeightsOutput {
  const ext = kerasExtension(path)
  if (ext === '.keras') {
    if (!allowModel) throw usage('KM_USAGE_OUTPUT_KIND', `${flag} ${path} names a whole .keras model, not a weights file.`, 'Use \'kmodel save MODEL -o model.keras\' for a .keras file, or name the weights file .weights.h5 or .h5.')
    if (explicit !== undefined) throw usage('KM_USAGE_LAYOUT_EXTENSION', `--layout ${explicit} applies to weights files; ${path} is a whole .keras model.`, 'Drop --layout, or name the output .weights.h5 (keras3) or .h5 (keras2).')
    return {kind: 'model'}
  }
  const named = layoutOfName(path)
  if (named === null) {
    throw usage('KM_USAGE_OUTPUT_EXTENSION', `${flag} ${path} has no extension Keras loads weights from.`, `Name it ${allowModel ? LIST : '.weights.h5 (Keras 3 layout) or .h5 / .hdf5 (legacy layout)'}.`)
  }
  if (explicit !== undefined && explicit !== named) {
    const hint = explicit === 'keras3' ? 'Keras loads a .h5 as the legacy layout: name the output *.weights.h5 for keras3, or drop --layout.' : 'Keras 3 loads *.weights.h5 as its own layout: name the output *.h5 without .weights for keras2, or drop --layout.'
    throw usage('KM_USAGE_LAYOUT_EXTENSION', `--layout ${explicit} disagrees with the name ${path}, which Keras reads as the ${named} layout.`, hint)
  }
  return {kind: 'weights', layout: named}
}

/**
 * What `kmodel save` writes to `path`: `.keras` → the Keras 3 zip, `.h5`/`.hdf5` → the legacy full model,
 * a folder (`path` ending in `/`, an existing folder, or `tfjs` asked for) → TensorFlow.js. `*.weights.h5`
 * and other names are refused (exit 2) with the list.
 */
export function modelOutputFormat(path: string, opts: {isFolder: boolean; tfjs: boolean}): ModelOutputFormat {
  if (opts.tfjs || opts.isFolder || /[/\\]$/.test(path)) return 'tfjs'
  const ext = kerasExtension(path)
  if (ext === '.keras') return 'keras'
  if (ext === '.h5' || ext === '.hdf5') return 'h5'
  const hint = 'Name the output .keras (Keras 3 model), .h5 / .hdf5 (legacy full model), or a folder ending in / (TensorFlow.js; or --format tfjs).'
  if (ext === '.weights.h5') throw usage('KM_USAGE_OUTPUT_KIND', `-o ${path} names a Keras 3 weights file, not a whole model.`, `Use 'kmodel save-weights' for .weights.h5. ${hint}`)
  throw usage('KM_USAGE_OUTPUT_EXTENSION', `-o ${path} has no extension Keras loads a model from.`, hint)
}
