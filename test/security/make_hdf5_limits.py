#!/usr/bin/python3
"""Writes HDF5 weights files that try to exhaust a reader, for test/security/hdf5-limits.e2e.test.ts.

Usage: make_hdf5_limits.py OUTDIR   (prints nothing on success)

- fill.h5: a legacy save_weights file for one Dense(3 -> 2) layer 'dense' whose kernel dataset declares
  16384 x 16384 float32 (1 GiB) but stores nothing (fill value only): the wrong shape, and no data in the file.
- cycle3.weights.h5: a Keras 3 .weights.h5 for the same model with a hard link from the layer group back to
  the root, and one from its vars group back to /layers (a walk over groups would never end).
- alias3.weights.h5: the same file with only the root link.
"""
import sys

import h5py
import numpy as np

out = sys.argv[1]

with h5py.File(f'{out}/fill.h5', 'w') as f:
    f.attrs['layer_names'] = np.array([b'dense'])
    f.attrs['backend'] = b'tensorflow'
    f.attrs['keras_version'] = b'2.15.0'
    g = f.create_group('dense')
    g.attrs['weight_names'] = np.array([b'dense/kernel:0', b'dense/bias:0'])
    g.create_dataset('dense/kernel:0', shape=(16384, 16384), dtype='f4', fillvalue=0.5)
    g.create_dataset('dense/bias:0', data=np.zeros((2,), 'f4'))


def keras3(path, loops):
    with h5py.File(path, 'w') as f:
        v = f.create_group('layers/dense/vars')
        v.attrs['name'] = 'dense'
        v.create_dataset('0', data=np.ones((3, 2), 'f4'))
        v.create_dataset('1', data=np.zeros((2,), 'f4'))
        f.create_group('vars').attrs['name'] = 'sequential'
        if loops:
            f['layers/dense/vars/loop'] = f['layers']
        f['layers/dense/back'] = f['/']


keras3(f'{out}/cycle3.weights.h5', True)
keras3(f'{out}/alias3.weights.h5', False)
