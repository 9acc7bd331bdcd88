/**
 * Packs and installs kmodel as a user does (slow: about 30 s): `npm pack`, then `npm install -g ./kmodel-cli-*.tgz`
 * into a clean prefix in a tmpdir (npm's cache makes it work offline when the dependencies were fetched once; with
 * no cache and no network it says loudly that it skipped). The install prints nothing but npm's own notice about
 * install scripts, pulls in no TensorFlow native binding, and the installed `kmodel` shows its help, suggests
 * `summary` for `summry` and summarises the example the package ships. Needs `npm run build` first: the tarball is
 * the current dist/ (`--ignore-scripts`, so `prepare` does not rebuild under the other tests' feet).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT, announceSkip} from '../helpers/paths.js'

const dir = mkdtempSync(join(tmpdir(), 'kmodel-install-'))
const prefix = join(dir, 'prefix')
const installed = join(prefix, 'lib', 'node_modules', 'kmodel-cli')
let install = {code: -1, stdout: '', stderr: ''}
let offline = false

/** The environment of a user's shell: the prefix's bin first, no vitest NODE_ENV, no colour forcing. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`, DEBUG: '', npm_config_loglevel: 'warn', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false'}
  for (const name of ['NODE_ENV', 'FORCE_COLOR', 'NO_COLOR', 'NODE_OPTIONS', 'KMODEL_CACHE_DIR']) delete env[name]
  return env
}

function sh(command: string, args: string[], cwd: string): {code: number; stdout: string; stderr: string} {
  const res = spawnSync(command, args, {cwd, env: userEnv(), encoding: 'utf8', timeout: 240_000})
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr}
}

/** The installed command, found on PATH as a user's shell finds it, run from a folder outside the repository. */
const kmodel = (args: string[]): {code: number; stdout: string; stderr: string} => sh(join(prefix, 'bin', 'kmodel'), args, dir)

beforeAll(() => {
  const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], ROOT)
  expect(pack.code, pack.stderr).toBe(0)
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))
  expect(tarball).toMatch(/^kmodel-cli-\d+\.\d+\.\d+\.tgz$/)
  install = sh('npm', ['install', '-g', `./${tarball ?? ''}`, '--prefix', prefix, '--prefer-offline'], dir)
  offline = install.code !== 0 && /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(install.stderr)
  if (offline) announceSkip('install.e2e', `npm install needs the registry or a filled npm cache: ${install.stderr.split('\n')[0] ?? ''}`)
}, 300_000)
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('npm pack + npm install -g into a clean prefix (packs and installs: slow)', () => {
  it('installs with no warning but npm\'s own install-script notice, and no TensorFlow native binding', ({skip}) => {
    if (offline) skip()
    expect(install.code, install.stderr).toBe(0)
    const lines = install.stderr.split('\n').filter((l) => l.trim() !== '')
    expect(lines.filter((l) => !l.startsWith('npm warn install-scripts'))).toEqual([])
    expect(existsSync(join(prefix, 'bin', 'kmodel'))).toBe(true)
    for (const name of ['LICENSE', 'README.md', 'index.cjs', join('examples', 'siamese.json')]) expect(existsSync(join(installed, name)), name).toBe(true)
    for (const pkg of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs', 'core-js']) {
      expect(existsSync(join(installed, 'node_modules', pkg)), pkg).toBe(false)
    }
  })

  it('kmodel --help, kmodel help summary, kmodel summary -h', ({skip}) => {
    if (offline) skip()
    const top = kmodel(['--help'])
    expect(top.code, top.stderr).toBe(0)
    expect(top.stderr).toBe('')
    expect(top.stdout).toContain('$ kmodel [COMMAND]')
    expect(top.stdout).toMatch(/VERSION\n {2}kmodel-cli\/\d+\.\d+\.\d+ /)
    const page = kmodel(['help', 'summary'])
    expect(page.code, page.stderr).toBe(0)
    expect(page.stdout).toContain('$ kmodel summary MODEL...')
    expect(kmodel(['summary', '-h']).stdout).toBe(page.stdout)
  })

  it('kmodel summry x suggests summary (exit 2, no prompt: stdin is not a terminal)', ({skip}) => {
    if (offline) skip()
    const run = kmodel(['summry', 'x'])
    expect(run.code).toBe(2)
    expect(run.stderr).toBe("Error: 'summry' is not a kmodel command. (KM_USAGE_UNKNOWN_COMMAND)\nHint: Did you mean 'kmodel summary'? Run 'kmodel help' for the list of commands.\n")
  })

  it('kmodel summary on the shipped example: the model tf.keras 2.21 wrote, 221 parameters', ({skip}) => {
    if (offline) skip()
    const run = kmodel(['summary', join(installed, 'examples', 'siamese.json')])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('Model: "siamese" (Functional, Keras 2.21.0)')
    expect(run.stdout).toContain('Total params: 221 (884.00 B)')
    const json = kmodel(['summary', join(installed, 'examples', 'siamese.json'), '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({status: 0, result: {totalParams: 221, layers: expect.any(Array)}})
  })
})
