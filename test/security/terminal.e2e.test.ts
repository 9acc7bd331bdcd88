/**
 * Terminal injection (issue #13): layer, class, weight and file names holding ANSI/OSC escapes, a C1 CSI, BEL,
 * backspace or bidi overrides reach no terminal raw. Through the built CLI (run `npm run build` first): human
 * output shows each such character escaped (`\x1b`, `\x9b`, `\u202e`) with columns still aligned, while
 * `--json` keeps the exact strings (JSON escapes). Every file is made in a tmpdir, removed afterwards.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import yaml from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type CliRun, kmodel} from '../helpers/cli.js'
import {announceSkip} from '../helpers/paths.js'

/** Every character that must not reach a terminal raw (C0 but the line feed, DEL, C1, bidi controls). */
// eslint-disable-next-line no-control-regex -- the point of the test
const RAW = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/

const TITLE = '\u001B]0;pwned\u0007'
const CLEAR = '\u001B[2J'
const CSI = '\u009B31m'
const RTL = 'a\u202Egnp.exe'
const BELL = 'bell\u0007'
const NAMES = [TITLE, CLEAR, CSI, RTL, BELL, 'back\\slash', '密集层👩‍💻', 'bs\b\u2067x']
/** How each name must show in human output. */
const SHOWN = [String.raw`\x1b]0;pwned\x07`, String.raw`\x1b[2J`, String.raw`\x9b31m`, String.raw`a\u202egnp.exe`, String.raw`bell\x07`, 'back\\slash', '密集层👩‍💻', String.raw`bs\x08\u2067x`]

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_H5PY = spawnSync(PYTHON, ['-c', 'import h5py'], {stdio: 'ignore'}).status === 0
if (!HAVE_H5PY) announceSkip('terminal injection: load-weights report (h5py)', `${PYTHON} cannot import h5py; install python3-h5py`)

/** A legacy save_weights .h5 with the given layers and weight names, written by h5py. */
const MAKE_WEIGHTS = `
import sys, json, h5py, numpy as np
out, spec = sys.argv[1], json.loads(sys.argv[2])
with h5py.File(out, "w") as f:
    f.attrs["layer_names"] = np.asarray([l["name"].encode("utf8") for l in spec])
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.15.0"
    for l in spec:
        g = f.create_group(l["name"])
        g.attrs["weight_names"] = np.asarray([w["name"].encode("utf8") for w in l["weights"]])
        for w in l["weights"]:
            g.create_dataset(w["name"], data=np.full(w["shape"], 0.5, dtype="float32"))
`

function dense(name: string, units: number, first: boolean, className = 'Dense'): unknown {
  return {class_name: className, config: {
    name, units, activation: 'linear', use_bias: true, dtype: 'float32', trainable: true,
    kernel_initializer: {class_name: 'GlorotUniform', config: {seed: null}}, bias_initializer: {class_name: 'Zeros', config: {}},
    kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
    ...(first ? {batch_input_shape: [null, 4]} : {}),
  }}
}

/** A Keras 2 Sequential to_json() document of Dense(2) layers with `names`. */
function sequential(names: readonly string[], opts: {units?: number[]; classes?: string[]} = {}): string {
  const layers = names.map((n, i) => dense(n, opts.units?.[i] ?? 2, i === 0, opts.classes?.[i]))
  return JSON.stringify({class_name: 'Sequential', config: {name: `seq${CLEAR}`, layers}, keras_version: '2.15.0', backend: 'tensorflow'})
}

let dir = ''
const path = (name: string): string => join(dir, name)

/** No raw control or bidi character anywhere in what the run printed. */
function expectClean(run: CliRun): void {
  expect(RAW.exec(run.stdout)?.[0], 'stdout').toBeUndefined()
  expect(RAW.exec(run.stderr)?.[0], 'stderr').toBeUndefined()
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

function expectShown(text: string, indices: readonly number[] = NAMES.map((_, i) => i)): void {
  for (const i of indices) expect(text).toContain(SHOWN[i])
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-terminal-'))
  writeFileSync(path('model.json'), sequential(NAMES))
  writeFileSync(path('changed.json'), sequential([...NAMES.slice(0, -1), `renamed${BELL}`], {units: [2, 3]}))
  writeFileSync(path('custom.json'), sequential(NAMES.slice(0, 2), {classes: ['Dense', `My${CLEAR}Layer`]}))
  writeFileSync(path('invalid.json'), sequential(NAMES.slice(0, 2), {units: [2, -1]}))
  mkdirSync(path('batch'))
  copyFileSync(path('model.json'), path(`batch/evil${TITLE}.json`))
})

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('summary', () => {
  it('table (with --flops): names escaped, columns aligned', () => {
    const run = kmodel(['summary', path('model.json'), '--flops'])
    expect(run.code).toBe(0)
    expectClean(run)
    expectShown(run.stdout)
    expect(run.stdout).toContain(String.raw`Model: "seq\x1b[2J"`)
    // every box line as wide as the others (the CJK/emoji row is wider in code points, not on screen)
    const box = run.stdout.split('\n').filter((l) => /^[│┌├└]/.test(l) && !l.includes('密'))
    expect(new Set(box.map((l) => [...l].length)).size).toBe(1)
  })

  for (const style of ['2.6', '2.13', '3']) {
    it(`--format keras --keras-style ${style}`, () => {
      const run = kmodel(['summary', path('model.json'), '--format', 'keras', '--keras-style', style])
      expect(run.code).toBe(0)
      expectClean(run)
      expectShown(run.stdout, [0, 1, 2, 4, 5])
    })
  }

  it('--json keeps the exact names', () => {
    const run = kmodel(['summary', path('model.json'), '--json'])
    expectClean(run)
    const result = run.json?.result as {name: string; layers: Array<{name: string}>}
    expect(result.name).toBe(`seq${CLEAR}`)
    expect(result.layers.map((l) => l.name)).toEqual(NAMES)
  })

  it('--format json keeps the exact names, with JSON escapes only', () => {
    const run = kmodel(['summary', path('model.json'), '--format', 'json'])
    expectClean(run)
    expect((JSON.parse(run.stdout) as {layers: Array<{name: string}>}).layers.map((l) => l.name)).toEqual(NAMES)
  })

  it('a file name with ESC in a folder batch, and a warning naming a hostile class', () => {
    const batch = kmodel(['summary', path('batch'), path('custom.json')])
    expectClean(batch)
    expect(batch.stdout).toContain(String.raw`evil\x1b]0;pwned\x07.json <==`)
    expect(batch.stderr).toContain(String.raw`My\x1b[2JLayer`)
  })
})

describe('from-config', () => {
  it('report lines: file, errors and warnings escaped; --json exact', () => {
    const run = kmodel(['from-config', path('model.json'), path('custom.json'), path('invalid.json'), path(`batch/evil${TITLE}.json`)])
    expect(run.code).toBe(4)
    expectClean(run)
    expect(run.stdout).toContain(String.raw`Dense layer '\x1b[2J' must be`)
    expect(run.stdout).toContain(String.raw`My\x1b[2JLayer`)
    expect(run.stdout).toContain(String.raw`evil\x1b]0;pwned\x07.json: valid`)
    const json = kmodel(['from-config', path('invalid.json'), path('custom.json'), '--json'])
    const results = (json.json?.result as {results: Array<{errors: Array<{message: string}>; warnings: Array<{message: string}>}>}).results
    expect(results[0]?.errors[0]?.message).toContain(`'${CLEAR}'`)
    expect(results[1]?.warnings.map((w) => w.message).join()).toContain(`My${CLEAR}Layer`)
  })
})

describe('to-json / to-yaml print the document itself', () => {
  it('to-json: C0 controls are JSON escapes; the document parses to the exact names', () => {
    const run = kmodel(['to-json', path('model.json')])
    expect(run.code).toBe(0)
    // eslint-disable-next-line no-control-regex -- JSON.stringify escapes C0; C1 and bidi are the file format's question
    expect(run.stdout.slice(0, -1)).not.toMatch(/[\u0000-\u001F]/)
    const doc = JSON.parse(run.stdout) as {config: {layers: Array<{config: {name: string}}>}}
    expect(doc.config.layers.map((l) => l.config.name)).toEqual(NAMES)
  })

  it('to-yaml: js-yaml writes C0 and C1 as double-quoted escapes; the document loads to the exact names', () => {
    const run = kmodel(['to-yaml', path('model.json')])
    expect(run.code).toBe(0)
    // eslint-disable-next-line no-control-regex -- bidi characters stay raw in YAML (printable for YAML 1.2)
    expect(run.stdout.slice(0, -1)).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/)
    const doc = yaml.load(run.stdout) as {config: {layers: Array<{config: {name: string}}>}}
    expect(doc.config.layers.map((l) => l.config.name)).toEqual(NAMES)
  })
})

describe('diff', () => {
  it('escapes layer names, renames and file names; --json exact', () => {
    const a = path('model.json')
    const b = path(`batch/evil${TITLE}.json`)
    const same = kmodel(['diff', a, b])
    expect(same.code).toBe(0)
    expectClean(same)
    expect(same.stdout).toContain(String.raw`+++ ${b.replace(TITLE, String.raw`\x1b]0;pwned\x07`)}`)
    const run = kmodel(['diff', a, path('changed.json')])
    expect(run.code).toBe(1)
    expectClean(run)
    expectShown(run.stdout, [1])
    expect(run.stdout).toContain(String.raw`→ renamedbell\x07 (renamed)`)
    const json = kmodel(['diff', a, path('changed.json'), '--json'])
    expectClean(json)
    const result = json.json?.result as {changed: Array<{a: string; b: string}>}
    expect(result.changed.map((c) => c.a)).toContain(CLEAR)
    expect(result.changed.map((c) => c.b)).toContain(`renamed${BELL}`)
  })
})

describe('errors', () => {
  it('a missing file whose name holds ESC: one escaped line + Hint, exit 3; --json exact', () => {
    const missing = path(`gone${CLEAR}${RTL}.json`)
    const run = kmodel(['summary', missing])
    expect(run.code).toBe(3)
    expectClean(run)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(String.raw`gone\x1b[2Ja\u202egnp.exe.json`)
    expect(lines[1]).toMatch(/^Hint: /)
    const json = kmodel(['summary', missing, '--json'])
    expectClean(json)
    expect(json.json?.error?.message).toContain(missing)
  })

  it('an invalid model: the layer name in the message is escaped, exit 4', () => {
    const run = kmodel(['summary', path('invalid.json')])
    expect(run.code).toBe(4)
    expectClean(run)
    expect(run.stderr).toContain(String.raw`'\x1b[2J'`)
    expect(run.stderr).toMatch(/\nHint: /)
  })

  it('oclif usage errors quoting the command line are escaped, exit 2', () => {
    const run = kmodel(['summary', path('model.json'), '--format', `x${TITLE}`])
    expect(run.code).toBe(2)
    expectClean(run)
    expect(run.stderr).toContain(String.raw`x\x1b]0;pwned\x07`)
  })
})

describe.skipIf(!HAVE_H5PY)('load-weights report (weights file written by h5py)', () => {
  const layers = NAMES.slice(0, 5)

  beforeAll(() => {
    const spec = layers.map((name, i) => ({name, weights: [
      {name: `${name}/ker${CLEAR}nel:0`, shape: [i === 0 ? 4 : (i === 2 ? 3 : 2), 2]},
      {name: `${name}/bias${RTL}:0`, shape: [2]},
    ]}))
    const made = spawnSync(PYTHON, ['-c', MAKE_WEIGHTS, path('w.h5'), JSON.stringify(spec)], {encoding: 'utf8'})
    expect(made.status, made.stderr).toBe(0)
    writeFileSync(path('five.json'), sequential(layers))
  })

  it('table and warning escaped, mismatch named; --json exact', () => {
    const run = kmodel(['load-weights', path('five.json'), path('w.h5'), '--skip-mismatch'])
    expect(run.code).toBe(0)
    expectClean(run)
    expectShown(run.stdout, [0, 1, 2, 3, 4])
    expect(run.stdout).toMatch(/mismatch/)
    const json = kmodel(['load-weights', path('five.json'), path('w.h5'), '--skip-mismatch', '--json'])
    expectClean(json)
    const report = json.json?.result as {matched: Array<{layer: string; fileLayer: string}>}
    expect(report.matched.map((m) => m.fileLayer)).toContain(RTL)
  })

  it('a shape error naming hostile layers: one escaped line + Hint, exit 5', () => {
    const run = kmodel(['load-weights', path('five.json'), path('w.h5')])
    expect(run.code).toBe(5)
    expectClean(run)
    expect(run.stderr).toContain(String.raw`\x9b31m`)
  })

  it('nothing is left behind but the files the test made', () => {
    expect(readdirSync(dir).sort()).toEqual(['batch', 'changed.json', 'custom.json', 'five.json', 'invalid.json', 'model.json', 'w.h5'])
  })
})
