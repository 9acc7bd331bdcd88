import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {type FileCheck, checkModelFile, strictCheck} from '../core/check.js'
import {NOT_AN_ARCHITECTURE, assertModelsFound, batchExit, checkInWorkers, defaultJobs, expandInputs, skipReason, useWorkers} from '../core/batch.js'
import {terminalSafe as safe} from '../core/render/sanitize.js'
import {loadModel} from '../cli/input.js'

/** `from-config --json` result. */
export interface FromConfigResult {
  results: FileCheck[]
}

/** A weights-only or non-Keras file found by a folder scan is skipped, not invalid; --strict makes warnings errors. */
function settle(r: FileCheck, found: Set<string>, strict: boolean): FileCheck {
  const code = r.errors[0]?.code
  if (!found.has(r.file) || code === undefined || !NOT_AN_ARCHITECTURE.has(code)) return strict ? strictCheck(r) : r
  return {...r, valid: true, exit: 0, errors: [], skipped: skipReason(code)}
}

export default class FromConfig extends KmodelCommand<FromConfigResult> {
  static override summary = 'Rebuild models from their configs and validate them, as from_config() would (for CI).'
  static override description = `Reads each file (any supported format), rebuilds the layer graph the way Keras's from_config / model_from_json does, and refuses what Keras would refuse, by the rules of the Keras generation that wrote the file (Keras 3, or Keras 2 = tf.keras / tf-keras): argument types and ranges of every built-in layer (positive integers, finite numbers, known activation / initializer / regularizer / constraint names, dtypes, names), arguments the class does not take (an error where that generation raises, a warning where it ignores them), output shapes Keras cannot build (non-positive sizes, merge inputs that do not fit), and graph integrity (unique names, no dangling or out-of-range connections, no cycles). Each problem is reported with its JSON path. Unknown (custom) layer classes are warnings: kmodel cannot check them. --strict makes every warning an error.
Every file is checked; the exit code is 0 only when all are valid (3 when a file is missing or unreadable, or when no model was found at all, 4 when one is invalid). In a folder, weights-only files and JSON/YAML that is not a Keras model are skipped and listed. A subclassed model's config has no layer graph: it is refused with an explanation, because Keras cannot rebuild it either.`
  static override examples = [
    {description: 'Check every architecture in a CI job', command: '<%= config.bin %> <%= command.id %> models/*.json models/*.h5'},
    {description: 'Machine-readable report', command: '<%= config.bin %> <%= command.id %> model.json --json'},
    {description: 'Every model under a folder, in 4 worker threads', command: '<%= config.bin %> <%= command.id %> models/ --jobs 4 --json'},
    {description: 'Fail the CI job on warnings too (custom layers, arguments Keras ignores)', command: '<%= config.bin %> <%= command.id %> models/ --strict'},
  ]
  static override strict = false
  static override args = {config: Args.string({required: true, description: 'Model files or folders to check (any supported format, - for stdin).'})}
  static override flags = {
    jobs: Flags.integer({char: 'j', min: 1, max: 64, summary: 'Files checked in parallel worker threads (default: in-process below 200 files, else one per core).'}),
    strict: Flags.boolean({default: false, summary: 'Treat every warning (unknown layer class, argument Keras ignores, …) as an error: exit 4.'}),
  }

  async run(): Promise<FromConfigResult> {
    const {argv, flags} = await this.parse(FromConfig)
    const {files, found} = await expandInputs(argv as string[])
    assertModelsFound(argv as string[], files.length)
    const jobs = flags.jobs ?? defaultJobs(files.length)
    const results: FileCheck[] = []
    if (!useWorkers(files, jobs)) {
      for (const file of files) {
        const result = settle(await checkModelFile(file, (f) => loadModel(f as string, {validate: false})), found, flags.strict)
        results.push(result)
        if (!this.jsonEnabled()) this.report(result)
      }
    } else {
      results.push(...await checkInWorkers(files, jobs))
      results.splice(0, results.length, ...results.map((r) => settle(r, found, flags.strict)))
      if (!this.jsonEnabled()) results.forEach((r) => this.report(r))
    }
    const skipped = results.filter((r) => r.skipped !== undefined).length
    assertModelsFound(argv as string[], results.length - skipped, skipped)
    process.exitCode = batchExit(results.map((r) => r.exit))
    if (!this.jsonEnabled() && files.length > 1) {
      const bad = results.filter((r) => !r.valid).length
      process.stderr.write(`${files.length - bad - skipped} valid, ${bad} invalid${skipped > 0 ? `, ${skipped} skipped (not architectures)` : ''}\n`)
    }
    return {results}
  }

  /** One file's lines; every name, message and path from the file is shown terminal-safe, one line each. */
  private report(r: FileCheck): void {
    if (r.skipped !== undefined) {
      this.out(`- ${safe(r.file)}: skipped (${safe(r.skipped)})`)
      return
    }
    if (r.valid) this.out(`✓ ${safe(r.file)}: valid ${safe(r.className ?? '')} (${r.layers ?? 0} layers${r.kerasVersion === null ? '' : `, Keras ${safe(r.kerasVersion)}`})`)
    else this.out(`✗ ${safe(r.file)}: invalid`)
    for (const e of r.errors) {
      this.out(`  error: ${safe(e.message)}${e.message.includes(e.path) ? '' : ` (${safe(e.path)})`}`)
      if (e.hint !== null) this.out(`  hint: ${safe(e.hint)}`)
    }
    for (const w of r.warnings) this.out(`  warning: ${safe(w.message)} (${safe(w.path)})`)
  }
}
