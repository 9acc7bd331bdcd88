#!/usr/bin/env python3
"""Writes kmodel's fixtures of custom layers and VAEs with the real Keras 3 and tf_keras (issue 12.3).

Usage (from the repository root; the oracle venv is made by scripts/oracle-venv.sh):
  ~/.cache/kmodel/oracle-venv/bin/python test/helpers/make_custom_fixtures.py fixtures test/golden/keras-custom-fixtures.json

  custom-l2norm-keras3.keras / .h5   Keras 3: Dense, a weightless custom L2Norm, a Lambda, a custom Scale with one
                                     weight, Dense: the file's weights do not line up with the layers by order.
  custom-l2norm-tfkeras.h5           the same idea in tf_keras (Keras 2): Dense, weightless TfL2Norm, Dense.
  vae-shared-encoder-keras3.keras    a VAE: the nested encoder (with a weightless custom Sampling layer) is
  vae-shared-encoder-tfkeras.h5      called on the outer input, the nested decoder is called twice.

Every file is loaded back with Keras and what Keras says about it is recorded in EXPECTED_JSON: count_params(),
the trainable / non-trainable split, each top-level layer's count_params() and the model.summary() text.
"""
import contextlib
import io
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tf_keras  # noqa: E402


@keras.saving.register_keras_serializable(package="kmodel")
class L2Norm(keras.layers.Layer):
    """A weightless custom layer: x / ||x|| over the last axis."""

    def call(self, x):
        return x / keras.ops.sqrt(keras.ops.sum(keras.ops.square(x), axis=-1, keepdims=True) + 1e-12)


@keras.saving.register_keras_serializable(package="kmodel")
class Scale(keras.layers.Layer):
    """A custom layer with one weight: a per-feature scale."""

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="gamma")

    def call(self, x):
        return x * self.gamma


@keras.saving.register_keras_serializable(package="kmodel")
class Sampling(keras.layers.Layer):
    """The VAE reparameterisation: z = mean + exp(log_var / 2) * eps (weightless)."""

    def call(self, inputs):
        mean, log_var = inputs
        eps = keras.random.normal(keras.ops.shape(mean), seed=1)
        return mean + keras.ops.exp(0.5 * log_var) * eps


@tf_keras.utils.register_keras_serializable(package="kmodel")
class TfL2Norm(tf_keras.layers.Layer):
    """The weightless custom layer for tf_keras (Keras 2)."""

    def call(self, x):
        import tensorflow as tf
        return tf.math.l2_normalize(x, axis=-1)


@tf_keras.utils.register_keras_serializable(package="kmodel")
class TfSampling(tf_keras.layers.Layer):
    """The VAE reparameterisation for tf_keras (weightless)."""

    def call(self, inputs):
        import tensorflow as tf
        mean, log_var = inputs
        return mean + tf.exp(0.5 * log_var) * tf.random.normal(tf.shape(mean), seed=1)


def summary_text(model):
    buf = io.StringIO()
    model.summary(print_fn=lambda line, **_: buf.write(line + "\n"))
    return buf.getvalue()


def custom_model_k3():
    inp = keras.Input(shape=(8,), name="features")
    x = keras.layers.Dense(16, activation="relu", name="hidden")(inp)
    x = L2Norm(name="l2norm")(x)
    x = keras.layers.Lambda(lambda t: t * 2.0, name="double", output_shape=(16,))(x)
    x = Scale(name="scale")(x)
    out = keras.layers.Dense(4, name="head")(x)
    return keras.Model(inp, out, name="custom_mlp")


def custom_model_k2():
    inp = tf_keras.Input(shape=(8,), name="features")
    x = tf_keras.layers.Dense(16, activation="relu", name="hidden")(inp)
    x = TfL2Norm(name="l2norm")(x)
    out = tf_keras.layers.Dense(4, name="head")(x)
    return tf_keras.Model(inp, out, name="custom_mlp")


def vae_k3():
    latent = 2
    inputs = keras.Input(shape=(6,), name="x")
    h = keras.layers.Dense(8, activation="relu", name="enc_hidden")(inputs)
    z_mean = keras.layers.Dense(latent, name="z_mean")(h)
    z_log_var = keras.layers.Dense(latent, name="z_log_var")(h)
    z = Sampling(name="z")([z_mean, z_log_var])
    encoder = keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")
    latent_in = keras.Input(shape=(latent,), name="z_in")
    d = keras.layers.Dense(8, activation="relu", name="dec_hidden")(latent_in)
    decoded = keras.layers.Dense(6, name="dec_out")(d)
    decoder = keras.Model(latent_in, decoded, name="decoder")
    m, lv, zz = encoder(inputs)
    return keras.Model(inputs, [decoder(zz), decoder(m)], name="vae")


def vae_k2():
    inputs = tf_keras.Input(shape=(6,), name="x")
    h = tf_keras.layers.Dense(8, activation="relu", name="enc_hidden")(inputs)
    z_mean = tf_keras.layers.Dense(2, name="z_mean")(h)
    z_log_var = tf_keras.layers.Dense(2, name="z_log_var")(h)
    z = TfSampling(name="z")([z_mean, z_log_var])
    encoder = tf_keras.Model(inputs, [z_mean, z_log_var, z], name="encoder")
    latent_in = tf_keras.Input(shape=(2,), name="z_in")
    d = tf_keras.layers.Dense(8, activation="relu", name="dec_hidden")(latent_in)
    decoder = tf_keras.Model(latent_in, tf_keras.layers.Dense(6, name="dec_out")(d), name="decoder")
    m, lv, zz = encoder(inputs)
    return tf_keras.Model(inputs, [decoder(zz), decoder(m)], name="vae")


def count(weights):
    return int(sum(np.prod(w.shape) for w in weights))


def record(model, path, entries):
    entries[os.path.basename(path)] = {
        "count_params": int(model.count_params()),
        "trainable_params": count(model.trainable_weights),
        "non_trainable_params": count(model.non_trainable_weights),
        "layers": [[layer.name, type(layer).__name__, int(layer.count_params())] for layer in model.layers],
        "summary": summary_text(model),
    }


def main():
    outdir, expected_path = sys.argv[1], sys.argv[2]
    keras.utils.set_random_seed(0)
    entries = {}
    m = custom_model_k3()
    for name in ("custom-l2norm-keras3.keras", "custom-l2norm-keras3.h5"):
        path = os.path.join(outdir, name)
        with contextlib.redirect_stderr(io.StringIO()):
            m.save(path)
        record(keras.models.load_model(path, safe_mode=False), path, entries)
    v = vae_k3()
    path = os.path.join(outdir, "vae-shared-encoder-keras3.keras")
    v.save(path)
    record(keras.models.load_model(path, safe_mode=False), path, entries)
    t = custom_model_k2()
    path = os.path.join(outdir, "custom-l2norm-tfkeras.h5")
    t.save(path)
    record(tf_keras.models.load_model(path), path, entries)
    path = os.path.join(outdir, "vae-shared-encoder-tfkeras.h5")
    vae_k2().save(path)
    record(tf_keras.models.load_model(path), path, entries)
    versions = {"keras": keras.__version__, "tf_keras": tf_keras.__version__}
    with open(expected_path, "w") as f:
        json.dump({"versions": versions, "files": entries}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
