// quotes (warning): quotation marks lost, added or left unbalanced. Styles
// differ by language and are not compared (`« »` fr/es/ca, `“ ”` en, `"`):
// only how many quotations open and close. Straight `"` opens at the start or
// after a space or an opening bracket, and closes elsewhere. Single quotes
// are not counted: `’` is also the apostrophe. A quotation that spans several
// sentences opens in one segment and closes in another; counting opening and
// closing marks separately keeps such segments quiet.
import type {Check} from '../types.ts'

const opening = new Set(['«', '“', '„', '‹'])
const closing = new Set(['»', '”', '›'])

const anyMark = /[«“„‹»”›"]/

function quoteMarks(text: string): {open: number; close: number} {
  // Most segments quote nothing.
  if (!anyMark.test(text)) return {open: 0, close: 0}
  let open = 0
  let close = 0
  let previous = ''
  for (const char of text) {
    if (opening.has(char)) open++
    else if (closing.has(char)) close++
    else if (char === '"') {
      if (previous === '' || /[\s([{\u2063]/u.test(previous)) open++
      else close++
    }
    previous = char
  }
  return {open, close}
}

export const quotes: Check = (_input, {source, target}) => {
  const s = quoteMarks(source.masked)
  const t = quoteMarks(target.masked)
  if (s.open === t.open && s.close === t.close) return []
  const message =
    s.open === s.close && t.open === t.close
      ? `target has ${t.open} quotation(s) where source has ${s.open}`
      : `unbalanced quotation marks in target (${t.open} opening, ${t.close} closing; source ${s.open} and ${s.close})`
  return [{rule: 'quotes', severity: 'warning', message}]
}
