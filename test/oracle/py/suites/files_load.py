"""Suite d, second half (files-load): Keras loads a weights file kmodel wrote and must get the original weights back.

A case: {"id", "seed", "model": SPEC, "rename": bool, "layout": "keras2" | "keras3", "command": [...],
"file": files_codec.file_entry | null, "kmodel_error": str | null, "batch"}. The reference is the model of
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


def run(keras, case, ctx):
    spec = case["model"]
    reference = common.build_model(keras, spec)
    common.randomize_weights(reference, ctx["rng"])
    inputs = common.make_inputs(spec, ctx["rng"], case.get("batch", 2))
    if case.get("file") is None:
        return {"load": "nothing"}
    reference_outputs = common.outputs_of(reference, inputs)
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
