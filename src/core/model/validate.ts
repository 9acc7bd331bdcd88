/**
 * The validation pass: what Keras's `from_config` + `build` would refuse, found without building anything.
 * - Arguments: each built-in class's schema (layers/args.ts, the `*_ARGS` tables of the family files), in the
 *   rules of the generation that wrote the file (Keras 3, or Keras 2 for tf.keras / tf-keras / Keras ≤ 2.3).
 * - Shapes: the shape engine's refusals (a kernel larger than its input, merge inputs that do not fit), found
 *   by evaluating the graph.
 * - Unknown classes and arguments Keras ignores are warnings: custom layers are legitimate, but kmodel cannot
 *   vouch for them. Graph integrity (names, references, cycles) is checked when the model is read.
 */
import type {Warning} from '../errors.js'
import {type Json, type JsonObject, isObject, jsonPath} from '../json.js'
import {type ArgContext, type Generation} from '../layers/args.js'
import {isKnownLayerClass, layerClass} from '../layers/catalog.js'
import {argSchema} from '../layers/index.js'
import {isOperation} from '../layers/ops.js'
import {type GraphEval, evaluateGraph} from '../graph/evaluate.js'
import {type GraphSpec, type LayerSpec, MODEL_CLASSES, type ModelSpec, type TensorRef, generationOf} from './spec.js'
import {type Issue, checkBaseArgs, didYouMean, mustBe, nameProblem} from './validate-base.js'
import {layerNamed} from './lookup.js'

export type {Issue} from './validate-base.js'

/** Errors (the model would not load in Keras) and warnings (it may, but kmodel cannot check it). */
export interface Validation {
  errors: Issue[]
  warnings: Warning[]
}

/** Whose rules apply to a model (spec.ts): Keras 3 for files Keras 3 wrote, Keras 2 (tf-keras) for everything older. */
export {generationOf} from './spec.js'

/** A nested layer config a layer carries (a wrapper's `layer`, an RNN's `cell`, Bidirectional's `backward_layer`). */
const INNER_KEYS = ['layer', 'cell', 'backward_layer'] as const

/** Whose rules apply: the generation, and whether the file is Keras 1 (read through Keras 2's converters). */
interface Rules {
  generation: Generation
  keras1: boolean
}

/** One problem a class's argument schema finds: a missing required argument, a bad value, or a cross check. */
export interface ArgumentProblem {
  kind: 'required' | 'arg' | 'cross'
  key: string
  /** `arg`: what Keras expects ("a positive integer"); `cross`: the sentence; `required`: empty. */
  message: string
}

/** Runs a canonical class's argument schema (layers/args.ts) on a config: required, per-argument, cross checks. */
export function argumentProblems(className: string, config: JsonObject, generation: Generation): ArgumentProblem[] {
  const schema = argSchema(className)
  const ctx: ArgContext = {generation, className, config}
  const problems: ArgumentProblem[] = []
  for (const key of schema?.required ?? []) if (!Object.hasOwn(config, key)) problems.push({kind: 'required', key, message: ''})
  for (const [key, check] of Object.entries(schema?.args ?? {})) {
    if (!Object.hasOwn(config, key)) continue
    const expected = check(config[key] as Json, ctx)
    if (expected !== undefined) problems.push({kind: 'arg', key, message: expected})
  }
  for (const cross of schema?.cross ?? []) {
    const problem = cross(config, ctx)
    if (problem !== undefined) problems.push({kind: 'cross', ...problem})
  }
  return problems
}

/** Checks one layer config (and the layers it wraps) against its class's schema. */
function checkLayer(className: string, name: string, config: JsonObject, path: string, rules: Rules, out: Validation): void {
  const {generation} = rules
  if (!isKnownLayerClass(className)) {
    const guess = didYouMean(className)
    const hint = guess === undefined ? '' : ` Did you mean '${guess}'? Keras refuses the name unless a custom class is registered under it.`
    out.warnings.push({path, message: `Unknown layer class '${className}' (a custom layer?): its arguments and weights cannot be checked.${hint}`})
    return
  }
  const canonical = layerClass(className)?.className ?? className
  const schema = argSchema(canonical)
  const configPath = jsonPath(path, 'config')
  for (const problem of argumentProblems(canonical, config, generation)) {
    const at = jsonPath(configPath, problem.key)
    if (problem.kind === 'required') out.errors.push({path: at, message: `${className} layer '${name}' is missing its required argument '${problem.key}'.`})
    else if (problem.kind === 'arg') out.errors.push({path: at, message: mustBe(problem.key, `${className} layer '${name}'`, problem.message, config[problem.key] as Json)})
    else out.errors.push({path: at, message: `${className} layer '${name}': ${problem.message}.`})
  }
  checkBaseArgs({className, canonical, name, config, configPath, generation, schema, keras1: rules.keras1}, out)
  for (const key of INNER_KEYS) {
    const inner = config[key]
    if (isObject(inner) && typeof inner.class_name === 'string' && isObject(inner.config)) {
      const innerName = typeof inner.config.name === 'string' ? inner.config.name : key
      checkLayer(inner.class_name, innerName, inner.config, jsonPath(configPath, key), rules, out)
    }
  }
}

/** Keras 3 names a model as it names a layer (`Operation.__init__`); tf-keras takes any model name. */
function checkModelName(className: string, config: JsonObject, path: string, rules: Rules, out: Validation): void {
  if (rules.generation !== 'keras3' || !Object.hasOwn(config, 'name')) return
  const expected = nameProblem(config.name as Json, 'keras3')
  if (expected !== undefined) out.errors.push({path: jsonPath(path, 'name'), message: mustBe('name', `${className} model`, expected, config.name as Json)})
}

/**
 * What Keras checks of a model itself: its name (Keras 3), a Keras 3 Sequential's layers ("cannot be built
 * because it has no layers"), inputs that are input layers (not outputs of calls), and its class (an unknown model class may be a registered custom one: a warning).
 */
function checkModel(className: string, config: JsonObject, graph: GraphSpec, path: string, rules: Rules, out: Validation): void {
  checkModelName(className, config, path, rules, out)
  if (rules.generation === 'keras3' && graph.sequential && graph.layers.length === 0) {
    out.errors.push({path: jsonPath(path, 'layers'), message: `${className} model '${String(config.name)}' has no layers (Keras 3: "cannot be built because it has no layers").`})
  }
  graph.inputs.forEach((ref, i) => {
    const target = layerNamed(graph, ref.layer)
    if (graph.sequential || target === undefined || target.inbound_nodes.length === 0) return
    out.errors.push({path: jsonPath(path, 'input_layers', i), message: `Input '${ref.layer}' of ${className} model is the output of a call, not an input layer: Keras finds the graph disconnected.`})
  })
  if (!MODEL_CLASSES.has(className) && !isKnownLayerClass(className)) {
    out.warnings.push({path, message: `Unknown model class '${className}' (a custom model?): it is read as its layer graph.`})
  }
}

/** tf-keras reads only list-form inbound nodes: a Keras 3 `{args, kwargs}` node makes it fail. */
function checkNodeForm(layer: LayerSpec, at: string, rules: Rules, out: Validation): void {
  if (rules.generation !== 'keras2') return
  const i = layer.inbound_nodes.findIndex((n) => isObject(n.raw))
  if (i >= 0) out.errors.push({path: jsonPath(at, 'inbound_nodes', i), message: `Layer '${layer.name}' has a Keras 3 inbound node ({"args", "kwargs"}) in a Keras 2 file, which tf-keras cannot read.`})
}

function checkGraph(graph: GraphSpec, path: string, rules: Rules, out: Validation): void {
  graph.layers.forEach((layer: LayerSpec, i) => {
    const at = jsonPath(path, 'layers', i)
    checkNodeForm(layer, at, rules, out)
    if (layer.graph !== undefined) {
      checkModel(layer.class_name, layer.config, layer.graph, jsonPath(at, 'config'), rules, out)
      checkGraph(layer.graph, jsonPath(at, 'config'), rules, out)
      return
    }
    if (isOperation(layer.extra.module)) return // a saved keras.ops call (layers/ops.ts), not a layer
    const configName = layer.config.name
    if (typeof configName === 'string' && configName !== layer.name) {
      out.warnings.push({path: jsonPath(at, 'name'), message: `Layer entry '${layer.name}' has config.name '${configName}': Keras connects the graph by '${layer.name}' but names the layer '${configName}'.`})
    }
    checkLayer(layer.class_name, layer.name, layer.config, at, rules, out)
    if (layer.class_name === 'Lambda') out.warnings.push({path: at, message: `Lambda layer '${layer.name}' holds Python code; kmodel never runs it, so its output shape may be unknown.`})
  })
}

/** The calls the shape engine refused, located at their layers (nested models included). */
function shapeErrors(evaluation: GraphEval, path: string, out: Validation): void {
  evaluation.graph.layers.forEach((layer, i) => {
    const at = jsonPath(path, 'layers', i)
    const layerEval = evaluation.layers[i]?.layer === layer ? evaluation.layers[i] : evaluation.layers.find((l) => l.layer === layer)
    if (layerEval === undefined) return
    if (layerEval.nested !== undefined) shapeErrors(layerEval.nested, jsonPath(at, 'config'), out)
    const seen = new Set<string>()
    for (const message of layerEval.errors) {
      if (seen.has(message)) continue
      seen.add(message)
      out.errors.push({path: at, message: `${layer.class_name} layer '${layer.name}' cannot be built: ${message}.`})
    }
  })
}

/**
 * References to an output a call does not have (`["x", 0, 3]` of a one-output layer): Keras raises an
 * IndexError (tf-keras) or finds the graph disconnected (Keras 3). Only calls whose outputs the engine knows.
 */
function tensorIndexErrors(evaluation: GraphEval, path: string, out: Validation): void {
  const byName = new Map(evaluation.layers.map((l) => [l.layer.name, l]))
  const check = (ref: TensorRef, at: string): void => {
    const producer = byName.get(ref.layer)
    const outputs = producer?.calls[producer.nodes.indexOf(ref.node_index)]
    if (outputs === undefined || outputs === null || outputs.length === 0 || ref.tensor_index < outputs.length) return
    out.errors.push({path: at, message: `Layer '${ref.layer}' has ${outputs.length} output tensor${outputs.length === 1 ? '' : 's'} at node ${ref.node_index}, but tensor ${ref.tensor_index} is referenced.`})
  }
  evaluation.layers.forEach((l, i) => {
    l.inbound.forEach((refs, j) => refs.forEach((ref) => check(ref, jsonPath(path, 'layers', i, 'inbound_nodes', j))))
    if (l.nested !== undefined) tensorIndexErrors(l.nested, jsonPath(path, 'layers', i, 'config'), out)
  })
  if (!evaluation.graph.sequential) evaluation.graph.outputs.forEach((ref) => check(ref, jsonPath(path, 'output_layers')))
}

/**
 * tf-keras's Sequential takes layers with one output only ("All layers in a Sequential model should have a
 * single output tensor": an LSTM with return_state, a Bidirectional with merge_mode None); Keras 3 passes the
 * outputs on. Only calls whose outputs the engine knows.
 */
function sequentialOutputErrors(evaluation: GraphEval, path: string, rules: Rules, out: Validation): void {
  if (rules.generation !== 'keras2') return
  evaluation.layers.forEach((l, i) => {
    if (l.nested !== undefined) sequentialOutputErrors(l.nested, jsonPath(path, 'layers', i, 'config'), rules, out)
    const outputs = l.calls[0]
    if (!evaluation.graph.sequential || outputs === undefined || outputs === null || outputs.length <= 1) return
    out.errors.push({path: jsonPath(path, 'layers', i), message: `${l.layer.class_name} layer '${l.layer.name}' has ${outputs.length} outputs, but a Keras 2 Sequential model takes layers with a single output tensor.`})
  })
}

/** Validates a model read by readModel: argument errors first, then the shape engine's refusals. */
export function validateModel(model: ModelSpec): Validation {
  const out: Validation = {errors: [], warnings: []}
  const rules: Rules = {generation: generationOf(model), keras1: model.dialect !== 'keras3' && (model.keras_version ?? '').startsWith('1.')}
  checkModel(model.root.class_name, model.root.config, model.root.graph, '$.config', rules, out)
  checkGraph(model.root.graph, '$.config', rules, out)
  const evaluation = evaluateGraph(model.root, model.root.graph, {dialect: model.dialect, keras_version: model.keras_version})
  tensorIndexErrors(evaluation, '$.config', out)
  sequentialOutputErrors(evaluation, '$.config', rules, out)
  shapeErrors(evaluation, '$.config', out)
  return out
}
