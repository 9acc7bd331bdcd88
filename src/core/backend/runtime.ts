/**
 * Loading tfjs, lazily and once. Only src/core/backend/** reaches tfjs, and only through loadTfjs(), so the
 * commands that need no compute (summary, to-json, to-yaml, from-config) never pay its ~200 ms start-up.
 *
 * The CommonJS bundles are loaded with createRequire, not ESM `import`: tfjs packages have no exports map, so
 * Node's ESM loader scans the CJS bundle and takes ~2× as long (DEPENDENCY-FACTS). The cpu backend is always
 * loaded (it is the fallback); PROD is set before any backend starts so tfjs prints no banner on stderr.
 */
import {createRequire} from 'node:module'
import type * as TfCore from '@tensorflow/tfjs-core'
import {BackendError} from '../errors.js'
import {installChainedOps} from './chained-ops.js'

/** tfjs-core's namespace (ops, tensors, engine, serialization). */
export type Core = typeof TfCore

/** The loaded tfjs pieces kmodel uses. */
export interface Tfjs {
  core: Core
  /** `require` rooted at this module, for the optional backends. */
  require: NodeJS.Require
}

let loaded: Tfjs | undefined

/**
 * Loads tfjs-core and the cpu backend once per process and installs the chained tensor methods.
 * Throws BackendError KM_BACKEND_LOAD when the packages are missing or broken.
 */
export async function loadTfjs(): Promise<Tfjs> {
  if (loaded !== undefined) return loaded
  const require = createRequire(import.meta.url)
  try {
    const core = require('@tensorflow/tfjs-core') as Core
    core.env().set('PROD', true)
    installChainedOps(core)
    require('@tensorflow/tfjs-backend-cpu')
    loaded = {core, require}
    return loaded
  } catch (error) {
    throw new BackendError('KM_BACKEND_LOAD', `TensorFlow.js could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}.`, {
      hint: 'Reinstall kmodel so that @tensorflow/tfjs-core and @tensorflow/tfjs-backend-cpu are present.',
      cause: error,
    })
  }
}

let gradients = false

/**
 * Registers the gradient functions of tfjs-core's kernels, which training needs (`variableGrads`). tfjs-core's
 * Node bundle does not register them and its own `register_all_gradients` module is ESM with extensionless
 * imports that Node cannot load, so they come from @tensorflow/tfjs-layers' bundle, which registers the same
 * functions into the shared registry when it loads (~100 ms, paid by train and evaluate only). Nothing else of
 * tfjs-layers is used: kmodel computes every layer itself (src/core/compute).
 */
export async function loadGradients(): Promise<void> {
  if (gradients) return
  const tf = await loadTfjs()
  try {
    tf.require('@tensorflow/tfjs-layers')
    gradients = true
  } catch (error) {
    throw new BackendError('KM_BACKEND_LOAD', `The gradient functions training needs could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}.`, {
      hint: 'Reinstall kmodel so that @tensorflow/tfjs-layers is present.',
      cause: error,
    })
  }
}
