/** Write speed on VGG16's shapes (138,357,544 float32, 528 MiB). Opt-in: KMODEL_BENCH=1 (slow, ~2 GB RAM). */
import {describe, expect, it} from 'vitest'
import type {LayerWeights} from '../../../src/core/weights/types.js'
import {writeWeightsH5} from '../../../src/core/weights/write-h5.js'
import {tmp, weightsFile} from '../../helpers/weights-file.js'

const CONV: Array<[number, number]> = [[3, 64], [64, 64], [64, 128], [128, 128], [128, 256], [256, 256], [256, 256], [256, 512], [512, 512], [512, 512], [512, 512], [512, 512], [512, 512]]
const FC: Array<[number, number]> = [[25_088, 4096], [4096, 4096], [4096, 1000]]

function vgg16(): LayerWeights[] {
  const dense = (name: string, kernel: number[], units: number): LayerWeights => ({
    name, path: `/${name}`, name_is_layer_name: true,
    weights: [
      {name: `${name}/kernel:0`, shape: kernel, dtype: 'float32', data: new Float32Array(kernel.reduce((a, b) => a * b, 1)).fill(0.5)},
      {name: `${name}/bias:0`, shape: [units], dtype: 'float32', data: new Float32Array(units).fill(0.25)},
    ],
  })
  return [...CONV.map(([i, o], k) => dense(`conv${k}`, [3, 3, i, o], o)), ...FC.map(([i, o], k) => dense(`fc${k}`, [i, o], o))]
}

describe.skipIf(process.env.KMODEL_BENCH === undefined)('write speed', () => {
  it('writes VGG16-sized weights (keras2 and keras3)', async () => {
    const dir = tmp()
    const file = weightsFile(vgg16())
    const count = file.layers.flatMap((l) => l.weights).reduce((n, w) => n + w.data.length, 0)
    expect(count).toBe(138_357_544)
    const times: string[] = []
    for (const [i, layout] of (['keras2', 'keras2', 'keras3', 'keras3'] as const).entries()) {
      const t = performance.now()
      await writeWeightsH5(dir.file(`vgg${i}.h5`), file, {layout, force: false})
      times.push(`${layout} ${(performance.now() - t).toFixed(0)} ms`)
    }
    console.warn(`VGG16 write: ${times.join(', ')}`)
    dir.cleanup()
  }, 600_000)
})
