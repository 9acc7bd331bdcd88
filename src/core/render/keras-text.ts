/**
 * `kmodel summary --format keras`: the summary exactly as `model.summary()` of a given Keras generation
 * prints it, byte for byte apart from trailing spaces (checked against real notebook outputs).
 * Pure: no terminal, no colour. Which generation to imitate comes from `defaultKerasStyle(keras_version)`
 * unless the user picks one.
 */
import type {ModelSummary} from '../graph/summary-types.js'
import {renderClassic} from './keras-classic.js'
import type {KerasTextOptions} from './keras-common.js'
import {defaultKerasStyle} from './keras-style.js'
import {renderKeras3} from './keras3.js'
import {renderWrapped} from './keras-wrapped.js'
import {terminalSafeSummary} from './sanitize.js'

export type {KerasTextOptions} from './keras-common.js'
export {defaultKerasStyle, KERAS_STYLES, type KerasStyle} from './keras-style.js'

/**
 * Renders `summary` as Keras's `model.summary()` text, lines joined by `\n`, no final newline.
 * Row contents are the engine's: the renderer prints every row it is given (the engine hides a
 * Sequential's InputLayer, as Keras does). Unknown shapes print `?`, unknown params `?`, and when
 * `params_exact` is false each totals line says `at least` before its number (Keras never has this case).
 * `expandNested` / `showTrainable` follow Keras 2.7+/2.8+ and Keras 3; in the classic style they are
 * kmodel extensions (see keras-classic.ts). Names from the file are shown terminal-safe (sanitize.ts), escaped
 * before any column is measured. Without a `style`, the one of the Keras generation that wrote the file.
 */
export function renderKerasText(file: ModelSummary, options: Partial<KerasTextOptions> = {}): string {
  const summary = terminalSafeSummary(file)
  const opts: KerasTextOptions = {...options, style: options.style ?? defaultKerasStyle(file.keras_version)}
  switch (opts.style) {
    case '2.6': {
      return renderClassic(summary, opts).join('\n')
    }

    case '2.12':
    case '2.13': {
      return renderWrapped(summary, opts, opts.style).join('\n')
    }

    case '3': {
      return renderKeras3(summary, opts).join('\n')
    }
  }
}
