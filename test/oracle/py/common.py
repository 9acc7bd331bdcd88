"""What every oracle suite shares: the Keras generation, arrays as JSON, models built from a case's spec.

A case's model spec (written by test/oracle/gen/*.ts):
    {"kind": "sequential" | "functional", "name": "m",
     "inputs": [{"name": "x", "shape": [5, 3], "dtype": "float32", "range": [-1, 1]}],   # shape without batch
     "layers": [{"name": "c", "class_name": "Conv1D", "args": {...}}],
     "nodes": [{"layer": "c", "inputs": "x" | ["x", "y"], "kwargs": {...}, "output": "t" | ["t", "h", "c"]}],
     "outputs": ["t"]}
- sequential: the layers are stacked in order after keras.Input (no "nodes").
- functional: "nodes" call the layers on named tensors; a layer called twice is shared.
- an argument value {"class_name": C, "args": {...}} is a layer built first (Bidirectional's / TimeDistributed's
  `layer`); a layer {"class_name": "__model__", "model": SPEC} is a nested model built from SPEC.
"""
import base64
import contextlib
import io
import os
import platform
import sys
import traceback

import numpy as np

GENERATIONS = ("keras3", "keras2")


def import_keras(generation):
    """Keras 3 on the TensorFlow backend, or tf-keras (Keras 2). TensorFlow is made deterministic and quiet."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    tf.config.experimental.enable_op_determinism()
    if generation == "keras3":
        import keras
    elif generation == "keras2":
        import tf_keras as keras
    else:
        raise ValueError(f"unknown Keras generation {generation!r} (expected keras3 or keras2)")
    return keras


def versions(keras):
    import h5py
    import tensorflow as tf

    return {
        "generation_keras": keras.__version__,
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "h5py": h5py.__version__,
        "python": platform.python_version(),
    }


# ---- arrays as JSON: {"dtype", "shape", "b64"} with little-endian raw bytes ----

def encode(array):
    a = np.asarray(array)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    shape = list(a.shape)  # before ascontiguousarray, which makes a 0-d array 1-d (Attention's scalar `scale`)
    a = np.ascontiguousarray(a.astype(a.dtype.newbyteorder("<")))
    return {"dtype": str(a.dtype.name), "shape": shape, "b64": base64.b64encode(a.tobytes()).decode("ascii")}


def decode(obj):
    a = np.frombuffer(base64.b64decode(obj["b64"]), dtype=np.dtype(obj["dtype"]).newbyteorder("<"))
    return a.reshape(obj["shape"]).astype(np.dtype(obj["dtype"]))


def error_of(exc):
    """An exception as the suites record it: its class and its message's first 2,000 characters."""
    return {"type": type(exc).__name__, "message": str(exc)[:2000]}


# ---- models from specs ----

def _is_layer_spec(value):
    return isinstance(value, dict) and set(value.keys()) == {"class_name", "args"}


def _resolve_args(keras, args):
    out = {}
    for key, value in args.items():
        if _is_layer_spec(value):
            out[key] = make_layer(keras, value)
        elif isinstance(value, list) and value and all(_is_layer_spec(v) for v in value):
            out[key] = [make_layer(keras, v) for v in value]  # RNN's / StackedRNNCells' cells, Pipeline's layers
        elif isinstance(value, list) and key in ("size", "kernel_size", "strides", "pool_size", "dilation_rate", "cropping", "padding", "target_shape", "dims", "noise_shape"):
            # JSON lists stand for Python tuples where Keras takes tuples (nested lists: tuples of tuples).
            out[key] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        else:
            out[key] = value
    return out


def layer_class(keras, name):
    """keras.layers.<name>, else keras.layers.experimental.<name> (tf-keras keeps SyncBatchNormalization,
    RandomFourierFeatures there)."""
    if hasattr(keras.layers, name):
        return getattr(keras.layers, name)
    return getattr(keras.layers.experimental, name)


def make_layer(keras, spec):
    """A layer object from {"class_name", "args"[, "name"]}; a nested model from {"class_name": "__model__"}."""
    if spec["class_name"] == "__model__":
        return build_model(keras, spec["model"])
    cls = layer_class(keras, spec["class_name"])
    args = _resolve_args(keras, spec.get("args", {}))
    if "name" in spec:
        args["name"] = spec["name"]
    return cls(**args)


def _input(keras, spec):
    return keras.Input(shape=tuple(spec["shape"]), dtype=spec.get("dtype", "float32"), name=spec.get("name"))


def build_model(keras, spec):
    """A Keras model from a case's model spec (see the module docstring)."""
    inputs = [_input(keras, i) for i in spec["inputs"]]
    layers = {l["name"]: make_layer(keras, l) for l in spec["layers"]}
    if spec.get("kind", "sequential") == "sequential":
        return keras.Sequential([inputs[0], *[layers[l["name"]] for l in spec["layers"]]], name=spec.get("name"))
    tensors = {i["name"]: t for i, t in zip(spec["inputs"], inputs)}
    for node in spec["nodes"]:
        raw = node["inputs"]
        args = [tensors[n] for n in raw] if isinstance(raw, list) else tensors[raw]
        call_args = [tensors[n] for n in node.get("extra_args", [])]
        out = layers[node["layer"]](args, *call_args, **node.get("kwargs", {}))
        names = node["output"]
        if isinstance(names, list):
            for n, t in zip(names, out):
                tensors[n] = t
        else:
            tensors[names] = out
    outputs = [tensors[n] for n in spec["outputs"]]
    return keras.Model(inputs=inputs, outputs=outputs if len(outputs) > 1 else outputs[0], name=spec.get("name"))


def make_inputs(spec, rng, batch):
    """Seeded input arrays, one per model input: uniform in `range` (floats) or integers in [lo, hi)."""
    arrays = []
    for i in spec["inputs"]:
        shape = (batch, *i["shape"])
        lo, hi = i.get("range", [-1, 1])
        if i.get("dtype", "float32").startswith("int"):
            arrays.append(rng.integers(lo, hi, size=shape).astype(i["dtype"]))
        else:
            arrays.append(rng.uniform(lo, hi, size=shape).astype("float32"))
    return arrays


def randomize_weights(model, rng):
    """Every float weight drawn afresh (zeros hide bugs): variances in [0.5, 1.5), the rest in [-0.5, 0.5)."""
    values = []
    for w in model.weights:
        current = np.asarray(w.numpy())
        name = getattr(w, "path", None) or w.name
        if not np.issubdtype(current.dtype, np.floating):
            values.append(current)
        elif "variance" in name:
            values.append(rng.uniform(0.5, 1.5, size=current.shape).astype(current.dtype))
        else:
            values.append(rng.uniform(-0.5, 0.5, size=current.shape).astype(current.dtype))
    model.set_weights(values)


def layer_weights(model):
    """The weights per top-level layer in the order a legacy HDF5 save_weights writes them (trainable, then
    non-trainable); weightless layers included, as `layer_names` lists them."""
    out = []
    for layer in model.layers:
        ws = list(layer.trainable_weights) + list(layer.non_trainable_weights)
        out.append({
            "name": layer.name,
            "weights": [{"name": getattr(w, "path", None) or w.name, **encode(w.numpy())} for w in ws],
        })
    return out


def outputs_of(model, arrays, training=False):
    """The model's outputs on `arrays` (an eager call, as predict computes them), as a list."""
    result = model(arrays if len(arrays) > 1 else arrays[0], training=training)
    if not isinstance(result, (list, tuple)):
        result = [result]
    return [np.asarray(r) for r in result]


@contextlib.contextmanager
def captured_stdout():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        yield buf


def run_cases(keras, handler, cases, workdir):
    """Runs handler(keras, case, ctx) on every case; an exception the handler lets through is recorded, never fatal."""
    results = []
    for case in cases:
        seed = case.get("seed", 0)
        keras.utils.set_random_seed(seed)
        ctx = {"rng": np.random.default_rng(seed), "workdir": workdir}
        try:
            results.append({"id": case["id"], **handler(keras, case, ctx)})
        except Exception as exc:  # the driver itself failed on this case: say so, go on
            results.append({"id": case["id"], "driver_error": error_of(exc), "trace": traceback.format_exc()[-2000:]})
        keras.backend.clear_session()
    return results


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def summary_text(model, **kwargs):
    """What model.summary(**kwargs) prints to a file (no terminal: Keras 3's rich table is 76 columns wide)."""
    with captured_stdout() as buf:
        model.summary(**kwargs)
    return buf.getvalue()
