/**
 * Shell completion comes from @oclif/plugin-autocomplete, registered in package.json `oclif.plugins`. The built
 * CLI prints setup instructions per shell and writes completion functions into oclif's cache folder; HOME and
 * XDG_CACHE_HOME point at a tmpdir here, so nothing touches the user's home. The bash function is then run for
 * real, as bash's `complete -F` would run it.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

interface ManifestCommand {
  flags: Record<string, {hidden?: boolean}>
  hidden?: boolean
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
const COMMANDS = Object.entries(manifest.commands).filter(([, c]) => c.hidden !== true)

let dir = ''
const cacheDir = (): string => join(dir, 'cache', 'kmodel', 'autocomplete')

/**
 * Runs the built CLI with HOME and the cache inside the test's tmpdir, colour off. NODE_ENV is dropped: vitest
 * sets it to `test`, and then oclif warns that the plugin's `autocomplete:create` never calls `this.parse`,
 * which a user (NODE_ENV unset) never sees.
 */
function run(args: string[]): {code: number; stdout: string; stderr: string} {
  const env: NodeJS.ProcessEnv = {...process.env, HOME: join(dir, 'home'), XDG_CACHE_HOME: join(dir, 'cache'), NO_COLOR: '1', DEBUG: ''}
  delete env.KMODEL_CACHE_DIR
  delete env.NODE_ENV
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {cwd: dir, env, encoding: 'utf8'})
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr}
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-autocomplete-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('kmodel autocomplete', () => {
  it.each([
    ['bash', 'printf "$(kmodel autocomplete script bash)" >> ~/.bashrc; source ~/.bashrc', 'kmodel <TAB><TAB>'],
    ['zsh', 'printf "$(kmodel autocomplete script zsh)" >> ~/.zshrc; source ~/.zshrc', 'kmodel <TAB>'],
    ['powershell', 'Add-Content -Path $PROFILE -Value (Invoke-Expression -Command "kmodel autocomplete script powershell")', 'kmodel <TAB>'],
  ])('%s: builds the cache offline and prints the setup instructions', (shell, setup, usage) => {
    const res = run(['autocomplete', shell])
    expect.soft(res.stderr).toBe('Building the autocomplete cache... done\n')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('Setup Instructions for KMODEL CLI Autocomplete')
    expect(res.stdout).toContain(setup)
    expect(res.stdout).toContain(`${usage}                  # Command completion`)
    expect(readdirSync(join(cacheDir(), 'functions')).sort()).toEqual(['bash', 'powershell', 'zsh'])
  })

  it('autocomplete script <shell> sources the setup file in the cache folder, and nothing is written to HOME', () => {
    expect(run(['autocomplete', 'bash']).code).toBe(0)
    const res = run(['autocomplete', 'script', 'bash'])
    expect(res.code).toBe(0)
    expect(res.stdout.trim()).toBe(`KMODEL_AC_BASH_SETUP_PATH=${cacheDir()}/bash_setup && test -f $KMODEL_AC_BASH_SETUP_PATH && source $KMODEL_AC_BASH_SETUP_PATH; # kmodel autocomplete setup`)
    expect(readFileSync(join(cacheDir(), 'bash_setup'), 'utf8')).toContain(join(cacheDir(), 'functions', 'bash', 'kmodel.bash'))
    expect(existsSync(join(dir, 'home')) ? readdirSync(join(dir, 'home')) : []).toEqual([])
  })

  it('refuses a shell it does not support with a usage error', () => {
    const res = run(['autocomplete', 'fish'])
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('Expected fish to be one of: zsh, bash, powershell')
  })
})

describe('the completion cache', () => {
  beforeAll(() => {
    expect(run(['autocomplete', '--refresh-cache']).code).toBe(0)
  })

  it('bash: one line per command with exactly its flags, as the manifest lists them', () => {
    const script = readFileSync(join(cacheDir(), 'functions', 'bash', 'kmodel.bash'), 'utf8')
    const list = /local commands="\n([^"]*)"/.exec(script)?.[1] ?? ''
    const lines = new Map(list.trim().split('\n').map((l) => {
      const [id = '', ...flags] = l.trim().split(' ')
      return [id, flags.sort()] as const
    }))
    for (const [id, command] of COMMANDS) {
      const flags = Object.entries(command.flags).filter(([, f]) => f.hidden !== true).map(([name]) => `--${name}`).sort()
      expect(lines.get(id), id).toEqual(flags)
    }
    // the plugins' commands: autocomplete, and help from @oclif/plugin-help
    expect([...lines.keys()].sort()).toEqual([...COMMANDS.map(([id]) => id), 'autocomplete', 'help'].sort())
  })

  it('zsh and powershell: every command and flag is offered', () => {
    const zsh = readFileSync(join(cacheDir(), 'functions', 'zsh', '_kmodel'), 'utf8')
    const ps = readFileSync(join(cacheDir(), 'functions', 'powershell', 'kmodel.ps1'), 'utf8')
    expect(zsh.startsWith('#compdef kmodel')).toBe(true)
    for (const [id, command] of COMMANDS) {
      const word = id.split(':').at(-1) ?? id
      expect.soft(zsh, id).toContain(`"${word}[`)
      expect.soft(ps, id).toContain(`"${word}" = @{`)
      for (const flag of Object.keys(command.flags)) expect.soft(ps, `${id} --${flag}`).toContain(`"${flag}" = @{`)
    }
  })

  it.each([
    ['kmodel to-', ['to-json', 'to-yaml']],
    ['kmodel weights ', COMMANDS.map(([id]) => id).filter((id) => id.startsWith('weights:')).map((id) => id.slice('weights:'.length)).sort()],
    ['kmodel he', ['help']],
    ['kmodel weights export --k', ['--keys']],
    ['kmodel summary --show', ['--show-trainable']],
    ['kmodel load-weights --by', ['--by-name']],
  ])('bash completes %j', (line, expected) => {
    const words = line.split(' ')
    const script = [
      `source ${JSON.stringify(join(cacheDir(), 'functions', 'bash', 'kmodel.bash'))}`,
      `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}`,
      '_kmodel_autocomplete; printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n')
    const res = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {encoding: 'utf8', env: {PATH: process.env.PATH ?? ''}})
    expect(res.stderr).toBe('')
    expect(res.stdout.trim().split('\n').sort()).toEqual(expected)
  })
})
