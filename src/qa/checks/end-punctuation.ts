// end-punctuation (warning): the target ends with other punctuation than the
// source (`.` lost, `:` for `.`, `?` for `!`). Spaces before the mark,
// closing quotes and brackets are looked through, so the French no-break
// space of `Agir :` or `responsables. »` matches English `Act:` and
// `responsible."`; `...` equals `…`. Also, language-aware:
// - a space before the final `: ; ! ?` in a target whose language does not
//   use one (English `Act :`, a French habit an engine may keep);
// - a Spanish question or exclamation without its opening `¿` / `¡`.
import type {Finding} from '../../types.ts'
import {spaceChars, spacesBeforeHighPunctuation} from '../text.ts'
import type {Check} from '../types.ts'

const closers = `»”"'’)\\]}›`
const tail = new RegExp(`[${spaceChars}${closers}\\n]+$`)
const marks = new RegExp(`([${spaceChars}]*)([.!?:;,…]+)$`)

function ending(plain: string): {mark: string; spaced: boolean} {
  const match = marks.exec(plain.replace(tail, '').replace(/\.{3}$/, '…'))
  return {mark: match?.[2] ?? '', spaced: (match?.[1] ?? '') !== ''}
}

export const endPunctuation: Check = (_input, {source, target}) => {
  const findings: Finding[] = []
  const s = ending(source.plain)
  const t = ending(target.plain)
  if (s.mark !== t.mark) {
    const message =
      t.mark === ''
        ? `end punctuation '${s.mark}' missing in target`
        : s.mark === ''
          ? `target ends with '${t.mark}', source has no end punctuation`
          : `target ends with '${t.mark}' where source ends with '${s.mark}'`
    findings.push(warning(message))
  }
  if (t.spaced && /^[:;!?]/.test(t.mark) && !spacesBeforeHighPunctuation(target.language)) {
    findings.push(warning(`space before '${t.mark}' at the end of target: not used in ${target.locale}`))
  }
  if (target.language === 'es') {
    if (t.mark.includes('?') && !target.plain.includes('¿')) findings.push(warning(`Spanish question without opening '¿' in target`))
    if (t.mark.includes('!') && !target.plain.includes('¡')) findings.push(warning(`Spanish exclamation without opening '¡' in target`))
  }
  return findings
}

function warning(message: string): Finding {
  return {rule: 'end-punctuation', severity: 'warning', message}
}
