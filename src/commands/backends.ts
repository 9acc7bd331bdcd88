import {KmodelCommand} from '../base-command.js'
import {applyComputeEnv} from '../cli/env.js'
import {type BackendsReport, describeBackends} from '../core/train/backends.js'

export default class Backends extends KmodelCommand<BackendsReport> {
  static override summary = 'List the compute backends, whether each works on this machine and why not, and which one auto picks.'
  static override description = `--backend auto tries, in order: tensorflow-gpu (@tensorflow/tfjs-node-gpu, CUDA), tensorflow (@tensorflow/tfjs-node), cpu with the OpenBLAS kernels (when the native addon is built and passes its self-test), wasm, then plain cpu. The native two are optional dependencies, usually absent: their install downloads libtensorflow. The line of the backend auto picks (marked *) says why. KMODEL_BLAS=0 turns the OpenBLAS kernels off; KMODEL_BLAS_THREADS=N sets their thread count. Also says whether the accelerated kernels are active (OpenBLAS on cpu, the training kernels added to wasm).`
  static override examples = [
    {description: 'What can compute here', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'The same, for a script', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  async run(): Promise<BackendsReport> {
    await this.parse(Backends)
    applyComputeEnv()
    const report = await describeBackends()
    if (!this.jsonEnabled()) {
      const width = Math.max(...report.backends.map((b) => b.name.length))
      const lines = report.backends.map((b) => `${b.name === report.auto ? '*' : ' '} ${b.name.padEnd(width)}  ${b.available ? 'available' : 'unavailable'}${b.available && b.name !== report.auto ? '' : `  ${b.reason}`}`)
      this.out([...lines, ...report.kernels.map((k) => `  ${k}`)].join('\n'))
    }
    return report
  }
}
