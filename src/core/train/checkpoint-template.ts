/**
 * The `--checkpoint` path template, parsed once before training. Keras fills it with Python's `str.format`
 * (`filepath.format(epoch=epoch + 1, **logs)`); kmodel takes the subset that names a number:
 *
 *   `{{` and `}}`                    literal braces
 *   `{epoch}` `{val_loss}`           a value, as Python's str() shows it
 *   `{epoch:02d}` `{loss:.4f}` `{loss:.2e}` `{epoch:5}`   zero flag, width, precision, type d / f / e
 *
 * Anything else — a conversion (`{epoch!r}`), an index or attribute (`{a[0]}`, `{a.b}`), a positional `{}`,
 * an alignment or sign, an unclosed or stray brace — is a usage error (exit 2) before anything is read, as is
 * a width or precision above 64: a hostile width (`{epoch:0999999999d}`) would otherwise build a gigabyte
 * string. A filled-in file name is checked against the file system's 255-byte name limit, less the room the
 * atomic writer's temp name needs, before any file is created (so no temp file can be left behind).
 */
import {basename} from 'node:path'
import {InputError, UsageError} from '../errors.js'

/** Largest width or precision a field may ask for. */
export const MAX_FIELD_WIDTH = 64

/**
 * Longest file name (UTF-8 bytes) a checkpoint may have: NAME_MAX (255) less the atomic writers' temp name
 * around it (`.<name>.<pid>.<12 hex>.tmp`, up to 27 bytes) and a margin.
 */
export const MAX_NAME_BYTES = 223

/** A field's format spec: `[0][width][.precision][d|f|e]`. */
export interface FieldSpec {
  zero: boolean
  width: number
  precision: number | null
  kind: 'd' | 'f' | 'e' | null
}

/** A parsed template: literal text and fields, in order. */
export type TemplatePart = {text: string} | {field: string; spec: FieldSpec | null}

const HINT = "Use fields such as {epoch:02d} or {val_loss:.4f} (zero flag, width and precision up to 64, type d, f or e); write a literal brace as {{ or }}."

/** Shows at most 40 characters of a hostile piece of the template. */
const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s)

const usage = (message: string): UsageError => new UsageError('KM_USAGE_CHECKPOINT', message, {hint: HINT})

function parseSpec(raw: string, field: string): FieldSpec {
  const m = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(raw)
  if (m === null) throw usage(`--checkpoint field '${clip(field)}' has a format spec kmodel does not support.`)
  const [, zero, width = '', precision, kind = ''] = m
  for (const [what, digits] of [['width', width], ['precision', precision ?? '']] as const) {
    if (digits !== '' && (digits.length > 3 || Number(digits) > MAX_FIELD_WIDTH)) {
      throw usage(`--checkpoint field '${clip(field)}' asks for a ${what} of ${clip(digits)}; at most ${MAX_FIELD_WIDTH} is allowed.`)
    }
  }
  if (precision !== undefined && kind !== 'f' && kind !== 'e') throw usage(`--checkpoint field '${clip(field)}' gives a precision without type f or e.`)
  return {zero: zero === '0', width: width === '' ? 0 : Number(width), precision: precision === undefined ? null : Number(precision), kind: kind === '' ? null : (kind as FieldSpec['kind'])}
}

/** Parses a `--checkpoint` template (linear in its length); UsageError KM_USAGE_CHECKPOINT (exit 2). */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  let text = ''
  for (let i = 0; i < template.length; i++) {
    const c = template[i]
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c
      i++
    } else if (c === '}') {
      throw usage(`--checkpoint '${clip(template)}' has a single '}' at position ${i + 1}.`)
    } else if (c === '{') {
      const close = template.indexOf('}', i)
      if (close < 0) throw usage(`--checkpoint '${clip(template)}' has a '{' that is never closed.`)
      const body = template.slice(i + 1, close)
      const m = /^([A-Za-z_]\w*)(?::(.*))?$/s.exec(body)
      if (m === null) throw usage(`--checkpoint field '${clip(`{${body}}`)}' is not a value name with an optional format spec.`)
      if (text !== '') parts.push({text})
      text = ''
      parts.push({field: m[1] as string, spec: m[2] === undefined ? null : parseSpec(m[2], `{${body}}`)})
      i = close
    } else text += c
  }
  if (text !== '') parts.push({text})
  return parts
}

/** Formats one value per its spec (Python's `format(value, spec)` for the supported subset). */
function formatValue(value: number, spec: FieldSpec | null): string {
  if (spec === null) return String(value)
  const text = spec.kind === 'd' ? String(Math.trunc(value))
    : spec.kind === 'e' ? value.toExponential(spec.precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2')
    : spec.kind === 'f' ? value.toFixed(spec.precision ?? 6)
    : String(value)
  if (!spec.zero) return text.padStart(spec.width, ' ')
  return text.startsWith('-') ? `-${text.slice(1).padStart(spec.width - 1, '0')}` : text.padStart(spec.width, '0')
}

/** Fills a parsed template with `epoch` (1-based, as Keras fills it) and the epoch's logs. */
export function fillTemplate(parts: readonly TemplatePart[], epoch: number, logs: Readonly<Record<string, number>>): string {
  return parts.map((p) => ('text' in p ? p.text : formatValue(p.field === 'epoch' ? epoch : logs[p.field] ?? Number.NaN, p.spec))).join('')
}

/** Refuses a filled-in checkpoint path whose file name is too long to write (InputError, before any file exists). */
export function checkNameLength(path: string): void {
  const bytes = new TextEncoder().encode(basename(path)).length
  if (bytes > MAX_NAME_BYTES) {
    throw new InputError('KM_INPUT_CHECKPOINT', `The checkpoint file name '${clip(basename(path))}' is ${bytes} bytes long; at most ${MAX_NAME_BYTES} can be written.`, {
      hint: 'Give --checkpoint a shorter name, or smaller widths and precisions in its fields.',
    })
  }
}
