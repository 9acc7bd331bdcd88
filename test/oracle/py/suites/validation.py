"""Suite b (validation): does Keras's model_from_json accept a model config document, or raise?

A case is {"id", "seed", "model": SPEC, "edits": [EDIT, ...]}. The driver builds SPEC (common.build_model), takes
model.to_json(), applies the edits to that document, writes it back with json.dumps (Python's own spelling: NaN,
Infinity) and hands exactly that text to keras.models.model_from_json. An EDIT is
    {"layer": NAME | null, "path": [key or index, ...], "op": "set" | "delete" | "rename", "value": JSON_TEXT, "to": KEY}
- layer: the entry of config.layers whose config.name (or outer "name") is NAME; null: the document's root.
- path: from that entry to the key edited (e.g. ["config", "units"]).
- set: the key gets `value`, a JSON text written verbatim into the document (so "1e400", "-0", "NaN",
  "9007199254740993" reach Keras's json.loads exactly as spelt); delete: the key goes; rename: the key becomes `to`
  (same value, same position).

Answer: {"ok": true, "text"} or {"ok": false, "error": {type, message}, "text"}; "text" is the document loaded.
A model_from_json that does not return within 5 s is recorded as a refusal of type "Timeout".
"""
import json
import re
import signal

import common

_BASE_TEXT = {}  # spec → to_json text: the same spec builds the same document, so each is built once per process
_MESSAGE_CHARS = 240
_TIMEOUT_SECONDS = 5  # tf-keras loops forever on a layer fed by its own output; a hang is not an acceptance
_WRAPPER = "Exception encountered:"  # how Keras 3 wraps a constructor's error, with the whole config


class _Timeout(BaseException):
    """Raised by the alarm inside model_from_json (a BaseException: Keras's `except Exception` must not eat it)."""


def _alarm(_signum, _frame):
    raise _Timeout()


def _base_document(keras, spec):
    key = json.dumps(spec, sort_keys=True)
    if key not in _BASE_TEXT:
        _BASE_TEXT[key] = common.build_model(keras, spec).to_json()
    return json.loads(_BASE_TEXT[key])


def _entry(doc, layer):
    if layer is None:
        return doc
    for entry in doc["config"]["layers"]:
        if entry.get("name") == layer or entry.get("config", {}).get("name") == layer:
            return entry
    raise KeyError(f"no layer {layer!r} in the document")


def _apply(doc, edit, raws):
    node = _entry(doc, edit["layer"])
    *parents, last = edit["path"]
    for step in parents:
        node = node[step]
    op = edit["op"]
    if op == "set":
        placeholder = f"@@kmodel-raw-{len(raws)}@@"
        raws.append((json.dumps(placeholder), edit["value"]))
        node[last] = placeholder
    elif op == "delete":
        del node[last]
    elif op == "rename":
        items = [(edit["to"] if k == last else k, v) for k, v in node.items()]
        if last not in node:
            raise KeyError(f"no key {last!r} to rename")
        node.clear()
        node.update(items)
    else:
        raise ValueError(f"unknown edit op {op!r}")


def document_text(keras, case):
    """The base model's to_json with the case's edits applied, as the exact text Keras is given."""
    doc = _base_document(keras, case["model"])
    raws = []
    for edit in case.get("edits", []):
        _apply(doc, edit, raws)
    text = json.dumps(doc)
    for placeholder, raw in raws:
        if text.count(placeholder) != 1:
            raise ValueError(f"placeholder {placeholder} not found once")
        text = text.replace(placeholder, raw)
    return text


def _error(exc):
    """The exception's class and message, without the addresses that differ between runs. Keras 3 re-raises a
    constructor's error as "<class> could not be deserialized properly ... config={the whole document} ... Exception
    encountered: <message>" (once per level): the original exception, the end of that chain, is what is recorded.
    A set of strings in the message ("one of {'same', 'valid'}") is printed sorted: Python orders sets by string
    hashes, which differ between processes."""
    while _WRAPPER in str(exc) and (exc.__cause__ or exc.__context__) is not None:
        exc = exc.__cause__ or exc.__context__
    error = common.error_of(exc)
    message = re.sub(r"0x[0-9a-fA-F]+", "0x…", error["message"])
    # A Python set of strings prints in hash order, which changes from process to process: sorted here.
    message = re.sub(r"\{'[^{}]*'\}", lambda m: "{" + ", ".join(sorted(m.group(0)[1:-1].split(", "))) + "}", message)
    return {"type": error["type"], "message": message[:_MESSAGE_CHARS]}


def verdict(keras, text):
    """{"ok": true} or {"ok": false, "error"}: what model_from_json does with `text` (a hang counts as a refusal)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(_TIMEOUT_SECONDS)
    try:
        keras.models.model_from_json(text)
    except _Timeout:
        return {"ok": False, "error": {"type": "Timeout", "message": f"model_from_json did not return within {_TIMEOUT_SECONDS} s"}}
    except Exception as exc:  # the verdict: Keras refuses the document
        return {"ok": False, "error": _error(exc)}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return {"ok": True}


def run(keras, case, ctx):
    text = document_text(keras, case)
    return {**verdict(keras, text), "text": text}
