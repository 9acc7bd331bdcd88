// Writes then reads a VGG16-size legacy weights file (138,357,544 float32) with kmodel, several times in one
// process; prints JSON timings and the process's peak RSS. Usage: node bench/weights/kmodel.js DIR REPS (needs `npm run build`).
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {readWeights} from '../../dist/core/weights/read.js'
import {writeWeightsH5} from '../../dist/core/weights/write-h5.js'

const [dir, reps = '3'] = process.argv.slice(2)
const shapes = JSON.parse(readFileSync(new URL('./vgg16-shapes.json', import.meta.url), 'utf8'))
const layers = shapes.map(([name, ws]) => ({
  name, path: `/${name}`, name_is_layer_name: true,
  weights: ws.map((shape, i) => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
    for (let k = 0; k < data.length; k += 997) data[k] = (k % 13) / 13
    return {name: `${name}/${i === 0 ? 'kernel' : 'bias'}:0`, shape, dtype: 'float32', data}
  }),
}))
const file = {layout: 'keras2', source: 'bench', keras_version: '2.12.0', backend: 'tensorflow', layers, top_level: []}
const out = join(dir, 'kmodel_vgg16.h5')
const write = []
const read = []
for (let r = 0; r < Number(reps); r++) {
  rmSync(out, {force: true})
  let t = performance.now()
  await writeWeightsH5(out, file, {layout: 'keras2', force: true})
  write.push(performance.now() - t)
  t = performance.now()
  const back = await readWeights(out)
  read.push(performance.now() - t)
  if (back.layers.length !== layers.length) throw new Error('read back differs')
}
console.log(JSON.stringify({write, read, rssMB: process.resourceUsage().maxRSS / 1024}))
