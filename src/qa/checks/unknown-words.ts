// unknown-words (warning): words the engine reported it could not translate
// and that are still in the target, usually copied from the source. Not
// reported once a person has written or reviewed the target (state
// `translated` and above): the engine's list no longer describes it.
import {humanStates} from '../../types.ts'
import type {Finding} from '../../types.ts'
import type {Check} from '../types.ts'

export const unknownWords: Check = (input, {target}) => {
  if (humanStates.has(input.state)) return []
  const findings: Finding[] = []
  for (const word of new Set(input.unknown)) {
    if (!word.trim() || !containsWord(target.plain, word)) continue
    findings.push({rule: 'unknown-words', severity: 'warning', message: `engine did not know '${word}' (left as is in target)`})
  }
  return findings
}

const letterOrDigit = /^[\p{L}\p{N}]$/u

/**
 * Whether `word` stands in `text` with no letter or digit either side. A plain search: a Unicode
 * pattern per word (compiled for every segment, and slow to scan with its look-behind) cost more
 * than the rest of QA together.
 */
function containsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = at === 0 ? '' : String.fromCodePoint(text.codePointAt(at - (at >= 2 && /[\udc00-\udfff]/.test(text[at - 1]!) ? 2 : 1))!)
    const after = at + word.length >= text.length ? '' : String.fromCodePoint(text.codePointAt(at + word.length)!)
    if (!letterOrDigit.test(before) && !letterOrDigit.test(after)) return true
  }
  return false
}
