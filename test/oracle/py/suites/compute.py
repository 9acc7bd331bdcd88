"""Suite a (compute): build the case's model, draw every weight afresh, and record what Keras computes.

Answer: {"build": "ok", "model_json", "weights" (per layer, legacy save order), "inputs", "outputs"}, or
{"build": "error", "error": {type, message}} when Keras refuses to build the model, or {"call": "error"} when it
builds but refuses to compute.

An input spec may carry "set": [{"index": [...], "value": v}], values written over the drawn ones (whole
timesteps equal to a Masking layer's mask_value, say).
"""
import common


def _apply_sets(spec, inputs):
    for i, array in zip(spec["inputs"], inputs):
        for s in i.get("set", []):
            array[tuple(s["index"])] = s["value"]
    return inputs


def run(keras, case, ctx):
    spec = case["model"]
    try:
        model = common.build_model(keras, spec)
    except Exception as exc:
        return {"build": "error", "error": common.error_of(exc)}
    common.randomize_weights(model, ctx["rng"])
    inputs = _apply_sets(spec, common.make_inputs(spec, ctx["rng"], case.get("batch", 2)))
    try:
        outputs = common.outputs_of(model, inputs)
    except Exception as exc:
        return {"build": "ok", "call": "error", "error": common.error_of(exc), "model_json": model.to_json()}
    return {
        "build": "ok",
        "model_json": model.to_json(),
        "weights": common.layer_weights(model),
        "inputs": [common.encode(a) for a in inputs],
        "outputs": [common.encode(a) for a in outputs],
    }
