"""The anchor: the same VGG16-size legacy save_weights layout written and read with h5py, as Keras does."""
import json, os, resource, sys, time
import h5py
import numpy as np

d, reps = sys.argv[1], int(sys.argv[2])
shapes = json.load(open(os.path.join(os.path.dirname(__file__), 'vgg16-shapes.json')))
arrays = [(name, [np.zeros(s, 'float32') for s in ws]) for name, ws in shapes]
out = os.path.join(d, 'h5py_vgg16.h5')
write, read = [], []
for _ in range(reps):
    if os.path.exists(out):
        os.remove(out)
    t = time.perf_counter()
    with h5py.File(out, 'w') as f:
        f.attrs['layer_names'] = np.asarray([n.encode() for n, _ in arrays])
        f.attrs['backend'] = b'tensorflow'
        f.attrs['keras_version'] = b'2.12.0'
        for name, ws in sorted(arrays):
            g = f.create_group(name)
            names = [f'{name}/{"kernel" if i == 0 else "bias"}:0'.encode() for i in range(len(ws))]
            g.attrs['weight_names'] = np.asarray(names)
            for n, w in zip(names, ws):
                g.create_dataset(n.decode(), data=w)
        f.flush()
        os.fsync(f.id.get_vfd_handle())
    write.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    with h5py.File(out, 'r') as f:
        vals = [[f[name][n.decode()][()] for n in f[name].attrs['weight_names']] for name in [x.decode() for x in f.attrs['layer_names']]]
    read.append((time.perf_counter() - t) * 1000)
print(json.dumps({'write': write, 'read': read, 'rssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
