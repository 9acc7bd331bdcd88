#!/usr/bin/python3
"""Writes small weights files in the exact layouts Keras uses, for kmodel's readWeights unit tests.

Usage: make_weights_h5.py OUTDIR   (prints the written file names, one a line)

Written with h5py (Debian python3-h5py) by hand, not by Keras (Python Keras cannot be installed on the test
machines), following KERAS-REFERENCE.md section 3. Every weight is filled with one distinct value (its "tag")
so a test can tell by data which dataset ended up where:

  legacy-fixed.h5      save_weights('w.h5') as h5py 2.x wrote it: fixed-length layer_names / weight_names /
                       backend / keras_version; a weightless layer with weight_names = [] (empty float64);
                       an LSTM whose weight_names order (kernel, recurrent_kernel, bias) is not the
                       alphabetical dataset order; an empty top_level_model_weights group.
  legacy-vlen.h5       the same written by h5py >= 3: vlen ASCII name arrays and versions, and a
                       top_level_model_weights group holding one weight.
  legacy-chunked.h5    layer_names split into layer_names0..2 and one layer's weight_names split into
                       weight_names0..1 (Keras does this above 64512 bytes).
  legacy-keras1.h5     Keras 1.2 names without a scope ('dense_1_W:0') and no version attributes at all.
  legacy-nested.h5     a nested Sequential saved as one group whose weight_names span its sublayers.
  full-model.h5        model.save('m.h5'): model_config, vlen root versions, model_weights, optimizer_weights.
  full-model.keras     the same HDF5 bytes under a .keras name (tf.keras 2.x model.save('m.keras') before 2.13).
  full-no-weights.h5   model_config but no model_weights group.
  k3-pre36.weights.h5  Keras 3 < 3.6: no vars name attrs; dense, dense_1, dense_10, dropout (empty vars),
                       a layer with 12 vars (numeric order 0..11); optimizer/vars; empty root vars.
  k3-36.weights.h5     Keras 3 >= 3.6 (vars attr name): InputLayer, LSTM (cell/vars), Bidirectional
                       (forward_layer/backward_layer), MultiHeadAttention (query/key/value/output_dense plus
                       weightless softmax and dropout_layer), TimeDistributed (layer/vars), a nested
                       Functional (layers/functional/layers/...), a model-owned root var, optimizer, metrics.
  tf214.weights.h5     tf.keras 2.14: _layer_checkpoint_dependencies/ instead of layers/, plus metrics/.
  k3-bfloat16.weights.h5  a bfloat16 variable: uint16 bits with dataset attr dtype='bfloat16'.
  k3.keras             a .keras zip: metadata.json (3.5.0), config.json, model.weights.h5 (k3-pre36 layout).
  npz.keras            a .keras zip whose weights are model.weights.npz.
  noweights.keras      a .keras zip with config.json and metadata.json only.
  other.zip            a zip that is not a Keras file.
  plain.h5             an HDF5 file that is not a Keras file.
  bad-missing-group.h5, bad-missing-dataset.h5, bad-no-weight-names.h5   broken legacy layouts.
  bad-string-weight.h5, bad-float16.h5   weights that are strings / float16.
  bad-huge.h5          a 2 GiB float32 dataset that was never written (chunked, no storage allocated).
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np


def fixed(values):
    """A fixed-length byte-string array, as np.asarray(list_of_bytes) gives (dtype S<maxlen>)."""
    return np.asarray([v.encode("utf8") for v in values])


def vlen(values):
    """A variable-length ASCII string array (tf.keras >= 2.5 / Keras 3 files)."""
    return np.array([v.encode("utf8") for v in values], dtype=h5py.string_dtype("ascii"))


def tagged(shape, tag, dtype="float32"):
    return np.full(shape, tag, dtype=dtype)


# (layer, [(weight name, shape, tag)]) in model order.
LEGACY = [
    ("dense", [("dense/kernel:0", (4, 3), 1), ("dense/bias:0", (3,), 2)]),
    ("dropout", []),
    ("lstm", [("lstm/lstm_cell/kernel:0", (3, 8), 3), ("lstm/lstm_cell/recurrent_kernel:0", (2, 8), 4),
              ("lstm/lstm_cell/bias:0", (8,), 5)]),
    ("dense_1", [("dense_1/kernel:0", (2, 1), 6), ("dense_1/bias:0", (1,), 7)]),
]


def write_legacy(group, layers, names=fixed, scalar=np.bytes_, version="2.3.1", split=None):
    group.attrs["layer_names"] = names([name for name, _ in layers])
    if scalar is not None:
        group.attrs["backend"] = scalar(b"tensorflow")
        group.attrs["keras_version"] = scalar(version.encode())
    for name, weights in sorted(layers):  # Keras creates the groups name-sorted
        g = group.create_group(name)
        weight_names = [w for w, _, _ in weights]
        if split is not None and name == split:
            g.attrs["weight_names0"] = names(weight_names[:1])
            g.attrs["weight_names1"] = names(weight_names[1:])
        else:
            g.attrs["weight_names"] = names(weight_names) if weight_names else np.asarray([])
        for weight_name, shape, tag in weights:
            g.create_dataset(weight_name, data=tagged(shape, tag))


def legacy_files(p):
    with h5py.File(p("legacy-fixed.h5"), "w") as f:
        write_legacy(f, LEGACY)
        f.create_group("top_level_model_weights").attrs["weight_names"] = np.asarray([])
    with h5py.File(p("legacy-vlen.h5"), "w") as f:
        write_legacy(f, LEGACY, names=vlen, scalar=bytes, version="2.11.0")  # bytes: vlen ASCII scalars
        top = f.create_group("top_level_model_weights")
        top.attrs["weight_names"] = vlen(["seed_generator_state:0"])
        top.create_dataset("seed_generator_state:0", data=np.array([42, 0], dtype="int64"))
    with h5py.File(p("legacy-chunked.h5"), "w") as f:
        write_legacy(f, LEGACY, split="lstm")
        del f.attrs["layer_names"]
        for i, chunk in enumerate([["dense"], ["dropout", "lstm"], ["dense_1"]]):
            f.attrs[f"layer_names{i}"] = fixed(chunk)
    with h5py.File(p("legacy-keras1.h5"), "w") as f:
        write_legacy(f, [("input_1", []), ("dense_1", [("dense_1_W:0", (3, 2), 11), ("dense_1_b:0", (2,), 12)])],
                     scalar=None)
    with h5py.File(p("legacy-nested.h5"), "w") as f:
        write_legacy(f, [("input_1", []), ("sequential", [
            ("dense_1/kernel:0", (4, 2), 21), ("dense_1/bias:0", (2,), 22), ("batch_normalization/gamma:0", (2,), 23),
            ("batch_normalization/beta:0", (2,), 24), ("batch_normalization/moving_mean:0", (2,), 25),
            ("batch_normalization/moving_variance:0", (2,), 26)])], names=vlen, scalar=lambda b: b.decode(),
            version="2.15.0")

    config = json.dumps({"class_name": "Sequential", "config": {"name": "s", "layers": []}}).encode()
    with h5py.File(p("full-model.h5"), "w") as f:
        f.attrs["keras_version"] = "2.4.0"  # Python str: vlen UTF-8
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = config
        f.attrs["training_config"] = b'{"loss": "mse"}'
        write_legacy(f.create_group("model_weights"), LEGACY, version="2.4.0")
        opt = f.create_group("optimizer_weights")
        opt.attrs["weight_names"] = fixed(["Adam/iter:0"])
        opt.create_dataset("Adam/iter:0", data=np.int64(7))
    with open(p("full-model.h5"), "rb") as src, open(p("full-model.keras"), "wb") as dst:
        dst.write(src.read())
    with h5py.File(p("full-no-weights.h5"), "w") as f:
        f.attrs["model_config"] = config


def write_vars(group, path, tensors, name=None):
    v = group.create_group(path + "/vars") if path else group.create_group("vars")
    if name is not None:
        v.attrs["name"] = name
    for i, (shape, tag) in enumerate(tensors):
        v.create_dataset(str(i), data=tagged(shape, tag))
    return v


def k3_pre36(f):
    write_vars(f, "layers/dense", [((4, 3), 1), ((3,), 2)])
    write_vars(f, "layers/dense_1", [((3, 2), 3), ((2,), 4)])
    write_vars(f, "layers/dense_10", [((2, 1), 5), ((1,), 6)])
    write_vars(f, "layers/dropout", [])
    write_vars(f, "layers/custom_layer", [((1,), 100 + i) for i in range(12)])
    f.create_group("vars")
    write_vars(f, "optimizer", [((), 9)])


def k3_36(f):
    write_vars(f, "layers/input_layer", [], "input_x")
    write_vars(f, "layers/lstm", [], "encoder")
    write_vars(f, "layers/lstm/cell", [((3, 8), 1), ((2, 8), 2), ((8,), 3)])
    write_vars(f, "layers/bidirectional", [], "bi")
    for side, base in (("forward_layer", 10), ("backward_layer", 20)):
        write_vars(f, f"layers/bidirectional/{side}", [])
        write_vars(f, f"layers/bidirectional/{side}/cell", [((3, 4), base), ((1, 4), base + 1), ((4,), base + 2)])
    write_vars(f, "layers/multi_head_attention", [], "mha")
    for part, base in (("key_dense", 32), ("output_dense", 36), ("query_dense", 30), ("value_dense", 34)):
        write_vars(f, f"layers/multi_head_attention/{part}", [((4, 2, 2), base), ((2, 2), base + 1)])
    write_vars(f, "layers/multi_head_attention/softmax", [])
    write_vars(f, "layers/multi_head_attention/dropout_layer", [])
    write_vars(f, "layers/time_distributed", [], "td")
    write_vars(f, "layers/time_distributed/layer", [((4, 2), 40), ((2,), 41)])
    write_vars(f, "layers/functional", [], "inner")
    write_vars(f, "layers/functional/layers/input_layer", [], "inner_input")
    write_vars(f, "layers/functional/layers/dense", [((4, 2), 50), ((2,), 51)], "inner_dense")
    write_vars(f, "layers/functional/layers/dense_1", [((2, 2), 52), ((2,), 53)], "inner_dense_1")
    write_vars(f, "", [((), 60)], "outer")
    write_vars(f, "optimizer", [((), 9), ((4, 3), 9)], "adam")
    write_vars(f, "metrics/mean", [((), 9)])


def keras3_files(p):
    with h5py.File(p("k3-pre36.weights.h5"), "w") as f:
        k3_pre36(f)
    with h5py.File(p("k3-36.weights.h5"), "w") as f:
        k3_36(f)
    with h5py.File(p("tf214.weights.h5"), "w") as f:
        write_vars(f, "_layer_checkpoint_dependencies/dense", [((4, 3), 1), ((3,), 2)])
        write_vars(f, "_layer_checkpoint_dependencies/lstm", [])
        write_vars(f, "_layer_checkpoint_dependencies/lstm/cell", [((3, 8), 3), ((2, 8), 4), ((8,), 5)])
        write_vars(f, "metrics/mean", [((), 9), ((), 9)])
        write_vars(f, "optimizer", [])
        f.create_group("vars")
    with h5py.File(p("k3-bfloat16.weights.h5"), "w") as f:
        v = write_vars(f, "layers/dense", [], "dense")
        ds = v.create_dataset("0", data=np.array([0x3F80, 0xC000], dtype="uint16"))  # 1.0, -2.0 in bfloat16
        ds.attrs["dtype"] = "bfloat16"

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        k3_pre36(f)
    config = json.dumps({"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": []}})
    with zipfile.ZipFile(p("k3.keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0", "date_saved": "2024-09-01@10:00:00"}))
        z.writestr("config.json", config)
        z.writestr("model.weights.h5", buf.getvalue())
    with zipfile.ZipFile(p("npz.keras"), "w") as z:
        z.writestr("config.json", config)
        z.writestr("model.weights.npz", b"PK\x05\x06" + bytes(18))
    with zipfile.ZipFile(p("noweights.keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0"}))
        z.writestr("config.json", config)
    with zipfile.ZipFile(p("other.zip"), "w") as z:
        z.writestr("a.txt", "hello")


def bad_files(p):
    with h5py.File(p("plain.h5"), "w") as f:
        f.create_dataset("x", data=np.arange(3))
    with h5py.File(p("bad-missing-group.h5"), "w") as f:
        write_legacy(f, LEGACY)
        del f["lstm"]
    with h5py.File(p("bad-missing-dataset.h5"), "w") as f:
        write_legacy(f, LEGACY)
        del f["dense_1/dense_1/bias:0"]
    with h5py.File(p("bad-no-weight-names.h5"), "w") as f:
        write_legacy(f, LEGACY)
        del f["dense"].attrs["weight_names"]
    with h5py.File(p("bad-string-weight.h5"), "w") as f:
        f.attrs["layer_names"] = fixed(["dense"])
        g = f.create_group("dense")
        g.attrs["weight_names"] = fixed(["dense/kernel:0"])
        g.create_dataset("dense/kernel:0", data=fixed(["not", "numbers"]))
    with h5py.File(p("bad-float16.h5"), "w") as f:
        f.attrs["layer_names"] = fixed(["dense"])
        g = f.create_group("dense")
        g.attrs["weight_names"] = fixed(["dense/kernel:0"])
        g.create_dataset("dense/kernel:0", data=np.ones((2, 2), dtype="float16"))
    with h5py.File(p("bad-huge.h5"), "w") as f:
        f.attrs["layer_names"] = fixed(["embedding"])
        g = f.create_group("embedding")
        g.attrs["weight_names"] = fixed(["embedding/embeddings:0"])
        g.create_dataset("embedding/embeddings:0", shape=(2 ** 19, 2 ** 10), dtype="float32", chunks=(64, 64))


def main(out):
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    legacy_files(p)
    keras3_files(p)
    bad_files(p)
    for name in sorted(os.listdir(out)):
        print(name)


if __name__ == "__main__":
    main(sys.argv[1])
