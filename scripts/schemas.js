#!/usr/bin/env node
/**
 * Generates schemas/<command>.json — JSON Schema draft 2020-12 of each command's `--json` output — from the
 * TypeScript types themselves, with the TypeScript compiler API (a devDependency; nothing new):
 *
 *   - the result type T of `export default class X extends KmodelCommand<T>` in src/commands/**.ts,
 *   - the success envelope (the return type of KmodelCommand.toSuccessJson) and the error envelope
 *     (`ErrorEnvelope`) of src/cli/base-command.ts.
 *
 * Each file says: stdout is either `{status, result: T, warnings}` or `{status, error, warnings}`. Objects are
 * closed (`additionalProperties: false`), so a renamed or added field changes the schema. JSDoc comments
 * become `description`s. Command `weights:export` is written to schemas/weights-export.json.
 *
 *   node scripts/schemas.js           write schemas/*.json
 *   node scripts/schemas.js --check   exit 1 when a checked-in schema differs from the types (CI, unit test)
 */
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const COMMANDS = join(ROOT, 'src', 'commands')
const OUT = join(ROOT, 'schemas')

/** Every .ts file under src/commands. */
function commandFiles(dir = COMMANDS) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? commandFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

/** `weights/export.ts` → `weights:export` (oclif's id). */
const commandId = (file) => relative(COMMANDS, file).replace(/\.ts$/, '').split(/[\\/]/).join(':')

/** Converts checker types to JSON Schema, collecting named types under $defs. */
class SchemaWriter {
  constructor(checker) {
    this.checker = checker
    this.defs = {}
  }

  /** The name a type is shared under in $defs, or undefined for anonymous and built-in types. */
  nameOf(type) {
    const alias = type.aliasSymbol?.getName()
    if (alias !== undefined && (type.aliasTypeArguments ?? []).length === 0) return alias
    const symbol = type.getSymbol()
    const name = symbol?.getName()
    if (name === undefined || name.startsWith('__') || this.checker.isArrayType(type) || this.checker.isTupleType(type)) return undefined
    return (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) !== 0 ? name : undefined
  }

  /** Schema of a type: a $ref for named object types and aliases, inline otherwise. */
  schema(type) {
    const name = this.nameOf(type)
    if (name === undefined || (type.flags & ts.TypeFlags.Union) !== 0 && type.aliasSymbol === undefined) return this.inline(type)
    if (!(name in this.defs)) {
      this.defs[name] = {} // placeholder: recursive types refer to themselves
      this.defs[name] = this.inline(type)
    }
    return {$ref: `#/$defs/${name}`}
  }

  inline(type) {
    const f = type.flags
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {}
    if (f & ts.TypeFlags.StringLiteral) return {const: type.value}
    if (f & ts.TypeFlags.NumberLiteral) return {const: type.value}
    if (f & ts.TypeFlags.BooleanLiteral) return {const: type.intrinsicName === 'true'}
    if (f & ts.TypeFlags.String) return {type: 'string'}
    if (f & ts.TypeFlags.Number) return {type: 'number'}
    if (f & ts.TypeFlags.Boolean) return {type: 'boolean'}
    if (f & ts.TypeFlags.Null) return {type: 'null'}
    if (f & ts.TypeFlags.Union) return this.union(type.types)
    if (this.checker.isTupleType(type)) {
      const items = this.checker.getTypeArguments(type).map((t) => this.schema(t))
      return {type: 'array', prefixItems: items, minItems: items.length, maxItems: items.length}
    }
    if (this.checker.isArrayType(type)) return {type: 'array', items: this.schema(this.checker.getTypeArguments(type)[0])}
    if (f & ts.TypeFlags.Object || f & ts.TypeFlags.Intersection) return this.object(type)
    throw new Error(`schemas.js: no JSON Schema for type '${this.checker.typeToString(type)}'`)
  }

  /** A union: literals become an enum, `T | null` a type list, anything else anyOf. */
  union(types) {
    const members = types.filter((t) => !(t.flags & ts.TypeFlags.Undefined))
    const bools = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral)
    const rest = members.filter((t) => !(t.flags & ts.TypeFlags.BooleanLiteral))
    const schemas = [...(bools.length === 2 ? [{type: 'boolean'}] : bools.map((t) => this.inline(t))), ...rest.map((t) => this.schema(t))]
    if (schemas.length === 1) return schemas[0]
    if (schemas.every((s) => 'const' in s)) return {enum: schemas.map((s) => s.const)}
    if (schemas.every((s) => Object.keys(s).length === 1 && typeof s.type === 'string')) return {type: schemas.map((s) => s.type)}
    return {anyOf: schemas}
  }

  object(type) {
    const properties = {}
    const required = []
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0]
      const propType = decl === undefined ? this.checker.getTypeOfSymbol(prop) : this.checker.getTypeOfSymbolAtLocation(prop, decl)
      const schema = this.schema(propType)
      const doc = ts.displayPartsToString(prop.getDocumentationComment(this.checker)).trim()
      properties[prop.getName()] = doc === '' || '$ref' in schema ? schema : {description: doc.replace(/\s+/g, ' '), ...schema}
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.getName())
    }
    const index = this.checker.getIndexInfosOfType(type).find((i) => i.keyType.flags & ts.TypeFlags.String)
    return {type: 'object', properties, required, additionalProperties: index === undefined ? false : this.schema(index.type)}
  }
}

/** The type argument T of `extends KmodelCommand<T>` on the file's default-exported class. */
function resultTypeOf(checker, source) {
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue
    for (const clause of statement.heritageClauses ?? []) {
      const arg = clause.types[0]?.typeArguments?.[0]
      if (arg !== undefined) return checker.getTypeFromTypeNode(arg)
    }
  }
  throw new Error(`schemas.js: ${relative(ROOT, source.fileName)} has no 'export default class … extends KmodelCommand<Result>'`)
}

/** The success and error envelope types of src/cli/base-command.ts. */
function envelopeTypes(checker, base) {
  const cls = base.statements.find((s) => ts.isClassDeclaration(s) && s.name?.text === 'KmodelCommand')
  const method = cls.members.find((m) => m.name?.getText(base) === 'toSuccessJson')
  const error = base.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'ErrorEnvelope')
  return {success: checker.getReturnTypeOfSignature(checker.getSignatureFromDeclaration(method)), error: checker.getTypeAtLocation(error.name)}
}

/** The schema document of one command. */
function commandSchema(checker, file, envelopes) {
  const id = commandId(file)
  const writer = new SchemaWriter(checker)
  const result = writer.schema(resultTypeOf(checker, checker.program.getSourceFile(file)))
  const success = writer.inline(envelopes.success)
  success.properties.result = result
  writer.defs.ErrorEnvelope = writer.inline(envelopes.error)
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://github.com/kmodel/kmodel/schemas/${id.replace(/:/g, '-')}.json`,
    title: `kmodel ${id.replace(/:/g, ' ')} --json`,
    description: 'Generated by scripts/schemas.js from the TypeScript result types; do not edit by hand.',
    oneOf: [success, {$ref: '#/$defs/ErrorEnvelope'}],
    $defs: Object.fromEntries(Object.entries(writer.defs).sort(([a], [b]) => a.localeCompare(b))),
  }
}

function main() {
  const check = process.argv.includes('--check')
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {noEmit: true}, {...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')) }})
  const files = commandFiles().sort()
  const program = ts.createProgram({rootNames: [...files, join(ROOT, 'src', 'cli', 'base-command.ts')], options: config.options})
  const checker = program.getTypeChecker()
  checker.program = program
  const envelopes = envelopeTypes(checker, program.getSourceFile(join(ROOT, 'src', 'cli', 'base-command.ts')))
  const stale = []
  if (!check) mkdirSync(OUT, {recursive: true})
  for (const file of files) {
    const path = join(OUT, `${commandId(file).replace(/:/g, '-')}.json`)
    const text = `${JSON.stringify(commandSchema(checker, file, envelopes), null, 2)}\n`
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(relative(ROOT, path))
    } else writeFileSync(path, text)
  }
  if (check && stale.length > 0) {
    process.stderr.write(`schemas out of date (run node scripts/schemas.js): ${stale.join(', ')}\n`)
    process.exitCode = 1
  } else process.stdout.write(`${check ? 'checked' : 'wrote'} ${files.length} schemas in ${relative(ROOT, OUT)}/\n`)
}

main()
