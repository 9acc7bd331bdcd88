/**
 * The tfjs folder is written atomically: a temp folder beside the target, renamed in; an existing model folder
 * is replaced only with force and then completely (no stale shards); anything else at the path is refused
 * and left as it was; failures and killed runs leave no half-written folder.
 */
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {writeTfjsModel} from '../../../src/core/formats/write-tfjs.js'
import {writeFolderAtomic} from '../../../src/core/formats/write-tfjs-folder.js'
import type {ModelSpec} from '../../../src/core/model/spec.js'
import type {WeightsFile} from '../../../src/core/weights/types.js'
import {readDoc} from '../../helpers/read.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kmodel-tfjs-folder-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

async function model(): Promise<ModelSpec> {
  const doc = {class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Dense', config: {name: 'dense', units: 2, batch_input_shape: [null, 2]}}]}, keras_version: '2.15.0', backend: 'tensorflow'}
  return (await readDoc(doc)).model
}

const weights = (fill: number): WeightsFile => ({
  layout: 'keras2', source: 't', keras_version: '2.15.0', backend: 'tensorflow', top_level: [],
  layers: [{name: 'dense', path: '/dense', name_is_layer_name: true, weights: [
    {name: 'dense/kernel:0', shape: [2, 2], dtype: 'float32', data: new Float32Array(4).fill(fill)},
    {name: 'dense/bias:0', shape: [2], dtype: 'float32', data: new Float32Array(2).fill(fill)},
  ]}],
})

/** Entries of the parent folder other than the target: temp folders must never be left there. */
const leftovers = (): string[] => readdirSync(dir).filter((n) => n !== 'm')

describe('writing a tfjs model folder', () => {
  it('creates the folder with model.json and its shards, and nothing beside it', async () => {
    const out = join(dir, 'm')
    const result = await writeTfjsModel(out, await model(), weights(1), {force: false, shardSizeBytes: 16})
    expect(result.files).toEqual([join(out, 'model.json'), join(out, 'group1-shard1of2.bin'), join(out, 'group1-shard2of2.bin')])
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json'])
    expect(result).toMatchObject({tensors: 2, bytes: 24})
    expect(leftovers()).toEqual([])
  })

  it('writes into an existing empty folder', async () => {
    const out = join(dir, 'm')
    mkdirSync(out)
    await writeTfjsModel(out, await model(), weights(1), {force: false})
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json'])
  })

  it('refuses to replace a model folder without force, leaving it as it was', async () => {
    const out = join(dir, 'm')
    await writeTfjsModel(out, await model(), weights(1), {force: false})
    const before = readFileSync(join(out, 'group1-shard1of1.bin'))
    await expect(writeTfjsModel(out, await model(), weights(2), {force: false})).rejects.toMatchObject({code: 'KM_USAGE_OUTPUT_EXISTS', exit: 2, hint: expect.stringContaining('--force')})
    expect(readFileSync(join(out, 'group1-shard1of1.bin'))).toEqual(before)
    expect(leftovers()).toEqual([])
  })

  it('replaces a model folder with force, completely: no shard of the old model stays', async () => {
    const out = join(dir, 'm')
    await writeTfjsModel(out, await model(), weights(1), {force: false, shardSizeBytes: 8})
    expect(readdirSync(out)).toHaveLength(4)
    await writeTfjsModel(out, await model(), weights(2), {force: true})
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json'])
    expect(Array.from(new Float32Array(Uint8Array.from(readFileSync(join(out, 'group1-shard1of1.bin'))).buffer))).toEqual([2, 2, 2, 2, 2, 2])
    expect(leftovers()).toEqual([])
  })

  it('never replaces a folder holding anything but a tfjs model, even with force', async () => {
    const out = join(dir, 'm')
    mkdirSync(out)
    writeFileSync(join(out, 'model.json'), '{}')
    writeFileSync(join(out, 'index.html'), '<html>')
    await expect(writeTfjsModel(out, await model(), weights(1), {force: true})).rejects.toMatchObject({code: 'KM_USAGE_OUTPUT_EXISTS', hint: expect.stringContaining("'index.html'")})
    expect(readdirSync(out).sort()).toEqual(['index.html', 'model.json'])
    rmSync(join(out, 'model.json'))
    await expect(writeTfjsModel(out, await model(), weights(1), {force: true})).rejects.toMatchObject({code: 'KM_USAGE_OUTPUT_EXISTS'})
  })

  it('refuses a file or a symlink at the path', async () => {
    const file = join(dir, 'm')
    writeFileSync(file, 'x')
    await expect(writeTfjsModel(file, await model(), weights(1), {force: true})).rejects.toMatchObject({code: 'KM_INPUT_OUTPUT_NOT_DIR', exit: 3})
    expect(readFileSync(file, 'utf8')).toBe('x')
    const target = join(dir, 'real')
    mkdirSync(target)
    symlinkSync(target, join(dir, 'link'))
    await expect(writeTfjsModel(join(dir, 'link'), await model(), weights(1), {force: true})).rejects.toMatchObject({code: 'KM_INPUT_OUTPUT_SYMLINK'})
    expect(readdirSync(target)).toEqual([])
  })

  it('fails cleanly when the parent folder is missing, leaving nothing', async () => {
    await expect(writeTfjsModel(join(dir, 'no', 'm'), await model(), weights(1), {force: false})).rejects.toMatchObject({code: 'KM_INPUT_WRITE_FAILED', hint: expect.stringContaining('does not exist')})
    expect(readdirSync(dir)).toEqual([])
  })

  it('fails cleanly when a file cannot be written, keeping the old model', async () => {
    const out = join(dir, 'm')
    await writeTfjsModel(out, await model(), weights(1), {force: false})
    // Two files of one name: the second exclusive create fails after the first was written.
    await expect(writeFolderAtomic(out, [{name: 'model.json', data: '{}'}, {name: 'model.json', data: '{}'}], true)).rejects.toMatchObject({code: 'KM_INPUT_WRITE_FAILED'})
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json'])
    expect(leftovers()).toEqual([])
  })

  it('sweeps the temp folders of a killed writer, and only those', async () => {
    const dead = join(dir, '.m.999999999.0123456789ab.tmp')
    const live = join(dir, `.m.${process.pid}.0123456789ab.tmp`)
    mkdirSync(dead)
    writeFileSync(join(dead, 'model.json'), '{}')
    mkdirSync(live)
    await writeTfjsModel(join(dir, 'm'), await model(), weights(1), {force: false})
    expect(readdirSync(dir).sort()).toEqual([`.m.${process.pid}.0123456789ab.tmp`, 'm'])
  })

  it('refuses an unwritable model before anything touches the disk', async () => {
    const doc = {class_name: 'Sequential', config: {name: 's', layers: [{class_name: 'Lambda', config: {name: 'lambda', function: 'x', batch_input_shape: [null, 2]}}]}, keras_version: '2.15.0', backend: 'tensorflow'}
    const {model: lambda} = await readDoc(doc)
    await expect(writeTfjsModel(join(dir, 'm'), lambda, {...weights(1), layers: []}, {force: false})).rejects.toMatchObject({code: 'KM_FORMAT_TFJS_UNSUPPORTED', exit: 4})
    expect(readdirSync(dir)).toEqual([])
  })
})
