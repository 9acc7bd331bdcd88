import {describe, expect, it} from 'vitest'

import {type BoxColumn, columnWidths, wrapCell} from '../../../src/core/render/box-table.js'

const col = (width: number): BoxColumn => ({header: '', justify: 'left', width})

describe('columnWidths (rich, fixed-width columns, table width 76)', () => {
  it('gives the 33/24/15 split every captured Keras 3 sequential summary shows', () => {
    // int(0.45*76)=34, int(0.8*76)-34=26, 76-60=16; +2 padding each, 10 too wide for 76-4 borders
    expect(columnWidths([col(34), col(26), col(16)], 76)).toEqual([33, 24, 15])
  })

  it('gives the 21/19/12/19 split of functional summaries', () => {
    expect(columnWidths([col(22), col(20), col(14), col(20)], 76)).toEqual([21, 19, 12, 19])
  })
})

describe('wrapCell', () => {
  it('wraps at spaces and pads to the width', () => {
    expect(wrapCell('conv2d_8 (Conv2D)', 17, 'left')).toEqual(['conv2d_8 (Conv2D)'])
    expect(wrapCell('(None, 30, 30, 32)', 17, 'left')).toEqual(['(None, 30, 30,   ', '32)              '])
  })

  it('cuts a word longer than the cell with an ellipsis', () => {
    expect(wrapCell('bn_conv1 (BatchNormalization)', 19, 'left')).toEqual(['bn_conv1           ', '(BatchNormalizatio…'])
    expect(wrapCell('max_pooling2d_2[0][0]', 17, 'left')).toEqual(['max_pooling2d_2[…'])
  })

  it('aligns right and centre', () => {
    expect(wrapCell('2,080', 13, 'right')).toEqual(['        2,080'])
    expect(wrapCell('Y', 9, 'center')).toEqual(['    Y    '])
    expect(wrapCell('', 3, 'left')).toEqual(['   '])
  })
})
