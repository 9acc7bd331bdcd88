"""Suite d, first half (files-read): Keras writes one file of a small model; kmodel must read it back exactly.

A case: {"id", "seed", "model": SPEC, "file": KIND}, KIND one of
    keras       model.save('m.keras')            (Keras 3; tf-keras 2.13+ writes the same zip format)
    h5          model.save('m.h5')               full-model legacy HDF5 (model_config + model_weights)
    weights.h5  model.save_weights('m.weights.h5')   Keras 3 layout (tf-keras: its own variant of it)
    legacy.h5   model.save_weights('m.h5')       legacy layout (tf-keras only: Keras 3 refuses the name)
    npz         np.savez(f, *model.get_weights())    what `kmodel weights import` takes
Answer: {"written": "ok", "file": files_codec.file_entry, "model_json": to_json(), "weights": per-layer weights in
legacy save order (common.layer_weights), "get_weights": the list model.get_weights() returns}, plus, for Keras 3,
"legacy_save_weights": the error save_weights('w.h5') raises; or {"written": "error", "error"}.
Zip members' timestamps, a .keras's date_saved and its shared_object_id numbers are frozen (files_codec.freeze_zip).
"""
import os

import numpy as np

import common
from suites import files_codec

TARGETS = {"keras": "m.keras", "h5": "m.h5", "weights.h5": "m.weights.h5", "legacy.h5": "m.h5", "npz": "m.npz"}


def write(keras, model, kind, path):
    """Writes the model's file of this kind at `path`, the way a user would."""
    if kind in ("keras", "h5"):
        model.save(path)
    elif kind in ("weights.h5", "legacy.h5"):
        model.save_weights(path)
    elif kind == "npz":
        np.savez(path, *model.get_weights())
    else:
        raise ValueError(f"unknown file kind {kind!r}")


def legacy_refusal(keras, model, workdir):
    """What Keras 3 says to save_weights('w.h5'): the legacy weights layout is only reachable through model.save."""
    path = os.path.join(workdir, "w.h5")
    try:
        model.save_weights(path)
    except Exception as exc:
        error = common.error_of(exc)
        return {**error, "message": error["message"].replace(workdir, "<workdir>")}
    finally:
        if os.path.exists(path):
            os.remove(path)
    return None


def run(keras, case, ctx):
    model = common.build_model(keras, case["model"])
    common.randomize_weights(model, ctx["rng"])
    kind = case["file"]
    path = os.path.join(ctx["workdir"], TARGETS[kind])
    try:
        write(keras, model, kind, path)
        with open(path, "rb") as f:
            data = f.read()
    except Exception as exc:
        return {"written": "error", "error": common.error_of(exc)}
    finally:
        if os.path.exists(path):
            os.remove(path)
    if kind in ("keras", "npz"):
        data = files_codec.freeze_zip(data)
    answer = {
        "written": "ok",
        "file": files_codec.file_entry(TARGETS[kind], data),
        "model_json": model.to_json(),
        "weights": common.layer_weights(model),
        "get_weights": [common.encode(w) for w in model.get_weights()],
    }
    if kind == "h5" and keras.__version__.startswith("3."):
        answer["legacy_save_weights"] = legacy_refusal(keras, model, ctx["workdir"])
    return answer
