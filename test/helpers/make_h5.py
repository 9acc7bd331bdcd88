#!/usr/bin/python3
"""Writes small HDF5 files in the exact layouts Keras uses, for kmodel's unit tests.

Usage: make_h5.py OUTDIR   (prints the written file names, one a line)

Written with h5py (Debian python3-h5py) by hand, not by Keras: Python Keras cannot be installed on
the test machines. Each file reproduces one on-disk variant described in KERAS-REFERENCE.md section 3:

  full-vlen.h5         tf.keras 2.x / Keras 3 full model written by h5py >= 3: root keras_version and
                       backend as vlen UTF-8 str, model_config / training_config as vlen ASCII bytes,
                       model_weights with vlen ASCII layer_names (as real tf.keras >= 2.5 / Keras 3
                       files have, despite the fixed-length S array Keras builds), fixed-length
                       weight_names, empty weight_names stored as an empty float64 array,
                       optimizer_weights group.
  full-fixed.h5        the same model written by h5py 2.x: every string fixed-length, no
                       training_config, keras_version/backend only on model_weights (fallback test).
  full-keras1.h5       Keras 1.2.2 style: keras_version only (no backend anywhere), bare-list Sequential.
  full-nan.h5          model_config containing Python's NaN / Infinity tokens.
  full-chunked.h5      model_weights layer_names split into layer_names0 / layer_names1 (Keras splits
                       attributes above 64512 bytes); root layer_names absent.
  full-kerasmodel.h5   model_config on group model/kerasmodel instead of the root (accepted by netron).
  full-userblock.h5    full model behind a 512-byte user block (signature at offset 512).
  full-badjson.h5      model_config that is not valid JSON (truncated text).
  full-utf8names.h5    layer names with non-ASCII characters stored as UTF-8 bytes in an ASCII-marked
                       fixed-length array (what np.asarray([name.encode('utf8')]) gives).
  legacy-weights.h5    save_weights('w.h5'): root layer_names / backend / keras_version, one group per layer.
  legacy-chunked.h5    weights-only file whose root layer_names is chunked into layer_names0..2.
  keras3-weights.h5    Keras 3 .weights.h5: no root attrs, layers/<snake>/vars/<i>, vars attr name (3.6+).
  tf214-weights.h5     tf.keras 2.14 .weights.h5 variant with _layer_checkpoint_dependencies/.
  plain.h5             an HDF5 file that is not a Keras file at all.
  datasets.h5          numeric and string datasets of several dtypes and shapes, plus odd attributes.
"""
import json
import os
import sys

import h5py
import numpy as np

MODEL_CONFIG = {
    "class_name": "Sequential",
    "config": {
        "name": "sequential",
        "layers": [
            {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                    "sparse": False, "ragged": False, "name": "dense_input"}},
            {"class_name": "Dense", "config": {"name": "dense", "trainable": True, "dtype": "float32",
                                               "units": 3, "activation": "relu", "use_bias": True}},
            {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "rate": 0.5}},
            {"class_name": "Dense", "config": {"name": "dense_1", "trainable": True, "dtype": "float32",
                                               "units": 1, "activation": "sigmoid", "use_bias": True}},
        ],
    },
}
TRAINING_CONFIG = {"loss": "binary_crossentropy", "metrics": ["accuracy"],
                   "optimizer_config": {"class_name": "Adam", "config": {"learning_rate": 0.001}}}
LAYERS = [("dense", [(4, 3), (3,)]), ("dropout", []), ("dense_1", [(3, 1), (1,)])]
SUFFIXES = ["kernel:0", "bias:0"]


def fixed(values):
    """A fixed-length byte-string array, as np.asarray(list_of_bytes) gives (dtype S<maxlen>)."""
    return np.asarray([v.encode("utf8") for v in values])


def vlen_ascii(values):
    """A variable-length ASCII string array: how tf.keras >= 2.5 and Keras 3 files store layer_names."""
    return np.array([v.encode("utf8") for v in values], dtype=h5py.string_dtype("ascii"))


def write_weights_group(group, layers, names_attr=True, scalar=bytes, names=fixed):
    """The legacy save_weights layout (section 3.1) into `group`."""
    if names_attr:
        group.attrs["layer_names"] = names([name for name, _ in layers])
    group.attrs["backend"] = scalar(b"tensorflow")
    group.attrs["keras_version"] = scalar(b"2.11.0")
    for name, shapes in sorted(layers):
        g = group.create_group(name)
        weight_names = [f"{name}/{SUFFIXES[i]}" for i in range(len(shapes))]
        # Keras writes [] for weightless layers, which h5py stores as an empty float64 array.
        g.attrs["weight_names"] = fixed(weight_names) if weight_names else np.asarray([])
        for weight_name, shape in zip(weight_names, shapes):
            g.create_dataset(weight_name, data=np.arange(np.prod(shape), dtype="float32").reshape(shape))


def full_model(path, scalar=bytes, root_versions=True, training=True, config=None, userblock=0, layers=LAYERS,
               names=fixed):
    kwargs = {"userblock_size": userblock} if userblock else {}
    with h5py.File(path, "w", **kwargs) as f:
        if root_versions:
            f.attrs["keras_version"] = "2.11.0"  # Python str: vlen UTF-8
            f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = scalar(json.dumps(config or MODEL_CONFIG).encode("utf8"))
        if training:
            f.attrs["training_config"] = scalar(json.dumps(TRAINING_CONFIG).encode("utf8"))
        write_weights_group(f.create_group("model_weights"), layers, scalar=scalar, names=names)
        opt = f.create_group("optimizer_weights")
        opt.attrs["weight_names"] = fixed(["Adam/iter:0"])
        opt.create_dataset("Adam/iter:0", data=np.int64(7))


def main(out):
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)

    full_model(p("full-vlen.h5"), names=vlen_ascii)
    full_model(p("full-fixed.h5"), scalar=np.bytes_, root_versions=False, training=False)
    with h5py.File(p("full-keras1.h5"), "w") as f:
        f.attrs["keras_version"] = np.bytes_(b"1.2.2")
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": [
            {"class_name": "Dense", "config": {"name": "dense_1", "output_dim": 2, "input_dim": 3}}]})
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = fixed(["dense_1"])
    full_model(p("full-nan.h5"), config={"class_name": "Sequential", "config": {
        "name": "s", "layers": [{"class_name": "ReLU", "config": {"name": "r", "max_value": float("nan"),
                                                                   "threshold": float("-inf")}}]}})
    full_model(p("full-userblock.h5"), userblock=512)
    with h5py.File(p("full-badjson.h5"), "w") as f:
        f.attrs["model_config"] = b'{"class_name": "Sequential", "config": '  # truncated JSON
    full_model(p("full-utf8names.h5"), layers=[("dénse_é", [(2,)]), ("日本", [])])

    with h5py.File(p("full-chunked.h5"), "w") as f:
        f.attrs["keras_version"] = "2.11.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(MODEL_CONFIG).encode("utf8")
        g = f.create_group("model_weights")
        write_weights_group(g, LAYERS, names_attr=False)
        g.attrs["layer_names0"] = fixed(["dense", "dropout"])
        g.attrs["layer_names1"] = fixed(["dense_1"])

    with h5py.File(p("full-kerasmodel.h5"), "w") as f:
        g = f.create_group("model").create_group("kerasmodel")
        g.attrs["model_config"] = json.dumps(MODEL_CONFIG).encode("utf8")
        g.attrs["keras_version"] = "2.2.4"
        g.attrs["backend"] = "tensorflow"

    with h5py.File(p("legacy-weights.h5"), "w") as f:
        write_weights_group(f, LAYERS)
        f.create_group("top_level_model_weights").attrs["weight_names"] = np.asarray([])

    with h5py.File(p("legacy-chunked.h5"), "w") as f:
        write_weights_group(f, LAYERS, names_attr=False)
        for i, chunk in enumerate([["dense"], ["dropout"], ["dense_1"]]):
            f.attrs[f"layer_names{i}"] = fixed(chunk)

    for name, top in (("keras3-weights.h5", "layers"), ("tf214-weights.h5", "_layer_checkpoint_dependencies")):
        with h5py.File(p(name), "w") as f:
            for layer, shapes in LAYERS:
                v = f.create_group(f"{top}/{layer}/vars")
                v.attrs["name"] = layer + "_real"  # Keras >= 3.6 keeps the layer's real name here
                for i, shape in enumerate(shapes):
                    v.create_dataset(str(i), data=np.zeros(shape, dtype="float32"))
            f.create_group("vars")
            f.create_group("optimizer/vars").create_dataset("0", data=np.int64(3))

    with h5py.File(p("plain.h5"), "w") as f:
        f.create_dataset("x", data=np.arange(3))

    with h5py.File(p("datasets.h5"), "w") as f:
        f.create_dataset("f32", data=np.arange(6, dtype="<f4").reshape(2, 3))
        f.create_dataset("f64be", data=np.array([1.5, -2.5], dtype=">f8"))
        f.create_dataset("i64", data=np.int64(-5))
        f.create_dataset("u8", data=np.array([1, 2, 255], dtype="u1"))
        f.create_dataset("f16", data=np.array([1.0, 2.0], dtype="f2"))
        f.create_dataset("empty", data=np.zeros((0, 3), dtype="f4"))
        f.create_dataset("str", data=np.asarray([b"ab", b"c"]))
        g = f.create_group("grp")
        g.create_group("sub")
        g.create_dataset("d", data=np.zeros(2, dtype="f4"))
        f.attrs["vlen_list"] = ["a", "bé"]  # list of str: vlen UTF-8 array
        f.attrs["vlen_bytes"] = b"plain"  # bytes: vlen ASCII scalar
        f.attrs["fixed_scalar"] = np.bytes_(b"fix")
        f.attrs["empty_f64"] = np.asarray([])
        f.attrs["number"] = np.int32(42)
        f.attrs["uint8_bytes"] = np.frombuffer(b"raw bytes", dtype="u1")
        f.attrs["null_space"] = h5py.Empty("f4")
        f.attrs["one_list"] = fixed(["only"])

    for name in sorted(os.listdir(out)):
        print(name)


if __name__ == "__main__":
    main(sys.argv[1])
