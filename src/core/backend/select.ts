/**
 * Choosing the tfjs backend (DESIGN.md "Backends"): `auto` tries, in order, @tensorflow/tfjs-node-gpu (CUDA),
 * @tensorflow/tfjs-node, wasm, cpu. The two native packages are optional dependencies that are usually absent
 * (their install downloads libtensorflow), so they are required inside a try and their absence becomes a
 * reason string. The result says which backend is in use and why each other one is not (`kmodel backends`).
 */
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {BackendError} from '../errors.js'
import {type Tfjs, loadTfjs} from './runtime.js'

/** What `--backend` / KMODEL_BACKEND accept. */
export type BackendName = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'
/** A backend that can actually run. */
export type ConcreteBackend = Exclude<BackendName, 'auto'>

/** Every accepted name, for flag definitions. */
export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']
/** The order `auto` tries. */
export const AUTO_ORDER: readonly ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']

/** One backend's state after a selection. */
export interface BackendStatus {
  name: ConcreteBackend
  /** True when it initialised (it may still not be the one in use). */
  available: boolean
  /** Why it is in use, or why not: `@tensorflow/tfjs-node is not installed (optional dependency)`. */
  reason: string
}

/** The outcome of loadBackend. */
export interface BackendSelection {
  /** The backend in use. */
  name: ConcreteBackend
  /** tfjs's own name for it (`tensorflow`, `wasm`, `cpu`). */
  tfjsName: string
  requested: BackendName
  /** Every backend with its state, in `auto` order. */
  backends: BackendStatus[]
}

type Attempt = {ok: true} | {ok: false; reason: string}

const NATIVE_PACKAGES = {'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node'} as const
const TFJS_NAMES: Record<ConcreteBackend, string> = {'tensorflow-gpu': 'tensorflow', tensorflow: 'tensorflow', wasm: 'wasm', cpu: 'cpu'}
const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''

let wasmPathsSet = false
let current: BackendSelection | undefined

/** The selection made by the last successful loadBackend, or undefined before the first one. */
export function currentBackend(): BackendSelection | undefined {
  return current
}

/** Activates a backend tfjs already has a factory for; false when its initialisation failed. */
async function activate(tf: Tfjs, tfjsName: string): Promise<boolean> {
  if (tf.core.getBackend() === tfjsName) return true
  return tf.core.setBackend(tfjsName)
}

async function tryNative(tf: Tfjs, name: 'tensorflow-gpu' | 'tensorflow'): Promise<Attempt> {
  const pkg = NATIVE_PACKAGES[name]
  try {
    tf.require(pkg)
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && firstLine(error).includes(`'${pkg}'`)
    return {ok: false, reason: missing ? `${pkg} is not installed (optional dependency)` : `${pkg} is installed but failed to load: ${firstLine(error)}`}
  }
  const factory: unknown = tf.core.findBackendFactory('tensorflow')
  if (factory === null || factory === undefined) {
    return {ok: false, reason: `${pkg} loaded but registered its backend with another copy of @tensorflow/tfjs-core (its version differs from kmodel's)`}
  }
  return (await activate(tf, 'tensorflow')) ? {ok: true} : {ok: false, reason: `${pkg} is installed but its native library failed to initialise`}
}

async function tryWasm(tf: Tfjs): Promise<Attempt> {
  let wasm: {setWasmPaths(prefix: string): void}
  let dist: string
  try {
    wasm = tf.require('@tensorflow/tfjs-backend-wasm') as typeof wasm
    dist = dirname(tf.require.resolve('@tensorflow/tfjs-backend-wasm'))
  } catch (error) {
    return {ok: false, reason: `@tensorflow/tfjs-backend-wasm could not be loaded: ${firstLine(error)}`}
  }
  if (!existsSync(join(dist, 'tfjs-backend-wasm.wasm'))) return {ok: false, reason: `the .wasm binaries are missing from ${dist}`}
  if (!wasmPathsSet) {
    wasm.setWasmPaths(`${dist}/`)
    wasmPathsSet = true
  }
  return (await activate(tf, 'wasm')) ? {ok: true} : {ok: false, reason: 'the WebAssembly module failed to initialise'}
}

async function attempt(tf: Tfjs, name: ConcreteBackend): Promise<Attempt> {
  if (name === 'wasm') return tryWasm(tf)
  if (name === 'cpu') return (await activate(tf, 'cpu')) ? {ok: true} : {ok: false, reason: 'the cpu backend failed to initialise'}
  return tryNative(tf, name)
}

/**
 * Loads tfjs and makes `name` the active backend. `auto` takes the first of AUTO_ORDER that initialises; an
 * explicit name that cannot run throws BackendError KM_BACKEND_UNAVAILABLE with the reason.
 */
export async function loadBackend(name: BackendName = 'auto'): Promise<BackendSelection> {
  const tf = await loadTfjs()
  const order = name === 'auto' ? AUTO_ORDER : [name]
  const statuses = new Map<ConcreteBackend, BackendStatus>()
  let chosen: ConcreteBackend | undefined
  for (const candidate of order) {
    const result = await attempt(tf, candidate)
    statuses.set(candidate, result.ok ? {name: candidate, available: true, reason: ''} : {name: candidate, available: false, reason: result.reason})
    if (result.ok) {
      chosen = candidate
      break
    }
  }
  if (chosen === undefined) {
    const reason = statuses.get(order[0] ?? 'cpu')?.reason ?? 'unknown'
    throw new BackendError('KM_BACKEND_UNAVAILABLE', `Backend '${name}' is not available: ${reason}.`, {
      hint: name === 'tensorflow' || name === 'tensorflow-gpu' ? `Install ${NATIVE_PACKAGES[name]} (it needs libtensorflow), or use --backend auto, wasm or cpu.` : 'Use --backend auto or cpu.',
    })
  }
  const inUse = chosen
  const backends = AUTO_ORDER.map((candidate): BackendStatus => {
    if (candidate === inUse) return {name: candidate, available: true, reason: name === 'auto' ? 'first backend in auto order that initialised' : 'requested'}
    return statuses.get(candidate) ?? {name: candidate, available: false, reason: name === 'auto' ? `not tried: auto stopped at '${inUse}'` : `not tried: '${name}' was requested`}
  })
  current = {name: inUse, tfjsName: TFJS_NAMES[inUse], requested: name, backends}
  return current
}

/**
 * Tries every backend (for `kmodel backends`): which ones initialise here and why the others do not. The
 * backend active before the probe is re-activated afterwards.
 */
export async function probeBackends(): Promise<BackendStatus[]> {
  const tf = await loadTfjs()
  const before = tf.core.getBackend()
  const statuses: BackendStatus[] = []
  for (const name of AUTO_ORDER) {
    const result = await attempt(tf, name)
    statuses.push(result.ok ? {name, available: true, reason: 'initialises on this machine'} : {name, available: false, reason: result.reason})
  }
  if (current !== undefined) await activate(tf, current.tfjsName)
  else if (before !== undefined && before !== null) await activate(tf, before)
  return statuses
}
