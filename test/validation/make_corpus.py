"""
Writes the validation corpus (test/validation/keras3, keras2, expectations.json): small model files that Keras
refuses or accepts, each named after the Keras error it mirrors, with Keras's verdict.

Most cases are taken verbatim from the oracle's committed answers (test/oracle/fixtures/validation.*.json.gz:
the exact JSON text Keras loaded and what Keras said). The few others (a YAML `__proto__` key, TF 2.4's
ListWrapper YAML tag, `units: -0`) are built here and their verdict taken from the real Keras in the oracle
venv. Run: ~/.cache/kmodel/oracle-venv/bin/python test/validation/make_corpus.py
"""
import gzip, json, os, re

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# case id -> (file slug, what kmodel's message must mention when it refuses: any of these)
CASES = {
    'Dense/units=-5': ('dense-units-minus5', ['units']),
    'Dense/units="ten"': ('dense-units-ten', ['units']),
    'Dense/units=2.5': ('dense-units-2.5', ['units']),
    'Dense/units=NaN': ('dense-units-nan', ['units']),
    'Dense/units=1e400': ('dense-units-1e400', ['units']),
    'Dense/units=9007199254740993': ('dense-units-2pow53plus1', ['units']),
    'Dense/x.{bk}=[null, -4]': ('input-shape-negative', ['{bk}']),
    'Dense/x.{bk}=[null, NaN]': ('input-shape-nan', ['{bk}']),
    'Dense/x.{bk}=[null, Infinity]': ('input-shape-infinity', ['{bk}']),
    'Dense/x.{bk}=[null, 1e300]': ('input-shape-1e300', ['{bk}']),
    'Conv2D/kernel_size=[0, 0]': ('conv2d-kernel-size-0-0', ['kernel_size']),
    'Conv2D/strides=[0, 0]': ('conv2d-strides-0-0', ['strides']),
    'Conv2D/x.{bk}=[null, 2, 2, 2]': ('conv2d-kernel-larger-than-input', ['Conv2D']),
    'Reshape/target_shape=[-1, -1]': ('reshape-two-unknown-dims', ['target_shape', 'Reshape']),
    'Concatenate/y.{bk}=[null, 3, 4]': ('concatenate-other-axis-mismatch', ['Concatenate']),
    'Concatenate/y.{bk}=[null, 2, 4, 1]': ('concatenate-rank-mismatch', ['Concatenate']),
    'Concatenate/y.{bk}=[null, 2]': ('concatenate-rank-2-and-3', ['Concatenate']),
    'Concatenate/y.{bk}=[null, 2, 5]': ('concatenate-shapes-fit', []),
    'Dense/activation="reluu"': ('dense-activation-reluu', ['activation']),
    'Dense/activation->activaton': ('dense-activaton-typo', ['activaton']),
    'Dense/+foo=1': ('dense-unknown-argument-foo', ['foo']),
    'DenseFunctional/name="other"': ('functional-outer-name-differs-from-config-name', []),
    'DenseFunctional/entry.name="other"': ('functional-entry-renamed-dangling-reference', ["'l'"]),
    'DenseFunctional/entry.-name': ('functional-entry-without-name', ['name']),
    'Dense/__proto__={"polluted": true}': ('dense-proto-key', ['__proto__']),
    'Dense/__proto__={"units": 3},-units': ('dense-units-only-through-proto', ['units', '__proto__']),
    'Dense/model.__proto__={"name": 5}': ('model-config-proto-key', []),
    'Dense/name=null': ('dense-name-null', []),
    'Dense/name="a/b"': ('dense-name-with-slash', ['name']),
    'Dense/name=5': ('dense-name-5', ['name']),
    'Dense/trainable=1': ('dense-trainable-1', ['trainable']),
    'Dense/dtype="float33"': ('dense-dtype-float33', ['dtype']),
    'Dense/dtype="mixed_float16"': ('dense-dtype-mixed-float16', []),
}


def slug(text, words=7):
    text = re.sub(r'\x1b\[[0-9;]*m', '', text)
    parts = re.findall(r'[A-Za-z0-9_]+', text)
    return '-'.join(parts[:words])


def file_name(case_slug, keras):
    if keras['ok']:
        return f'accepted--{case_slug}'
    error = keras['error']
    return f"refused--{case_slug}--{error['type']}-{slug(error['message'])}"


def keras_verdict(generation, text):
    """What model_from_json of the generation does with `text` (the oracle suite's own call)."""
    try:
        if generation == 'keras3':
            import keras
            keras.models.model_from_json(text)
        else:
            import tf_keras
            tf_keras.models.model_from_json(text)
        return {'ok': True}
    except Exception as e:  # noqa: BLE001 - any refusal is the verdict
        return {'ok': False, 'error': {'type': type(e).__name__, 'message': str(e).split('\n')[0][:300]}}


def write(generation, name, text, keras, mentions, ext, entries):
    path = os.path.join(HERE, generation, f'{name}.{ext}')
    with open(path, 'w') as f:
        f.write(text if text.endswith('\n') else text + '\n')
    entries.append({'file': f'{generation}/{name}.{ext}', 'generation': generation, 'keras': keras, 'mentions': [] if keras['ok'] else mentions})


def to_yaml(value, indent=0):
    """Block-style YAML (sorted keys, as PyYAML's dump); scalars as JSON, which YAML reads alike."""
    pad = ' ' * indent
    if isinstance(value, dict) and value:
        lines = []
        for key in sorted(value):
            child = value[key]
            if isinstance(child, (dict, list)) and child:
                lines.append(f'{pad}{key}:\n{to_yaml(child, indent + 2)}')
            else:
                lines.append(f'{pad}{key}: {json.dumps(child)}')
        return '\n'.join(lines)
    if isinstance(value, list) and value:
        lines = []
        for child in value:
            if isinstance(child, (dict, list)) and child:
                inner = to_yaml(child, indent + 2)
                lines.append(f'{pad}- {inner.lstrip()}')
            else:
                lines.append(f'{pad}- {json.dumps(child)}')
        return '\n'.join(lines)
    return pad + json.dumps(value)


def extras(generation, cases, entries):
    base = cases['Dense/units=-5']['text']
    # units: -0 — Python's json reads -0 as the int 0
    text = base.replace('"units": -5', '"units": -0')
    write(generation, file_name('dense-units-minus-zero', keras_verdict(generation, text)), text, keras_verdict(generation, text), ['units'], 'json', entries)
    if generation != 'keras2':
        return
    # to_yaml era (Keras 2): the same document as YAML, `__proto__` key included; PyYAML reads it as the same dict
    proto = cases['Dense/__proto__={"polluted": true}']['text']
    doc = json.loads(proto)
    ytext = to_yaml(doc)
    verdict = keras_verdict(generation, json.dumps(doc))
    write(generation, file_name('yaml-dense-proto-key', verdict), ytext, verdict, ['__proto__'], 'yaml', entries)
    # TF 2.4 to_yaml: BatchNormalization axis written as a ListWrapper object over [3]
    import tf_keras
    m = tf_keras.Sequential([tf_keras.layers.InputLayer(input_shape=(4, 4, 2), name='x'), tf_keras.layers.BatchNormalization(name='bn')], name='m')
    doc = json.loads(m.to_json())
    verdict = keras_verdict(generation, json.dumps(doc))
    ytext = to_yaml(doc)
    tag = '!!python/object/apply:tensorflow.python.training.tracking.data_structures.ListWrapper'
    ytext = re.sub(r'\n(\s*)axis:\n\s*- 3\n', lambda mm: f'\n{mm.group(1)}axis: {tag}\n{mm.group(1)}- - 3\n', ytext)
    assert tag in ytext, ytext
    write(generation, file_name('yaml-tf24-listwrapper-axis', verdict), ytext, verdict, [], 'yaml', entries)


def main():
    entries = []
    for generation in ('keras3', 'keras2'):
        os.makedirs(os.path.join(HERE, generation), exist_ok=True)
        for old in os.listdir(os.path.join(HERE, generation)):
            os.remove(os.path.join(HERE, generation, old))
        fixture = json.load(gzip.open(os.path.join(ROOT, 'test/oracle/fixtures', f'validation.{generation}.json.gz')))
        by_id = {c['case']['id']: c['keras'] for c in fixture['cases']}
        bk = 'batch_shape' if generation == 'keras3' else 'batch_input_shape'
        for case_id, (case_slug, mentions) in CASES.items():
            keras = by_id[case_id.replace('{bk}', bk)]
            verdict = {'ok': keras['ok'], **({} if keras['ok'] else {'error': {'type': keras['error']['type'], 'message': re.sub(r'\x1b\[[0-9;]*m', '', keras['error']['message']).strip().split('\n')[0][:300]}})}
            write(generation, file_name(case_slug, verdict), keras['text'], verdict, [m.replace('{bk}', bk) for m in mentions], 'json', entries)
        extras(generation, by_id, entries)
    with open(os.path.join(HERE, 'expectations.json'), 'w') as f:
        json.dump({'note': 'Generated by make_corpus.py; keras = what the real Keras did with the file.', 'cases': entries}, f, indent=1)
        f.write('\n')
    print(len(entries), 'files')


if __name__ == '__main__':
    main()
