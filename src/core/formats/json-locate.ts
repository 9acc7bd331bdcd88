/**
 * Where a JSON text first goes wrong. JSON.parse's messages differ between Node versions and often carry no
 * position, so this small scanner finds the offset itself (it only runs after JSON.parse has failed).
 * The offset equals the text length when the text ends too early (a truncated file).
 */

const WS = new Set([' ', '\t', '\n', '\r'])
const LITERAL = /^(?:true|false|null|NaN|-?Infinity|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/

type Expect = 'value' | 'key' | 'colon' | 'comma-or-end'

/** Offset of the first syntax error in `text` (text.length when it is cut short). */
export function jsonErrorOffset(text: string): number {
  const stack: Array<'{' | '['> = []
  let expect: Expect = 'value'
  let i = 0
  let done = false
  const skip = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i++
  }
  const string = (): boolean => {
    let j = i + 1
    while (j < text.length && text[j] !== '"') {
      if (text.charCodeAt(j) < 0x20) return false
      j += text[j] === '\\' ? 2 : 1
    }
    if (j >= text.length) return false
    i = j + 1
    return true
  }
  for (skip(); i < text.length; skip()) {
    if (done) return i
    const ch = text[i] as string
    const top = stack.at(-1)
    if (expect === 'comma-or-end') {
      if (ch === ',' && top !== undefined) {
        expect = top === '{' ? 'key' : 'value'
        i++
      } else if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) {
        stack.pop()
        i++
        if (stack.length === 0) done = true
      } else return i
    } else if (expect === 'colon') {
      if (ch !== ':') return i
      expect = 'value'
      i++
    } else if (expect === 'key') {
      if (ch === '}' && text.slice(0, i).trimEnd().endsWith('{')) {
        stack.pop()
        i++
        expect = 'comma-or-end'
        if (stack.length === 0) done = true
      } else if (ch !== '"' || !string()) return ch === '"' ? text.length : i
      else expect = 'colon'
    } else if (ch === '{' || ch === '[') {
      stack.push(ch)
      i++
      expect = ch === '{' ? 'key' : 'value'
    } else if (ch === ']' && top === '[' && text.slice(0, i).trimEnd().endsWith('[')) {
      stack.pop()
      i++
      expect = 'comma-or-end'
      if (stack.length === 0) done = true
    } else if (ch === '"') {
      if (!string()) return text.length
      expect = 'comma-or-end'
      if (stack.length === 0) done = true
    } else {
      const m = LITERAL.exec(text.slice(i, i + 400))
      if (m === null) return i
      i += m[0].length
      expect = 'comma-or-end'
      if (stack.length === 0) done = true
    }
  }
  return text.length
}
