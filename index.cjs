'use strict'
// require('kmodel-cli'): the package is an ES module (dist/index.js). Node 20.19+ and 22.12+ can require() an ES
// module, so this hands it over; where Node cannot, the error says what to do instead of a bare ERR_REQUIRE_ESM.
try {
  module.exports = require('./dist/index.js')
} catch (error) {
  if (error === null || typeof error !== 'object' || !['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE'].includes(error.code)) throw error
  throw new Error("kmodel-cli is an ES module and this Node.js cannot require() it: use `const kmodel = await import('kmodel-cli')`, or Node.js 20.19+ / 22.12+.", {cause: error})
}
