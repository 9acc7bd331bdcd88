/**
 * `npm pack` ships what an installed kmodel runs and nothing else. The expected files are read from the project
 * itself (the manifest's command paths, package.json's entry points and install script, schemas/, native/src),
 * so a change of the build layout moves the expectations with it. The fixtures stay in the repository; the
 * example the README's first command runs is in examples/ and shipped, so an installed user can run it too.
 * The lockfile is checked too: nothing a user's install runs downloads anything (install scripts are
 * allow-listed with the reason), and every package's engines accept the Node.js versions kmodel supports.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, readdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join, posix} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

interface PackageJson {
  name: string
  license: string
  engines: {node: string}
  oclif: {bin: string}
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, {optional?: boolean}>
  optionalDependencies?: Record<string, string>
  dependencies: Record<string, string>
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
interface LockEntry {
  hasInstallScript?: boolean
  dev?: boolean
  optional?: boolean
  os?: string[]
  cpu?: string[]
  engines?: {node?: string}
}
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockEntry>}
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

describe('what a user installs', () => {
  it('is kmodel-cli, with the command kmodel, an MIT LICENSE file and the README\'s example', () => {
    expect(pjson.name).toBe('kmodel-cli')
    expect(pjson.bin).toEqual({kmodel: './bin/run.js'})
    expect(pjson.oclif.bin).toBe('kmodel')
    expect(pjson.license).toBe('MIT')
    expect(files).toContain('LICENSE')
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 kmodel contributors\n/)
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const example = /npm ci && npx kmodel summary (\S+)/.exec(readme)?.[1]
    expect(example).toBeDefined()
    expect(files).toContain(example)
  })

  it('has the require() entry the exports map names', () => {
    expect(files).toContain('index.cjs')
  })

  it('leaves the TensorFlow native bindings out: optional peers, never installed, not in the lockfile', () => {
    expect(pjson.optionalDependencies).toBeUndefined()
    for (const pkg of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      expect(pjson.peerDependencies?.[pkg], pkg).toBe(pjson.dependencies['@tensorflow/tfjs-core'])
      expect(pjson.peerDependenciesMeta?.[pkg]?.optional, pkg).toBe(true)
      expect(Object.keys(lock.packages), pkg).not.toContain(`node_modules/${pkg}`)
    }
  })

  it('runs no install script that downloads: every one in the lockfile is allow-listed with its reason', () => {
    /**
     * "": kmodel's own `install` (scripts/build-native.js) compiles native/ with the local compiler, OpenBLAS and
     * Node's headers from beside node or node-gyp's cache, and skips with one line when any is missing; it passes
     * --nodedir so node-gyp never fetches headers. esbuild: a devDependency (never installed for a user; `dev`
     * in the lockfile); its postinstall checks the platform binary npm installed from @esbuild/<platform>.
     */
    const allowed: Record<string, (entry: LockEntry) => boolean> = {
      '': () => /scripts\/build-native\.js/.test(pjson.scripts.install ?? ''),
      'node_modules/esbuild': (entry) => entry.dev === true,
    }
    const scripted = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript === true)
    expect(scripted.map(([path]) => path)).toContain('')
    for (const [path, entry] of scripted) {
      expect(Object.keys(allowed), `${path} has an install script`).toContain(path)
      expect(allowed[path]?.(entry), path).toBe(true)
    }
    const script = readFileSync(join(ROOT, 'scripts', 'build-native.js'), 'utf8')
    expect(script).toMatch(/`--nodedir=\$\{dir\}`/)
    expect(script).not.toMatch(/https?:\/\//)
  })

  it('every package in the lockfile accepts the Node.js versions package.json engines names (no EBADENGINE)', () => {
    const semver = createRequire(import.meta.url)('semver') as {minVersion(range: string): {version: string} | null; satisfies(v: string, range: string): boolean}
    const min = semver.minVersion(pjson.engines.node)?.version ?? ''
    expect(min).toBe('20.19.0')
    const platform = (entry: LockEntry): boolean =>
      (entry.os === undefined || entry.os.includes(process.platform)) && (entry.cpu === undefined || entry.cpu.includes(process.arch))
    for (const version of [min, process.versions.node, '22.13.0', '24.0.0']) {
      const refused = Object.entries(lock.packages)
        .filter(([, entry]) => entry.engines?.node !== undefined && (entry.optional !== true || platform(entry)))
        .filter(([, entry]) => !semver.satisfies(version, entry.engines?.node ?? '*'))
        .map(([path, entry]) => `${path} wants node ${entry.engines?.node}`)
      expect(refused, `Node.js ${version}`).toEqual([])
    }
  })
})
