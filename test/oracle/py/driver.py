"""The Keras side of the oracle, in batch mode: one process per suite and generation, TensorFlow imported once.

    python driver.py --suite compute --generation keras3 --request cases.json --response answers.json --workdir DIR

`cases.json` is {"cases": [{"id", "seed", ...}]}; `answers.json` gets {"versions": {...}, "results": [{"id", ...}]},
one result per case in order. Each suite is a module suites/<suite>.py with run(keras, case, ctx) -> dict;
an exception it lets through becomes {"driver_error"} for that case, and the batch goes on.
"""
import argparse
import importlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402


def finite(value):
    """JSON has no NaN or Infinity: non-finite floats outside arrays are written as the strings Python prints."""
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", required=True)
    parser.add_argument("--generation", required=True, choices=common.GENERATIONS)
    parser.add_argument("--request", required=True)
    parser.add_argument("--response", required=True)
    parser.add_argument("--workdir", required=True)
    opts = parser.parse_args()

    started = time.time()
    keras = common.import_keras(opts.generation)
    suite = importlib.import_module(f"suites.{opts.suite}")
    with open(opts.request, encoding="utf-8") as f:
        request = json.load(f)
    os.makedirs(opts.workdir, exist_ok=True)
    results = common.run_cases(keras, suite.run, request["cases"], opts.workdir)
    answer = {"versions": {"generation": opts.generation, **common.versions(keras)}, "results": results}
    with open(opts.response, "w", encoding="utf-8") as f:
        json.dump(finite(answer), f, allow_nan=False)
    common.log(f"oracle {opts.suite} {opts.generation}: {len(results)} cases in {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
