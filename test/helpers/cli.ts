/** Spawning the built CLI the way a user does: `node bin/run.js <args>`. */
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {ROOT} from './paths.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json: {status: number; result?: unknown; error?: {code: string; name: string; message: string; hint: string | null}; warnings: unknown[]} | undefined
}

/** Runs kmodel with `args`; `input` is fed to stdin. Colour off, as in CI. */
export function kmodel(args: string[], opts: {input?: string | Uint8Array; cwd?: string} = {}): CliRun {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: opts.cwd ?? ROOT, input: opts.input, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', DEBUG: ''}, maxBuffer: 64 << 20,
  })
  let json: CliRun['json']
  if (args.includes('--json')) {
    try {
      json = JSON.parse(res.stdout) as CliRun['json']
    } catch {
      json = undefined
    }
  }
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, json}
}

/** Replaces temp paths so output can be compared. */
export function sanitize(text: string, ...paths: string[]): string {
  return paths.reduce((t, p) => t.split(p).join('<TMP>'), text)
}
