import {describe, expect, it} from 'vitest'
import {blasOptionsFrom} from '../../../src/cli/env.js'

describe('blasOptionsFrom (the command layer reads KMODEL_BLAS*, core gets options)', () => {
  it('maps KMODEL_BLAS=0 to disabled and KMODEL_BLAS_THREADS to threads', () => {
    expect(blasOptionsFrom({})).toEqual({})
    expect(blasOptionsFrom({KMODEL_BLAS: '0', KMODEL_BLAS_THREADS: '1'})).toEqual({disabled: true, threads: 1})
    expect(blasOptionsFrom({KMODEL_BLAS: '1', KMODEL_BLAS_THREADS: '2'})).toEqual({threads: 2})
  })

  it('ignores a thread count that is not a positive integer', () => {
    for (const bad of ['', '0', '-1', '1.5', 'two']) expect(blasOptionsFrom({KMODEL_BLAS_THREADS: bad})).toEqual({})
  })
})
