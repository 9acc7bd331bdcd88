"""Writes fixtures/nested-twice-keras3.json and fixtures/nested-twice-tfkeras.json: the same functional model
(a nested functional model and a nested Sequential, each called twice) as Keras 3 and tf-keras write it with
to_json(). The two number the calls of a nested model differently (Keras 3 from 0, tf-keras from 1), which
kmodel's dialect conversion must follow. Run with the oracle venv's python (scripts/oracle-venv.sh)."""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def build(keras):
    L = keras.layers
    inner_in = keras.Input((4,), name="inner_in")
    inner = keras.Model(inner_in, L.Dense(3, name="inner_dense")(inner_in), name="inner_fn")
    seq = keras.Sequential([keras.Input((3,), name="seq_in"), L.Dense(2, name="seq_dense")], name="inner_seq")
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    ha, hb = inner(a), inner(b)
    out = L.Concatenate(name="cat")([seq(ha), seq(hb)])
    return keras.Model([a, b], [out, hb], name="outer")


def main():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")
    import keras
    import tf_keras
    for module, name in ((keras, "nested-twice-keras3.json"), (tf_keras, "nested-twice-tfkeras.json")):
        doc = json.loads(build(module).to_json())
        with open(os.path.join(root, name), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        print(name, module.__version__, file=sys.stderr)


main()
