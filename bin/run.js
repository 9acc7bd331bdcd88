#!/usr/bin/env node
// @oclif/core comes from the build's bundle (dist/bundle/oclif.js, one ES module), the same copy every command uses.
import {execute} from '../dist/bundle/oclif.js'

await execute({dir: import.meta.url})
