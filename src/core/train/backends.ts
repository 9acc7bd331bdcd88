/**
 * `kmodel backends`: every backend `--backend` accepts, whether it initialises on this machine and why not,
 * which one `auto` picks, and the state of the accelerated kernel path for cpu and wasm.
 */
import type {BackendStatus, ConcreteBackend} from '../backend/select.js'
import {prepareBackend} from './session.js'

/** `backends --json` result. */
export interface BackendsReport {
  /** In the order `auto` tries them. */
  backends: BackendStatus[]
  /** The backend `auto` selects here; its entry in `backends` says why. */
  auto: ConcreteBackend | null
  /** What the kernel path does on cpu and wasm (OpenBLAS kernels, kernels added to wasm). */
  kernels: string[]
}

/** Probes every backend (loads tfjs; the native ones only if installed). */
export async function describeBackends(): Promise<BackendsReport> {
  const {probeBackends} = await import('../backend/select.js')
  const {backends, auto} = await probeBackends()
  const kernels: string[] = []
  for (const name of ['cpu', 'wasm'] as const) {
    if (!backends.some((b) => b.name === name && b.available)) continue
    kernels.push(...(await prepareBackend(name)).notices)
  }
  return {backends, auto, kernels}
}
