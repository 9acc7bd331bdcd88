#!/usr/bin/python3
"""Writes HDF5 files that try to read outside themselves, for test/security/outside-reads.e2e.test.ts.

Usage: make_outside.py OUTDIR CANARY   (OUTDIR gets outside/ and model/; prints nothing on success)

outside/ holds the files a hostile model points at, every value in them CANARY (a float32):
  canary.h5    /kernel (3, 2), /bias (2,), /x (4, 3), and /dense (a Keras 2 layer group with weight_names)
  canary.bin   raw little-endian float32: CANARY x 16
model/ holds the hostile files, all for a Sequential `in (None, 3) -> dense Dense(2)`:
  good.h5            save_weights layout (Keras 2), in-file data only: the control that must still work
  soft-ok.h5         dense/kernel:0 is a soft link to a dataset elsewhere in the same file (must work)
  ext-abs.h5         dense/kernel:0 is an external link to <abs>/outside/canary.h5:/kernel
  ext-rel.h5         the layer group /dense is an external link to ../outside/canary.h5:/dense
  efl.h5             dense/kernel:0 keeps its raw data in outside/canary.bin (EXTERNAL storage)
  vds.h5             dense/kernel:0 is a virtual dataset mapped onto outside/canary.h5:/kernel
  soft-ext.h5        dense/kernel:0 is a soft link to /e/kernel, and /e an external link to canary.h5:/
  soft-dangling.h5   dense/kernel:0 is a soft link to /nowhere
  soft-cycle.h5      dense/kernel:0 -> dense/loop -> dense/kernel:0 (soft links)
  full-ext.h5        model.save() layout (model_config + model_weights) whose model_weights/dense is an
                     external link to ../outside/canary.h5:/dense
  ext.keras          a Keras 3 .keras zip whose model.weights.h5 has layers/dense/vars/0 as an external link
  data-ext.h5, data-efl.h5, data-vds.h5   /x (4, 3) as external link / external storage / virtual dataset
  data-ok.h5         /x (4, 3) of ones (the control)
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

OUT, CANARY = sys.argv[1], float(sys.argv[2])
OUTSIDE, MODEL = os.path.join(OUT, "outside"), os.path.join(OUT, "model")
CANARY_H5 = os.path.join(OUTSIDE, "canary.h5")
CANARY_BIN = os.path.join(OUTSIDE, "canary.bin")
NAMES = [b"dense/kernel:0", b"dense/bias:0"]
KERAS3_CONFIG = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "in"}},
    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear", "use_bias": True}},
]}}
KERAS2_CONFIG = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "in"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 2, "activation": "linear", "use_bias": True}},
]}}


def canary(shape):
    return np.full(shape, CANARY, dtype="float32")


def outside_files():
    os.makedirs(OUTSIDE)
    os.makedirs(MODEL)
    with h5py.File(CANARY_H5, "w") as f:
        f["kernel"], f["bias"], f["x"] = canary((3, 2)), canary((2,)), canary((4, 3))
        g = f.create_group("dense")
        g.attrs["weight_names"] = np.asarray(NAMES)
        g["dense/kernel:0"], g["dense/bias:0"] = canary((3, 2)), canary((2,))
    canary((16,)).tofile(CANARY_BIN)


def legacy(name, kernel=None, layer=None, root=None):
    """A Keras 2 save_weights file; `kernel(group, name)` / `layer(file)` / `root(file)` plant the hostile part."""
    with h5py.File(os.path.join(MODEL, name), "w") as f:
        f.attrs["layer_names"] = np.asarray([b"in", b"dense"])
        f.attrs["backend"], f.attrs["keras_version"] = b"tensorflow", b"2.12.0"
        f.create_group("in").attrs["weight_names"] = np.asarray([])
        if layer is not None:
            layer(f)
        else:
            g = f.create_group("dense")
            g.attrs["weight_names"] = np.asarray(NAMES)
            g["dense/bias:0"] = np.zeros((2,), "float32")
            if kernel is None:
                g["dense/kernel:0"] = np.full((3, 2), 0.5, "float32")
            else:
                kernel(f, g)
        if root is not None:
            root(f)


def vds_kernel(f, g):
    layout = h5py.VirtualLayout(shape=(3, 2), dtype="float32")
    layout[:] = h5py.VirtualSource(CANARY_H5, "/kernel", shape=(3, 2))
    g.create_virtual_dataset("dense/kernel:0", layout)


def soft_ok(f, g):
    f["store/k"] = np.full((3, 2), 0.5, "float32")
    g["dense/kernel:0"] = h5py.SoftLink("/store/k")


def weights_files():
    legacy("good.h5")
    legacy("soft-ok.h5", soft_ok)
    legacy("ext-abs.h5", lambda f, g: g.__setitem__("dense/kernel:0", h5py.ExternalLink(CANARY_H5, "/kernel")))
    legacy("ext-rel.h5", layer=lambda f: f.__setitem__("dense", h5py.ExternalLink("../outside/canary.h5", "/dense")))
    legacy("efl.h5", lambda f, g: g.create_dataset("dense/kernel:0", (3, 2), "float32", external=[(CANARY_BIN, 0, 24)]))
    legacy("vds.h5", vds_kernel)
    legacy("soft-ext.h5", lambda f, g: g.__setitem__("dense/kernel:0", h5py.SoftLink("/e/kernel")),
           root=lambda f: f.__setitem__("e", h5py.ExternalLink(CANARY_H5, "/")))
    legacy("soft-dangling.h5", lambda f, g: g.__setitem__("dense/kernel:0", h5py.SoftLink("/nowhere")))

    def cycle(f, g):
        g["dense/kernel:0"] = h5py.SoftLink("/dense/dense/loop")
        g["dense/loop"] = h5py.SoftLink("/dense/dense/kernel:0")
    legacy("soft-cycle.h5", cycle)


def full_model():
    with h5py.File(os.path.join(MODEL, "full-ext.h5"), "w") as f:
        f.attrs["model_config"] = json.dumps(KERAS2_CONFIG).encode()
        f.attrs["backend"], f.attrs["keras_version"] = b"tensorflow", b"2.12.0"
        w = f.create_group("model_weights")
        w.attrs["layer_names"] = np.asarray([b"in", b"dense"])
        w.attrs["backend"], w.attrs["keras_version"] = b"tensorflow", b"2.12.0"
        w.create_group("in").attrs["weight_names"] = np.asarray([])
        w["dense"] = h5py.ExternalLink("../outside/canary.h5", "/dense")


def keras_zip():
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_group("layers/in/vars")
        v = f.create_group("layers/dense/vars")
        v["0"] = h5py.ExternalLink(CANARY_H5, "/kernel")
        v["1"] = np.zeros((2,), "float32")
        f.create_group("vars")
    with zipfile.ZipFile(os.path.join(MODEL, "ext.keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.5.0", "date_saved": "2024-09-01@10:00:00"}))
        z.writestr("config.json", json.dumps(KERAS3_CONFIG))
        z.writestr("model.weights.h5", buf.getvalue())


def data_files():
    with h5py.File(os.path.join(MODEL, "data-ok.h5"), "w") as f:
        f["x"] = np.ones((4, 3), "float32")
    with h5py.File(os.path.join(MODEL, "data-ext.h5"), "w") as f:
        f["x"] = h5py.ExternalLink(CANARY_H5, "/x")
    with h5py.File(os.path.join(MODEL, "data-efl.h5"), "w") as f:
        f.create_dataset("x", (4, 3), "float32", external=[(CANARY_BIN, 0, 48)])
    with h5py.File(os.path.join(MODEL, "data-vds.h5"), "w") as f:
        layout = h5py.VirtualLayout(shape=(4, 3), dtype="float32")
        layout[:] = h5py.VirtualSource(CANARY_H5, "/x", shape=(4, 3))
        f.create_virtual_dataset("x", layout)


outside_files()
weights_files()
full_model()
keras_zip()
data_files()
with open(os.path.join(MODEL, "model.json"), "w") as out:
    json.dump({**KERAS2_CONFIG, "keras_version": "2.12.0", "backend": "tensorflow"}, out)
