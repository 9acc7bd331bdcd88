/**
 * A small JSON Schema (draft 2020-12) validator for the keywords scripts/schemas.js writes — type, const, enum,
 * properties, required, additionalProperties, items, prefixItems, minItems, maxItems, anyOf, oneOf and local
 * `$ref`s into `$defs` — so the schema tests need no new dependency. A keyword it does not know is an error
 * (never silently ignored), so a generator change cannot make the check vacuous.
 */

/** A schema node (or `true` / `false`). */
export type Schema = boolean | {[keyword: string]: unknown}

/** One violation: where in the instance, and what. */
export interface SchemaError {
  path: string
  message: string
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', '$comment'])
const KNOWN = new Set([...ANNOTATIONS, 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'minItems', 'maxItems', 'anyOf', 'oneOf', '$ref'])

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value)
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value)
  return typeOf(value) === type
}

/** Deep equality of JSON values (for const and enum). */
function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Validates `value` against `root` (whose `$defs` resolve `$ref`s); returns every violation found. */
export function validate(root: Schema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = []
  check(root, value, '$', root, errors)
  return errors
}

function resolveRef(root: Schema, ref: string): Schema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref)
  const target = match !== null && isRecord(root) && isRecord(root.$defs) ? root.$defs[match[1] ?? ''] : undefined
  if (target === undefined || (typeof target !== 'boolean' && !isRecord(target))) throw new Error(`json-schema: cannot resolve $ref '${ref}'`)
  return target
}

function check(schema: Schema, value: unknown, path: string, root: Schema, errors: SchemaError[]): void {
  if (schema === true) return
  if (schema === false) return void errors.push({path, message: 'no value is allowed here'})
  for (const keyword of Object.keys(schema)) if (!KNOWN.has(keyword)) throw new Error(`json-schema: unsupported keyword '${keyword}' at ${path}`)
  if (typeof schema.$ref === 'string') check(resolveRef(root, schema.$ref), value, path, root, errors)
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    if (!types.some((t) => hasType(value, t))) errors.push({path, message: `is ${typeOf(value)}, expected ${types.join(' or ')}`})
  }
  if ('const' in schema && !jsonEqual(schema.const, value)) errors.push({path, message: `is ${JSON.stringify(value)}, expected ${JSON.stringify(schema.const)}`})
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => jsonEqual(e, value))) errors.push({path, message: `is ${JSON.stringify(value)}, expected one of ${JSON.stringify(schema.enum)}`})
  if (isRecord(value)) checkObject(schema, value, path, root, errors)
  if (Array.isArray(value)) checkArray(schema, value, path, root, errors)
  if (Array.isArray(schema.anyOf)) {
    const passing = (schema.anyOf as Schema[]).filter((s) => validateAt(s, value, path, root).length === 0)
    if (passing.length === 0) errors.push({path, message: `matches none of anyOf: ${firstErrors(schema.anyOf as Schema[], value, path, root)}`})
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validateAt(s, value, path, root).length === 0)
    if (passing.length !== 1) errors.push({path, message: passing.length === 0 ? `matches none of oneOf: ${firstErrors(schema.oneOf as Schema[], value, path, root)}` : `matches ${passing.length} of oneOf`})
  }
}

function validateAt(schema: Schema, value: unknown, path: string, root: Schema): SchemaError[] {
  const errors: SchemaError[] = []
  check(schema, value, path, root, errors)
  return errors
}

/** The first violation of each alternative, so a failed anyOf/oneOf says why. */
function firstErrors(alternatives: Schema[], value: unknown, path: string, root: Schema): string {
  return alternatives.map((s, i) => {
    const e = validateAt(s, value, path, root)[0]
    return `[${i}] ${e === undefined ? 'ok' : `${e.path} ${e.message}`}`
  }).join('; ')
}

function checkObject(schema: Record<string, unknown>, value: Record<string, unknown>, path: string, root: Schema, errors: SchemaError[]): void {
  const properties = isRecord(schema.properties) ? schema.properties : {}
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (!(name in value)) errors.push({path, message: `lacks required property '${name}'`})
  }
  for (const [name, item] of Object.entries(value)) {
    const sub = properties[name]
    if (sub !== undefined) check(sub as Schema, item, `${path}.${name}`, root, errors)
    else if (schema.additionalProperties === false) errors.push({path, message: `has property '${name}', which the schema does not allow`})
    else if (schema.additionalProperties !== undefined) check(schema.additionalProperties as Schema, item, `${path}.${name}`, root, errors)
  }
}

function checkArray(schema: Record<string, unknown>, value: unknown[], path: string, root: Schema, errors: SchemaError[]): void {
  const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as Schema[]) : []
  value.forEach((item, i) => {
    const sub = i < prefix.length ? prefix[i] : (schema.items as Schema | undefined)
    if (sub !== undefined) check(sub, item, `${path}[${i}]`, root, errors)
  })
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push({path, message: `has ${value.length} items, fewer than ${schema.minItems}`})
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push({path, message: `has ${value.length} items, more than ${schema.maxItems}`})
}
