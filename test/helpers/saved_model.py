"""What h5py (an independent reader) finds in a whole-model file kmodel wrote: a full-model .h5, or the
model.weights.h5 inside a .keras zip (read from memory with Python's zipfile).

    python3 saved_model.py FILE  ->  JSON {"zip": [{"name", "compress_type", "date_time"}] | null,
        "metadata": {...} | null, "config": {...} | null, "attrs": {name: str value or list},
        "model_weights_attrs": {...} | null, "groups": [paths], "datasets": [{"path", "shape", "dtype", "sha256"}]}
"""
import hashlib
import io
import json
import sys
import zipfile

import h5py
import numpy as np


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf8")
    if isinstance(value, np.ndarray):
        return [text(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value]
    return value if isinstance(value, str) else str(value)


def attrs_of(node):
    return {k: text(v) for k, v in node.attrs.items()}


def describe(f):
    groups, datasets = [], []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            arr = np.ascontiguousarray(np.asarray(data))
            datasets.append({"path": name, "shape": list(obj.shape), "dtype": str(obj.dtype), "sha256": hashlib.sha256(arr.tobytes()).hexdigest()})
        else:
            groups.append({"path": name, "attrs": attrs_of(obj)})

    f.visititems(visit)
    mw = f["model_weights"] if "model_weights" in f else None
    return {"attrs": attrs_of(f), "model_weights_attrs": attrs_of(mw) if mw is not None else None, "groups": groups, "datasets": datasets}


def main(path):
    out = {"zip": None, "metadata": None, "config": None}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            out["zip"] = [{"name": i.filename, "compress_type": i.compress_type, "date_time": list(i.date_time), "external_attr": i.external_attr} for i in z.infolist()]
            out["metadata"] = json.loads(z.read("metadata.json"))
            out["config"] = json.loads(z.read("config.json"))
            with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
                out.update(describe(f))
    else:
        with h5py.File(path, "r") as f:
            out.update(describe(f))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
