"""Suite a (compute): build the case's model, draw every weight afresh, and record what Keras computes.

Answer: {"build": "ok", "model_json", "weights" (per layer, legacy save order), "inputs", "outputs"}, or
{"build": "error", "error": {type, message}} when Keras refuses to build the model.
"""
import common


def run(keras, case, ctx):
    spec = case["model"]
    try:
        model = common.build_model(keras, spec)
    except Exception as exc:
        return {"build": "error", "error": common.error_of(exc)}
    common.randomize_weights(model, ctx["rng"])
    inputs = common.make_inputs(spec, ctx["rng"], case.get("batch", 2))
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
