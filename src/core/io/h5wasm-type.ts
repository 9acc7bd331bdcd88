/** The h5wasm module's type, for the io modules that take the loaded instance (hdf5-module.ts loads it). */
export type H5wasm = typeof import('h5wasm/node')
