/**
 * oclif's `command_not_found` hook: `kmodel summry m.json` names the closest command instead of "command
 * summry:m.json not found". In a terminal (stdin and stderr TTYs, no --json) it hands over to
 * @oclif/plugin-not-found, which asks "Did you mean summary?" and runs it, as every oclif CLI does; anywhere
 * else (CI, pipes, --json) it never waits for an answer: one error line, the suggestion as the hint, exit 2.
 */
import type {Hook, Interfaces} from '@oclif/core'
import {jsonTerminalSafe, terminalSafe} from '../../core/render/sanitize.js'

/** Edit distance (insert, delete, substitute), O(a·b) on the short strings of command names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)))
    prev = row
  }
  return prev[b.length] ?? 0
}

export interface Suggestion {
  /** What was typed as the command, its words joined by ':' as oclif ids are. */
  typed: string
  /** The closest command id, or undefined when none is close. */
  id: string | undefined
  /** The words after the typed command: they become the suggested command's arguments. */
  rest: string[]
}

/**
 * The command the user most likely meant. oclif joins every word before the first flag into the id
 * (`summry m.json` → `summry:m.json`), so each command is compared with as many typed words as it has.
 * Close means at most a third of its letters (at least 2) differ.
 */
export function suggest(id: string, commandIds: readonly string[]): Suggestion {
  const words = id.split(':')
  let best: {id: string; distance: number; words: number} | undefined
  for (const candidate of commandIds) {
    const n = candidate.split(':').length
    if (n > words.length) continue
    const distance = editDistance(words.slice(0, n).join(':'), candidate)
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (best === undefined || distance < best.distance)) best = {id: candidate, distance, words: n}
  }
  const n = best?.words ?? 1
  return {typed: words.slice(0, n).join(':'), id: best?.id, rest: words.slice(n)}
}

/** The command the user most likely meant by `id`, among the visible commands and their aliases. */
export function suggestCommand(config: Pick<Interfaces.Config, 'commands'>, id: string): Suggestion {
  return suggest(id, config.commands.filter((c) => c.hidden !== true).flatMap((c) => [c.id, ...c.aliases]))
}

/** How a command id is shown: its words, not oclif's ':'. */
const shown = (id: string): string => id.split(':').join(' ')

/**
 * Reports a command that does not exist (also `kmodel help summry`, src/cli/help.ts): one error line
 * KM_USAGE_UNKNOWN_COMMAND with the closest command as the hint (or the --json envelope), exit code 2.
 */
export function reportUnknown(bin: string, found: Suggestion, json: boolean): void {
  const message = `'${shown(found.typed)}' is not a ${bin} command.`
  const hint = found.id === undefined
    ? `Run '${bin} help' for the list of commands.`
    : `Did you mean '${bin} ${shown(found.id)}'? Run '${bin} help' for the list of commands.`
  if (json) {
    const envelope = {status: 2, error: {code: 'KM_USAGE_UNKNOWN_COMMAND', name: 'UsageError', message, hint}, warnings: []}
    process.stdout.write(`${jsonTerminalSafe(JSON.stringify(envelope, null, 2))}\n`)
  } else {
    process.stderr.write(`Error: ${terminalSafe(message)} (KM_USAGE_UNKNOWN_COMMAND)\nHint: ${terminalSafe(hint)}\n`)
  }
  process.exitCode = 2
}

const hook: Hook<'command_not_found'> = async function (opts) {
  const {config} = opts
  const found = suggestCommand(config, opts.id)
  const argv = opts.argv ?? []
  const json = argv.includes('--json')
  if (!json && found.id !== undefined && process.stdin.isTTY === true && process.stderr.isTTY === true) {
    const {default: prompt} = await import('@oclif/plugin-not-found') as {default: Hook<'command_not_found'>}
    try {
      return await prompt.call(this, {...opts, id: found.typed, argv: [...found.rest, ...argv]})
    } catch {
      process.stderr.write(`Hint: Run '${config.bin} help' for the list of commands.\n`)
      process.exitCode = 2
      return undefined
    }
  }
  reportUnknown(config.bin, found, json)
  return undefined
}

export default hook
