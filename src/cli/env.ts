/**
 * The environment variables of the compute commands (train, evaluate, predict, backends), read here in the
 * command layer and handed to core as options, since core never reads `process`:
 * `KMODEL_BLAS=0` keeps tfjs' own cpu kernels (and makes `auto` skip cpu+BLAS); `KMODEL_BLAS_THREADS=N` sets
 * OpenBLAS's thread count. KMODEL_BACKEND is read by the `--backend` flag itself.
 */
import {type BlasOptions, configureBlas} from '../core/backend/blas/options.js'

/** BlasOptions from an environment; a KMODEL_BLAS_THREADS that is not a positive integer is ignored. */
export function blasOptionsFrom(env: Readonly<Record<string, string | undefined>>): BlasOptions {
  const options: BlasOptions = {}
  if (env['KMODEL_BLAS'] === '0') options.disabled = true
  const threads = Number(env['KMODEL_BLAS_THREADS'])
  if (env['KMODEL_BLAS_THREADS'] !== undefined && Number.isInteger(threads) && threads >= 1) options.threads = threads
  return options
}

/** Applies the process's KMODEL_BLAS* variables to core; call before anything selects a backend. */
export function applyComputeEnv(env: Readonly<Record<string, string | undefined>> = process.env): void {
  configureBlas(blasOptionsFrom(env))
}
