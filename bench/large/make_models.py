"""Writes the two full-model .h5 files of bench/large with real Keras (the oracle venv): a wide MLP whose
weights make the file ~2.4 GB, and a small MLP of the same shape family. Both are `model.save('x.h5')` output,
so Keras itself loads them. Cached: a file that already exists is kept.

Usage: <oracle python> bench/large/make_models.py DIR   (prints one JSON line: the paths and sizes)
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402


def make(path, inputs, units):
    if os.path.exists(path):
        return
    layers = [keras.Input(shape=(inputs,))]
    for i, n in enumerate(units):
        # ones, not random: initialising 600M random weights costs minutes and changes nothing the benchmark reads
        layers.append(keras.layers.Dense(n, activation="relu", kernel_initializer="ones", name=f"dense_{i}"))
    model = keras.Sequential(layers, name="wide_mlp")
    tmp = path + ".part.h5"
    model.save(tmp)
    os.replace(tmp, path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    large = os.path.join(out, "wide-mlp-2.4GB.h5")
    small = os.path.join(out, "wide-mlp-small.h5")
    # 20000·10000 + 10000·20000 + 20000·10000 ≈ 600M float32 parameters ≈ 2.4 GB
    make(large, 20000, [10000, 20000, 10000])
    make(small, 200, [100, 200, 100])
    print(json.dumps({"large": large, "large_bytes": os.path.getsize(large), "small": small, "small_bytes": os.path.getsize(small)}))


if __name__ == "__main__":
    main()
