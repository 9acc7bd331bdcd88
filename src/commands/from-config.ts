import {Args, Flags} from '@oclif/core'
import {KmodelCommand} from '../base-command.js'
import {type FileCheck, checkModelFile} from '../core/check.js'
import {NOT_AN_ARCHITECTURE, batchExit, checkInWorkers, defaultJobs, expandInputs, skipReason, useWorkers} from '../core/batch.js'
import {loadModel} from '../input.js'

/** `from-config --json` result. */
export interface FromConfigResult {
  results: FileCheck[]
}

/** A weights-only or non-Keras file found by a folder scan is skipped, not invalid. */
function skipIfFound(r: FileCheck, found: Set<string>): FileCheck {
  const code = r.errors[0]?.code
  if (!found.has(r.file) || code === undefined || !NOT_AN_ARCHITECTURE.has(code)) return r
  return {...r, valid: true, exit: 0, errors: [], skipped: skipReason(code)}
}

export default class FromConfig extends KmodelCommand<FromConfigResult> {
  static override summary = 'Rebuild models from their configs and validate them, as from_config() would (for CI).'
  static override description = `Reads each file (any supported format), rebuilds the layer graph the way Keras's from_config / model_from_json does, and checks it: structure, argument types, graph integrity (unique names, no dangling or out-of-range connections, no cycles), known layer classes and arguments. Unknown (custom) layer classes and unknown arguments are warnings, not errors. Every file is checked; the exit code is 0 only when all are valid (3 when a file is missing or unreadable, 4 when one is invalid).
A subclassed model's config has no layer graph: it is refused with an explanation, because Keras cannot rebuild it either.`
  static override examples = [
    {description: 'Check every architecture in a CI job', command: '<%= config.bin %> <%= command.id %> models/*.json models/*.h5'},
    {description: 'Machine-readable report', command: '<%= config.bin %> <%= command.id %> model.json --json'},
    {description: 'Every model under a folder, in 4 worker threads', command: '<%= config.bin %> <%= command.id %> models/ --jobs 4 --json'},
  ]
  static override strict = false
  static override args = {config: Args.string({required: true, description: 'Model files or folders to check (any supported format, - for stdin).'})}
  static override flags = {
    jobs: Flags.integer({char: 'j', min: 1, max: 64, summary: 'Files checked in parallel worker threads (default: in-process below 200 files, else one per core).'}),
  }

  async run(): Promise<FromConfigResult> {
    const {argv, flags} = await this.parse(FromConfig)
    const {files, found} = await expandInputs(argv as string[])
    const jobs = flags.jobs ?? defaultJobs(files.length)
    const results: FileCheck[] = []
    if (!useWorkers(files, jobs)) {
      for (const file of files) {
        const result = skipIfFound(await checkModelFile(file, (f) => loadModel(f as string)), found)
        results.push(result)
        if (!this.jsonEnabled()) this.report(result)
      }
    } else {
      results.push(...await checkInWorkers(files, jobs))
      if (!this.jsonEnabled()) results.forEach((r) => this.report(skipIfFound(r, found)))
    }
    results.splice(0, results.length, ...results.map((r) => skipIfFound(r, found)))
    process.exitCode = batchExit(results.map((r) => r.exit))
    if (!this.jsonEnabled() && files.length > 1) {
      const bad = results.filter((r) => !r.valid).length
      const skipped = results.filter((r) => r.skipped !== undefined).length
      process.stderr.write(`${files.length - bad - skipped} valid, ${bad} invalid${skipped > 0 ? `, ${skipped} skipped (not architectures)` : ''}\n`)
    }
    return {results}
  }

  private report(r: FileCheck): void {
    if (r.skipped !== undefined) {
      this.out(`- ${r.file}: skipped (${r.skipped})`)
      return
    }
    if (r.valid) this.out(`✓ ${r.file}: valid ${r.className ?? ''} (${r.layers ?? 0} layers${r.kerasVersion === null ? '' : `, Keras ${r.kerasVersion}`})`)
    else this.out(`✗ ${r.file}: invalid`)
    for (const e of r.errors) {
      this.out(`  error: ${e.message}${e.message.includes(e.path) ? '' : ` (${e.path})`}`)
      if (e.hint !== null) this.out(`  hint: ${e.hint}`)
    }
    for (const w of r.warnings) this.out(`  warning: ${w.message} (${w.path})`)
  }
}
