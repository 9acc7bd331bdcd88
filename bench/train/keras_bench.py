"""Keras anchor for bench/train: the same MLP and CNN as bench/train/kmodel.js, trained with Keras `fit` on
tensorflow-cpu (what a user would run instead of kmodel), SGD(0.01), categorical cross-entropy, synthetic data.

Usage: $(bash scripts/oracle-venv.sh) bench/train/keras_bench.py [--threads 2] [--epochs 3] [--models mlp,cnn]
        [--generation keras3|keras2]
Prints one JSON line per model: {"model", "batch", "samplesPerSecond", "epochs": [samples/s per timed epoch]}.
The first epoch (graph tracing) is not timed; the timed epochs run inside the same fit call.
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

# Samples per epoch and batch sizes: the same as kmodel.js and torch_bench.py.
SAMPLES = {"mlp": 128 * 80, "cnn": 64 * 24}
BATCH = {"mlp": 128, "cnn": 64}


def build(keras, name):
    layers = keras.layers
    if name == "mlp":
        body = [keras.Input((784,)), layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu")]
    else:
        body = [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
            layers.Flatten(), layers.Dense(128, activation="relu"),
        ]
    model = keras.Sequential([*body, layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="categorical_crossentropy")
    return model


def run(keras, name, epochs):
    import numpy as np

    rng = np.random.default_rng(0)
    n, batch = SAMPLES[name], BATCH[name]
    shape = (n, 784) if name == "mlp" else (n, 28, 28, 1)
    x = rng.uniform(0, 1, size=shape).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, size=n)]
    model = build(keras, name)
    marks = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            marks.append(time.perf_counter())

        def on_epoch_end(self, epoch, logs=None):
            marks.append(time.perf_counter())

    model.fit(x, y, batch_size=batch, epochs=epochs + 1, shuffle=False, verbose=0, callbacks=[Timer()])
    rates = sorted(n / (marks[2 * e + 1] - marks[2 * e]) for e in range(1, epochs + 1))
    return {"model": name, "batch": batch, "samplesPerSecond": rates[len(rates) // 2], "epochs": rates}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--generation", default="keras3", choices=["keras3", "keras2"])
    args = parser.parse_args()
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    if args.generation == "keras3":
        import keras
    else:
        import tf_keras as keras
    for name in args.models.split(","):
        out = run(keras, name, args.epochs)
        print(json.dumps({**out, "threads": args.threads, "keras": keras.__version__, "tensorflow": tf.__version__}), flush=True)


if __name__ == "__main__":
    main()
