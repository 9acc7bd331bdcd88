// Builds the optional OpenBLAS addon (native/) at `npm install`. It must never fail the install: when a C++
// compiler, OpenBLAS (Debian: libopenblas-dev) or node-gyp is missing, or the build fails, it prints one line
// and exits 0, and kmodel trains on tfjs' own wasm/cpu kernels (`enableBlasKernels` then says why).
//
// Usage: node scripts/build-native.js [--verbose]. KMODEL_SKIP_NATIVE=1 skips the build.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nativeDir = join(root, 'native')
const verbose = process.argv.includes('--verbose')

/** Prints the single notice line and stops with exit code 0. */
function skip(reason) {
  console.log(`kmodel: native BLAS kernels not built (${reason}); training will use tfjs' wasm/cpu kernels.`)
  process.exit(0)
}

const PROBE = `#include <cblas.h>
int main() { float a = 1, b = 2, c = 0; cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1); return c == 2.0f ? 0 : 1; }
`

/** The C++ compiler node-gyp will use, or undefined. */
function compiler() {
  for (const cxx of [process.env.CXX, 'c++', 'g++', 'clang++'].filter(Boolean)) {
    if (spawnSync(cxx, ['--version'], {stdio: 'ignore'}).status === 0) return cxx
  }
  return undefined
}

/** Compiles and links a cblas_sgemm call against -lopenblas: checks the header and the library at once. */
function probeOpenBlas(cxx) {
  const dir = mkdtempSync(join(tmpdir(), 'kmodel-blas-probe-'))
  try {
    writeFileSync(join(dir, 'probe.cc'), PROBE)
    const res = spawnSync(cxx, [join(dir, 'probe.cc'), '-o', join(dir, 'probe'), '-lopenblas'], {encoding: 'utf8'})
    if (res.status !== 0) return (res.stderr.includes('cblas.h') ? 'OpenBLAS headers not found: install libopenblas-dev' : 'cannot link -lopenblas: install libopenblas-dev')
    return spawnSync(join(dir, 'probe'), [], {stdio: 'ignore'}).status === 0 ? undefined : 'the OpenBLAS probe program computed a wrong result'
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** node-gyp's entry script: npm's own (npm sets npm_config_node_gyp for scripts), else the one beside node. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean)
  return candidates.find((p) => existsSync(p))
}

const hasHeaders = (dir) => existsSync(join(dir, 'include', 'node', 'node_api.h')) && existsSync(join(dir, 'include', 'node', 'common.gypi'))

/**
 * Node's headers without a download: beside the binary (Debian/NodeSource installs), or already in node-gyp's
 * cache. Otherwise undefined, and the build is skipped: node-gyp would download them, and an install never does.
 */
function nodeDir() {
  const prefix = join(dirname(process.execPath), '..')
  if (hasHeaders(prefix)) return prefix
  const cache = process.env.npm_config_devdir ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'node-gyp')
  const cached = join(cache, process.versions.node)
  return hasHeaders(cached) ? cached : undefined
}

function main() {
  if (process.env.KMODEL_SKIP_NATIVE === '1') skip('KMODEL_SKIP_NATIVE=1')
  if (!existsSync(join(nativeDir, 'binding.gyp'))) skip('native/binding.gyp is not in this package')
  const cxx = compiler()
  if (cxx === undefined) skip('no C++ compiler found: install g++')
  const blas = probeOpenBlas(cxx)
  if (blas !== undefined) skip(blas)
  const gyp = nodeGyp()
  if (gyp === undefined) skip('node-gyp not found')
  const dir = nodeDir()
  if (dir === undefined) skip('Node.js headers not found beside node (Debian: libnode-dev) and not downloaded')
  const args = [gyp, 'rebuild', `--nodedir=${dir}`]
  const res = spawnSync(process.execPath, args, {cwd: nativeDir, encoding: 'utf8', stdio: verbose ? 'inherit' : 'pipe', env: {...process.env, CXX: cxx}})
  if (res.status !== 0) {
    const lines = `${res.stderr ?? ''}\n${res.stdout ?? ''}`.split('\n').filter((l) => /error/i.test(l) && !/gyp ERR! (stack|cwd|node -v|node-gyp -v|not ok|System|command)/.test(l))
    skip(`node-gyp failed: ${(lines[0] ?? `exit code ${res.status}`).trim()}`)
  }
  console.log('kmodel: native BLAS kernels built (native/build/Release/kmodel_blas.node).')
}

try {
  main()
} catch (error) {
  skip(error instanceof Error ? error.message.split('\n')[0] : String(error))
}
