// Shared by bench/train/kmodel.js and bench/predict/kmodel.js: a Keras to_json() document read as `kmodel` reads
// a file and built in kmodel's compute core (dist/), with fresh weights from the config's initialisers (seed 1).

/** The built ComputeModel of `doc` on tfjs-core `tf`. */
export async function computeModelOf(tf, doc) {
  const {readModel} = await import('../dist/core/read.js')
  const {buildComputeModel} = await import('../dist/core/compute/model.js')
  const {freshModelWeights} = await import('../dist/core/weights/fresh.js')
  const {summarize} = await import('../dist/core/graph/summarize.js')
  const {weightsForModel} = await import('../dist/core/backend/assign.js')
  const {model} = await readModel({bytes: new TextEncoder().encode(JSON.stringify(doc)), name: `${doc.config.name}.json`})
  const compute = buildComputeModel(tf, model, {seed: 1})
  compute.setWeights(weightsForModel(model, freshModelWeights(model, summarize(model), 1)).perLayer)
  return compute
}
