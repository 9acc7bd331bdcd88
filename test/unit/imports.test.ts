/**
 * STYLE.md's layering, checked on the sources: the command layer lives in src/cli (with the oclif commands in
 * src/commands and nothing else at the src/ root but the library entry); core imports neither oclif nor chalk, nor
 * anything of the command layer; only src/core/io imports h5wasm; and no two modules of src/ import each other, directly or
 * through others (type-only imports count: a cycle of types is a cycle of modules to a reader).
 */
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {expect, it} from 'vitest'
import {ROOT} from '../helpers/paths.js'

const SRC = join(ROOT, 'src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** Every import specifier of a TypeScript file (static and dynamic). */
function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2] ?? '')
}

/** The source file a relative `.js` specifier of `from` names. */
function target(from: string, spec: string): string {
  return resolve(dirname(from), spec).replace(/\.js$/, '.ts')
}

const SOURCES = files(SRC)
const rel = (path: string): string => relative(ROOT, path)

it('keeps nothing at the src/ root but the library entry: the command layer is in src/cli', () => {
  expect(readdirSync(SRC).filter((name) => name.endsWith('.ts'))).toEqual(['index.ts'])
})

it('core imports no CLI framework, no chalk (colour is passed in) and no command-layer module', () => {
  const offenders: string[] = []
  for (const path of SOURCES.filter((p) => rel(p).startsWith('src/core/'))) {
    for (const spec of imports(path)) {
      const external = /^(@oclif\/|chalk$)/.test(spec)
      const layer = spec.startsWith('.') && !rel(target(path, spec)).startsWith('src/core/')
      if (external || layer) offenders.push(`${rel(path)} imports ${spec}`)
    }
  }
  expect(offenders).toEqual([])
})

it('only src/core/io imports h5wasm', () => {
  const offenders = SOURCES.filter((p) => !rel(p).startsWith('src/core/io/') && imports(p).some((s) => s.startsWith('h5wasm'))).map(rel)
  expect(offenders).toEqual([])
})

it('has no import cycles', () => {
  const graph = new Map(SOURCES.map((p) => [p, imports(p).filter((s) => s.startsWith('.')).map((s) => target(p, s)).filter((t) => t !== p)]))
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  for (const start of SOURCES) {
    if (state.has(start)) continue
    const stack: Array<{node: string; next: number}> = [{node: start, next: 0}]
    const path: string[] = [start]
    state.set(start, 'open')
    while (stack.length > 0) { // iterative depth-first search; a back edge to an open node closes a cycle
      const top = stack[stack.length - 1] as {node: string; next: number}
      const edges = graph.get(top.node) ?? []
      if (top.next >= edges.length) {
        state.set(top.node, 'done')
        stack.pop()
        path.pop()
        continue
      }
      const to = edges[top.next++] as string
      if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to].map(rel).join(' → '))
      else if (!state.has(to) && graph.has(to)) {
        state.set(to, 'open')
        stack.push({node: to, next: 0})
        path.push(to)
      }
    }
  }
  expect(cycles).toEqual([])
})
