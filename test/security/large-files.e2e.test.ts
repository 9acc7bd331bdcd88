/**
 * Large files and zip bombs (issue #13), through the built CLI (run `npm run build` first). Files over 2 GiB are
 * sparse (holes cost no disk): a full-model .h5 h5py writes with a 2 GiB dataset, a zip64 .keras whose
 * model.weights.h5 member is 2 GiB of zeros, a text file of 2 GiB. They are read from their headers — summary
 * works, never ERR_FS_FILE_TOO_LARGE. Bombs (a few MB inflating to 5 GiB, built with zlib in the test) and
 * zips whose sizes lie are refused quickly: exit 4, one line + a hint naming the variable that raises the cap,
 * nothing left behind.
 */
import {spawnSync} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {unzipSync, zipSync} from 'fflate'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {CliRun} from '../helpers/cli.js'
import {ROOT, fixture} from '../helpers/paths.js'
import {hasH5py} from '../unit/io/h5py.js'
import {type BuildEntry, writeZip, zeroBomb} from '../unit/io/zip-build.js'

const TWO_GIB = 2 ** 31
let dir: string
let temp: string
const at = (name: string): string => join(dir, name)

/** kmodel with extra environment variables and a private TMPDIR (checked empty afterwards); timed. */
function run(args: string[], env: Record<string, string> = {}): CliRun & {ms: number} {
  const started = Date.now()
  const res = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, env: {...process.env, NO_COLOR: '1', DEBUG: '', TMPDIR: temp, ...env},
  })
  return {code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, json: undefined, ms: Date.now() - started}
}

/**
 * The refusal shape: exit code, an `Error:` line ending in ` (code)` whose text before it matches `message`, a
 * `Hint:` line matching `hint`, no stack trace.
 */
function expectRefusal(result: CliRun, exit: number, code: string, message: RegExp, hint: RegExp): void {
  expect(result.code, result.stderr).toBe(exit)
  const lines = result.stderr.trim().split('\n')
  expect(lines, result.stderr).toHaveLength(2)
  expect(lines[0]?.endsWith(` (${code})`), lines[0]).toBe(true)
  expect(lines[0]?.slice(0, -code.length - 3)).toMatch(message)
  expect(lines[1]).toMatch(/^Hint: /)
  expect(lines[1]).toMatch(hint)
  expect(result.stderr).not.toMatch(/\n\s+at |ERR_FS_FILE_TOO_LARGE|RangeError/)
}

/** The members of the real Keras 3 .keras fixture. */
const realKeras = (): Record<string, Uint8Array> => unzipSync(new Uint8Array(readFileSync(fixture('vae-shared-encoder-keras3.keras'))))

/** One member of the real Keras 3 .keras fixture. */
function realMember(name: string): Uint8Array {
  const data = realKeras()[name]
  if (data === undefined) throw new Error(`the fixture has no ${name}`)
  return data
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-large-'))
  temp = join(dir, 'tmp')
  mkdirSync(temp)
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('files over 2 GiB are read from their headers', () => {
  it.skipIf(!hasH5py)('summary of a 2 GiB full-model .h5 (h5py, sparse)', {timeout: 180_000}, () => {
    const path = at('big.h5')
    const made = spawnSync('/usr/bin/python3', ['-c', String.raw`
import sys, h5py
with h5py.File(sys.argv[1], 'w') as f:
    f.attrs['model_config'] = open(sys.argv[2]).read()
    f.attrs['keras_version'] = '2.12.0'
    f.attrs['backend'] = 'tensorflow'
    d = f.create_dataset('padding', shape=(2**31 + 2**20,), dtype='u1')
    d[-1] = 1
`, path, fixture('mlp-tfkeras212.json')], {encoding: 'utf8'})
    expect(made.status, made.stderr).toBe(0)
    const result = run(['summary', path])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^Model: "mnist_mlp" \(Sequential, Keras 2\.12\.0\)/)
    expect(result.stdout).toContain(run(['summary', fixture('mlp-tfkeras212.json')]).stdout.split('\n').slice(1).join('\n'))
  })

  it('summary of a 2 GiB zip64 .keras (a sparse 2 GiB weights member first, config.json after it)', {timeout: 180_000}, () => {
    const config = readFileSync(fixture('residual-keras3.json')) // model.to_json() of Keras 3: what config.json holds
    const metadata = Buffer.from('{"keras_version": "3.15.1", "date_saved": "2026-12-07@12:00:00"}')
    const path = at('big.keras')
    const size = writeZip(path, [
      {name: 'metadata.json', data: metadata},
      {name: 'model.weights.h5', hole: TWO_GIB + 4096, zip64: true},
      {name: 'config.json', data: config},
    ], {zip64: true})
    expect(size).toBeGreaterThan(TWO_GIB)
    const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(len(z.read("config.json")), z.getinfo("model.weights.h5").file_size)', path], {encoding: 'utf8'})
    if (py.status === 0) expect(py.stdout.trim()).toBe(`${config.length} ${TWO_GIB + 4096}`)
    const result = run(['summary', path])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^Model: "functional" \(Functional, Keras 3\.15\.1\)\n/)
    expect(result.stdout.split('\n').slice(1)).toEqual(run(['summary', fixture('residual-keras3.json')]).stdout.split('\n').slice(1))
    expect(result.stderr).toBe('')
    expect(result.ms).toBeLessThan(15_000)
  })

  it('a 2 GiB text file is refused by its size, naming KMODEL_MAX_TEXT_BYTES; the cap can be lowered', () => {
    const path = at('big.json')
    const fd = openSync(path, 'w')
    writeSync(fd, Buffer.from(' '.repeat(8192)))
    writeSync(fd, Buffer.from('\n'), 0, 1, TWO_GIB + 10)
    closeSync(fd)
    expectRefusal(run(['summary', path]), 4, 'KM_FORMAT_FILE_TOO_LARGE', new RegExp(`^Error: .*big\\.json is ${TWO_GIB + 11} bytes, more than the 524288000-byte limit for a text model file`), /KMODEL_MAX_TEXT_BYTES=N/)
    expectRefusal(run(['summary', fixture('mlp-tfkeras212.json')], {KMODEL_MAX_TEXT_BYTES: '100'}), 4, 'KM_FORMAT_FILE_TOO_LARGE', /mlp-tfkeras212\.json is \d+ bytes, more than the 100-byte limit/, /KMODEL_MAX_TEXT_BYTES=N/)
    expectRefusal(run(['summary', fixture('mlp-tfkeras212.json')], {KMODEL_MAX_TEXT_BYTES: 'lots'}), 3, 'KM_INPUT_ENV', /KMODEL_MAX_TEXT_BYTES is 'lots', not a positive integer/, /KMODEL_MAX_TEXT_BYTES/)
  })
})

describe('zip bombs and zips whose sizes lie are refused quickly', () => {
  const bomb = zeroBomb(5) // ~5 MB of deflate that inflates to 5 GiB

  it('a .keras whose config.json or weights member inflates to 5 GiB: summary and weights show exit 4 before inflating', () => {
    for (const which of ['config.json', 'model.weights.h5']) {
      const path = at(`bomb-${which}.keras`)
      writeZip(path, [
        {name: 'metadata.json', data: realMember('metadata.json')},
        ...['config.json', 'model.weights.h5'].map((name): BuildEntry => (name === which ? {name, data: bomb, method: 8, size: 5 * 2 ** 30, crc: 0, zip64: true} : {name, data: realMember(name)})),
      ])
      for (const args of [['summary', path], ['weights', 'show', path]]) {
        const result = run(args)
        expectRefusal(result, 4, 'KM_FORMAT_ZIP_TOO_LARGE', new RegExp(`^Error: .*bomb-${which.replaceAll('.', '\\.')}\\.keras: entry '${which.replaceAll('.', '\\.')}' declares ${5 * 2 ** 30} bytes uncompressed from ${bomb.length} compressed \\(more than 100 times\\)\\.$`), /zip bomb.*KMODEL_MAX_ZIP_RATIO=N/)
        expect(result.ms).toBeLessThan(15_000)
      }
    }
  })

  it('a .keras weights member that declares 200 MiB but inflates to 5 GiB: stopped at 200 MiB, no temp file left', () => {
    const path = at('liar.keras')
    writeZip(path, [{name: 'metadata.json', data: realMember('metadata.json')}, {name: 'config.json', data: realMember('config.json')}, {name: 'model.weights.h5', data: bomb, method: 8, size: 200 * 2 ** 20, crc: 0}])
    const result = run(['weights', 'show', path])
    expectRefusal(result, 4, 'KM_FORMAT_ZIP', new RegExp(`liar\\.keras: entry 'model\\.weights\\.h5' inflates to more than the ${200 * 2 ** 20} bytes it declares\\.$`), /corrupt/)
    expect(result.ms).toBeLessThan(15_000)
    expect(readdirSync(temp)).toEqual([])
    expect(run(['summary', path]).code).toBe(0) // summary needs config.json only
  })

  it('an .npz whose array inflates to 5 GiB: weights import exits 4 and writes nothing', () => {
    const path = at('bomb.npz')
    writeZip(path, [{name: 'arr_0.npy', data: bomb, method: 8, size: 5 * 2 ** 30, crc: 0, zip64: true}])
    const out = at('never.weights.h5')
    const result = run(['weights', 'import', fixture('mlp-tfkeras212.json'), path, '-o', out])
    expectRefusal(result, 4, 'KM_FORMAT_ZIP_TOO_LARGE', /bomb\.npz: entry 'arr_0\.npy' declares \d+ bytes uncompressed from \d+ compressed \(more than 100 times\)\.$/, /KMODEL_MAX_ZIP_RATIO=N/)
    expect(result.ms).toBeLessThan(15_000)
    expect(existsSync(out)).toBe(false)
  })

  it('a .keras whose central directory and local header disagree on a size is refused; KMODEL_MAX_ZIP_JSON_BYTES caps config.json', () => {
    const bytes = zipSync({'metadata.json': realMember('metadata.json'), 'config.json': realMember('config.json')}, {level: 0})
    const central = Buffer.from(bytes).lastIndexOf(Buffer.from([0x50, 0x4b, 1, 2]))
    const lying = Buffer.from(bytes)
    lying.writeUInt32LE(lying.readUInt32LE(central + 24) + 1, central + 24)
    writeFileSync(at('lying.keras'), lying)
    expectRefusal(run(['summary', at('lying.keras')]), 4, 'KM_FORMAT_ZIP', /lying\.keras: entry 'config\.json': its local header declares \d+ bytes \(\d+ compressed\), the central directory \d+ \(\d+\)\.$/, /corrupt/)
    writeFileSync(at('small.keras'), bytes)
    expectRefusal(run(['summary', at('small.keras')], {KMODEL_MAX_ZIP_JSON_BYTES: '1000'}), 4, 'KM_FORMAT_ZIP_TOO_LARGE', /small\.keras: entry 'config\.json' declares \d+ bytes uncompressed, more than the 1000-byte limit\.$/, /KMODEL_MAX_ZIP_JSON_BYTES=N/)
  })

  it('a deflated .keras (not how Keras writes it) is read the same as the stored original, weights streamed', () => {
    writeFileSync(at('deflated.keras'), zipSync(realKeras(), {level: 9}))
    const deflated = run(['weights', 'show', at('deflated.keras'), '--json'])
    const original = run(['weights', 'show', fixture('vae-shared-encoder-keras3.keras'), '--json'])
    expect(deflated.code, deflated.stderr).toBe(0)
    expect(deflated.stdout.replaceAll(at('deflated.keras'), 'F')).toBe(original.stdout.replaceAll(fixture('vae-shared-encoder-keras3.keras'), 'F'))
    expect(readdirSync(temp)).toEqual([])
  })
})
