"""Test support: describes an HDF5 file with h5py (Debian python3-h5py) as JSON on stdout.

usage: h5_describe.py describe FILE [--data]   every group/dataset, attribute types and values, data hashes
       h5_describe.py keras2 FILE              what Keras's legacy loader reads: layer_names, then per layer
                                               the datasets named by weight_names (chunked attrs joined)
       h5_describe.py chunks N_ITEMS ITEMSIZE  the part sizes Keras's np.array_split loop produces
"""
import base64
import hashlib
import json
import sys

import h5py
import numpy as np

PAD = {h5py.h5t.STR_NULLTERM: "nullterm", h5py.h5t.STR_NULLPAD: "nullpad", h5py.h5t.STR_SPACEPAD: "spacepad"}
CSET = {h5py.h5t.CSET_ASCII: "ascii", h5py.h5t.CSET_UTF8: "utf8"}


def plain(value):
    """An attribute value as JSON: bytes decoded as UTF-8, arrays as lists."""
    if isinstance(value, bytes):
        return value.decode("utf8")
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()] if value.ndim else plain(value.item())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def attr_info(obj, name):
    tid = obj.attrs.get_id(name).get_type()
    value = obj.attrs[name]
    info = {"class": tid.get_class(), "value": plain(value), "shape": list(obj.attrs.get_id(name).shape)}
    if isinstance(tid, h5py.h5t.TypeStringID):
        vlen = tid.is_variable_str()
        info.update(type="vlen" if vlen else "fixed", cset=CSET[tid.get_cset()], strpad=PAD[tid.get_strpad()])
        if not vlen:
            info["size"] = tid.get_size()
            info["numpy"] = value.dtype.str if isinstance(value, np.ndarray) else type(value).__name__
    else:
        info.update(type="numeric", numpy=value.dtype.str)
    return info


def node_info(path, obj, with_data):
    out = {"path": path, "attrs": {k: attr_info(obj, k) for k in sorted(obj.attrs.keys())}}
    if isinstance(obj, h5py.Dataset):
        raw = obj[()]
        data = np.asarray(raw).tobytes()
        out.update(kind="dataset", dtype=obj.dtype.str, shape=list(obj.shape), sha256=hashlib.sha256(data).hexdigest(),
                   layout=obj.id.get_create_plist().get_layout())
        if with_data:
            out["data"] = base64.b64encode(data).decode("ascii")
    else:
        out["kind"] = "group"
    return out


def describe(path, with_data):
    nodes = []
    with h5py.File(path, "r") as f:
        nodes.append(node_info("/", f, with_data))
        f.visititems(lambda name, obj: nodes.append(node_info("/" + name, obj, with_data)))
        sb = f.id.get_create_plist().get_version()[0]
    return {"superblock": sb, "nodes": nodes}


def string_list(group, name):
    """Keras's load_attributes_from_hdf5_group."""
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    out, i = [], 0
    while "%s%d" % (name, i) in group.attrs:
        out.extend(n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs["%s%d" % (name, i)])
        i += 1
    return out


def weights_of(group):
    out = []
    for w in string_list(group, "weight_names"):
        arr = np.asarray(group[w][()])
        out.append({"name": w, "dtype": arr.dtype.str, "shape": list(arr.shape),
                    "data": base64.b64encode(arr.tobytes()).decode("ascii")})
    return out


def keras2(path):
    with h5py.File(path, "r") as f:
        layers = [{"name": lname, "weights": weights_of(f[lname])} for lname in string_list(f, "layer_names")]
        top = weights_of(f["top_level_model_weights"]) if "top_level_model_weights" in f else None
        return {"layers": layers, "top_level": top, "backend": plain(f.attrs.get("backend")),
                "keras_version": plain(f.attrs.get("keras_version"))}


def chunks(n, itemsize):
    data = np.zeros(n, dtype="S%d" % itemsize)
    parts = 1
    split = np.array_split(data, parts)
    while any(x.nbytes > 64512 for x in split):
        parts += 1
        split = np.array_split(data, parts)
    return [len(x) for x in split]


if __name__ == "__main__":
    cmd, arg = sys.argv[1], sys.argv[2]
    if cmd == "describe":
        result = describe(arg, "--data" in sys.argv)
    elif cmd == "keras2":
        result = keras2(arg)
    else:
        result = chunks(int(arg), int(sys.argv[3]))
    json.dump(result, sys.stdout)
