#!/usr/bin/env bash
# Creates (or reuses) the Keras oracle's virtual environment from test/oracle/requirements.txt and prints the
# path of its python on stdout. Idempotent: a venv whose stamp matches the requirements' hash is reused as is.
#   KMODEL_ORACLE_VENV   where the venv lives (default: ~/.cache/kmodel/oracle-venv)
#   PYTHON               the interpreter that creates it (default: python3)
# Tests find it through KMODEL_ORACLE_PYTHON, or at the default place when the stamp matches.
set -euo pipefail
cd "$(dirname "$0")/.."
req=test/oracle/requirements.txt
venv="${KMODEL_ORACLE_VENV:-$HOME/.cache/kmodel/oracle-venv}"
python="${PYTHON:-python3}"
# The stamp is the hash of the pins alone (comment lines do not count), so editing a comment keeps the venv.
hash="$(grep -v '^#' "$req" | sha256sum | cut -d' ' -f1)"
stamp="$venv/.kmodel-requirements.sha256"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "oracle venv: reusing $venv" >&2
  echo "$venv/bin/python"
  exit 0
fi

echo "oracle venv: creating $venv from $req" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
log="$(mktemp)"
if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -r "$req" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "oracle venv: pip could not install $req (full log: $log)" >&2
  exit 1
fi
rm -f "$log"
# The import check: TensorFlow, Keras 3 and tf-keras must all load before the venv is stamped good.
"$venv/bin/python" - >&2 <<'PY'
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras, tensorflow, tf_keras
print(f"oracle venv: tensorflow {tensorflow.__version__}, keras {keras.__version__}, tf_keras {tf_keras.__version__}")
PY
echo "$hash" > "$stamp"
echo "$venv/bin/python"
