"""Suite c (summary): build the case's model and record what Keras's `model.summary()` prints for each of the
case's option sets, with the parameter counts computed from the model's own weights.

Case: {"id", "seed", "model": SPEC, "freeze": ["layer", "outer/inner", "."], "variants": [{"expand_nested",
"show_trainable", "line_length"}]} — `freeze` sets `trainable = False` after the build on a top-level layer, a
layer inside a nested model (`outer/inner`) or the model itself (`.`).

Answer: {"build": "ok", "model_json", "total", "trainable", "non_trainable", "texts": [one per variant], "reloaded"},
or {"build": "error", "error": {type, message}} when Keras refuses the model. `reloaded` is what Keras prints for the
model read back from its own JSON (`model_from_json`), the file kmodel reads: per variant null when it equals the
live model's text (the usual case, so the fixture stays small), else that text; or {"error"} when Keras cannot
read its own JSON back.

The summary is printed to a captured stdout, which is not a terminal: Keras 3 then clamps its default width to
80 − 4 columns and rich lays the table out 80 columns wide. COLUMNS is pinned to 80 so that the answer does not
depend on the terminal the driver happens to be started from (shutil and rich both read it first).
"""
import os

import numpy as np

import common

os.environ["COLUMNS"] = "80"
os.environ.pop("LINES", None)


def _count(weights):
    return int(sum(int(np.prod(w.shape)) for w in weights))


def _freeze(model, paths):
    for path in paths:
        if path == ".":
            model.trainable = False
            continue
        target = model
        for part in path.split("/"):
            target = target.get_layer(part)
        target.trainable = False


def _options(variant):
    return {k: v for k, v in variant.items() if k in ("expand_nested", "show_trainable", "line_length")}


def _reloaded(keras, model_json, variants, texts):
    try:
        again = keras.models.model_from_json(model_json)
        out = []
        for variant, text in zip(variants, texts):
            printed = common.summary_text(again, **_options(variant))
            out.append(None if printed == text else printed)
        return out
    except Exception as exc:
        return {"error": common.error_of(exc)}


def run(keras, case, ctx):
    try:
        model = common.build_model(keras, case["model"])
        _freeze(model, case.get("freeze", []))
    except Exception as exc:
        return {"build": "error", "error": common.error_of(exc)}
    trainable = _count(model.trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    variants = case.get("variants", [{}])
    texts = [common.summary_text(model, **_options(v)) for v in variants]
    model_json = model.to_json()
    keras.backend.clear_session()  # the reloaded model's default names start afresh, as in a new process
    return {
        "build": "ok",
        "model_json": model_json,
        "total": trainable + non_trainable,
        "trainable": trainable,
        "non_trainable": non_trainable,
        "texts": texts,
        "reloaded": _reloaded(keras, model_json, variants, texts),
    }
