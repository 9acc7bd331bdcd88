/**
 * `npm pack` ships what an installed kmodel runs and nothing else. The expected files are read from the project
 * itself (the manifest's command paths, package.json's entry points and install script, schemas/, native/src),
 * so a change of the build layout moves the expectations with it. The fixtures stay in the repository: the
 * README's example runs `npx kmodel summary fixtures/…` from a clone.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, readdirSync} from 'node:fs'
import {join, posix} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

interface PackageJson {
  bin: unknown
  main: unknown
  types: unknown
  exports: unknown
  scripts: Record<string, string>
}
const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson

/** The paths a package.json field names: a string, or the strings nested in an object (`exports`, `bin`). */
const targets = (field: unknown): string[] =>
  typeof field === 'string' ? [field] : field !== null && typeof field === 'object' ? Object.values(field).flatMap(targets) : []
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {relativePath?: string[]}>}

/** `./dist/index.js` → `dist/index.js`. */
const packed = (path: string): string => posix.normalize(path)

let files = new Set<string>()

beforeAll(() => {
  // --ignore-scripts: `prepare` would rebuild dist/ under the other tests' feet; the test reads the current build
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {cwd: ROOT, encoding: 'utf8', env: {...process.env, npm_config_loglevel: 'error'}})
  expect(run.status, run.stderr).toBe(0)
  const [report] = JSON.parse(run.stdout) as Array<{files: Array<{path: string}>}>
  files = new Set(report?.files.map((f) => f.path))
})

describe('npm pack', () => {
  it('has the CLI: package.json, README, bin, the manifest and the file of every manifest command', () => {
    for (const file of ['package.json', 'README.md', 'oclif.manifest.json', ...targets(pjson.bin).map(packed)]) expect.soft(files, file).toContain(file)
    const commands = Object.entries(manifest.commands)
    expect(commands.length).toBeGreaterThan(0)
    for (const [id, command] of commands) {
      expect(command.relativePath, id).toBeDefined()
      expect.soft(files, id).toContain((command.relativePath ?? []).join('/'))
    }
  })

  it('has the library entry point and its types', () => {
    const entries = [pjson.main, pjson.types, pjson.exports].flatMap(targets)
    expect(entries.length).toBeGreaterThan(2)
    for (const file of entries.map(packed)) expect.soft(files, file).toContain(file)
  })

  it('has every JSON schema, the native addon sources and the script the install step runs', () => {
    for (const name of readdirSync(join(ROOT, 'schemas'))) expect.soft(files, name).toContain(`schemas/${name}`)
    expect.soft(files).toContain('native/binding.gyp')
    const sources = readdirSync(join(ROOT, 'native', 'src'))
    expect(sources.length).toBeGreaterThan(0)
    for (const name of sources) expect.soft(files, name).toContain(`native/src/${name}`)
    const scripts = [...(pjson.scripts.install ?? '').matchAll(/\.\/(scripts\/[\w./-]+\.js)/g)].map((m) => m[1] ?? '')
    expect(scripts).not.toEqual([])
    for (const script of scripts) expect.soft(files, script).toContain(script)
  })

  it('has no tests, fixtures, benchmarks, TypeScript sources, build leftovers or dotfiles', () => {
    const unwanted = [...files].filter((f) =>
      /^(test|fixtures|bench|src|docs|node_modules|native\/build)\//.test(f) ||
      /\.(test|spec)\.[cm]?[jt]s$|\.tsbuildinfo$|\.tmp$|\.node$|\.h5$|\.npy$|\.npz$/.test(f) ||
      (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
      f.split('/').some((part) => part.startsWith('.')))
    expect(unwanted).toEqual([])
  })
})
