"""Suite a (fit): a short model.fit from known weights, recorded step by step.

Every case trains with batch_size = the number of samples, so each epoch is one optimizer step and
history["loss"][e] is the loss of step e, computed by the forward pass before that step's update.

Answer: {"document" (the model file's content as a JSON object: Keras 3 to_json() with its compile_config;
Keras 2 the full-model .h5 attributes {keras_version, backend, model_config, training_config}), "weights" (initial, per
layer, legacy save order), "x", "y" (in input / output order), "input_names", "output_names", "history"
(per name, one float32 value per step), "final_weights"}, or {"fit": "error", "error"} when Keras refuses.
"""
import gc
import json

import numpy as np

import common


def _is_keras3(keras):
    return keras.__version__.startswith("3.")


def _optimizer(keras, spec):
    """The optimizer object; `legacy` picks tf-keras's pre-2.11 optimizers (Keras 2 files with `decay`)."""
    namespace = keras.optimizers.legacy if spec.get("legacy") else keras.optimizers
    # JSON has one number type: a learning rate of 1.0 arrives as the int 1, which Keras 3 refuses
    args = {k: float(v) if k == "learning_rate" else v for k, v in spec.get("args", {}).items()}
    return getattr(namespace, spec["class_name"])(**args)


def _one_loss(keras, spec):
    if isinstance(spec, str):
        return spec
    return getattr(keras.losses, spec["class_name"])(**spec.get("args", {}))


def _loss(keras, spec):
    if isinstance(spec, dict) and "class_name" not in spec:
        return {name: _one_loss(keras, s) for name, s in spec.items()}
    return _one_loss(keras, spec)


def _target(kind, shape, rng):
    """Seeded targets of one output: `shape` includes the sample axis."""
    classes = shape[-1]
    if kind == "uniform":
        return rng.uniform(-1, 1, size=shape).astype("float32")
    if kind == "positive":
        return rng.uniform(0.2, 2.0, size=shape).astype("float32")
    if kind == "binary":
        return rng.integers(0, 2, size=shape).astype("float32")
    if kind == "sign":
        return (rng.integers(0, 2, size=shape) * 2 - 1).astype("float32")
    if kind == "onehot":
        return np.eye(classes, dtype="float32")[rng.integers(0, classes, size=shape[:-1])]
    if kind == "probs":
        z = np.exp(rng.normal(size=shape))
        return (z / z.sum(axis=-1, keepdims=True)).astype("float32")
    if kind == "sparse":
        return rng.integers(0, classes, size=shape[:-1]).astype("int32")
    raise ValueError(f"unknown target kind {kind!r}")


def _document(keras, model):
    """What kmodel reads: the model file's content, compile settings included."""
    if _is_keras3(keras):
        return model.to_json()
    from tf_keras.src.saving.legacy import saving_utils
    from tf_keras.src.saving.legacy.saved_model import json_utils

    # exactly the attributes a full-model .h5 save writes (model_config, training_config, versions)
    return json.dumps(saving_utils.model_metadata(model, include_optimizer=True), default=json_utils.get_json_type)


def _same(a, b):
    if isinstance(b, bool) or isinstance(a, bool):
        return a is b
    if isinstance(b, (int, float)) and isinstance(a, (int, float)):
        return np.float32(a) == np.float32(b)
    return a == b


def _check_carried(keras, document, case):
    """The document must say what Keras trained with (else the generator chose a setting the file loses)."""
    doc = json.loads(document)
    if _is_keras3(keras):
        cc = doc["compile_config"]
        opt, loss = cc["optimizer"]["config"], cc["loss"]
    else:
        tc = doc["training_config"]
        opt, loss = tc["optimizer_config"]["config"], tc["loss"]
    for key, value in case["optimizer"].get("args", {}).items():
        if key not in opt or not _same(opt[key], value):
            raise ValueError(f"the serialized optimizer has {key}={opt.get(key)!r}, Keras trained with {value!r}")
    specs = case["loss"] if isinstance(case["loss"], dict) and "class_name" not in case["loss"] else {"": case["loss"]}
    for name, spec in specs.items():
        carried = loss[name] if name else loss
        for key, value in ({} if isinstance(spec, str) else spec.get("args", {})).items():
            config = carried.get("config", {}) if isinstance(carried, dict) else {}
            if key not in config or not _same(config[key], value):
                raise ValueError(f"the serialized loss {name} has {key}={config.get(key)!r}, Keras trained with {value!r}")


def _output_layers(spec):
    """The layer behind each model output, in output order (Keras 3's Sequential has no output_names)."""
    if spec.get("kind", "sequential") == "sequential":
        return [spec["layers"][-1]["name"]]
    producer = {}
    for node in spec["nodes"]:
        for name in node["output"] if isinstance(node["output"], list) else [node["output"]]:
            producer[name] = node["layer"]
    return [producer[name] for name in spec["outputs"]]


def _history(history):
    return {name: common.encode(np.asarray(values, dtype="float32")) for name, values in sorted(history.items())}


def run(keras, case, ctx):
    # Keras 3 keeps ~6,000 objects alive per fitted model even after clear_session; freezing what is alive
    # now (the previous case's garbage is already collected) keeps each clear_session's gc.collect short.
    gc.freeze()
    spec = case["model"]
    rng = ctx["rng"]
    samples = case["samples"]
    try:
        model = common.build_model(keras, spec)
        common.randomize_weights(model, rng)
        model.compile(optimizer=_optimizer(keras, case["optimizer"]), loss=_loss(keras, case["loss"]), **({"loss_weights": case["loss_weights"]} if "loss_weights" in case else {}))
    except Exception as exc:
        return {"fit": "error", "error": common.error_of(exc)}
    document = _document(keras, model)
    _check_carried(keras, document, case)
    initial = common.layer_weights(model)
    x = common.make_inputs(spec, rng, samples)
    names = _output_layers(spec)
    y = [_target(case["targets"][n], (samples, *tuple(o.shape)[1:]), rng) for n, o in zip(names, model.outputs)]
    try:
        history = model.fit(x if len(x) > 1 else x[0], dict(zip(names, y)) if len(y) > 1 else y[0], batch_size=samples, epochs=case["epochs"], shuffle=False, verbose=0).history
    except Exception as exc:
        return {"fit": "error", "error": common.error_of(exc), "document": json.loads(document)}
    return {
        "fit": "ok",
        "document": json.loads(document),  # an object, not a string: no escaped quotes in the fixture
        "weights": initial,
        "input_names": [i["name"] for i in spec["inputs"]],
        "output_names": names,
        "x": [common.encode(a) for a in x],
        "y": [common.encode(a) for a in y],
        "history": _history(history),
        "final_weights": common.layer_weights(model),
    }
