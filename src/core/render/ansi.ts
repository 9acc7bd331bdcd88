/**
 * The three ANSI styles kmodel's table uses (bold, dim, yellow), as 16-colour escape codes. The text is what a
 * chalk instance of level 1 gives (test/unit/render/ansi.test.ts compares them), without loading chalk, whose
 * import cost about as much as drawing the whole ResNet-50 table (BENCHMARKS.md, "Architecture commands").
 */

/** Colours one string; the identity when colour is off. */
export type Paint = (text: string) => string

/** The styles of one output. */
export interface Painter {
  bold: Paint
  dim: Paint
  yellow: Paint
}

const plain: Paint = (text) => text

/**
 * A style with its opening and closing codes. An inner closing code of the same kind is followed by the
 * opening code again, so the rest of the text keeps the style; a line break is put outside the codes
 * (closed before, opened after, `\r\n` kept whole), so each line carries its own. Empty text stays empty.
 */
function style(open: string, close: string): Paint {
  return (text) => {
    if (text === '') return text
    let out = text.includes('\u001B') ? text.split(close).join(close + open) : text
    if (out.includes('\n')) out = out.replaceAll(/\r?\n/g, (lineBreak) => close + lineBreak + open)
    return open + out + close
  }
}

const COLOURED: Painter = {
  bold: style('\u001B[1m', '\u001B[22m'),
  dim: style('\u001B[2m', '\u001B[22m'),
  yellow: style('\u001B[33m', '\u001B[39m'),
}

const PLAIN: Painter = {bold: plain, dim: plain, yellow: plain}

/** The painter for an output: escape codes only when `color` is set. */
export function painter(color: boolean): Painter {
  return color ? COLOURED : PLAIN
}
