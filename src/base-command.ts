/**
 * KmodelCommand: what every kmodel command shares — the `--json` envelope, colour policy, warnings on stderr,
 * and the mapping of KmodelError to one message line, one hint line and the documented exit code.
 */
import {Command, Flags, Interfaces} from '@oclif/core'
import {KmodelError, type Warning} from './core/errors.js'

/** Flags every command has. */
const baseFlags = {
  color: Flags.boolean({
    allowNo: true, default: true, helpGroup: 'GLOBAL',
    summary: 'Colour the output (off when stdout is not a terminal or NO_COLOR is set).',
  }),
}

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof KmodelCommand)['baseFlags'] & T['flags']>

/** The sf-style JSON envelope for an error. */
interface ErrorEnvelope {
  status: number
  error: {code: string; name: string; message: string; hint: string | null}
  warnings: Warning[]
}

const debugEnabled = (): boolean => /(^|,)\s*kmodel/.test(process.env.DEBUG ?? '')

export abstract class KmodelCommand<T> extends Command {
  static override baseFlags = baseFlags
  static override enableJsonFlag = true

  /** Warnings collected during the run: printed to stderr, or carried in the JSON envelope. */
  protected warnings: Warning[] = []

  /** Colour only for a terminal, without NO_COLOR, without --json or --no-color. */
  protected get colorEnabled(): boolean {
    const noColorFlag = this.argv.includes('--no-color')
    return Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined && !noColorFlag && !this.jsonEnabled()
  }

  /** Records warnings; in human mode they go to stderr at once. */
  protected warnAll(warnings: readonly Warning[], source?: string): void {
    for (const w of warnings) {
      this.warnings.push(w)
      if (!this.jsonEnabled()) process.stderr.write(`Warning: ${source === undefined ? '' : `${source}: `}${w.message} (${w.path})\n`)
    }
  }

  /** `status` is the exit code the run ends with (0, or e.g. 1 for `diff` that found differences). */
  protected override toSuccessJson(result: unknown): {status: number; result: unknown; warnings: Warning[]} {
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0
    return {status: code, result, warnings: this.warnings}
  }

  protected override toErrorJson(err: unknown): ErrorEnvelope {
    if (err instanceof KmodelError) {
      return {status: err.exit, error: {code: err.code, name: err.name, message: err.message, hint: err.hint ?? null}, warnings: this.warnings}
    }
    const e = err as {message?: string; name?: string; oclif?: {exit?: number}; code?: string}
    const status = e.oclif?.exit ?? 1
    return {status, error: {code: status === 2 ? 'KM_USAGE' : e.code ?? 'KM_UNEXPECTED', name: e.name ?? 'Error', message: e.message ?? String(err), hint: null}, warnings: this.warnings}
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (debugEnabled() && err.stack !== undefined) process.stderr.write(`${err.stack}\n`)
    if (err instanceof KmodelError) {
      process.exitCode = err.exit
      if (this.jsonEnabled()) {
        this.logJson(this.toErrorJson(err))
        return undefined
      }
      process.stderr.write(`Error: ${err.message} (${err.code})\n`)
      if (err.hint !== undefined) process.stderr.write(`Hint: ${err.hint}\n`)
      return this.exit(err.exit)
    }
    const isOclif = err.oclif?.exit !== undefined
    if (!isOclif && !this.jsonEnabled()) {
      process.stderr.write(`Error: ${err.message}\nHint: This was unexpected; run again with DEBUG=kmodel* to see the stack trace and please report it.\n`)
      return this.exit(1)
    }
    if (isOclif && err.oclif?.exit !== undefined) err.exitCode = err.oclif.exit
    return super.catch(err)
  }

  /** Writes the main document to stdout. */
  protected out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  abstract override run(): Promise<T>
}
