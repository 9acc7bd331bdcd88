"""Compares two Keras weights HDF5 files with h5py: attributes (values and string kinds), groups, dataset
paths, dtypes, shapes and bit-identical values. Prints a JSON list of differences (empty = identical).

usage: h5compare.py A B [--ignore-attr NAME ...]
The weights group is the root, or `model_weights` in a full-model file (compared against the other file's).
"""
import json
import sys

import h5py
import numpy as np


def weights_root(f):
    return f["model_weights"] if "model_weights" in f and "layer_names" not in f.attrs else f


def kind(value):
    if isinstance(value, np.ndarray):
        return f"array:{value.dtype.str}:{value.shape}"
    return type(value).__name__


def same_value(x, y):
    if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
        return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y)
    return type(x) is type(y) and x == y


def items(group):
    out = {}
    group.visititems(lambda name, obj: out.__setitem__(name, obj))
    return out


def main():
    a_path, b_path, *rest = sys.argv[1:]
    ignore = set(rest[i + 1] for i, r in enumerate(rest) if r == "--ignore-attr")
    diffs = []
    with h5py.File(a_path, "r") as fa, h5py.File(b_path, "r") as fb:
        ra, rb = weights_root(fa), weights_root(fb)
        for where, ga, gb in [("/", ra, rb)] + [(n, o, rb.get(n)) for n, o in items(ra).items() if isinstance(o, h5py.Group)]:
            if gb is None:
                diffs.append(f"group {where} missing in B")
                continue
            for key in set(ga.attrs) | set(gb.attrs):
                if key in ignore:
                    continue
                if key not in ga.attrs or key not in gb.attrs:
                    diffs.append(f"attr {where}@{key} only in {'A' if key in ga.attrs else 'B'}")
                elif not same_value(ga.attrs[key], gb.attrs[key]):
                    diffs.append(f"attr {where}@{key}: {ga.attrs[key]!r} ({kind(ga.attrs[key])}) vs {gb.attrs[key]!r} ({kind(gb.attrs[key])})")
        ia, ib = items(ra), items(rb)
        for name in sorted(set(ia) | set(ib)):
            oa, ob = ia.get(name), ib.get(name)
            if oa is None or ob is None:
                diffs.append(f"{name} only in {'A' if ob is None else 'B'}")
            elif isinstance(oa, h5py.Dataset):
                if not isinstance(ob, h5py.Dataset):
                    diffs.append(f"{name}: dataset vs group")
                elif oa.dtype != ob.dtype or oa.shape != ob.shape:
                    diffs.append(f"{name}: {oa.dtype}{oa.shape} vs {ob.dtype}{ob.shape}")
                elif oa[()].tobytes() != ob[()].tobytes():
                    diffs.append(f"{name}: values differ")
    print(json.dumps(diffs))


main()
