/**
 * KmodelCommand: what every kmodel command shares — the `--json` envelope, colour policy, warnings on stderr,
 * and the mapping of KmodelError to one message line, one hint line and the documented exit code.
 * Every human line it writes passes through the terminal sanitiser (core/render/sanitize.ts): names and
 * messages from a model file never reach the terminal with raw control or bidi characters. `--json` output
 * keeps exact strings.
 */
import {Command, Flags, Interfaces} from '@oclif/core'
import {KmodelError, type Warning} from './core/errors.js'
import {jsonTerminalSafe, terminalSafe, terminalSafeLines} from './core/render/sanitize.js'

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
      if (!this.jsonEnabled()) process.stderr.write(`Warning: ${source === undefined ? '' : `${terminalSafe(source)}: `}${terminalSafe(w.message)} (${terminalSafe(w.path)})\n`)
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
    if (debugEnabled() && err.stack !== undefined) process.stderr.write(`${terminalSafeLines(err.stack)}\n`)
    if (err instanceof KmodelError) {
      process.exitCode = err.exit
      if (this.jsonEnabled()) {
        this.logJson(this.toErrorJson(err))
        return undefined
      }
      process.stderr.write(`Error: ${terminalSafe(err.message)} (${terminalSafe(err.code)})\n`)
      if (err.hint !== undefined) process.stderr.write(`Hint: ${terminalSafe(err.hint)}\n`)
      return this.exit(err.exit)
    }
    const isOclif = err.oclif?.exit !== undefined
    if (!isOclif && !this.jsonEnabled()) {
      process.stderr.write(`Error: ${terminalSafe(err.message)}\nHint: This was unexpected; run again with DEBUG=kmodel* to see the stack trace and please report it.\n`)
      return this.exit(1)
    }
    if (isOclif && err.oclif?.exit !== undefined) err.exitCode = err.oclif.exit
    // oclif prints its own usage errors (a file name from the command line can be in them); its messages may span lines.
    if (!this.jsonEnabled()) err.message = terminalSafeLines(err.message)
    return super.catch(err)
  }

  /**
   * The `--json` envelope, pretty-printed as oclif prints it, with the characters JSON.stringify leaves raw (C1,
   * bidi controls) written as `\u` escapes: the strings parse back exactly, and nothing reaches a terminal raw.
   */
  override logJson(json: unknown): void {
    process.stdout.write(`${jsonTerminalSafe(JSON.stringify(json, null, 2))}\n`)
  }

  /**
   * Writes human text to stdout, terminal-safe: control and bidi characters are shown escaped, line breaks kept.
   * Callers still sanitise each single-line field (a name holding a line feed must not start a line of its own).
   */
  protected out(text: string): void {
    this.outExact(terminalSafeLines(text))
  }

  /**
   * Writes text to stdout exactly as given: a document (to-json, to-yaml, JSON) whose bytes are the file format's,
   * or text a renderer has already made terminal-safe before adding its own colour codes.
   */
  protected outExact(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  abstract override run(): Promise<T>
}
