// `kmodel summary` of a 2.4 GB full-model .h5 against a small one, and against /usr/bin/python3 + h5py reading the
// model_config attribute of the same files, in the same run (issue #13). Wall time and peak RSS of each process
// come from /usr/bin/time; runs alternate between the tools; prints a Markdown table of medians for BENCHMARKS.md.
//
// Usage: node bench/large/run.js [runs=5]. Needs `npm run build`, the oracle venv (to generate the files with
// real Keras once; cached in /tmp/kmodel-bench-large, never in the repo) and Debian python3-h5py.
import {spawnSync} from 'node:child_process'
import {cpus, loadavg, totalmem} from 'node:os'

const runs = Number(process.argv[2] ?? 5)
const CACHE = process.env.KMODEL_BENCH_LARGE_DIR ?? '/tmp/kmodel-bench-large'
const KERAS_PYTHON = process.env.KMODEL_ORACLE_PYTHON ?? spawnSync('bash', ['scripts/oracle-venv.sh'], {encoding: 'utf8'}).stdout.trim()

function must(res, what) {
  if (res.status !== 0) throw new Error(`${what} failed (${res.status}): ${res.stderr}`)
  return res
}

const made = must(spawnSync(KERAS_PYTHON, ['bench/large/make_models.py', CACHE], {encoding: 'utf8', env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '3'}}), 'make_models.py')
const files = JSON.parse(made.stdout.trim().split('\n').pop())

/** Wall seconds and peak RSS (MB) of one command, from GNU time. */
function timed(cmd, args) {
  const res = must(spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], {encoding: 'utf8', maxBuffer: 1 << 24}), `${cmd} ${args.join(' ')}`)
  const [wall, rssKb] = res.stderr.trim().split('\n').pop().split(' ').map(Number)
  return {wall, rss: rssKb / 1024}
}

const H5PY = 'import sys, h5py\nwith h5py.File(sys.argv[1], "r") as f: c = f.attrs["model_config"]\nprint(len(c))'
const tools = {
  kmodel: (path) => timed(process.execPath, ['bin/run.js', 'summary', path]),
  h5py: (path) => timed('/usr/bin/python3', ['-c', H5PY, path]),
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const loadBefore = loadavg().map((x) => x.toFixed(2)).join(' ')
const results = {}
for (const [label, path] of [['small', files.small], ['large', files.large]]) {
  for (const tool of Object.keys(tools)) tools[tool](path) // warm-up: page cache and module caches, not counted
  for (let i = 0; i < runs; i++) {
    for (const [tool, fn] of Object.entries(tools)) {
      const key = `${label}/${tool}`
      results[key] ??= []
      results[key].push(fn(path))
    }
  }
}

const gb = (n) => (n / 1e9).toFixed(2)
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}; ${runs} runs each after one warm-up (page cache warm); load average ${loadBefore} before, ${loadavg().map((x) => x.toFixed(2)).join(' ')} after`)
console.log('')
console.log('| file | kmodel summary: wall s / peak RSS MB (median) | h5py model_config: wall s / peak RSS MB (median) | wall ratio |')
console.log('|---|---|---|---|')
for (const [label, bytes] of [['small', files.small_bytes], ['large', files.large_bytes]]) {
  const k = results[`${label}/kmodel`]
  const h = results[`${label}/h5py`]
  const kw = median(k.map((r) => r.wall))
  const hw = median(h.map((r) => r.wall))
  const name = label === 'small' ? `wide MLP, small (${(bytes / 1e3).toFixed(0)} kB)` : `wide MLP, 600M params (${gb(bytes)} GB)`
  console.log(`| ${name} | ${kw.toFixed(2)} / ${median(k.map((r) => r.rss)).toFixed(0)} | ${hw.toFixed(2)} / ${median(h.map((r) => r.rss)).toFixed(0)} | ${(kw / hw).toFixed(2)}× |`)
}
