"""Suite d, second half (files-load): Keras loads a file kmodel wrote and must get the original weights back.

A case: {"id", "seed", "model": SPEC, "rename": bool, "layout": "keras2" | "keras3", "kind": "weights" | "keras" |
"h5", "command": [...], "file": files_codec.file_entry | null, "kmodel_error": str | null, "batch"}. A "weights"
file is loaded with load_weights into the target below; a whole model ("keras": a .keras zip, loaded by Keras 3
whichever generation wrote the source, as a user converting a tf.keras .h5 to .keras does; "h5": a full-model
.h5, loaded by the generation's own Keras) with load_model, and compared with the reference in the same way. The reference is the model of
files_read.py with the same seed: built from SPEC, weights drawn by common.randomize_weights (the weights kmodel
got, in Keras's files). The target is the same architecture (its top-level layers renamed with the prefix
`r_` when "rename", as the renamed to_json kmodel was given); it loads kmodel's file with load_weights.
Answer: {"load": "ok", "reference_outputs", "outputs", "weights" (the target's, common.layer_weights)},
{"load": "error", "error"} when load_weights refuses the file, or {"load": "nothing"} when kmodel wrote none.
"""
import copy
import os

import common
from suites import files_codec

RENAME_PREFIX = "r_"


def renamed(spec):
    """SPEC with every top-level layer renamed (inputs keep their names; a nested model's own name follows)."""
    out = copy.deepcopy(spec)
    names = {l["name"]: RENAME_PREFIX + l["name"] for l in out["layers"]}
    for layer in out["layers"]:
        layer["name"] = names[layer["name"]]
        if layer["class_name"] == "__model__":
            layer["model"]["name"] = layer["name"]
    for node in out.get("nodes", []):
        node["layer"] = names[node["layer"]]
    return out


def load_whole_model(keras, case, ctx):
    """load_model of kmodel's .keras / .h5, by the Keras that reads it (module docstring)."""
    loader = keras
    if case["kind"] == "keras" and not keras.__version__.startswith("3"):
        import keras as keras3  # Keras 3 beside tf-keras: the reader of every .keras kmodel writes

        loader = keras3
    path = os.path.join(ctx["workdir"], "kmodel.keras" if case["kind"] == "keras" else "kmodel.h5")
    with open(path, "wb") as f:
        f.write(files_codec.file_bytes(case["file"]))
    try:
        return loader.models.load_model(path)
    finally:
        os.remove(path)


def run(keras, case, ctx):
    spec = case["model"]
    reference = common.build_model(keras, spec)
    common.randomize_weights(reference, ctx["rng"])
    inputs = common.make_inputs(spec, ctx["rng"], case.get("batch", 2))
    if case.get("file") is None:
        return {"load": "nothing"}
    reference_outputs = common.outputs_of(reference, inputs)
    if case.get("kind", "weights") != "weights":
        try:
            target = load_whole_model(keras, case, ctx)
        except Exception as exc:
            error = common.error_of(exc)
            return {"load": "error", "error": {**error, "message": error["message"].replace(ctx["workdir"], "<workdir>")}}
        return {
            "load": "ok",
            "reference_outputs": [common.encode(a) for a in reference_outputs],
            "outputs": [common.encode(a) for a in common.outputs_of(target, inputs)],
            "weights": common.layer_weights(target),
        }
    target = common.build_model(keras, renamed(spec) if case.get("rename") else spec)
    # Keras picks the reader by the name: .weights.h5 for its own layout, .h5 for the legacy one.
    path = os.path.join(ctx["workdir"], "kmodel.weights.h5" if case["layout"] == "keras3" else "kmodel.h5")
    with open(path, "wb") as f:
        f.write(files_codec.file_bytes(case["file"]))
    try:
        target.load_weights(path)
    except Exception as exc:
        return {"load": "error", "error": common.error_of(exc)}
    finally:
        os.remove(path)
    return {
        "load": "ok",
        "reference_outputs": [common.encode(a) for a in reference_outputs],
        "outputs": [common.encode(a) for a in common.outputs_of(target, inputs)],
        "weights": common.layer_weights(target),
    }
