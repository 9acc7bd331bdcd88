/**
 * KmodelCommand: what every kmodel command shares — the `--json` envelope, colour policy, warnings on stderr,
 * and the mapping of KmodelError to one message line, one hint line and the documented exit code.
 * Every human line it writes passes through the terminal sanitiser (core/render/sanitize.ts): names and
 * messages from a model file never reach the terminal with raw control or bidi characters. `--json` output
 * keeps exact strings.
 */
import {Command, Flags, Interfaces} from '@oclif/core'
import {KmodelError, type Warning} from '../core/errors.js'
import {jsonTerminalSafe, terminalSafe, terminalSafeLines} from '../core/render/sanitize.js'

/** Flags every command has. */
const baseFlags = {
  color: Flags.boolean({
    allowNo: true, helpGroup: 'GLOBAL',
    summary: 'Colour the output: --color forces it (pipes, NO_COLOR), --no-color turns it off. Default: on for a terminal without NO_COLOR; FORCE_COLOR forces it.',
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

/** The colour decision, in order: --no-color, --color, FORCE_COLOR (`0`/`false` off, anything else on), then a terminal without NO_COLOR. */
export function colorPolicy(argv: readonly string[], env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const end = argv.indexOf('--')
  const flags = end === -1 ? argv : argv.slice(0, end)
  if (flags.includes('--no-color')) return false
  if (flags.includes('--color')) return true
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  return isTTY && env.NO_COLOR === undefined
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g

/**
 * oclif's parse errors (a bad flag value, an unknown flag or value, a missing or extra argument) as one line:
 * its messages span several lines, end in "See more help with --help" and may hold colour codes.
 */
export function usageLine(err: {message: string; args?: Array<{name: string}>}): string {
  const text = err.message.replace(ANSI, '').replace(/\n?See more help with --help\s*$/, '')
  if (err.args !== undefined && /^Missing \d+ required arg/.test(text)) {
    return `${text.split(/[:\n]/)[0] ?? text}: ${err.args.map((a) => a.name.toUpperCase()).join(', ')}.`
  }
  const parsing = /^Parsing (--[\w-]+)\s*\n\s*(?:\\t|\t)?([\s\S]*)$/.exec(text)
  const line = parsing === null ? text.replace(/^The following errors? occurred:\s*/, '') : `${parsing[1]}: ${parsing[2]}`
  return line.split('\n').map((l) => l.trim().replace(/^Missing required flag ([\w-]+)$/, 'Missing required flag --$1')).filter((l) => l !== '').join('; ')
}

/** oclif's usage errors: parse failures (exit 2 from the parser) and `this.error(…, {exit: 2})` in a command. */
const isUsageError = (err: Error & {oclif?: {exit?: number}; code?: string}): boolean =>
  !(err instanceof KmodelError) && err.code !== 'EEXIT' && (err.oclif?.exit === 2 || /^Parsing --[\w-]+ /.test(err.message))

export abstract class KmodelCommand<T> extends Command {
  static override baseFlags = baseFlags
  static override enableJsonFlag = true

  /** Warnings collected during the run: printed to stderr, or carried in the JSON envelope. */
  protected warnings: Warning[] = []

  /** Never with --json; else `colorPolicy`: --no-color, --color, FORCE_COLOR, then a terminal without NO_COLOR. */
  protected get colorEnabled(): boolean {
    return !this.jsonEnabled() && colorPolicy(this.argv, process.env, Boolean(process.stdout.isTTY))
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
    const e = err as Error & {oclif?: {exit?: number}; code?: string; args?: Array<{name: string}>}
    if (isUsageError(e)) {
      return {status: 2, error: {code: 'KM_USAGE', name: e.name, message: usageLine(e), hint: this.usageHint()}, warnings: this.warnings}
    }
    const status = e.oclif?.exit ?? 1
    return {status, error: {code: e.code ?? 'KM_UNEXPECTED', name: e.name ?? 'Error', message: e.message ?? String(err), hint: null}, warnings: this.warnings}
  }

  /** Where to read how the command is called: `kmodel weights export --help`. */
  private usageHint(): string {
    const id = (this.id ?? '').split(':').join(' ')
    return `Run '${this.config.bin}${id === '' ? '' : ` ${id}`} --help' for its flags, arguments and examples.`
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; args?: Array<{name: string}>}): Promise<unknown> {
    if (debugEnabled() && err.stack !== undefined) process.stderr.write(`${terminalSafeLines(err.stack)}\n`)
    if (isUsageError(err)) {
      process.exitCode = 2
      if (this.jsonEnabled()) {
        this.logJson(this.toErrorJson(err))
        return undefined
      }
      process.stderr.write(`Error: ${terminalSafe(usageLine(err))} (KM_USAGE)\nHint: ${terminalSafe(this.usageHint())}\n`)
      return this.exit(2)
    }
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
