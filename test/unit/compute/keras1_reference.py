"""A second route for Keras 1.2.2 Sequential models: a NumPy forward pass read straight from the Keras 1 config.

Used by keras1-reference.test.ts. Reads one JSON object on stdin:
  {"model": <Keras 1 to_json() document>, "weights": {layer: [{"shape": [...], "data": [...]}, ...]},
   "ids": {"shape": [N, L], "data": [...]}}
and writes {"shape": [...], "data": [...]} (the last layer's output) on stdout.

It reads the Keras 1 spellings itself (nb_filter, filter_length, border_mode, subsample_length, pool_length,
stride, output_dim, inner_activation, mask_zero) and knows the Keras 2 weight layout independently of kmodel
(Conv1D kernel (filter_length, in, nb_filter); LSTM kernel (in, 4u) / recurrent (u, 4u) / bias (4u), gates
i, f, c, o), asserting each shape. Semantics are Keras 1.2.2's on the TensorFlow backend, in float64:
hard_sigmoid = clip(0.2 x + 0.5, 0, 1); Convolution1D 'same' pads as TF (the odd pad after); masked LSTM steps
keep the previous state and output (zeros before the first unmasked step); Embedding dropout is training-only.
"""
import json
import sys

import numpy as np


def activation(name, x):
    if name in (None, 'linear'):
        return x
    if name == 'relu':
        return np.maximum(x, 0.0)
    if name == 'tanh':
        return np.tanh(x)
    if name == 'sigmoid':
        return 1.0 / (1.0 + np.exp(-x))
    if name == 'hard_sigmoid':
        return np.clip(0.2 * x + 0.5, 0.0, 1.0)
    if name == 'softmax':
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError('activation %r not in the reference' % name)


def expect_shape(layer, w, shape):
    if list(w.shape) != list(shape):
        raise ValueError('%s: weight shape %s, the Keras 2 layout says %s' % (layer, list(w.shape), list(shape)))


def embedding(cfg, ws, x, mask):
    (table,) = ws
    expect_shape(cfg['name'], table, [cfg['input_dim'], cfg['output_dim']])
    ids = x.astype(np.int64)
    return table[ids], (ids != 0) if cfg.get('mask_zero') else None


def convolution1d(cfg, ws, x, mask):
    kernel, bias = ws
    k, s, f = cfg['filter_length'], cfg.get('subsample_length', 1), cfg['nb_filter']
    expect_shape(cfg['name'], kernel, [k, x.shape[2], f])
    length = x.shape[1]
    if cfg['border_mode'] == 'valid':
        out_len, before, after = (length - k) // s + 1, 0, 0
    elif cfg['border_mode'] == 'same':
        out_len = -(-length // s)
        total = max((out_len - 1) * s + k - length, 0)
        before, after = total // 2, total - total // 2
    else:
        raise ValueError('border_mode %r not in the reference' % cfg['border_mode'])
    xp = np.pad(x, ((0, 0), (before, after), (0, 0)))
    out = np.stack([np.einsum('nkc,kcf->nf', xp[:, t * s:t * s + k], kernel) for t in range(out_len)], axis=1)
    return activation(cfg['activation'], out + bias), None


def maxpooling1d(cfg, ws, x, mask):
    p = cfg['pool_length']
    s = cfg.get('stride') or p
    if cfg.get('border_mode', 'valid') != 'valid':
        raise ValueError('pooling border_mode not in the reference')
    out_len = (x.shape[1] - p) // s + 1
    return np.stack([x[:, t * s:t * s + p].max(axis=1) for t in range(out_len)], axis=1), None


def flatten(cfg, ws, x, mask):
    return x.reshape(x.shape[0], -1), None


def dense(cfg, ws, x, mask):
    kernel, bias = ws
    expect_shape(cfg['name'], kernel, [x.shape[-1], cfg['output_dim']])
    return activation(cfg['activation'], x @ kernel + bias), None


GATES = ('i', 'f', 'c', 'o')  # Keras's merged-kernel order


def lstm(cfg, ws, x, mask):
    kernel, recurrent, bias = ws
    u = cfg['output_dim']
    expect_shape(cfg['name'], kernel, [x.shape[2], 4 * u])
    expect_shape(cfg['name'], recurrent, [u, 4 * u])
    expect_shape(cfg['name'], bias, [4 * u])
    inner, act = cfg['inner_activation'], cfg['activation']
    n, steps = x.shape[0], x.shape[1]
    h, c = np.zeros((n, u)), np.zeros((n, u))
    outputs = []
    for t in range(steps):
        z = x[:, t] @ kernel + h @ recurrent + bias
        part = {g: z[:, j * u:(j + 1) * u] for j, g in enumerate(GATES)}
        i, f, o = activation(inner, part['i']), activation(inner, part['f']), activation(inner, part['o'])
        c_new = f * c + i * activation(act, part['c'])
        h_new = o * activation(act, c_new)
        if mask is not None:
            keep = mask[:, t][:, None]
            h_new, c_new = np.where(keep, h_new, h), np.where(keep, c_new, c)
        h, c = h_new, c_new
        outputs.append(h)
    if cfg.get('return_sequences'):
        return np.stack(outputs, axis=1), mask
    return h, None


LAYERS = {'Embedding': embedding, 'Convolution1D': convolution1d, 'MaxPooling1D': maxpooling1d,
          'Flatten': flatten, 'Dense': dense, 'LSTM': lstm}


def main():
    job = json.load(sys.stdin)
    model = job['model']
    if model['class_name'] != 'Sequential' or not isinstance(model['config'], list):
        raise ValueError('expected a Keras 1 Sequential (config as a bare list)')
    ids = job['ids']
    x = np.array(ids['data'], dtype=np.float64).reshape(ids['shape'])
    mask = None
    for entry in model['config']:
        cfg = entry['config']
        ws = [np.array(w['data'], dtype=np.float64).reshape(w['shape']) for w in job['weights'].get(cfg['name'], [])]
        x, mask = LAYERS[entry['class_name']](cfg, ws, x, mask)
    json.dump({'shape': list(x.shape), 'data': x.ravel().tolist()}, sys.stdout)


main()
