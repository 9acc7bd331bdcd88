/**
 * Choosing the tfjs backend (DESIGN.md "Backends"): `auto` tries, in order, @tensorflow/tfjs-node-gpu (CUDA),
 * @tensorflow/tfjs-node, cpu with the OpenBLAS kernels (when the addon loads and passes its self-test: 7–9×
 * faster than wasm in training, BENCHMARKS.md), wasm, then plain cpu. The two native packages are optional
 * dependencies that are usually absent (their install downloads libtensorflow), so they are required inside a
 * try and their absence becomes a reason string. The result says which backend is in use and why each other
 * one is not (`kmodel backends`). Whenever cpu is selected, the OpenBLAS kernels are registered for it unless
 * the command layer disabled them (blas/options.ts).
 */
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {BackendError} from '../errors.js'
import {loadBlasAddon} from './blas/addon.js'
import {enableBlasKernels} from './blas.js'
import {type Tfjs, loadTfjs} from './runtime.js'

/** What `--backend` / KMODEL_BACKEND accept. */
export type BackendName = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'
/** A backend that can actually run. */
export type ConcreteBackend = Exclude<BackendName, 'auto'>

/** Every accepted name, for flag definitions. */
export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']
/** The order backends are listed in (statuses, `kmodel backends`). */
export const AUTO_ORDER: readonly ConcreteBackend[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']

/** One step of `auto`: a backend, and for cpu whether the step needs the OpenBLAS kernels. */
export interface AutoStep {
  backend: ConcreteBackend
  blas: boolean
}

/** What `auto` tries, in order: cpu is taken before wasm only when its OpenBLAS kernels work. */
export const AUTO_STEPS: readonly AutoStep[] = [
  {backend: 'tensorflow-gpu', blas: false},
  {backend: 'tensorflow', blas: false},
  {backend: 'cpu', blas: true},
  {backend: 'wasm', blas: false},
  {backend: 'cpu', blas: false},
]

/** One backend's state after a selection. */
export interface BackendStatus {
  name: ConcreteBackend
  /** True when it initialised (it may still not be the one in use). */
  available: boolean
  /** Why it is in use, or why not: `@tensorflow/tfjs-node is not installed (an optional peer dependency: …)`. */
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
    return {ok: false, reason: missing ? `${pkg} is not installed (an optional peer dependency: npm install '${pkg}@4.22.0')` : `${pkg} is installed but failed to load: ${firstLine(error)}`}
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

/** The OpenBLAS kernel path: usable (with the addon's build line) or why not. Loads nothing of tfjs. */
function blasAttempt(): Attempt & {info?: string} {
  const load = loadBlasAddon()
  return load.addon === undefined ? {ok: false, reason: load.reason} : {ok: true, info: load.addon.info()}
}

/** Why `auto` picked `name`, given the reasons the steps before it failed. */
function autoReason(name: ConcreteBackend, blas: Attempt & {info?: string}, wasm: string | undefined): string {
  if (name === 'tensorflow-gpu' || name === 'tensorflow') return 'first backend in auto order that initialised'
  if (blas.ok) return `auto picks it: the OpenBLAS kernels load and pass their self-test (${blas.info ?? 'OpenBLAS'}), faster than wasm`
  const noBlas = `no working OpenBLAS kernels (${blas.reason})`
  return name === 'wasm' ? `auto picks it: cpu has ${noBlas}` : `auto picks it: wasm is unavailable (${wasm ?? 'unknown'}) and cpu has ${noBlas}`
}

/**
 * Loads tfjs and makes `name` the active backend. `auto` takes the first of AUTO_STEPS that works; an
 * explicit name that cannot run throws BackendError KM_BACKEND_UNAVAILABLE with the reason.
 */
export async function loadBackend(name: BackendName = 'auto'): Promise<BackendSelection> {
  const tf = await loadTfjs()
  const steps = name === 'auto' ? AUTO_STEPS : [{backend: name, blas: false}]
  const statuses = new Map<ConcreteBackend, BackendStatus>()
  let blas: Attempt & {info?: string} = {ok: false, reason: 'not checked'}
  let chosen: ConcreteBackend | undefined
  for (const step of steps) {
    if (step.blas) {
      blas = blasAttempt()
      if (!blas.ok) continue
    }
    const result = await attempt(tf, step.backend)
    statuses.set(step.backend, result.ok ? {name: step.backend, available: true, reason: ''} : {name: step.backend, available: false, reason: result.reason})
    if (result.ok) {
      chosen = step.backend
      break
    }
  }
  if (chosen === undefined) {
    const reason = statuses.get(steps[0]?.backend ?? 'cpu')?.reason ?? 'unknown'
    throw new BackendError('KM_BACKEND_UNAVAILABLE', `Backend '${name}' is not available: ${reason}.`, {
      hint: name === 'tensorflow' || name === 'tensorflow-gpu' ? `Install ${NATIVE_PACKAGES[name]} (it needs libtensorflow), or use --backend auto, wasm or cpu.` : 'Use --backend auto or cpu.',
    })
  }
  const inUse = chosen
  if (inUse === 'cpu') enableBlasKernels(tf.core)
  const backends = AUTO_ORDER.map((candidate): BackendStatus => {
    if (candidate === inUse) return {name: candidate, available: true, reason: name === 'auto' ? autoReason(inUse, blas, statuses.get('wasm')?.reason) : 'requested'}
    return statuses.get(candidate) ?? {name: candidate, available: false, reason: name === 'auto' ? `not tried: auto stopped at '${inUse}'` : `not tried: '${name}' was requested`}
  })
  current = {name: inUse, tfjsName: TFJS_NAMES[inUse], requested: name, backends}
  return current
}

/** What probeBackends finds: every backend's state, and the one `auto` would pick here (or null). */
export interface BackendProbe {
  backends: BackendStatus[]
  auto: ConcreteBackend | null
}

/**
 * Tries every backend (for `kmodel backends`): which ones initialise here and why the others do not, and which
 * one `auto` would pick — its status's reason says why. The backend active before the probe is re-activated.
 */
export async function probeBackends(): Promise<BackendProbe> {
  const tf = await loadTfjs()
  const before = tf.core.getBackend()
  const statuses: BackendStatus[] = []
  for (const name of AUTO_ORDER) {
    const result = await attempt(tf, name)
    statuses.push(result.ok ? {name, available: true, reason: 'initialises on this machine'} : {name, available: false, reason: result.reason})
  }
  if (current !== undefined) await activate(tf, current.tfjsName)
  else if (before !== undefined && before !== null) await activate(tf, before)
  const blas = blasAttempt()
  const works = (name: ConcreteBackend): boolean => statuses.some((s) => s.name === name && s.available)
  const auto = AUTO_STEPS.find((step) => works(step.backend) && (!step.blas || blas.ok))?.backend ?? null
  const backends = statuses.map((s) => (s.name === auto ? {...s, reason: autoReason(s.name, blas, statuses.find((w) => w.name === 'wasm')?.reason)} : s))
  return {backends, auto}
}
