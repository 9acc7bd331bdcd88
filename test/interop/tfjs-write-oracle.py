"""Builds small models with real Keras (Keras 3 and tf-keras), saves them (.keras / .h5) and Keras's predictions.

Usage: python tfjs-write-oracle.py OUTDIR keras3|keras2
Writes OUTDIR/<name>.keras or .h5, OUTDIR/<name>.in<i>.npy, OUTDIR/<name>.out<i>.npy and prints a JSON list of
{name, file, inputs: [paths], outputs: [paths]}. Weights are random (seeded), BatchNormalization statistics too.
"""
import json
import os
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
out_dir, generation = sys.argv[1], sys.argv[2]
if generation == 'keras2':
    os.environ['TF_USE_LEGACY_KERAS'] = '1'
    import tf_keras as keras
else:
    import keras
import numpy as np

L = keras.layers
rng = np.random.RandomState(0)


def functional():
    a, b = keras.Input((4,), name='a'), keras.Input((3,), name='b')
    x = L.Concatenate(name='cat')([L.Dense(6, activation='relu', name='da')(a), L.Dense(6, activation='tanh', name='db')(b)])
    x = L.BatchNormalization(name='bn')(x)
    y = L.Add(name='add')([L.Dense(5, name='d1')(x), L.Dense(5, name='d2')(x)])
    return keras.Model([a, b], [L.Dense(2, activation='softmax', name='out')(y), L.Activation('sigmoid', name='side')(y)], name='functional_k')


def conv():
    return keras.Sequential([
        keras.Input((8, 8, 3)), L.Conv2D(4, 3, padding='same', name='c1'), L.LeakyReLU(name='leaky'),
        L.MaxPooling2D(name='pool'), L.DepthwiseConv2D(2, depth_multiplier=2, name='dw'), L.SeparableConv2D(3, 2, name='sep'),
        L.BatchNormalization(name='bn'), L.GlobalAveragePooling2D(name='gap'), L.Dense(3, name='out'),
    ], name='conv_k')


def rnn():
    return keras.Sequential([
        keras.Input((5, 3)), L.LSTM(4, return_sequences=True, name='lstm'),
        L.Bidirectional(L.GRU(3, reset_after=False, return_sequences=True, name='gru'), name='bi'),
        L.TimeDistributed(L.Dense(2, name='td_dense'), name='td'), L.SimpleRNN(3, name='srnn'), L.Dense(2, name='out'),
    ], name='rnn_k')


def embed():
    return keras.Sequential([
        keras.Input((6,), dtype='int32'), L.Embedding(10, 4, name='emb'), L.Conv1D(4, 3, name='c1'),
        L.GlobalMaxPooling1D(name='gmp'), L.Dense(1, activation='sigmoid', name='out'),
    ], name='embed_k')


def nested():
    inner = keras.Sequential([keras.Input((4,)), L.Dense(5, activation='relu', name='inner_a'), L.Dense(3, name='inner_b')], name='inner')
    x = keras.Input((4,), name='x')
    return keras.Model(x, L.Dense(2, name='out')(inner(x)), name='nested_k')


def norms():
    return keras.Sequential([
        keras.Input((6,)), L.Dense(6, name='d1'), L.LayerNormalization(name='ln'), L.PReLU(name='prelu'), L.Dense(6, name='d2'),
        L.ELU(name='elu'), L.ReLU(max_value=0.8, name='relu'), L.Dropout(0.5, name='drop'), L.Dense(2, name='out'),
    ], name='norms_k')


results = []
for build in (functional, conv, rnn, embed, nested, norms):
    model = build()
    model.set_weights([rng.uniform(0.2, 1.5, w.shape).astype(w.dtype) if 'variance' in v.path else rng.normal(0, 0.5, w.shape).astype(w.dtype)
                       for v, w in zip(model.weights, model.get_weights())] if generation == 'keras3' else
                      [rng.uniform(0.2, 1.5, w.shape).astype(w.dtype) if 'variance' in v.name else rng.normal(0, 0.5, w.shape).astype(w.dtype)
                       for v, w in zip(model.weights, model.get_weights())])
    name = build.__name__
    path = os.path.join(out_dir, name + ('.keras' if generation == 'keras3' else '.h5'))
    model.save(path)
    inputs = []
    for t in model.inputs:
        shape = (3,) + tuple(t.shape[1:])
        inputs.append(rng.randint(0, 10, shape).astype('int32') if 'int' in str(t.dtype) else rng.normal(0, 1, shape).astype('float32'))
    outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    entry = {'name': name, 'file': path, 'inputs': [], 'outputs': []}
    for kind, arrays in (('inputs', inputs), ('outputs', outputs)):
        for i, a in enumerate(arrays):
            p = os.path.join(out_dir, '%s.%s%d.npy' % (name, kind[:-1], i))
            np.save(p, np.asarray(a))
            entry[kind].append(p)
    results.append(entry)
print(json.dumps(results))
