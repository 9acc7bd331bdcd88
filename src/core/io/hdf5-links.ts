/**
 * Resolving object paths one link at a time, so that HDF5 never follows a link out of the file (issue #13).
 *
 * h5wasm's `Group.get(path)` hands the whole path to HDF5 (H5LTpath_valid, H5Gget_objinfo), which follows
 * every link on the way — an external link opens another file. Here each component is looked up in its
 * parent's link names (H5Lget_name_by_idx: no traversal) and its link type read without following it
 * (H5Lget_info2 via get_external_link / get_symbolic_link); only hard links are then asked for their object
 * type. External links are refused (KM_FORMAT_HDF5_EXTERNAL) naming the link and its target; soft links are
 * followed inside the file, component by component again, and refused when dangling or looping
 * (KM_FORMAT_HDF5_LINK). The result is the object's path made of hard links only, which h5wasm may then use.
 */
import {FormatError} from '../errors.js'
import {outsideError} from './hdf5-confine.js'
import type {Session} from './hdf5-session.js'

/** HDF5's own limit on soft links followed in one lookup (H5L_NUM_LINKS). */
const MAX_SOFT_HOPS = 16

/** What a link is, read without following it. `type` is HDF5's H5G_* object type of a hard link's target. */
type LinkInfo =
  | {kind: 'hard'; type: number}
  | {kind: 'soft'; target: string}
  | {kind: 'external'; file: string; object: string}
  | {kind: 'missing'}

/** An object reached through hard links only: its canonical path and H5G_* type. */
export interface Resolved {
  path: string
  type: number
}

/** Read-only files never change while open: their link names and types are looked up once per session. */
const caches = new WeakMap<Session, {names: Map<string, Set<string>>; links: Map<string, LinkInfo>}>()

/** Per read session: every link path HDF5's own visit reaches, each group entered once. */
const visited = new WeakMap<Session, Set<string>>()

/**
 * Refuses to list a group that HDF5 itself reaches by another hard link: a hard link back to an ancestor makes the
 * file a cycle that a walk over its groups would follow for ever (issue #13). HDF5's link visit (H5Lvisit, through
 * h5wasm's recursive `get_names`) enters each group once, so the members of a group reached a second time are
 * missing from it: such a group is refused (KM_FORMAT_HDF5_LINK), naming it. Keras never links a group twice.
 */
export function assertVisitedOnce(session: Session, fileId: bigint, group: string, names: ReadonlySet<string>): void {
  if (session.writable === true || group === '/' || names.size === 0) return
  let paths = visited.get(session)
  if (paths === undefined) {
    paths = new Set(session.module.get_names(fileId, '/', true).map((p) => `/${p}`))
    visited.set(session, paths)
  }
  const first = names.values().next().value as string
  if (!paths.has(`${group}/${first}`)) {
    throw new FormatError('KM_FORMAT_HDF5_LINK', `${session.source}: '${group}' is a second hard link to a group that is already in the file (a link cycle or alias).`, {
      hint: 'Keras never links one group twice; the file was altered or made to make readers loop. Save the model again.',
    })
  }
}

/** KM_FORMAT_HDF5_LINK: a soft link that dangles or loops. */
export function linkError(source: string, what: string): FormatError {
  return new FormatError('KM_FORMAT_HDF5_LINK', `${source}: ${what}.`, {
    hint: 'The file has a broken soft link; it may be damaged or altered. Save the model again.',
  })
}

const join = (parts: readonly string[]): string => `/${parts.join('/')}`
const split = (path: string): string[] => path.split('/').filter((p) => p !== '' && p !== '.')

function cacheOf(session: Session): {names: Map<string, Set<string>>; links: Map<string, LinkInfo>} | undefined {
  if (session.writable === true) return undefined // groups appear while a new file is written
  let cache = caches.get(session)
  if (cache === undefined) caches.set(session, (cache = {names: new Map(), links: new Map()}))
  return cache
}

/** The link names directly under the group at canonical path `group` (no link is followed). */
export function linkNames(session: Session, fileId: bigint, group: string): Set<string> {
  const cache = cacheOf(session)
  let names = cache?.names.get(group)
  if (names === undefined) {
    names = new Set(new session.h5.Group(fileId, group).keys())
    cache?.names.set(group, names)
  }
  return names
}

/** The link `name` under the group at canonical path `parent`, read without following it. */
function linkAt(session: Session, fileId: bigint, parent: readonly string[], name: string): LinkInfo {
  const full = join([...parent, name])
  const cache = cacheOf(session)
  const known = cache?.links.get(full)
  if (known !== undefined) return known
  let info: LinkInfo
  if (!linkNames(session, fileId, join(parent)).has(name)) info = {kind: 'missing'}
  else {
    const group = new session.h5.Group(fileId, join(parent))
    const external = group.get_external_link(full) as {filename?: string; obj_path?: string}
    const soft = external.filename === undefined ? (group.get_link(full) as string | null) : null
    if (external.filename !== undefined) info = {kind: 'external', file: external.filename, object: external.obj_path ?? ''}
    else if (typeof soft === 'string') info = {kind: 'soft', target: soft}
    else info = {kind: 'hard', type: group.get_type(full)} // a hard link: following it stays in the file
  }
  cache?.links.set(full, info)
  return info
}

/**
 * The object at `path` (absolute, or relative to the canonical group path `from`), reached through hard links
 * only; null when there is none. FormatError KM_FORMAT_HDF5_EXTERNAL for an external link on the way,
 * KM_FORMAT_HDF5_LINK for a soft link that dangles or loops.
 */
export function resolvePath(session: Session, fileId: bigint, from: string, path: string): Resolved | null {
  const module = session.module
  const pending = path.startsWith('/') ? split(path) : [...split(from), ...split(path)]
  const current: string[] = []
  let type = module.H5G_GROUP
  let hops = 0
  const via: Array<{link: string; target: string; rest: number}> = [] // soft links being followed, innermost last
  while (pending.length > 0) {
    while (via.length > 0 && pending.length <= (via.at(-1)?.rest ?? 0)) via.pop() // that link's target is resolved
    const name = pending.shift() ?? ''
    const here = join([...current, name])
    const link = type === module.H5G_GROUP ? linkAt(session, fileId, current, name) : {kind: 'missing' as const}
    if (link.kind === 'missing') {
      const soft = via.at(-1)
      if (soft !== undefined) throw linkError(session.source, `'${soft.link}' is a soft link to '${soft.target}', which does not exist`)
      return null
    }
    if (link.kind === 'external') throw outsideError(session.source, `'${here}' is an external link to '${link.file}:${link.object}', outside the file`)
    if (link.kind === 'soft') {
      if (++hops > MAX_SOFT_HOPS) throw linkError(session.source, `'${here}' is a soft link in a loop (more than ${MAX_SOFT_HOPS} soft links followed)`)
      via.push({link: here, target: link.target, rest: pending.length})
      if (link.target.startsWith('/')) current.length = 0
      pending.unshift(...split(link.target))
      type = module.H5G_GROUP
      continue
    }
    current.push(name)
    type = link.type
  }
  return {path: join(current), type}
}
