import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {readModel} from '../../../src/core/read.js'
import {FIXTURES, fixture} from '../../helpers/paths.js'
import {reread} from '../../helpers/roundtrip.js'

const architectures = readdirSync(FIXTURES).filter((f) => /\.(json|yaml)$/.test(f) && !f.startsWith('subclassed') && f !== 'MANIFEST.json')

describe('round trip of every fixture', () => {
  it.each(architectures)('%s: to-json ∘ read and to-yaml ∘ read are lossless', async (name) => {
    const {model} = await readModel(fixture(name))
    expect((await reread(model, 'json')).model).toEqual(model)
    expect((await reread(model, 'yaml')).model).toEqual(model)
  })
})
