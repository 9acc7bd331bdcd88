"""Keras 3 → tf-keras dialect oracle (test/unit/model/dialect-oracle.test.ts).

build (Keras 3.15):   python dialect_zoo.py build DIR
    For every zoo model writes DIR/<id>.keras3.json (model.to_json()), DIR/<id>.npz (weights w0..wN, the input x
    and Keras 3's output y on it) and DIR/index.json (the ids, in order).
check (tf-keras 2.21): python dialect_zoo.py check DIR
    For every DIR/<id>.keras2.json (kmodel's conversion) loads it with tf_keras.models.model_from_json, sets the
    Keras 3 weights and predicts on x; writes DIR/verdicts.json: {id: {"loaded": bool, "error": str | None,
    "max_abs_diff": float | None}}.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import import_keras  # noqa: E402


def zoo(keras):
    """(id, model, input dtype, input range) for every model; layer and model names are explicit (stable JSON)."""
    L = keras.layers
    I = keras.initializers
    R = keras.regularizers
    C = keras.constraints
    out = []

    def seq(name, shape, layers, dtype="float32", rng=(-1.0, 1.0)):
        model = keras.Sequential([keras.Input(shape=shape, dtype=dtype, name=f"{name}_in")] + layers, name=name)
        out.append((name, model, dtype, rng))

    seq("dense", (5,), [
        L.Dense(4, name="d1", kernel_initializer=I.GlorotUniform(seed=1), bias_initializer=I.Constant(0.1),
                kernel_regularizer=R.L2(0.01), bias_regularizer=R.L1(0.02), activity_regularizer=R.L1L2(l1=0.001, l2=0.002),
                kernel_constraint=C.MaxNorm(2.0)),
        L.Dense(3, name="d2", activation="silu", kernel_initializer=I.Orthogonal(seed=2)),
        L.Dense(2, name="d3", activation="tanh", kernel_initializer=I.HeNormal(seed=3), bias_initializer="zeros"),
    ])
    seq("conv1d", (8, 3), [
        L.Conv1D(4, 3, name="c1", padding="same", kernel_initializer=I.HeUniform(seed=4), kernel_regularizer=R.L2(1e-3)),
        L.BatchNormalization(name="bn"),
        L.LeakyReLU(negative_slope=0.2, name="lrelu"),
        L.Dropout(0.3, name="drop"),
        L.Conv1D(2, 2, name="c2", strides=2, activation="relu"),
        L.GlobalAveragePooling1D(name="gap"),
    ])
    seq("conv2d", (6, 6, 2), [
        L.Conv2D(3, (3, 3), name="c", padding="valid", kernel_initializer=I.LecunNormal(seed=5), bias_initializer=I.RandomNormal(seed=6)),
        L.BatchNormalization(name="bn", momentum=0.9, epsilon=1e-3),
        L.Activation("relu", name="act"),
        L.LeakyReLU(name="lrelu_default"),
        L.MaxPooling2D(name="pool"),
        L.Flatten(name="flat"),
        L.Dense(2, name="head", kernel_initializer=I.TruncatedNormal(seed=7)),
    ])
    seq("rnn", (5, 3), [
        L.LSTM(4, name="lstm", return_sequences=True, recurrent_initializer=I.Orthogonal(seed=8), kernel_initializer=I.GlorotUniform(seed=9)),
        L.GRU(3, name="gru", return_sequences=True, recurrent_dropout=0.1),
        L.SimpleRNN(2, name="rnn", kernel_regularizer=R.L2(0.01)),
    ])
    seq("bidirectional", (5, 3), [
        L.Bidirectional(L.LSTM(3, return_sequences=True, name="lstm"), name="bi_lstm"),
        L.Bidirectional(L.GRU(2, name="gru"), merge_mode="sum", name="bi_gru"),
    ])
    seq("bidirectional_own_backward", (5, 3), [
        L.Bidirectional(L.LSTM(3, name="fwd"), backward_layer=L.LSTM(3, go_backwards=True, activation="relu", name="bwd"), name="bi"),
    ])
    seq("embedding", (6,), [
        L.Embedding(10, 4, name="emb", embeddings_initializer=I.RandomUniform(seed=10), embeddings_regularizer=R.L2(0.01)),
        L.GlobalAveragePooling1D(name="gap"),
        L.Dense(2, name="head"),
    ], dtype="int32", rng=(0, 9))
    seq("layernorm", (4, 3), [
        L.LayerNormalization(name="ln", epsilon=1e-5),
        L.LayerNormalization(name="ln_noscale", axis=-1, center=False),
    ])
    seq("layernorm_rms", (4, 3), [L.LayerNormalization(name="ln", rms_scaling=True)])
    seq("resize_crop", (8, 8, 2), [
        L.Resizing(6, 6, name="resize", interpolation="bilinear"),
        L.CenterCrop(4, 4, name="crop"),
    ], rng=(0.0, 1.0))
    seq("resizing_channels_first", (2, 8, 8), [L.Resizing(4, 4, name="resize", data_format="channels_first")])
    seq("centercrop_channels_first", (2, 8, 8), [L.CenterCrop(4, 4, name="crop", data_format="channels_first")])
    seq("hard_sigmoid_activation", (4,), [L.Activation("hard_sigmoid", name="hs")], rng=(-4.0, 4.0))
    seq("hard_sigmoid_dense", (4,), [L.Dense(3, name="d", activation="hard_sigmoid")], rng=(-4.0, 4.0))
    seq("recurrent_hard_sigmoid", (5, 3), [L.LSTM(2, name="lstm", recurrent_activation="hard_sigmoid")])

    seq("wrappers", (5, 3), [
        L.TimeDistributed(L.Dense(4, name="td_dense", kernel_initializer=I.GlorotUniform(seed=12)), name="td"),
        L.Dropout(0.2, seed=3, name="drop"),
        L.GaussianNoise(0.1, name="noise"),
        L.EinsumDense("abc,cd->abd", output_shape=(5, 2), bias_axes="d", name="einsum"),
        L.ReLU(max_value=6.0, name="relu6"),
        L.PReLU(name="prelu"),
    ])
    seq("augment", (8, 8, 3), [
        L.Rescaling(1.0 / 255, name="rescale"),
        L.RandomFlip(name="flip", seed=1),
        L.RandomContrast(0.3, name="contrast", seed=2),
        L.RandomRotation(0.1, name="rotate", seed=3),
        L.RandomZoom(0.1, name="zoom", seed=4),
        L.RandomTranslation(0.1, 0.1, name="translate", seed=5),
        L.Conv2D(2, 3, name="conv", activation="gelu"),
        L.GlobalMaxPooling2D(name="gmp"),
    ], rng=(0.0, 255.0))
    seq("convlstm", (3, 5, 5, 2), [L.ConvLSTM2D(2, 3, name="clstm", padding="same", seed=7, return_sequences=False)])
    seq("resizing_antialias", (8, 8, 2), [L.Resizing(4, 4, name="resize", antialias=True)])
    seq("contrast_value_range", (4, 4, 3), [L.RandomContrast(0.2, value_range=(0, 1), name="contrast")], rng=(0.0, 1.0))
    seq("lora", (4,), [L.Dense(3, name="d", lora_rank=2)])
    seq("resizing_pad", (8, 6, 2), [L.Resizing(4, 4, name="resize", pad_to_aspect_ratio=True)])

    # a nested Sequential inside a functional model, called once
    inner = keras.Sequential([keras.Input(shape=(4,), name="inner_in"), L.Dense(3, name="inner_d", activation="relu"), L.Dropout(0.1, name="inner_drop")], name="inner")
    x = keras.Input(shape=(4,), name="outer_in")
    y = L.Dense(4, name="pre", kernel_initializer=I.GlorotNormal(seed=11))(x)
    z = inner(y)
    o = L.Dense(1, name="out", activation="sigmoid")(z)
    out.append(("nested", keras.Model(x, o, name="nested"), "float32", (-1.0, 1.0)))

    # MultiHeadAttention called as (query, value): tf.keras takes the value as a keyword argument and needs the
    # build shapes in its config; key_dim/value_dim differ so a swapped kernel would not even load
    x = keras.Input(shape=(4, 6), name="mha_in")
    y = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, dropout=0.1, seed=3, name="mha")(x, x)
    o = L.Dense(2, name="mha_out")(y)
    out.append(("mha", keras.Model(x, o, name="mha"), "float32", (-1.0, 1.0)))
    x = keras.Input(shape=(4, 6), name="gate_in")
    y = L.MultiHeadAttention(num_heads=2, key_dim=3, use_gate=True, name="mha")(x, x)
    out.append(("mha_gate", keras.Model(x, y, name="mha_gate"), "float32", (-1.0, 1.0)))

    q = keras.Sequential([keras.Input(shape=(4,), name="q_in"), L.Dense(3, name="d")], name="quantized")
    q.quantize("int8")
    out.append(("quantized", q, "float32", (-1.0, 1.0)))
    return out


def model_input(model, dtype, rng, seed):
    g = np.random.default_rng(seed)
    shape = (2,) + tuple(model.inputs[0].shape[1:])
    if dtype.startswith("int"):
        return g.integers(int(rng[0]), int(rng[1]) + 1, size=shape).astype(dtype)
    return g.uniform(rng[0], rng[1], size=shape).astype(dtype)


def build(folder):
    keras = import_keras("keras3")
    keras.utils.set_random_seed(1234)
    ids = []
    for i, (name, model, dtype, rng) in enumerate(zoo(keras)):
        x = model_input(model, dtype, rng, 100 + i)
        y = np.asarray(model(x, training=False))
        with open(os.path.join(folder, f"{name}.keras3.json"), "w") as f:
            f.write(model.to_json())
        weights = {f"w{j}": np.asarray(w) for j, w in enumerate(model.get_weights())}
        np.savez(os.path.join(folder, f"{name}.npz"), x=x, y=y, **weights)
        ids.append(name)
    with open(os.path.join(folder, "index.json"), "w") as f:
        json.dump({"ids": ids, "keras": keras.__version__}, f)


def check(folder):
    keras = import_keras("keras2")
    with open(os.path.join(folder, "index.json")) as f:
        ids = json.load(f)["ids"]
    verdicts = {}
    for name in ids:
        path = os.path.join(folder, f"{name}.keras2.json")
        if not os.path.exists(path):
            continue
        try:
            with open(path) as f:
                model = keras.models.model_from_json(f.read())
            data = np.load(os.path.join(folder, f"{name}.npz"))
            count = len([k for k in data.files if k.startswith("w")])
            model.set_weights([data[f"w{j}"] for j in range(count)])
            y = np.asarray(model(data["x"], training=False))
            diff = float(np.max(np.abs(y - data["y"]))) if y.shape == data["y"].shape else None
            verdicts[name] = {"loaded": True, "error": None if diff is not None else f"output shape {y.shape} != {data['y'].shape}", "max_abs_diff": diff}
        except Exception as e:  # the verdict is the point: report it, never crash
            verdicts[name] = {"loaded": False, "error": f"{type(e).__name__}: {str(e)[:500]}", "max_abs_diff": None}
    with open(os.path.join(folder, "verdicts.json"), "w") as f:
        json.dump(verdicts, f, indent=1)


if __name__ == "__main__":
    mode, folder = sys.argv[1], sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    {"build": build, "check": check}[mode](folder)
