import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {dumpKerasYaml, parseKerasYaml, pyyamlQuoted} from '../../../src/core/formats/yaml.js'
import {announceSkip, fixture} from '../../helpers/paths.js'

const PYTHON = process.env.KMODEL_TEST_PYTHON ?? '/usr/bin/python3'
const HAVE_PYYAML = spawnSync(PYTHON, ['-c', 'import yaml'], {stdio: 'ignore'}).status === 0
if (!HAVE_PYYAML) announceSkip('PyYAML comparison of escaped strings (test/unit/formats/yaml.test.ts)', `${PYTHON} cannot import yaml`)

describe('parseKerasYaml', () => {
  it('reads !!python/tuple as a list and resolves anchors', () => {
    const doc = parseKerasYaml(readFileSync(fixture('cnn-keras213.yaml'), 'utf8'), 'cnn.yaml') as {config: {layers: Array<{config: Record<string, unknown>}>}}
    expect(doc.config.layers[0]?.config.batch_input_shape).toEqual([null, 28, 28, 1])
    expect(doc.config.layers[1]?.config.strides).toEqual([1, 1])
  })

  it('keeps an unquoted keras_version like 2.10 a string', () => {
    expect(parseKerasYaml('keras_version: 2.10\nbackend: tensorflow\nclass_name: Sequential\nconfig: []\n', 'v.yaml')).toMatchObject({keras_version: '2.10'})
  })

  it.each([
    ['!!python/object/apply:os.system ["echo pwned"]', '!!python/object/apply:os.system'],
    ['!!python/name:builtins.exec ""', '!!python/name:builtins.exec'],
    ['!!python/object/new:subprocess.Popen [["ls"]]', '!!python/object/new:subprocess.Popen'],
  ])('refuses the code-running tag in %s', (value, tag) => {
    expect(() => parseKerasYaml(`class_name: Sequential\nconfig: ${value}\n`, 'evil.yaml')).toThrowError(`evil.yaml uses the YAML tag '${tag}'`)
  })

  it('refuses an alias bomb before expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`)
    expect(() => parseKerasYaml(lines.join('\n'), 'bomb.yaml')).toThrowError(/expands to more than/)
  })

  it('refuses a scalar document', () => {
    expect(() => parseKerasYaml('just text', 'note.txt')).toThrowError(/not a Keras model document/)
  })

  it('reports the line of a syntax error', () => {
    expect(() => parseKerasYaml('class_name: Sequential\nconfig:\n  - a: [1, 2\n', 'bad.yaml')).toThrowError(/bad\.yaml is not valid YAML at line \d+/)
  })
})

describe('dumpKerasYaml', () => {
  it('writes plain YAML with sorted keys that reads back equal', () => {
    const doc = {config: {layers: [], name: 'm'}, class_name: 'Sequential', keras_version: '2.10'}
    const text = dumpKerasYaml(doc)
    expect(text).not.toContain('!!')
    expect(text.indexOf('class_name')).toBeLessThan(text.indexOf('config'))
    expect(parseKerasYaml(text, 't')).toEqual(doc)
  })
})

describe('strings outside printable ASCII (Keras: yaml.dump with allow_unicode=False)', () => {
  const tricky = ['d\u00e9nse', 's\u202eevil\u001b[2J', '\u4e2d\u6587', 'x\u{1F600}', 'tab\there\u0007', '\u00a0nb\u0085\u2028', 'q"\\é']

  it('writes them double-quoted with escapes only, and they read back exactly', () => {
    const doc = {class_name: 'Sequential', config: {name: tricky[1] ?? '', layers: tricky.map((name) => ({class_name: 'Dense', config: {name}}))}, ['k\u00e9y']: 'v'}
    const text = dumpKerasYaml(doc)
    expect(text).toMatch(/^[\x20-\x7e\n]*$/) // nothing raw: no bidi, control or non-ASCII character
    expect(text).toContain('name: "s\\u202Eevil\\e[2J"')
    expect(parseKerasYaml(text, 't')).toEqual(doc)
  })

  it.skipIf(!HAVE_PYYAML)('escapes each exactly as PyYAML does', () => {
    const run = spawnSync(PYTHON, ['-c', 'import json, sys, yaml\nfor s in json.load(sys.stdin): print(yaml.dump(s).split("\\n")[0])'], {input: JSON.stringify(tricky), encoding: 'utf8'})
    expect(run.status, run.stderr).toBe(0)
    expect(tricky.map(pyyamlQuoted)).toEqual(run.stdout.trim().split('\n'))
  })
})

describe('duplicate keys', () => {
  it('lets the later key win, as PyYAML does, and warns', async () => {
    const {parseKerasYamlWithWarnings} = await import('../../../src/core/formats/yaml.js')
    const {doc, warnings} = parseKerasYamlWithWarnings('class_name: A\nconfig: []\nclass_name: Sequential\n', 'twice.yaml')
    expect(doc).toEqual({class_name: 'Sequential', config: []})
    expect(warnings).toEqual([{path: 'line 3', message: expect.stringContaining('repeats a mapping key') as unknown}])
  })
})

describe('alias expansion', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
  for (const n of 'bcdefgh') bomb.push(`${n}: &${n} [${Array.from({length: 10}, () => `*${String.fromCodePoint(n.codePointAt(0)! - 1)}`).join(', ')}]`)

  it('refuses a document that aliases expand past the limit', () => {
    expect(() => parseKerasYaml(bomb.join('\n'), 'bomb.yaml')).toThrow(expect.objectContaining({code: 'KM_FORMAT_YAML_ALIASES'}))
  })

  it('reads a document with a few aliases', () => {
    const doc = parseKerasYaml('class_name: Sequential\nshape: &s [1, 2]\nconfig: {a: *s, b: *s}\n', 'small.yaml') as Record<string, unknown>
    expect(doc.config).toEqual({a: [1, 2], b: [1, 2]})
  })
})
