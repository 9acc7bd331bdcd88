import {it} from 'vitest'
import {summarize} from '/work/main/src/core/graph/summarize.js'
import {readModel} from '/work/main/src/core/read.js'
it('show', async () => {
  const {model} = await readModel(process.env.F as string)
  const s = summarize(model)
  for (const r of s.rows) console.log(r.name, r.class_name, JSON.stringify(r.output_shape), r.params, r.connected_to.join(','), JSON.stringify(r.weights?.map(w=>[w.name,w.shape,w.trainable])))
  console.log(s.total_params, s.trainable_params, s.non_trainable_params, s.total_bytes, s.params_exact, s.sequential_like)
})
