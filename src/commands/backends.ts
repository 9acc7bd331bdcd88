import {Flags} from '@oclif/core'
import {KmodelCommand} from '../cli/base-command.js'
import {applyComputeEnv} from '../cli/env.js'
import {type ComputeAccountRow, computeAccount} from '../core/compute/account.js'
import {type BackendsReport, describeBackends} from '../core/train/backends.js'

/** `backends --layers --json` result. */
export interface LayersReport {
  layers: ComputeAccountRow[]
}

export default class Backends extends KmodelCommand<BackendsReport | LayersReport> {
  static override summary = 'List the compute backends, whether each works on this machine and why not, and which one auto picks.'
  static override description = `--backend auto tries, in order: tensorflow-gpu (@tensorflow/tfjs-node-gpu, CUDA), tensorflow (@tensorflow/tfjs-node), cpu with the OpenBLAS kernels (when the native addon is built and passes its self-test), wasm, then plain cpu. The native two are optional peer dependencies, never installed with kmodel: their install downloads libtensorflow (README, "Backends", has the one install command). The line of the backend auto picks (marked *) says why. KMODEL_BLAS=0 turns the OpenBLAS kernels off; KMODEL_BLAS_THREADS=N sets their thread count. Also says whether the accelerated kernels are active (OpenBLAS on cpu, the training kernels added to wasm).

--layers prints instead which Keras layer classes predict, evaluate and train compute (with kmodel's own compute functions, written from Keras's semantics and checked against Keras) and, for every other class, why it is refused. A model with a refused layer is refused as a whole (exit 6), never approximated.`
  static override examples = [
    {description: 'What can compute here', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'The same, for a script', command: '<%= config.bin %> <%= command.id %> --json'},
    {description: 'Which Keras layer classes compute, and why the others are refused', command: '<%= config.bin %> <%= command.id %> --layers'},
  ]

  static override flags = {
    layers: Flags.boolean({summary: 'List the Keras layer classes kmodel computes and why it refuses the others.', default: false}),
  }

  async run(): Promise<BackendsReport | LayersReport> {
    const {flags} = await this.parse(Backends)
    if (flags.layers) return this.layers()
    applyComputeEnv()
    const report = await describeBackends()
    if (!this.jsonEnabled()) {
      const width = Math.max(...report.backends.map((b) => b.name.length))
      const lines = report.backends.map((b) => `${b.name === report.auto ? '*' : ' '} ${b.name.padEnd(width)}  ${b.available ? 'available' : 'unavailable'}${b.available && b.name !== report.auto ? '' : `  ${b.reason}`}`)
      this.out([...lines, ...report.kernels.map((k) => `  ${k}`)].join('\n'))
    }
    return report
  }

  private layers(): LayersReport {
    const layers = computeAccount()
    if (!this.jsonEnabled()) {
      const width = Math.max(...layers.map((l) => l.class_name.length))
      const generations = (l: ComputeAccountRow): string => l.generations.map((g) => (g === 'keras2' ? '2' : '3')).join('+').padEnd(3)
      const lines = layers.map((l) => `${l.class_name.padEnd(width)}  keras ${generations(l)}  ${l.computes ? 'computes' : `refused: ${l.reason ?? ''}`}`)
      const computed = layers.filter((l) => l.computes).length
      this.out([...lines, '', `${computed} of ${layers.length} classes compute; the rest are refused with the reason shown.`].join('\n'))
    }
    return {layers}
  }
}
