// Sentence case after restoration. A segment is a sentence, heading, list
// item or table cell, so its first letter is a sentence start. Glossary terms
// are restored as the termbase writes them (`labour migration`), which loses
// the capital the French had at that place. Terms that must keep their case
// (acronyms, proper names, `iPhone`, do-not-translate items) are left alone.
import type {TermHit} from '../types.ts'

// Tags, spaces and opening punctuation before the first word.
const lead = /^(?:<\/?\d+\/?>|[\s"'“‘«¿¡(\[—–-])*/u

function firstLetter(text: string): {index: number; letter: string} | undefined {
  const index = text.match(lead)![0].length
  const letter = text[index]
  return letter !== undefined && /\p{L}/u.test(letter) ? {index, letter} : undefined
}

const isUpper = (letter: string) => letter !== letter.toLowerCase() && letter === letter.toUpperCase()
const isLower = (letter: string) => letter !== letter.toUpperCase() && letter === letter.toLowerCase()

/**
 * Capitalise the target's first letter when the source's first letter is a
 * capital and the target's is not, unless the target starts with a term
 * whose case is fixed: a do-not-translate item, a case-sensitive target term,
 * or a word with capitals inside (`eLearning`).
 */
export function sentenceCase(source: string, target: string, hits: readonly TermHit[]): string {
  const from = firstLetter(source)
  const to = firstLetter(target)
  if (!from || !to || !isUpper(from.letter) || !isLower(to.letter)) return target
  const rest = target.slice(to.index)
  const word = rest.match(/^[\p{L}\p{N}’'-]+/u)?.[0] ?? ''
  if (/\p{Lu}/u.test(word)) return target
  for (const hit of hits) {
    if (hit.dnt && rest.startsWith(hit.text)) return target
    if (hit.targetCaseSensitive && hit.expected[0] !== undefined && rest.startsWith(hit.expected[0])) return target
  }
  return target.slice(0, to.index) + to.letter.toUpperCase() + target.slice(to.index + 1)
}

/**
 * Apertium's spa-eng capitalises `de` after a restored term it took for a
 * proper noun (`Zqxa de los migrantes` → `human rights Of the migrants`).
 * English never capitalises `of` inside a sentence, not even in title case.
 */
export function lowerMidSentenceOf(target: string, locale: string): string {
  if (locale.split('-', 1)[0] !== 'en') return target
  return target.replace(/(?<=[\p{L}\p{N}”’)\]] )Of(?= \p{L})/gu, 'of')
}
