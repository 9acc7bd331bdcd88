/**
 * README.md's command reference (between `<!-- commands -->` and `<!-- commandsstop -->`) is generated from
 * oclif.manifest.json by scripts/readme.js. These tests fail when it is stale (so `npm test`, hence CI, fails),
 * when it disagrees with what `kmodel <command> --help` prints, when a command, flag or example is missing from
 * it, and when the script's staleness check or rewrite misbehaves.
 */
import {execFile, spawnSync} from 'node:child_process'
import {copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  hidden?: boolean
  flags: Record<string, {hidden?: boolean}>
  examples?: Array<string | {command: string}>
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
const COMMANDS = Object.values(manifest.commands).filter((c) => c.hidden !== true)
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const BLOCK = README.slice(README.search(/^<!-- commands -->$/m), README.search(/^<!-- commandsstop -->$/m))
const words = (id: string): string[] => id.split(':')

/** The README section of one command: from its `### \`kmodel <words>` heading to the next heading. */
function section(id: string): string {
  const heading = `### \`kmodel ${words(id).join(' ')}`
  const start = BLOCK.split('\n').findIndex((l) => l === `${heading}\`` || l.startsWith(`${heading} `))
  if (start < 0) return ''
  const lines = BLOCK.split('\n').slice(start)
  const end = lines.findIndex((l, i) => i > 0 && l.startsWith('### '))
  return lines.slice(0, end < 0 ? undefined : end).join('\n')
}

/** Runs scripts/readme.js with `args`. */
const script = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'scripts', 'readme.js'), ...args], {cwd: ROOT, encoding: 'utf8'})

describe('README command reference', () => {
  it('is what node scripts/readme.js generates from the current manifest', () => {
    const run = script('--check')
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })

  it('sits in "## Commands" after the overview table, before "## Dependencies"', () => {
    const at = (line: string): number => README.split('\n').findIndex((l) => l === line || (line.endsWith(' ') && l.startsWith(line)))
    expect(at('<!-- commands -->')).toBeGreaterThan(at('| `kmodel summary '))
    expect(at('| `kmodel summary ')).toBeGreaterThan(at('## Commands'))
    expect(at('<!-- commandsstop -->')).toBeGreaterThan(at('<!-- commands -->'))
    expect(at('<!-- commandsstop -->')).toBeLessThan(at('## Dependencies'))
  })

  it('has every command of the manifest, each with all its flags and examples, and no unrendered template', () => {
    expect(BLOCK).not.toContain('<%')
    expect(BLOCK.match(/^### /gm)?.length).toBe(COMMANDS.length)
    for (const command of COMMANDS) {
      const text = section(command.id)
      expect(text, command.id).not.toBe('')
      expect.soft(text, command.id).toContain(command.summary ?? command.description?.split('\n')[0] ?? '')
      for (const [name, flag] of Object.entries(command.flags)) if (flag.hidden !== true) expect.soft(text, `${command.id} --${name}`).toMatch(new RegExp(`--(\\[no-\\])?${name}\\b`))
      const flat = text.replace(/ \\\n\s+/g, ' ')
      for (const example of command.examples ?? []) {
        const line = (typeof example === 'string' ? example : example.command).replaceAll('<%= config.bin %>', 'kmodel').replaceAll('<%= command.id %>', words(command.id).join(' '))
        expect.soft(flat, `${command.id} example`).toContain(line.replace(/^\$ /, ''))
      }
    }
  })

  it('agrees with `kmodel <command> --help` at 80 columns, word for word', async () => {
    const run = promisify(execFile)
    const env = {...process.env, OCLIF_COLUMNS: '80', NO_COLOR: '1', DEBUG: ''}
    const trim = (text: string): string => text.replace(/[ \t]+$/gm, '').trim()
    const helps = await Promise.all(COMMANDS.map(async (c) => (await run(process.execPath, [join(ROOT, 'bin', 'run.js'), ...words(c.id), '--help'], {cwd: ROOT, env})).stdout))
    COMMANDS.forEach((command, i) => {
      const [, summary = '', body = ''] = /^### [^\n]*\n\n([^\n]*)\n\n```text\n([\s\S]*?)\n```/.exec(section(command.id)) ?? []
      expect.soft(`${summary}\n\n${body}`, command.id).toBe(trim(helps[i] ?? ''))
    })
  })
})

describe('scripts/readme.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-readme-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('--check exits 1 with a one-line hint on a stale block; a rewrite restores it and keeps the rest', () => {
    const copy = join(dir, 'README.md')
    copyFileSync(join(ROOT, 'README.md'), copy)
    const flag = Object.keys(COMMANDS[0]?.flags ?? {})[0] ?? 'json'
    const at = README.search(/^<!-- commands -->$/m)
    const stale = `${README.slice(0, at)}${README.slice(at).replace(new RegExp(`--${flag}\\b`), `--${flag}-old`)}`.replace('## Dependencies', '## Dependencies (kept)')
    writeFileSync(copy, stale)
    const check = script('--check', '--readme', copy)
    expect(check.status).toBe(1)
    expect(check.stderr).toMatch(/^README\.md: the command reference is stale at line \d+ \(has .*, --help says .*\); run: node scripts\/readme\.js\n$/)
    expect(readFileSync(copy, 'utf8')).toBe(stale)
    const write = script('--readme', copy)
    expect(write.status).toBe(0)
    expect(readFileSync(copy, 'utf8')).toBe(README.replace('## Dependencies', '## Dependencies (kept)'))
    expect(readdirSync(dir)).toEqual(['README.md'])
    expect(script('--check', '--readme', copy).status).toBe(0)
  })

  it('refuses a README without the markers', () => {
    const copy = join(dir, 'NOMARKERS.md')
    writeFileSync(copy, '# kmodel\n\n## Commands\n')
    const run = script('--readme', copy)
    expect(run.status).toBe(1)
    expect(run.stderr).toBe('scripts/readme.js: NOMARKERS.md lacks the markers <!-- commands --> … <!-- commandsstop --> (in "## Commands").\n')
    expect(readFileSync(copy, 'utf8')).toBe('# kmodel\n\n## Commands\n')
  })
})
