"""NumPy's view of every tensor in a weights file, for `weights show` tests (Debian python3-h5py + python3-numpy).

Usage: weights_stats.py FILE  ->  JSON {key: {shape, dtype, min, max, mean, std, nan, inf}} on stdout, where key is the
dataset path inside the HDF5 file (for a .keras zip: inside its model.weights.h5), or the manifest name for a tfjs
model.json. Statistics in float64 over the finite values; population std (ddof=0); null when nothing is finite.
"""
import io
import json
import os
import sys
import zipfile

import numpy as np


def stats(a, dtype):
    a = np.asarray(a)
    if dtype == 'bfloat16':
        a = (a.astype(np.uint32) << 16).view(np.float32)
    x = a.astype(np.float64).ravel()
    finite = x[np.isfinite(x)]
    out = {'shape': list(a.shape), 'dtype': dtype, 'nan': int(np.isnan(x).sum()), 'inf': int(np.isinf(x).sum())}
    if finite.size == 0:
        out.update(min=None, max=None, mean=None, std=None)
    else:
        out.update(min=float(finite.min()), max=float(finite.max()), mean=float(finite.mean()), std=float(finite.std()))
    return out


def h5_stats(f):
    import h5py
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind in 'fiub':
            dtype = obj.attrs.get('dtype', None)
            dtype = dtype.decode() if isinstance(dtype, bytes) else dtype
            out['/' + name] = stats(obj[()], 'bfloat16' if dtype == 'bfloat16' else str(obj.dtype))
    f.visititems(visit)
    return out


def tfjs_stats(path):
    doc = json.load(open(path))
    out = {}
    for group in doc['weightsManifest']:
        data = b''.join(open(os.path.join(os.path.dirname(path), p), 'rb').read() for p in group['paths'])
        offset = 0
        for w in group['weights']:
            dtype = np.dtype(w['dtype'])
            n = int(np.prod(w['shape'], dtype=np.int64))
            a = np.frombuffer(data, dtype=dtype, count=n, offset=offset).reshape(w['shape'])
            offset += n * dtype.itemsize
            out[w['name']] = stats(a, w['dtype'])
    return out


def main():
    import h5py
    path = sys.argv[1]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            result = h5_stats(h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r'))
    elif h5py.is_hdf5(path):
        result = h5_stats(h5py.File(path, 'r'))
    else:
        result = tfjs_stats(path)
    print(json.dumps(result))


main()
