"""Keras anchor for bench/predict: the same MLP, CNN and LSTM as bench/predict/models.js, run with Keras 3
`model.predict` on tensorflow-cpu (what a user would run instead of kmodel), batch 128, synthetic inputs.

Usage: $(bash scripts/oracle-venv.sh) bench/predict/keras_bench.py [--passes 3] [--models mlp,cnn,lstm]
Prints one JSON line per model: {"model", "samplesPerSecond", "passes": [samples/s per timed pass]}.
The first pass (graph tracing) is not timed.
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

SPEC = {"mlp": ((784,), 8192), "cnn": ((28, 28, 1), 2048), "lstm": ((50, 32), 1024)}


def build(keras, name):
    layers = keras.layers
    shape = SPEC[name][0]
    if name == "mlp":
        body = [layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu")]
    elif name == "cnn":
        body = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(128, activation="relu")]
    else:
        body = [layers.LSTM(64)]
    return keras.Sequential([keras.Input(shape), *body, layers.Dense(10, activation="softmax")])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--models", default="mlp,cnn,lstm")
    args = parser.parse_args()
    import keras
    import numpy as np

    for name in args.models.split(","):
        shape, n = SPEC[name]
        x = np.random.default_rng(0).uniform(0, 1, size=(n, *shape)).astype("float32")
        model = build(keras, name)
        model.predict(x, batch_size=128, verbose=0)
        rates = []
        for _ in range(args.passes):
            start = time.perf_counter()
            model.predict(x, batch_size=128, verbose=0)
            rates.append(n / (time.perf_counter() - start))
        rates.sort()
        print(json.dumps({"model": name, "samplesPerSecond": rates[len(rates) // 2], "passes": rates, "keras": keras.__version__}))


if __name__ == "__main__":
    main()
