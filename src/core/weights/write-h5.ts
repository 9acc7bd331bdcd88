/**
 * Writes weights files Keras loads: the legacy `save_weights('w.h5')` layout (keras2) or Keras 3's
 * `.weights.h5` (keras3). The layout modules build a plan first, so bad names and tensors fail before any
 * file exists; the plan is then written into a temp file beside the target and renamed over it, so a
 * failed or killed run never leaves a half-written output (the approach of files.ts).
 */
import {randomBytes} from 'node:crypto'
import {open, rename, rm, stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {InputError, KmodelError} from '../errors.js'
import {checkOverwrite} from '../files.js'
import {type H5Dataset, type H5Group, createDataset, createGroup, withNewH5File, writeFixedStringArrayAttr, writeNumericAttr, writeStringAttr, writeVlenStringArrayAttr} from '../io/hdf5.js'
import type {WeightsFile} from './types.js'
import {planKeras2} from './write-h5-keras2.js'
import {planKeras3} from './write-h5-keras3.js'
import type {H5Plan, HalfFloatMode, PlanAttr} from './write-h5-plan.js'

export {DEFAULT_KERAS2_VERSION, TOP_LEVEL_GROUP, keras2WeightName, planKeras2, writesTopLevel} from './write-h5-keras2.js'
export {keras3VarPaths, planKeras3} from './write-h5-keras3.js'
export {HDF5_OBJECT_HEADER_LIMIT, type H5Plan, type HalfFloatMode, stringListAttrs} from './write-h5-plan.js'

/** Options of writeWeightsH5. */
export interface WriteWeightsOptions {
  /** `keras2`: legacy save_weights `.h5`; `keras3`: Keras 3 `.weights.h5`. */
  layout: 'keras2' | 'keras3'
  /** Replace an existing file. Without it an existing output is refused (KM_USAGE_OUTPUT_EXISTS). */
  force: boolean
  /**
   * keras2: written as `keras_version` (default: the file's, else 2.15.0) and decides
   * `top_level_model_weights` (written for ≥ 2.7). keras3: below 3.6 no `name` attributes are written.
   */
  kerasVersion?: string
  /** keras2: written as `backend` (default: the file's, else `tensorflow`). */
  backend?: string
  /** keras3: group keys parallel to `file.layers` (snake-cased class name + counter); default: layer names. */
  keras3Keys?: readonly string[]
  /** keras3: the model's name, attr `name` of the root `vars` group. */
  modelName?: string
  /** keras3: `name` attrs of nested vars groups, keyed by group path (`layers/lstm/cell` → `lstm_cell`). */
  keras3VarsNames?: Readonly<Record<string, string>>
  /** float16 / bfloat16 handling; see HalfFloatMode. Default `float32`. */
  halfFloats?: HalfFloatMode
}

/** The plan writeWeightsH5 would execute: useful to inspect or test a layout without touching the disk. */
export function planWeightsH5(file: WeightsFile, opts: Omit<WriteWeightsOptions, 'force'>): H5Plan {
  const half = opts.halfFloats ?? 'float32'
  if (opts.layout === 'keras2') return planKeras2(file, {kerasVersion: opts.kerasVersion, backend: opts.backend, half})
  return planKeras3(file, {keys: opts.keras3Keys, modelName: opts.modelName, varsNames: opts.keras3VarsNames, kerasVersion: opts.kerasVersion, half})
}

function writeAttr(node: H5Group | H5Dataset, attr: PlanAttr): void {
  const v = attr.value
  if (v.kind === 'fixed-strings') writeFixedStringArrayAttr(node, attr.name, v.values, {size: v.size})
  else if (v.kind === 'vlen-strings') writeVlenStringArrayAttr(node, attr.name, v.values)
  else if (v.kind === 'string') writeStringAttr(node, attr.name, v.value, v.charset)
  else writeNumericAttr(node, attr.name, v.data, v.shape)
}

/** Writes a plan into the open file's root group, in plan order. */
function executePlan(root: H5Group, plan: H5Plan): void {
  for (const node of plan.nodes) {
    if (node.kind === 'group') {
      const group = node.path === '' ? root : createGroup(root, node.path)
      for (const attr of node.attrs) writeAttr(group, attr)
    } else {
      const ds = createDataset(root, node.path, node.data, node.shape)
      for (const attr of node.attrs) writeAttr(ds, attr)
    }
  }
}

/** Flushes a written file to disk before it is renamed into place. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** InputError for a missing output folder, before h5wasm gives a less readable one. */
async function checkFolder(path: string): Promise<void> {
  const folder = await stat(dirname(path)).catch(() => undefined)
  if (folder?.isDirectory() !== true) {
    throw new InputError('KM_INPUT_WRITE_FAILED', `Cannot write ${path}: the folder ${dirname(path)} does not exist.`, {
      hint: 'The output folder does not exist; create it first.',
    })
  }
}

/**
 * Writes `file` as an HDF5 weights file at `path` in the chosen layout. Refuses to replace an existing
 * file unless `opts.force`; writes atomically (writePlanH5). WeightsError for names/tensors the layout cannot
 * hold, InputError for I/O failures.
 */
export async function writeWeightsH5(path: string, file: WeightsFile, opts: WriteWeightsOptions): Promise<void> {
  await writePlanH5(path, planWeightsH5(file, opts), opts.force)
}

/**
 * The temp file beside `path`: a short name (`.kmodel-<hex>.tmp`), so an output name near the file system's
 * 255-byte NAME_MAX still gets a temp file that can be created (and removed) in the same folder.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.kmodel-${randomBytes(8).toString('hex')}.tmp`)
}

/**
 * Executes an H5Plan into a new HDF5 file at `path`: refuses to replace an existing file unless `force`,
 * writes a temp file in the same folder, fsyncs and renames it over `path`, and removes the temp file on any
 * failure. InputError for I/O failures.
 */
export async function writePlanH5(path: string, plan: H5Plan, force: boolean): Promise<void> {
  await checkOverwrite(path, force)
  await checkFolder(path)
  const temp = tempPathFor(path)
  try {
    await withNewH5File(temp, (root) => executePlan(root, plan), {source: path})
    await syncFile(temp)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, {force: true})
    if (error instanceof KmodelError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError('KM_INPUT_WRITE_FAILED', `Cannot write ${path} (${code ?? String(error)}).`, {
      hint: 'Check the output folder exists and is writable.',
      cause: error,
    })
  }
}

/** Writes an H5Plan to a new file at `path` (no atomic rename: for temp files the caller owns and removes). */
export async function writePlanH5Direct(path: string, plan: H5Plan, source: string): Promise<void> {
  await withNewH5File(path, (root) => executePlan(root, plan), {source})
}
