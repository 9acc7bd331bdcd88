/**
 * Suite d, first half (files-read): Keras writes each small model as .keras, full-model .h5, save_weights files
 * and an .npz of get_weights(); kmodel reads each one back: the architecture must be what it reads from Keras's
 * to_json, every weight bit-identical in the layer and slot kmodel's load matching gives it.
 */
import {type FilesReadAnswer, readDifference} from './checks/files.js'
import {filesReadCases, type FilesReadCase} from './gen/files.js'
import {defineOracleSuite} from './suite.js'

defineOracleSuite<FilesReadCase, FilesReadAnswer>({
  suite: 'files-read',
  module: 'files_read',
  cases: (generation) => filesReadCases(generation),
  check: (c, keras, {generation}) => readDifference(c, keras, generation),
})
