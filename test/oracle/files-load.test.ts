/**
 * Suite d, second half (files-load): kmodel writes weights files from the files Keras wrote (files-read's
 * answers) through the built CLI (save-weights in both layouts, load-weights by order onto renamed layers and
 * --by-name, weights import of an .npz in both layouts); Keras loads each into the same architecture and must
 * hold the original weights bit for bit and compute the original outputs (≤ 1e-5 relative). The cases carry
 * kmodel's bytes, so Keras's answer is recorded for exactly those bytes.
 */
import {type FilesLoadAnswer, type FilesReadAnswer, loadDifference} from './checks/files.js'
import {filesLoadCases, type FilesLoadCase, filesReadCases, type FilesReadCase} from './gen/files.js'
import {type Generation, oracleAnswers} from './harness.js'
import type {OracleLayerWeights} from './kmodel-side.js'
import {defineOracleSuite} from './suite.js'

/** files-read's answers (live: the driver again; else its committed fixture), once per generation. */
const readAnswers = new Map<Generation, FilesReadAnswer[]>()
function keras(generation: Generation): FilesReadAnswer[] {
  let answers = readAnswers.get(generation)
  if (answers === undefined) {
    answers = oracleAnswers<FilesReadCase, FilesReadAnswer>('files-read', generation, filesReadCases(generation), {module: 'files_read'}).results
    readAnswers.set(generation, answers)
  }
  return answers
}

/** The weights Keras's files carry for the model of a files-load case (every files-read answer of it has them). */
function originalWeights(generation: Generation, id: string): OracleLayerWeights[] {
  const model = id.split('/')[0] ?? ''
  return keras(generation).find((a) => a.id.startsWith(`${model}/`) && a.weights !== undefined)?.weights ?? []
}

defineOracleSuite<FilesLoadCase, FilesLoadAnswer>({
  suite: 'files-load',
  module: 'files_load',
  cases: (generation) => filesLoadCases(generation, keras(generation)),
  check: async (c, answer, {generation}) => loadDifference(c.kmodel_error, answer, originalWeights(generation, c.id)),
})
