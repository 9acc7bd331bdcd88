"""Keras anchor for bench/gate.js: what a CI gate in Python costs — import Keras, model_from_json, summary().

Usage: $(bash scripts/oracle-venv.sh) bench/keras_summary.py MODEL.json [--generation keras3|keras2] [--no-summary]
       $(bash scripts/oracle-venv.sh) bench/keras_summary.py --write-resnet50 OUT.json [--generation …]
Prints the total parameter count last, so the caller can check that Keras built the same model kmodel summarised.
`--write-resnet50` writes keras.applications.ResNet50(weights=None).to_json(): a config real Keras wrote.
"""
import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?")
    parser.add_argument("--write-resnet50", metavar="OUT")
    parser.add_argument("--generation", default="keras3", choices=["keras3", "keras2"])
    parser.add_argument("--no-summary", action="store_true", help="model_from_json only (what from-config does)")
    args = parser.parse_args()
    if args.generation == "keras3":
        import keras
    else:
        import tf_keras as keras
    if args.write_resnet50:
        with open(args.write_resnet50, "w", encoding="utf-8") as f:
            f.write(keras.applications.ResNet50(weights=None).to_json())
        return
    with open(args.model, encoding="utf-8") as f:
        model = keras.models.model_from_json(f.read())
    if not args.no_summary:
        model.summary()
    print(model.count_params())


if __name__ == "__main__":
    main()
