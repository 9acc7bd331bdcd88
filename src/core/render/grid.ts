/**
 * The box grid of kmodel's own summary table, drawn directly: the same characters and layout as cli-table3
 * with the options table.ts uses (single-line box, padding 1, no cli-table3 colouring, a rule under the
 * header and, when `rules` is set, between body rows). cli-table3 measures every cell line with string-width
 * on each draw, which was most of the cost of `summary`'s default output (BENCHMARKS.md); here a line's
 * width is its length, which is exact only for single-width characters — `fitsGrid` says when that holds,
 * and table.ts keeps cli-table3 for any other text.
 */

/** Horizontal alignment of a column. */
export type GridAlign = 'left' | 'right' | 'center'

/** One cell: its plain lines (measured) and how to colour a line (applied after padding is decided). */
export interface GridCell {
  lines: readonly string[]
  paint?: (line: string) => string
}

/** How the grid is drawn. */
export interface GridOptions {
  /** Content width of each column (padding excluded); every line of every cell must fit. */
  widths: readonly number[]
  align: readonly GridAlign[]
  /** A rule between body rows too, not only under the header. */
  rules: boolean
}

/**
 * True when a width can be taken as a length: printable ASCII, line breaks and the `└` of nested rows only
 * (each one column wide for string-width, which cli-table3 uses; no escape codes, no wide or zero-width
 * characters).
 */
export function fitsGrid(text: string): boolean {
  return /^[\u0020-\u007E\n└]*$/.test(text)
}

function rule(widths: readonly number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right
}

/** Spaces before and after a line of `length` in a column of `width` (cli-table3's split for centring). */
function margins(length: number, width: number, align: GridAlign): [number, number] {
  const room = Math.max(0, width - length)
  if (align === 'right') return [room, 0]
  if (align === 'center') return [room - Math.ceil(room / 2), Math.ceil(room / 2)]
  return [0, room]
}

function rowLines(row: readonly GridCell[], opts: GridOptions, out: string[]): void {
  const height = Math.max(1, ...row.map((cell) => cell.lines.length))
  for (let i = 0; i < height; i++) {
    let text = '│'
    for (const [col, cell] of row.entries()) {
      const width = opts.widths[col] ?? 0
      const line = cell.lines[i]
      if (line === undefined) text += ' '.repeat(width + 2)
      else {
        // padding goes outside the colour codes, as cli-table3 pads the painted text
        const [before, after] = margins(line.length, width, opts.align[col] ?? 'left')
        const painted = cell.paint === undefined || line === '' ? line : cell.paint(line)
        text += ' '.repeat(before + 1) + painted + ' '.repeat(after + 1)
      }
      text += '│'
    }
    out.push(text)
  }
}

/** The grid's lines joined by `\n`, no final newline: top rule, header, rule, body rows, bottom rule. */
export function drawGrid(head: readonly GridCell[], body: readonly GridCell[][], opts: GridOptions): string {
  const out = [rule(opts.widths, '┌', '┬', '┐')]
  rowLines(head, opts, out)
  for (const [index, row] of body.entries()) {
    if (index === 0 || opts.rules) out.push(rule(opts.widths, '├', '┼', '┤'))
    rowLines(row, opts, out)
  }
  out.push(rule(opts.widths, '└', '┴', '┘'))
  return out.join('\n')
}
