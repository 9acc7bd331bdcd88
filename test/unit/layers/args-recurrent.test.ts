/**
 * Argument schemas and call refusals of the recurrent and wrapper families (layers/recurrent-args.ts,
 * recurrent.ts, wrappers.ts), on edges the oracle validation suite does not cover. Every expectation is what
 * the real Keras did (Keras 3.15 `keras` / tf-keras 2.21 `tf_keras`, model_from_json of the same Sequential
 * document, run in the oracle venv); the comment on each row is Keras's answer (its exception, clipped).
 * Known differences are not listed: a float `units` / `kernel_size` written `3.0` (JavaScript reads 3) and a
 * Keras 3 RNN on an undefined feature size, which Keras 3 builds anyway from a saved `build_config`.
 */
import {describe, expect, it} from 'vitest'
import {checkModelFile} from '../../../src/core/check.js'
import type {Json, JsonObject} from '../../../src/core/json.js'

type Row = [generation: 'keras2' | 'keras3', id: string, layer: JsonObject, batchShape: Json[], kerasAccepts: boolean]

/** Python's json.dumps spelling: NaN / Infinity as bare words. */
function pythonJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `@@${String(v)}@@` : v))
  return text.replace(/"@@(NaN|Infinity|-Infinity)@@"/g, '$1')
}

/** Keras 3: module keys on every `{class_name, config}` entry, as `model_from_json` expects them. */
function withModules(value: Json): Json {
  if (Array.isArray(value)) return value.map(withModules)
  if (value === null || typeof value !== 'object') return value
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) out[k] = withModules(v as Json)
  if ('class_name' in value && 'config' in value && !('module' in value)) return {...out, module: 'keras.layers', registered_name: null}
  return out
}

/** The Sequential document the oracle loaded: an InputLayer of `shape`, then the layer named `l`. */
function documentOf(generation: Row[0], layer: JsonObject, shape: Json[]): string {
  const named = {...layer, config: {...(layer.config as JsonObject), name: 'l'}}
  if (generation === 'keras3') {
    const input = {module: 'keras.layers', class_name: 'InputLayer', config: {batch_shape: shape, dtype: 'float32', name: 'x'}, registered_name: null}
    return pythonJson({module: 'keras', class_name: 'Sequential', config: {name: 'm', layers: [input, withModules(named)]}, registered_name: null, keras_version: '3.15.0', backend: 'tensorflow'})
  }
  const input = {class_name: 'InputLayer', config: {batch_input_shape: shape, dtype: 'float32', name: 'x'}}
  return pythonJson({class_name: 'Sequential', config: {name: 'm', layers: [input, named]}, keras_version: '2.21.0', backend: 'tensorflow'})
}

// [generation, case, layer, batch shape, Keras accepts] — Keras's verdict in the trailing comment.
const ROWS: Row[] = [
  ["keras3", "LSTM/units=True", {"class_name": "LSTM", "config": {"units": true}}, [null, 5, 3], true], // accepts
  ["keras2", "LSTM/units=True", {"class_name": "LSTM", "config": {"units": true}}, [null, 5, 3], false], // ERR ValueError: Can't convert Python sequence with mixed types to Tens
  ["keras3", "LSTM/units=False", {"class_name": "LSTM", "config": {"units": false}}, [null, 5, 3], false], // ERR ValueError: Received an invalid value for argument `units`, expect
  ["keras2", "LSTM/units=False", {"class_name": "LSTM", "config": {"units": false}}, [null, 5, 3], false], // ERR ValueError: Received an invalid value for argument `units`, expect
  ["keras3", "GRU/units=2.5", {"class_name": "GRU", "config": {"units": 2.5}}, [null, 5, 3], false], // ERR ValueError: state_size must be an integer, or a list/tuple of inte
  ["keras2", "GRU/units=2.5", {"class_name": "GRU", "config": {"units": 2.5}}, [null, 5, 3], false], // ERR TypeError: Dimension value must be integer or None or have an __in
  ["keras3", "SimpleRNN/units='3'", {"class_name": "SimpleRNN", "config": {"units": "3"}}, [null, 5, 3], false], // ERR TypeError: <class 'keras.src.models.sequential.Sequential'> could 
  ["keras2", "SimpleRNN/units='3'", {"class_name": "SimpleRNN", "config": {"units": "3"}}, [null, 5, 3], false], // ERR TypeError: '<=' not supported between instances of 'str' and 'int'
  ["keras3", "LSTM/units=1e+300", {"class_name": "LSTM", "config": {"units": 1e+300}}, [null, 5, 3], false], // ERR ValueError: Cannot convert '(3, 4e+300)' to a shape. Found invalid
  ["keras2", "LSTM/units=1e+300", {"class_name": "LSTM", "config": {"units": 1e+300}}, [null, 5, 3], false], // ERR TypeError: Dimension value must be integer or None or have an __in
  ["keras3", "LSTM/dropout=nan", {"class_name": "LSTM", "config": {"units": 2, "dropout": NaN}}, [null, 5, 3], true], // accepts
  ["keras2", "LSTM/dropout=nan", {"class_name": "LSTM", "config": {"units": 2, "dropout": NaN}}, [null, 5, 3], true], // accepts
  ["keras3", "LSTM/dropout=None", {"class_name": "LSTM", "config": {"units": 2, "dropout": null}}, [null, 5, 3], false], // ERR TypeError: <class 'keras.src.models.sequential.Sequential'> could 
  ["keras2", "LSTM/dropout=None", {"class_name": "LSTM", "config": {"units": 2, "dropout": null}}, [null, 5, 3], false], // ERR TypeError: '>' not supported between instances of 'NoneType' and '
  ["keras3", "GRU/recurrent_dropout=True", {"class_name": "GRU", "config": {"units": 2, "recurrent_dropout": true}}, [null, 5, 3], true], // accepts
  ["keras2", "GRU/recurrent_dropout=True", {"class_name": "GRU", "config": {"units": 2, "recurrent_dropout": true}}, [null, 5, 3], true], // accepts
  ["keras3", "SimpleRNN/dropout='0.5'", {"class_name": "SimpleRNN", "config": {"units": 2, "dropout": "0.5"}}, [null, 5, 3], false], // ERR TypeError: <class 'keras.src.models.sequential.Sequential'> could 
  ["keras2", "SimpleRNN/dropout='0.5'", {"class_name": "SimpleRNN", "config": {"units": 2, "dropout": "0.5"}}, [null, 5, 3], false], // ERR TypeError: '>' not supported between instances of 'str' and 'float
  ["keras3", "GRU/dropout={}", {"class_name": "GRU", "config": {"units": 2, "dropout": {}}}, [null, 5, 3], false], // ERR TypeError: <class 'keras.src.models.sequential.Sequential'> could 
  ["keras2", "GRU/dropout={}", {"class_name": "GRU", "config": {"units": 2, "dropout": {}}}, [null, 5, 3], false], // ERR TypeError: '>' not supported between instances of 'dict' and 'floa
  ["keras3", "LSTM/seed=2.5", {"class_name": "LSTM", "config": {"units": 2, "seed": 2.5}}, [null, 5, 3], false], // ERR ValueError: Argument `seed` must be an integer. Received: seed=2.5
  ["keras3", "LSTM/seed=True", {"class_name": "LSTM", "config": {"units": 2, "seed": true}}, [null, 5, 3], false], // ERR ValueError: Can't convert Python sequence with mixed types to Tens
  ["keras3", "GRU/seed=3", {"class_name": "GRU", "config": {"units": 2, "seed": 3}}, [null, 5, 3], true], // accepts
  ["keras3", "LSTM/use_cudnn=1", {"class_name": "LSTM", "config": {"units": 2, "use_cudnn": 1}}, [null, 5, 3], true], // accepts
  ["keras3", "LSTM/use_cudnn='yes'", {"class_name": "LSTM", "config": {"units": 2, "use_cudnn": "yes"}}, [null, 5, 3], false], // ERR ValueError: Invalid valid received for argument `use_cudnn`. Expec
  ["keras3", "GRU/use_cudnn=None", {"class_name": "GRU", "config": {"units": 2, "use_cudnn": null}}, [null, 5, 3], false], // ERR ValueError: Invalid valid received for argument `use_cudnn`. Expec
  ["keras2", "LSTM/time_major=1", {"class_name": "LSTM", "config": {"units": 2, "time_major": 1}}, [null, 5, 3], false], // ERR TypeError: Exception encountered when calling layer "l" (type LSTM
  ["keras2", "GRU/time_major=True", {"class_name": "GRU", "config": {"units": 2, "time_major": true}}, [null, 5, 3], true], // accepts
  ["keras2", "SimpleRNN/time_major=\"x\"", {"class_name": "SimpleRNN", "config": {"units": 2, "time_major": "x"}}, [null, 5, 3], true], // accepts
  ["keras3", "LSTM/implementation='x'", {"class_name": "LSTM", "config": {"units": 2, "implementation": "x"}}, [null, 5, 3], true], // accepts
  ["keras2", "LSTM/implementation='x'", {"class_name": "LSTM", "config": {"units": 2, "implementation": "x"}}, [null, 5, 3], true], // accepts
  ["keras3", "GRU/reset_after=\"x\"", {"class_name": "GRU", "config": {"units": 2, "reset_after": "x"}}, [null, 5, 3], true], // accepts
  ["keras2", "GRU/reset_after=\"x\"", {"class_name": "GRU", "config": {"units": 2, "reset_after": "x"}}, [null, 5, 3], true], // accepts
  ["keras3", "SimpleRNN/use_bias=None", {"class_name": "SimpleRNN", "config": {"units": 2, "use_bias": null}}, [null, 5, 3], true], // accepts
  ["keras2", "SimpleRNN/use_bias=None", {"class_name": "SimpleRNN", "config": {"units": 2, "use_bias": null}}, [null, 5, 3], true], // accepts
  ["keras3", "LSTM/stateful=[0]", {"class_name": "LSTM", "config": {"units": 2, "stateful": [0]}}, [null, 5, 3], false], // ERR ValueError: When using `stateful=True` in a RNN, the batch size mu
  ["keras2", "LSTM/stateful=[0]", {"class_name": "LSTM", "config": {"units": 2, "stateful": [0]}}, [null, 5, 3], false], // ERR ValueError: If a RNN is stateful, it needs to know its batch size.
  ["keras3", "LSTM/stateful=[0]/batch4", {"class_name": "LSTM", "config": {"units": 2, "stateful": [0]}}, [4, 5, 3], true], // accepts
  ["keras2", "LSTM/stateful=[0]/batch4", {"class_name": "LSTM", "config": {"units": 2, "stateful": [0]}}, [4, 5, 3], true], // accepts
  ["keras3", "GRU/stateful=''", {"class_name": "GRU", "config": {"units": 2, "stateful": ""}}, [null, 5, 3], true], // accepts
  ["keras2", "GRU/stateful=''", {"class_name": "GRU", "config": {"units": 2, "stateful": ""}}, [null, 5, 3], true], // accepts
  ["keras3", "LSTM/stateful/batch0", {"class_name": "LSTM", "config": {"units": 2, "stateful": true}}, [0, 5, 3], true], // accepts
  ["keras2", "LSTM/stateful/batch0", {"class_name": "LSTM", "config": {"units": 2, "stateful": true}}, [0, 5, 3], false], // ERR ValueError: If a RNN is stateful, it needs to know its batch size.
  ["keras3", "LSTM/unroll/steps None", {"class_name": "LSTM", "config": {"units": 2, "unroll": true}}, [null, null, 3], true], // accepts
  ["keras2", "LSTM/unroll/steps None", {"class_name": "LSTM", "config": {"units": 2, "unroll": true}}, [null, null, 3], false], // ERR ValueError: Exception encountered when calling layer "l" (type LST
  ["keras3", "GRU/unroll=0/steps None", {"class_name": "GRU", "config": {"units": 2, "unroll": 0}}, [null, null, 3], true], // accepts
  ["keras2", "GRU/unroll=0/steps None", {"class_name": "GRU", "config": {"units": 2, "unroll": 0}}, [null, null, 3], true], // accepts
  ["keras3", "SimpleRNN/rank2", {"class_name": "SimpleRNN", "config": {"units": 2}}, [null, 3], false], // ERR ValueError: Input 0 with name 'None' of layer 'l' is incompatible 
  ["keras2", "SimpleRNN/rank2", {"class_name": "SimpleRNN", "config": {"units": 2}}, [null, 3], false], // ERR ValueError: Input 0 of layer "l" is incompatible with the layer: e
  ["keras3", "LSTM/rank4", {"class_name": "LSTM", "config": {"units": 2}}, [null, 5, 3, 2], false], // ERR ValueError: Input 0 with name 'None' of layer 'l' is incompatible 
  ["keras2", "LSTM/rank4", {"class_name": "LSTM", "config": {"units": 2}}, [null, 5, 3, 2], false], // ERR ValueError: Input 0 of layer "l" is incompatible with the layer: e
  ["keras2", "LSTM/features None", {"class_name": "LSTM", "config": {"units": 2}}, [null, 5, null], false], // ERR TypeError: int() argument must be a string, a bytes-like object or
  ["keras3", "RNN/cell ok", {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2}}}}, [null, 5, 3], true], // accepts
  ["keras2", "RNN/cell ok", {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2}}}}, [null, 5, 3], true], // accepts
  ["keras3", "RNN/cell None", {"class_name": "RNN", "config": {"cell": null}}, [null, 5, 3], false], // ERR ValueError: Argument `cell` should have a `call` method. Received:
  ["keras2", "RNN/cell None", {"class_name": "RNN", "config": {"cell": null}}, [null, 5, 3], false], // ERR ValueError: Cannot deserialize empty config. Received: config=None
  ["keras3", "RNN/cell 5", {"class_name": "RNN", "config": {"cell": 5}}, [null, 5, 3], false], // ERR ValueError: Argument `cell` should have a `call` method. Received:
  ["keras2", "RNN/cell 5", {"class_name": "RNN", "config": {"cell": 5}}, [null, 5, 3], false], // ERR ValueError: Argument `cell` should have a `call` method. The RNN w
  ["keras3", "RNN/cell Dense", {"class_name": "RNN", "config": {"cell": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 5, 3], false], // ERR ValueError: The RNN cell should have a `state_size` attribute (sin
  ["keras2", "RNN/cell Dense", {"class_name": "RNN", "config": {"cell": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 5, 3], false], // ERR ValueError: The RNN cell should have a `state_size` attribute (tup
  ["keras3", "RNN/cell stacked", {"class_name": "RNN", "config": {"cell": {"class_name": "StackedRNNCells", "config": {"cells": [{"class_name": "LSTMCell", "config": {"units": 2}}, {"class_name": "GRUCell", "config": {"units": 3}}]}}}}, [null, 5, 3], true], // accepts
  ["keras2", "RNN/cell stacked", {"class_name": "RNN", "config": {"cell": {"class_name": "StackedRNNCells", "config": {"cells": [{"class_name": "LSTMCell", "config": {"units": 2}}, {"class_name": "GRUCell", "config": {"units": 3}}]}}}}, [null, 5, 3], true], // accepts
  ["keras3", "RNN/cell stacked empty", {"class_name": "RNN", "config": {"cell": {"class_name": "StackedRNNCells", "config": {"cells": []}}}}, [null, 5, 3], false], // ERR IndexError: Exception encountered when calling RNN.call().  [1mli
  ["keras2", "RNN/cell stacked empty", {"class_name": "RNN", "config": {"cell": {"class_name": "StackedRNNCells", "config": {"cells": []}}}}, [null, 5, 3], true], // accepts
  ["keras3", "RNN/stateful", {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2}}, "stateful": true}}, [null, 5, 3], false], // ERR ValueError: When using `stateful=True` in a RNN, the batch size mu
  ["keras2", "RNN/stateful", {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2}}, "stateful": true}}, [null, 5, 3], false], // ERR ValueError: If a RNN is stateful, it needs to know its batch size.
  ["keras3", "RNN/missing cell", {"class_name": "RNN", "config": {}}, [null, 5, 3], false], // ERR KeyError: 'cell'
  ["keras2", "RNN/missing cell", {"class_name": "RNN", "config": {}}, [null, 5, 3], false], // ERR KeyError: 'cell'
  ["keras3", "RNN/cell dropout x", {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2, "dropout": "x"}}}}, [null, 5, 3], false], // ERR TypeError: <class 'keras.src.models.sequential.Sequential'> could 
  ["keras2", "RNN/cell dropout x", {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2, "dropout": "x"}}}}, [null, 5, 3], false], // ERR TypeError: Error when deserializing class 'LSTMCell' using config=
  ["keras3", "ConvLSTM2D/filters=0", {"class_name": "ConvLSTM2D", "config": {"filters": 0, "kernel_size": 3}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/filters=0", {"class_name": "ConvLSTM2D", "config": {"filters": 0, "kernel_size": 3}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/filters=True", {"class_name": "ConvLSTM2D", "config": {"filters": true, "kernel_size": 3}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/filters=True", {"class_name": "ConvLSTM2D", "config": {"filters": true, "kernel_size": 3}}, [null, 4, 6, 6, 2], false], // ERR TypeError: Field tensorflow.TensorShapeProto.Dim.size: Expected an
  ["keras3", "ConvLSTM2D/kernel_size=True", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": true}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/kernel_size=True", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": true}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Can't convert Python sequence with mixed types to Tens
  ["keras3", "ConvLSTM2D/strides=0", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "strides": 0}}, [null, 4, 6, 6, 2], false], // ERR OverflowError: Exception encountered when calling ConvLSTM2D.call(
  ["keras2", "ConvLSTM2D/strides=0", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "strides": 0}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/strides=[1, 2.0]", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "strides": [1, 2.0]}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/strides=[1, 2.0]", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "strides": [1, 2.0]}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras3", "ConvLSTM2D/padding='SAME'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "padding": "SAME"}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/padding='SAME'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "padding": "SAME"}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras3", "ConvLSTM2D/padding='causal'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "padding": "causal"}}, [null, 4, 6, 6, 2], false], // ERR ValueError: The `padding` argument must be a list/tuple or one of 
  ["keras2", "ConvLSTM2D/padding='causal'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "padding": "causal"}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/padding=[1, 1]", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "padding": [1, 1]}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling ConvLSTM2D.call(). 
  ["keras2", "ConvLSTM2D/padding=[1, 1]", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "padding": [1, 1]}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/data_format=None", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "data_format": null}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/data_format=None", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "data_format": null}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras3", "ConvLSTM2D/data_format=5", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "data_format": 5}}, [null, 4, 6, 6, 2], false], // ERR ValueError: The `data_format` argument must be one of {'channels_f
  ["keras2", "ConvLSTM2D/data_format=5", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "data_format": 5}}, [null, 4, 6, 6, 2], false], // ERR AttributeError: 'int' object has no attribute 'lower'
  ["keras3", "ConvLSTM2D/data_format='channels_first'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling ConvLSTM2D.call(). 
  ["keras2", "ConvLSTM2D/data_format='channels_first'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "data_format": "channels_first"}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/kernel_size=7", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 7}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling ConvLSTM2D.call(). 
  ["keras2", "ConvLSTM2D/kernel_size=7", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 7}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/unroll='x'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "unroll": "x"}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/unroll='x'", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "unroll": "x"}}, [null, 4, 6, 6, 2], false], // ERR TypeError: Unrolling is not possible with convolutional RNNs. Rece
  ["keras3", "ConvLSTM2D/strides2+dil2", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Specifying `strides > 1` is not compatible with `dilat
  ["keras2", "ConvLSTM2D/strides2+dil2", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}}, [null, 4, 6, 6, 2], false], // ERR ValueError: Exception encountered when calling layer "l" (type Con
  ["keras3", "ConvLSTM2D/rank4", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3}}, [null, 6, 6, 2], false], // ERR ValueError: Input 0 with name 'None' of layer 'l' is incompatible 
  ["keras2", "ConvLSTM2D/rank4", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 3}}, [null, 6, 6, 2], false], // ERR ValueError: Input 0 of layer "l" is incompatible with the layer: e
  ["keras3", "ConvLSTM2D/same big kernel", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 9, "padding": "same"}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras2", "ConvLSTM2D/same big kernel", {"class_name": "ConvLSTM2D", "config": {"filters": 2, "kernel_size": 9, "padding": "same"}}, [null, 4, 6, 6, 2], true], // accepts
  ["keras3", "ConvLSTM3D/ok", {"class_name": "ConvLSTM3D", "config": {"filters": 2, "kernel_size": 2}}, [null, 3, 4, 4, 4, 1], true], // accepts
  ["keras2", "ConvLSTM3D/ok", {"class_name": "ConvLSTM3D", "config": {"filters": 2, "kernel_size": 2}}, [null, 3, 4, 4, 4, 1], true], // accepts
  ["keras3", "Bidi/gb true", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], false], // ERR ValueError: Forward layer and backward layer should have different
  ["keras2", "Bidi/gb true", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/gb yes", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": "yes"}}}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/gb yes", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": "yes"}}}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/bw same gb", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2}}}}, [null, 5, 3], false], // ERR ValueError: Forward layer and backward layer should have different
  ["keras2", "Bidi/bw same gb", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2}}}}, [null, 5, 3], false], // ERR ValueError: Forward layer and backward layer should have different
  ["keras3", "Bidi/bw ok", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/bw ok", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/bw rs differ", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "return_sequences": true}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], false], // ERR ValueError: Forward layer and backward layer are expected to have 
  ["keras2", "Bidi/bw rs differ", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "return_sequences": true}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], false], // ERR ValueError: Forward layer and backward layer are expected to have 
  ["keras3", "Bidi/bw rs 1 vs true", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "return_sequences": 1}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true, "return_sequences": true}}}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/bw rs 1 vs true", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "return_sequences": 1}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true, "return_sequences": true}}}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/bw stateful differ", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "stateful": true}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [4, 5, 3], false], // ERR ValueError: Forward layer and backward layer are expected to have 
  ["keras2", "Bidi/bw stateful differ", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2, "stateful": true}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 2, "go_backwards": true}}}}, [4, 5, 3], false], // ERR ValueError: Forward layer and backward layer are expected to have 
  ["keras3", "Bidi/bw units differ sum", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 3, "go_backwards": true}}, "merge_mode": "sum"}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/bw units differ sum", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "LSTM", "config": {"units": 3, "go_backwards": true}}, "merge_mode": "sum"}}, [null, 5, 3], false], // ERR ValueError: Exception encountered when calling layer "l" (type Bid
  ["keras3", "Bidi/bw GRU", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "GRU", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/bw GRU", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": {"class_name": "GRU", "config": {"units": 2, "go_backwards": true}}}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/dense", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 5, 3], false], // ERR TypeError: <class 'keras.src.models.sequential.Sequential'> could 
  ["keras2", "Bidi/dense", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 5, 3], false], // ERR KeyError: 'go_backwards'
  ["keras3", "Bidi/rnn cell", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2}}}}}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/rnn cell", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "RNN", "config": {"cell": {"class_name": "LSTMCell", "config": {"units": 2}}}}}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/layer null", {"class_name": "Bidirectional", "config": {"layer": null}}, [null, 5, 3], false], // ERR ValueError: Please initialize `Bidirectional` layer with a `keras.
  ["keras2", "Bidi/layer null", {"class_name": "Bidirectional", "config": {"layer": null}}, [null, 5, 3], false], // ERR ValueError: Cannot deserialize empty config. Received: config=None
  ["keras3", "Bidi/layer missing", {"class_name": "Bidirectional", "config": {}}, [null, 5, 3], false], // ERR KeyError: 'layer'
  ["keras2", "Bidi/layer missing", {"class_name": "Bidirectional", "config": {}}, [null, 5, 3], false], // ERR KeyError: 'layer'
  ["keras3", "Bidi/layer 5", {"class_name": "Bidirectional", "config": {"layer": 5}}, [null, 5, 3], false], // ERR ValueError: Please initialize `Bidirectional` layer with a `keras.
  ["keras2", "Bidi/layer 5", {"class_name": "Bidirectional", "config": {"layer": 5}}, [null, 5, 3], false], // ERR ValueError: Please initialize `Bidirectional` layer with a `tf.ker
  ["keras3", "Bidi/bw null", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": null}}, [null, 5, 3], true], // accepts
  ["keras2", "Bidi/bw null", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "backward_layer": null}}, [null, 5, 3], true], // accepts
  ["keras3", "Bidi/convlstm", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "ConvLSTM1D", "config": {"filters": 2, "kernel_size": 1}}}}, [null, 4, 6, 2], true], // accepts
  ["keras2", "Bidi/convlstm", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "ConvLSTM1D", "config": {"filters": 2, "kernel_size": 1}}}}, [null, 4, 6, 2], true], // accepts
  ["keras3", "Bidi/rank2", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}}}, [null, 3], false], // ERR ValueError: Input 0 with name 'None' of layer 'l' is incompatible 
  ["keras2", "Bidi/rank2", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}}}, [null, 3], false], // ERR ValueError: Input 0 of layer "l" is incompatible with the layer: e
  ["keras3", "Bidi/merge SUM", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "merge_mode": "SUM"}}, [null, 5, 3], false], // ERR ValueError: Invalid merge mode. Received: SUM. Merge mode should b
  ["keras2", "Bidi/merge SUM", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "merge_mode": "SUM"}}, [null, 5, 3], false], // ERR ValueError: Invalid merge mode. Received: SUM. Merge mode should b
  ["keras3", "Bidi/inner units 0", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 0}}}}, [null, 5, 3], false], // ERR ValueError: Received an invalid value for argument `units`, expect
  ["keras2", "Bidi/inner units 0", {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 0}}}}, [null, 5, 3], false], // ERR ValueError: Received an invalid value for argument `units`, expect
  ["keras3", "TD/rank2", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 3], false], // ERR ValueError: `TimeDistributed` Layer should be passed an `input_sha
  ["keras2", "TD/rank2", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 3], false], // ERR ValueError: `TimeDistributed` Layer should be passed an `input_sha
  ["keras3", "TD/rank3", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 5, 3], true], // accepts
  ["keras2", "TD/rank3", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}, [null, 5, 3], true], // accepts
  ["keras3", "TD/lstm", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}}}, [null, 5, 3, 2], true], // accepts
  ["keras2", "TD/lstm", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}}}, [null, 5, 3, 2], true], // accepts
  ["keras3", "TD/conv big", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Conv1D", "config": {"filters": 2, "kernel_size": 9}}}}, [null, 5, 3, 2], false], // ERR ValueError: Computed output size would be zero or negative. Receiv
  ["keras2", "TD/conv big", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Conv1D", "config": {"filters": 2, "kernel_size": 9}}}}, [null, 5, 3, 2], false], // ERR ValueError: One of the dimensions in the output is <= 0 due to dow
  ["keras3", "TD/null", {"class_name": "TimeDistributed", "config": {"layer": null}}, [null, 5, 3], false], // ERR ValueError: Please initialize `TimeDistributed` layer with a `kera
  ["keras2", "TD/null", {"class_name": "TimeDistributed", "config": {"layer": null}}, [null, 5, 3], false], // ERR ValueError: Cannot deserialize empty config. Received: config=None
  ["keras3", "TD/missing", {"class_name": "TimeDistributed", "config": {}}, [null, 5, 3], false], // ERR KeyError: 'layer'
  ["keras2", "TD/missing", {"class_name": "TimeDistributed", "config": {}}, [null, 5, 3], false], // ERR KeyError: 'layer'
  ["keras3", "TD/bidi", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}}}}}, [null, 5, 3, 2], true], // accepts
  ["keras2", "TD/bidi", {"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}}}}}, [null, 5, 3, 2], true], // accepts
]

describe('recurrent and wrapper layers: kmodel refuses exactly what Keras refuses', () => {
  it.each(ROWS)('%s %s', async (generation, _id, layer, shape, kerasAccepts) => {
    const check = await checkModelFile({bytes: new TextEncoder().encode(documentOf(generation, layer, shape)), name: 'model.json'})
    expect(check.errors.map((e) => e.message).length > 0).toBe(!kerasAccepts)
  })

  it('names the argument and the value in the message', async () => {
    const check = await checkModelFile({bytes: new TextEncoder().encode(documentOf('keras3', {class_name: 'LSTM', config: {units: 2, use_cudnn: 'yes'}}, [null, 5, 3])), name: 'model.json'})
    expect(check.errors[0]?.message).toBe('\'use_cudnn\' of LSTM layer \'l\' must be one of "auto", true, false, found "yes".')
  })
})
