// Bundles the CLI for start-up time (see BENCHMARKS.md, "Architecture commands"). Run by `npm run build` after tsc.
//
//   node scripts/bundle.js [--outdir dist/bundle]
//
// Writes, from tsc's output in dist/:
//   <outdir>/oclif.js             @oclif/core and its dependencies as one ES module (instead of ~160 CommonJS files);
//                                 bin/run.js and every command import this one copy, so the framework is shared.
//   <outdir>/commands/**/*.js     one file per command (oclif discovers them by pattern: package.json
//                                 "oclif.commands"), holding the command's static import graph.
//   <outdir>/chunks/<command>/    for the commands in SPLIT: their lazily imported modules and shared code as
//                                 esbuild chunks (the whole command in one build; see bundleSplit).
// For the other commands, what stays a separate file in dist/ (imported from the bundle by a relative path): every module that is loaded
// lazily with `await import()` (tfjs, h5wasm, js-yaml readers…), and everything such a module imports, so each
// module still exists once per process (one KmodelError class for `instanceof`). `import.meta.url` inside bundled
// code is rewritten to the module's own dist/ location, so worker paths, createRequire and native addon paths
// resolve as before. Files are replaced one by one (temp file + rename): a CLI run during a rebuild never sees a
// half-written file.
import {build} from 'esbuild'
import {existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const outdirArg = process.argv.indexOf('--outdir')
const outdir = resolve(root, outdirArg === -1 ? 'dist/bundle' : process.argv[outdirArg + 1])
const oclifFile = join(outdir, 'oclif.js')

/** `./x.js`-style specifier from a directory to a file. */
const specifier = (fromDir, file) => {
  const rel = relative(fromDir, file).split(sep).join('/')
  return rel.startsWith('.') ? rel : `./${rel}`
}

/** Every .js file under a folder (tsc's output; no .d.ts). */
const jsFiles = (dir) => readdirSync(dir, {withFileTypes: true, recursive: true})
  .filter((e) => e.isFile() && e.name.endsWith('.js'))
  .map((e) => join(e.parentPath ?? e.path, e.name))

const common = {bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'warning', legalComments: 'none'}
const isBare = /^(?!\.{0,2}\/|node:)[^/]/

/**
 * The modules that must stay separate files: the targets of dynamic imports reachable from the commands, and
 * their static imports, transitively (a dynamic import inside those adds its target in turn).
 */
async function lazyClosure(entries) {
  const lazy = new Set()
  const closure = new Set()
  let frontier = entries
  let roots = false
  while (frontier.length > 0) {
    const found = []
    const result = await build({
      ...common, entryPoints: frontier, outdir: join(outdir, '.scan'), metafile: true,
      plugins: [{
        name: 'scan',
        setup(b) {
          b.onResolve({filter: /.*/}, (args) => {
            if (isBare.test(args.path) || args.path.startsWith('node:')) return {path: args.path, external: true}
            if (args.kind !== 'dynamic-import') return undefined
            const file = resolve(args.resolveDir, args.path)
            if (!lazy.has(file)) found.push(file)
            lazy.add(file)
            return {path: args.path, external: true}
          })
        },
      }],
    })
    if (roots) for (const input of Object.keys(result.metafile.inputs)) closure.add(resolve(root, input))
    frontier = [...new Set(found)]
    roots = true
  }
  return closure
}

/** Bundles @oclif/core into one ES module with the same named exports. */
async function bundleOclif() {
  const names = Object.keys(createRequire(import.meta.url)('@oclif/core')).filter((n) => n !== 'default' && n !== '__esModule')
  const result = await build({
    ...common,
    stdin: {contents: `export {${names.join(', ')}} from '@oclif/core'`, resolveDir: root, sourcefile: 'oclif-entry.js'},
    outfile: oclifFile,
    // CommonJS inside an ES module: `require` of node built-ins and of plugins' files goes through createRequire.
    banner: {js: "import {createRequire as __kmodelCreateRequire} from 'node:module'\nconst require = __kmodelCreateRequire(import.meta.url)"},
    // only loaded by oclif in development mode, for TypeScript sources
    external: ['typescript', 'ts-node', 'tsx'],
  })
  return result.outputFiles
}

/** Bundles one command file; `external` holds the dist/ files that stay separate. */
async function bundleCommand(entry, external) {
  const outfile = join(outdir, relative(dist, entry))
  const outDir = dirname(outfile)
  const result = await build({
    ...common, entryPoints: [entry], outfile,
    plugins: [{
      name: 'kmodel-command',
      setup(b) {
        b.onResolve({filter: /.*/}, (args) => {
          if (args.path === '@oclif/core') return {path: specifier(outDir, oclifFile), external: true}
          if (isBare.test(args.path) || args.path.startsWith('node:')) return {path: args.path, external: true}
          const file = resolve(args.resolveDir, args.path)
          if (args.kind === 'dynamic-import' || external.has(file)) return {path: specifier(outDir, file), external: true}
          return undefined
        })
        b.onLoad({filter: /\.js$/}, (args) => {
          const text = readFileSync(args.path, 'utf8')
          if (!text.includes('import.meta')) return {contents: text, loader: 'js'}
          const own = `new URL(${JSON.stringify(specifier(outDir, args.path))}, import.meta.url).href`
          return {contents: text.replaceAll('import.meta.url', own), loader: 'js'}
        })
      },
    }],
  })
  return result.outputFiles
}

/**
 * Commands bundled whole, lazy modules included: esbuild splits each `await import()` into its own chunk and
 * shared code into shared chunks (dist/bundle/chunks/<command>/), so the command loads a few files instead of
 * one per shared dist/ module (`summary`: 41 fewer ES modules, -7% instructions). Within one process all of a
 * command's code then comes from this one build, so module identity still holds; worker threads load dist/.
 */
const SPLIT = new Set(['summary', 'to-json', 'to-yaml', 'from-config'])
const OCLIF_MARK = '@@kmodel-oclif@@'
const DIST_MARK = '@@kmodel-dist@@'

/** Bundles one command with everything it may import from dist/, lazily imported modules as chunks. */
async function bundleSplit(entry) {
  const id = relative(join(dist, 'commands'), entry).replace(/\.js$/, '').split(sep).join('-')
  const result = await build({
    ...common, entryPoints: {[relative(dist, entry).replace(/\.js$/, '')]: entry}, outdir, splitting: true,
    chunkNames: `chunks/${id}/[name]-[hash]`,
    plugins: [{
      name: 'kmodel-split',
      setup(b) {
        b.onResolve({filter: /.*/}, (args) => {
          if (args.path === '@oclif/core') return {path: OCLIF_MARK, external: true}
          if (isBare.test(args.path) || args.path.startsWith('node:')) return {path: args.path, external: true}
          return undefined
        })
        b.onLoad({filter: /\.js$/}, (args) => {
          const text = readFileSync(args.path, 'utf8')
          if (!text.includes('import.meta')) return {contents: text, loader: 'js'}
          const own = `new URL(${JSON.stringify(DIST_MARK + relative(dist, args.path).split(sep).join('/'))}, import.meta.url).href`
          return {contents: text.replaceAll('import.meta.url', own), loader: 'js'}
        })
      },
    }],
  })
  // The marks become paths relative to each output file, wherever esbuild put the code.
  const marks = new RegExp(`"(${OCLIF_MARK}|${DIST_MARK}([^"]*))"`, 'g')
  return result.outputFiles.map((f) => {
    const text = f.text.replaceAll(marks, (_m, _all, rest) => JSON.stringify(specifier(dirname(f.path), rest === undefined ? oclifFile : join(dist, rest))))
    return {path: f.path, contents: Buffer.from(text)}
  })
}

/** Writes each file via temp + rename, then removes files of an earlier bundle that are no longer produced. */
function writeAll(files) {
  const wanted = new Set(files.map((f) => f.path))
  for (const f of files) {
    mkdirSync(dirname(f.path), {recursive: true})
    const tmp = `${f.path}.${process.pid}.tmp`
    writeFileSync(tmp, f.contents)
    renameSync(tmp, f.path)
  }
  for (const folder of ['commands', 'chunks']) {
    if (!existsSync(join(outdir, folder))) continue
    for (const old of jsFiles(join(outdir, folder))) if (!wanted.has(old)) rmSync(old)
  }
}

// tsc writes src/<folder> to dist/<folder>: the bundle's folder must not be one of them
if (existsSync(join(root, 'src', relative(dist, outdir).split(sep)[0] ?? ''))) {
  throw new Error(`${relative(root, outdir)} would mix with tsc's output of src/${relative(dist, outdir).split(sep)[0]}; pick another --outdir.`)
}

const commands = jsFiles(join(dist, 'commands'))
const outputs = [...await bundleOclif()]
for (const command of commands) {
  const split = SPLIT.has(relative(join(dist, 'commands'), command).replace(/\.js$/, ''))
  outputs.push(...(split ? await bundleSplit(command) : await bundleCommand(command, await lazyClosure([command]))))
}
writeAll(outputs)
console.log(`bundle: ${commands.length} commands (${SPLIT.size} with their lazy chunks) + oclif into ${relative(root, outdir)}/`)
