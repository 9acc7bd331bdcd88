"""The fuzz runs (issue #17 §4): per random model, in one pass, everything the three checks need.

Answer: {"build": "ok", "model_json_z", "summary": {text_z, total, trainable, non_trainable}, "weights" (per
layer, legacy save order), "inputs", "outputs"}; {"build": "error", "error"} when Keras refuses the model (a
generator defect); {"build": "ok", "call": "error", ...} when it builds but cannot be called. Eager calls only
(no predict): a thousand models per generation must fit in a few minutes.

`*_z` texts are zlib (level 9) in base64: Keras 3's model JSON and summary tables are four fifths of an answer
and compress tenfold, which keeps the 100 committed cases per generation under a megabyte. (A zlib whose deflate
output differs, such as zlib-ng, would make the committed answers look stale.)
"""
import base64
import gc
import zlib

import numpy as np

import common

# TensorFlow's and Keras's own objects are never garbage: keep them out of the collections Keras 3's
# clear_session runs after every case (otherwise each costs 0.1–0.25 s, growing with the run).
gc.collect()
gc.freeze()


def packed(text):
    """A text as zlib level 9 in base64 (see the module docstring)."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def _count(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


def summary_of(model, options):
    """What summary() prints with the case's options, and the parameter counts from the weights themselves."""
    return {
        "text_z": packed(common.summary_text(model, **options)),
        "total": _count(model.weights),
        "trainable": _count(model.trainable_weights),
        "non_trainable": _count(model.non_trainable_weights),
    }


def run(keras, case, ctx):
    spec = case["model"]
    try:
        model = common.build_model(keras, spec)
    except Exception as exc:
        return {"build": "error", "error": common.error_of(exc)}
    answer = {"build": "ok", "model_json_z": packed(model.to_json()), "summary": summary_of(model, case.get("summary", {}))}
    common.randomize_weights(model, ctx["rng"])
    inputs = common.make_inputs(spec, ctx["rng"], case.get("batch", 2))
    try:
        outputs = common.outputs_of(model, inputs)
    except Exception as exc:
        return {**answer, "call": "error", "error": common.error_of(exc)}
    return {
        **answer,
        "weights": common.layer_weights(model),
        "inputs": [common.encode(a) for a in inputs],
        "outputs": [common.encode(a) for a in outputs],
    }
