// Article agreement for restored glossary terms. The engine saw a placeholder
// word with no gender, so Apertium writes the masculine default (`del Zqxa`)
// whatever the term restored there (`la OIM` is feminine). Only the
// determiner directly before the term is rewritten, and only from what the
// termbase records for that term: an unknown gender or number is left as
// the engine wrote it.
import type {Locale} from '../types.ts'

export interface AgreementTerm {
  term: string
  gender?: 'masculine' | 'feminine' | 'neuter'
  number?: 'singular' | 'plural'
}

type Kind = 'definite' | 'indefinite' | 'de' | 'a'
type Gender = 'masculine' | 'feminine'
type GrammaticalNumber = 'singular' | 'plural'

/** Spanish determiners by kind, `[masculine, feminine]` × `[singular, plural]`. */
const spanish: Record<Kind, Record<Gender, Record<GrammaticalNumber, string>>> = {
  definite: {masculine: {singular: 'el', plural: 'los'}, feminine: {singular: 'la', plural: 'las'}},
  indefinite: {masculine: {singular: 'un', plural: 'unos'}, feminine: {singular: 'una', plural: 'unas'}},
  de: {masculine: {singular: 'del', plural: 'de los'}, feminine: {singular: 'de la', plural: 'de las'}},
  a: {masculine: {singular: 'al', plural: 'a los'}, feminine: {singular: 'a la', plural: 'a las'}}
}

const parsed = new Map<string, {kind: Kind; gender: Gender; number: GrammaticalNumber}>()
for (const [kind, genders] of Object.entries(spanish) as Array<[Kind, (typeof spanish)[Kind]]>) {
  for (const [gender, numbers] of Object.entries(genders) as Array<[Gender, Record<GrammaticalNumber, string>]>) {
    for (const [number, form] of Object.entries(numbers) as Array<[GrammaticalNumber, string]>) {
      parsed.set(form, {kind, gender, number})
    }
  }
}

// Longest forms first so `de la` wins over `la`; the preposition may be
// separated by any whitespace, as the term may be.
const determiner = [...parsed.keys()]
  .sort((a, b) => b.length - a.length)
  .map((form) => form.replace(' ', '\\s+'))
  .join('|')

/**
 * Rewrite the determiner standing directly before each term (whitespace
 * only between) so it agrees with the term's gender and number. Spanish
 * only: other locales are returned unchanged (Catalan also elides, `l'OIM`,
 * which a one-word swap cannot handle; English articles do not agree).
 */
export function agreeArticles(text: string, terms: readonly AgreementTerm[], locale: Locale): string {
  if (locale.split('-', 1)[0]?.toLowerCase() !== 'es') return text
  let out = text
  for (const {term, gender, number} of terms) {
    // Neuter has no article of its own before Spanish nouns: treat as unknown.
    const targetGender = gender === 'masculine' || gender === 'feminine' ? gender : undefined
    if (term === '' || (targetGender === undefined && number === undefined)) continue
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${determiner})(\\s+)${escape(term)}(?![\\p{L}\\p{N}])`, 'giu')
    out = out.replace(pattern, (whole, found: string, space: string) => {
      // The `i` flag is for the determiner's case; the term itself must match exactly.
      if (whole.slice(found.length + space.length) !== term) return whole
      const current = parsed.get(found.toLowerCase().replace(/\s+/g, ' '))
      if (!current) return whole
      const wanted = spanish[current.kind][targetGender ?? current.gender][number ?? current.number]
      if (wanted === found.toLowerCase().replace(/\s+/g, ' ')) return whole
      return matchCase(found, wanted) + space + term
    })
  }
  return out
}

/** `El` → `La`, `DEL` → `DE LA`, `del` → `de la`. */
function matchCase(original: string, replacement: string): string {
  const letters = original.replace(/\s+/g, '')
  if (letters.length > 1 && letters === letters.toUpperCase()) return replacement.toUpperCase()
  if (original[0] !== undefined && original[0] !== original[0].toLowerCase()) {
    return replacement.charAt(0).toUpperCase() + replacement.slice(1)
  }
  return replacement
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
