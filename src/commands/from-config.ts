import {Args} from '@oclif/core'
import {KmodelCommand} from '../base-command.js'
import {type FileCheck, checkModelFile} from '../core/check.js'
import {loadModel} from '../input.js'

/** `from-config --json` result. */
export interface FromConfigResult {
  results: FileCheck[]
}

export default class FromConfig extends KmodelCommand<FromConfigResult> {
  static override summary = 'Rebuild models from their configs and validate them, as from_config() would (for CI).'
  static override description = `Reads each file (any supported format), rebuilds the layer graph the way Keras's from_config / model_from_json does, and checks it: structure, argument types, graph integrity (unique names, no dangling or out-of-range connections, no cycles), known layer classes and arguments. Unknown (custom) layer classes and unknown arguments are warnings, not errors. Every file is checked; the exit code is 0 only when all are valid (3 when a file is missing or unreadable, 4 when one is invalid).
A subclassed model's config has no layer graph: it is refused with an explanation, because Keras cannot rebuild it either.`
  static override examples = [
    {description: 'Check every architecture in a CI job', command: '<%= config.bin %> <%= command.id %> models/*.json models/*.h5'},
    {description: 'Machine-readable report', command: '<%= config.bin %> <%= command.id %> model.json --json'},
  ]
  static override strict = false
  static override args = {config: Args.string({required: true, description: 'Model files to check (any supported format, - for stdin).'})}

  async run(): Promise<FromConfigResult> {
    const {argv} = await this.parse(FromConfig)
    const files = argv as string[]
    const results: FileCheck[] = []
    for (const file of files) {
      const result = await checkModelFile(file, (f) => loadModel(f as string))
      results.push(result)
      if (!this.jsonEnabled()) this.report(result)
    }
    const worst = results.reduce((acc, r) => (r.exit === 0 ? acc : acc === 0 || r.exit === 3 ? r.exit : acc), 0)
    process.exitCode = worst
    if (!this.jsonEnabled() && files.length > 1) {
      const bad = results.filter((r) => !r.valid).length
      process.stderr.write(`${files.length - bad} valid, ${bad} invalid\n`)
    }
    return {results}
  }

  private report(r: FileCheck): void {
    if (r.valid) this.out(`✓ ${r.file}: valid ${r.className ?? ''} (${r.layers ?? 0} layers${r.kerasVersion === null ? '' : `, Keras ${r.kerasVersion}`})`)
    else this.out(`✗ ${r.file}: invalid`)
    for (const e of r.errors) {
      this.out(`  error: ${e.message}${e.message.includes(e.path) ? '' : ` (${e.path})`}`)
      if (e.hint !== null) this.out(`  hint: ${e.hint}`)
    }
    for (const w of r.warnings) this.out(`  warning: ${w.message} (${w.path})`)
  }
}
