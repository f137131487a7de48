// identical (warning): the target is the source again (case and spaces
// aside): an untranslated segment that slipped through, or an engine that
// gave up. Tolerant heuristics keep quiet when the source has nothing to
// translate:
// - no letters at all (numbers, symbols, do-not-translate items only);
// - only acronyms (`OIM`, `ONU-Habitat`, `2030 AGENDA`), glossary terms whose
//   approved translation is the same text, and names: two or more capitalised
//   words, with the particles names use (`Alexander De Croo`, `New York`,
//   `Organisation des Nations Unies`).
// A single capitalised word (`Partenariats`, `Structure`, `Genève`) is still
// reported: it is as often a heading as a name, and a warning costs one look.
import {maskItems} from '../dnt.ts'
import {normaliseSpaces} from '../text.ts'
import type {Check, QaContext, QaInput} from '../types.ts'

const particles = new Set(
  'de du des la le les l d et en y e i of the and for on van von der den di da do dos das del della al bin ibn'.split(' ')
)

export const identical: Check = (input, context) => {
  const fold = (text: string) => normaliseSpaces(text).trim().toLocaleLowerCase()
  const source = fold(context.source.plain)
  if (source === '' || source !== fold(context.target.plain)) return []
  if (nothingToTranslate(input, context)) return []
  return [{rule: 'identical', severity: 'warning', message: 'target is identical to source'}]
}

function nothingToTranslate(input: QaInput, context: QaContext): boolean {
  const keep = input.hits.filter((hit) => hit.dnt || hit.expected.includes(hit.text)).map((hit) => hit.text)
  const text = maskItems(context.source.plain, [...context.dnt.map((item) => item.text), ...keep])
  const words = text.match(/\p{L}[\p{L}\p{M}\p{N}'’-]*/gu) ?? []
  const content = words.filter((word) => !particles.has(word.toLocaleLowerCase().replace(/['’]$/, '')))
  if (content.length === 0) return true
  // Acronyms and coined names: a capital after the first letter, or a digit (`OIM`, `ONU-Habitat`, `G20`).
  const acronym = (word: string) => /.\p{Lu}|\p{N}/u.test(word)
  const capitalised = (word: string) => /^\p{Lu}/u.test(word)
  if (content.every(acronym)) return true
  return content.length >= 2 && content.every((word) => acronym(word) || capitalised(word))
}
