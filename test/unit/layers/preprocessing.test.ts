import {describe, expect, it} from 'vitest'
import {out, params, run} from './builders.js'

describe('image preprocessing', () => {
  it('Rescaling and Random* augmentation keep the shape', () => {
    for (const c of ['Rescaling', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomTranslation']) {
      expect(out(run(c, {}, [[null, 32, 32, 3]]))).toEqual([null, 32, 32, 3])
    }
  })

  it('Resizing / CenterCrop / RandomCrop set height and width; RandomWidth / RandomHeight free one', () => {
    expect(out(run('Resizing', {height: 64, width: 32}, [[null, 128, 128, 3]]))).toEqual([null, 64, 32, 3])
    expect(out(run('CenterCrop', {height: 10, width: 12}, [[null, 28, 28, 1]]))).toEqual([null, 10, 12, 1])
    expect(out(run('Resizing', {height: 5, width: 6, data_format: 'channels_first'}, [[null, 3, 8, 8]]))).toEqual([null, 3, 5, 6])
    expect(out(run('RandomWidth', {factor: 0.2}, [[null, 28, 28, 1]]))).toEqual([null, 28, null, 1])
    expect(out(run('RandomHeight', {factor: 0.2}, [[null, 28, 28, 1]]))).toEqual([null, null, 28, 1])
  })
})

describe('categorical preprocessing', () => {
  it('CategoryEncoding multi_hot / one_hot / count', () => {
    expect(out(run('CategoryEncoding', {num_tokens: 10, output_mode: 'multi_hot'}, [[null, 3]]))).toEqual([null, 10])
    expect(out(run('CategoryEncoding', {num_tokens: 10, output_mode: 'one_hot'}, [[null, 1]]))).toEqual([null, 10])
    // Keras 3 one-hot encodes any rank; tf-keras refuses outputs of rank > 2 (args-preprocessing.test.ts)
    expect(out(run('CategoryEncoding', {num_tokens: 10, output_mode: 'one_hot'}, [[null, 3]], {dialect: 'keras3'}))).toEqual([null, 3, 10])
    expect(out(run('CategoryEncoding', {num_tokens: 4, output_mode: 'count'}, [[null]]))).toEqual([4])
    expect(out(run('CategoryEncoding', {num_tokens: 4, output_mode: 'one_hot'}, [[null]]))).toEqual([null, 4])
  })

  it('StringLookup / IntegerLookup: int keeps the shape, encodings use the vocabulary size', () => {
    const lookup = run('StringLookup', {vocabulary: ['a', 'b'], num_oov_indices: 1, mask_token: null, output_mode: 'int'}, [[null]])
    expect(out(lookup)).toEqual([null])
    expect(params(lookup)).toBe(0)
    expect(out(run('StringLookup', {vocabulary: ['a', 'b'], num_oov_indices: 1, output_mode: 'one_hot'}, [[null, 1]]))).toEqual([null, 3])
    expect(out(run('IntegerLookup', {vocabulary_size: 7, output_mode: 'multi_hot'}, [[null, 5]]))).toEqual([null, 7])
  })

  it('TextVectorization, Hashing, Discretization, HashedCrossing', () => {
    expect(out(run('TextVectorization', {output_mode: 'int', output_sequence_length: 20}, [[null]]))).toEqual([null, 20])
    expect(out(run('TextVectorization', {output_mode: 'int', output_sequence_length: null}, [[null, 1]]))).toEqual([null, null])
    expect(out(run('TextVectorization', {output_mode: 'multi_hot', max_tokens: 100, pad_to_max_tokens: true}, [[null]]))).toEqual([null, 100])
    expect(out(run('TextVectorization', {output_mode: 'multi_hot', max_tokens: 100, pad_to_max_tokens: false}, [[null]]))).toEqual([null, null])
    expect(out(run('Hashing', {num_bins: 8}, [[null, 3]]))).toEqual([null, 3])
    expect(out(run('Hashing', {num_bins: 8, output_mode: 'one_hot'}, [[null, 1]]))).toEqual([null, 8])
    expect(out(run('Discretization', {bin_boundaries: [0, 1, 2], output_mode: 'one_hot'}, [[null, 1]]))).toEqual([null, 4])
    expect(out(run('HashedCrossing', {num_bins: 5, output_mode: 'one_hot'}, [[null], [null]]))).toEqual([null, 5])
  })
})
