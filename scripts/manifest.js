// Writes oclif.manifest.json after each build, so the CLI imports only the command it runs instead of every
// command module (start-up time: see BENCHMARKS.md). Run by `npm run build`, after scripts/bundle.js: it loads the
// commands from package.json "oclif.commands" with the same bundled @oclif/core the CLI runs (dist/bundle/oclif.js).
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {Plugin} from '../dist/bundle/oclif.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true})
await plugin.load()
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
