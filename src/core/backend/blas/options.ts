/**
 * How the command layer configures the OpenBLAS kernel path (core never reads the environment): whether it
 * may be used at all, and OpenBLAS's thread count. Commands set it once, before anything loads a backend
 * (src/cli/env.ts maps KMODEL_BLAS and KMODEL_BLAS_THREADS onto it). This module loads no tfjs.
 */

/** Options of the BLAS kernel path. */
export interface BlasOptions {
  /** True to keep tfjs' own cpu kernels (and make `auto` skip the cpu+BLAS step). Default false. */
  disabled?: boolean
  /** OpenBLAS threads for large products; default OpenBLAS's own (all cores, or OPENBLAS_NUM_THREADS). */
  threads?: number
}

let configured: BlasOptions = {}

/** Sets the options every later backend selection uses. */
export function configureBlas(options: BlasOptions): void {
  configured = {...options}
}

/** The options set by configureBlas (empty by default). */
export const blasOptions = (): BlasOptions => configured
