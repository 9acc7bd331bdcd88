/**
 * A fixed-width box table laid out the way Keras 3's summary comes out of the `rich` library
 * (`Table(width=line_length, show_lines=True)` with fixed-width columns, heavy-head box, padding 1):
 * when columns plus padding exceed the line, the excess is taken evenly from the columns, Python-rounded;
 * cells wrap at spaces, and a word longer than its cell ends in `…`. Written from observed output and
 * rich's documented behaviour, for plain text only (no styles, single-cell-width characters).
 */

/** Horizontal alignment of a column. */
export type Justify = 'left' | 'right' | 'center'

/** One column: header text, alignment and the width Keras asked for (before padding and reduction). */
export interface BoxColumn {
  header: string
  justify: Justify
  width: number
}

/** Python's `round()`: halves go to the even neighbour. */
function pyRound(x: number): number {
  const floor = Math.floor(x)
  const diff = x - floor
  if (diff > 0.5) return floor + 1
  if (diff < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}

/** Takes `total` away from `values` in proportion to `ratios`, no slot losing more than its maximum. */
function ratioReduce(total: number, ratios: number[], maximums: number[], values: number[]): number[] {
  const active = ratios.map((r, i) => ((maximums[i] ?? 0) > 0 ? r : 0))
  let totalRatio = active.reduce((a, b) => a + b, 0)
  if (totalRatio === 0) return [...values]
  let remaining = total
  return values.map((value, i) => {
    const ratio = active[i] ?? 0
    if (ratio === 0 || totalRatio <= 0) return value
    const distributed = Math.min(maximums[i] ?? 0, pyRound((ratio * remaining) / totalRatio))
    remaining -= distributed
    totalRatio -= ratio
    return value - distributed
  })
}

/** Widths of each column including its two padding spaces, not counting the borders. */
export function columnWidths(columns: readonly BoxColumn[], tableWidth: number): number[] {
  const wanted = columns.map((c) => c.width + 2)
  const available = tableWidth - (columns.length + 1)
  const sum = wanted.reduce((a, b) => a + b, 0)
  if (sum <= available) return wanted
  const reduced = ratioReduce(sum - available, wanted.map(() => 1), wanted, wanted)
  return reduced.map((w, i) => Math.max(0, Math.min(w, wanted[i] ?? w)))
}

const WORD = /\s*\S+\s*/y

/** Where to break a line so each piece fits `width` (words that fit nowhere are left whole, to be cut). */
function breakOffsets(text: string, width: number): number[] {
  const offsets: number[] = []
  let used = 0
  WORD.lastIndex = 0
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const start = match.index
    const word = match[0]
    const length = word.trimEnd().length
    if (width - used >= length) {
      used += word.length
    } else if (length > width) {
      if (start > 0) offsets.push(start)
      used = word.length
    } else if (used > 0 && start > 0) {
      offsets.push(start)
      used = word.length
    }
  }
  return offsets
}

/** Cuts a line longer than `width` to `width - 1` characters plus `…`. */
function ellipsis(line: string, width: number): string {
  return line.length > width ? line.slice(0, Math.max(0, width - 1)) + '…' : line
}

function justifyLine(piece: string, width: number, justify: Justify): string {
  // Whitespace past the width is dropped first (rich's rstrip_end).
  let line = piece
  if (line.length > width) {
    const trailing = line.length - line.trimEnd().length
    line = line.slice(0, line.length - Math.min(trailing, line.length - width))
  }
  if (justify === 'left') return ellipsis(line, width).padEnd(width)
  line = ellipsis(line.trimEnd(), width)
  if (justify === 'right') return line.padStart(width)
  const left = Math.floor((width - line.length) / 2)
  return (' '.repeat(Math.max(0, left)) + line).padEnd(width)
}

/** The lines of one cell's text wrapped to `width`, each exactly `width` characters long. */
export function wrapCell(text: string, width: number, justify: Justify): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    const cuts = [0, ...breakOffsets(paragraph, width), paragraph.length]
    for (let i = 0; i + 1 < cuts.length; i++) {
      lines.push(justifyLine(paragraph.slice(cuts[i], cuts[i + 1]), width, justify))
    }
  }
  return lines
}

interface BoxChars {
  left: string
  mid: string
  right: string
  fill: string
}

const TOP: BoxChars = {left: '┏', mid: '┳', right: '┓', fill: '━'}
const HEAD: BoxChars = {left: '┃', mid: '┃', right: '┃', fill: ' '}
const HEAD_RULE: BoxChars = {left: '┡', mid: '╇', right: '┩', fill: '━'}
const BODY: BoxChars = {left: '│', mid: '│', right: '│', fill: ' '}
const ROW_RULE: BoxChars = {left: '├', mid: '┼', right: '┤', fill: '─'}
const BOTTOM: BoxChars = {left: '└', mid: '┴', right: '┘', fill: '─'}

function rule(widths: readonly number[], chars: BoxChars): string {
  return chars.left + widths.map((w) => chars.fill.repeat(w)).join(chars.mid) + chars.right
}

function rowLines(cells: readonly string[], columns: readonly BoxColumn[], widths: readonly number[], chars: BoxChars): string[] {
  const wrapped = widths.map((w, i) => {
    const inner = Math.max(0, w - 2)
    return wrapCell(cells[i] ?? '', inner, columns[i]?.justify ?? 'left')
  })
  const height = Math.max(1, ...wrapped.map((lines) => lines.length))
  const lines: string[] = []
  for (let n = 0; n < height; n++) {
    const parts = wrapped.map((cell, i) => ` ${cell[n] ?? ' '.repeat(Math.max(0, (widths[i] ?? 2) - 2))} `)
    lines.push(chars.left + parts.join(chars.mid) + chars.right)
  }
  return lines
}

/** Renders a heavy-head box table with a rule between body rows, `tableWidth` characters wide. */
export function renderBoxTable(columns: readonly BoxColumn[], rows: readonly string[][], tableWidth: number): string[] {
  const widths = columnWidths(columns, tableWidth)
  const lines = [rule(widths, TOP), ...rowLines(columns.map((c) => c.header), columns, widths, HEAD), rule(widths, HEAD_RULE)]
  for (const [i, row] of rows.entries()) {
    if (i > 0) lines.push(rule(widths, ROW_RULE))
    lines.push(...rowLines(row, columns, widths, BODY))
  }
  lines.push(rule(widths, BOTTOM))
  return lines
}
