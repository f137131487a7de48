// One rule for "this source term already belongs to another concept": the
// matcher picks one concept per span, so two live concepts that share a
// source term make the choice arbitrary (csv2tbx's copy of `iom` took
// "l'OIM" from it). Glossary import, the review app's concept editor and
// `passerelle glossary check` all ask `sourceTermOwners`.
import type {Locale} from '../types.ts'
import {termKeys} from './matcher.ts'
import type {Concept} from './types.ts'

export interface SourceTermClash {
  /** The concept being added or checked. */
  concept: string
  /** Its source term. */
  term: string
  /** The concept that already has that term. */
  owner: string
  /** The owner's term, as written there. */
  ownerTerm: string
  locale: Locale
}

/**
 * Key under which two source terms are one term for the matcher: its tokens,
 * case and accents folded as the matcher folds them (so `OIM` and `Oim` clash
 * even though an acronym matches case-sensitively). Undefined for a term the
 * matcher cannot use.
 */
export function sourceTermKey(text: string, locale: Locale): string | undefined {
  const cacheKey = `${locale}\u0000${text}`
  if (keyCache.has(cacheKey)) return keyCache.get(cacheKey)
  if (keyCache.size >= keyCacheLimit) keyCache.clear()
  const key = termKeys({text, status: 'preferred', caseSensitive: false}, locale)?.path.join('\u0000')
  keyCache.set(cacheKey, key)
  return key
}

// A merge compares every incoming term with every term of the termbase: tokenise each text once.
const keyCache = new Map<string, string | undefined>()
const keyCacheLimit = 50_000

/**
 * The source terms of `concept` that already belong to another live concept
 * of `concepts` (the one with the same id, and retired concepts, do not count;
 * a retired `concept` clashes with nothing, since it is never matched).
 */
export function sourceTermOwners(concept: Concept, concepts: readonly Concept[], sourceLocale: Locale): SourceTermClash[] {
  if (concept.retired) return []
  const clashes: SourceTermClash[] = []
  for (const term of concept.terms[sourceLocale] ?? []) {
    const key = sourceTermKey(term.text, sourceLocale)
    if (key === undefined) continue
    for (const other of concepts) {
      if (other.id === concept.id || other.retired) continue
      const owned = (other.terms[sourceLocale] ?? []).find((candidate) => sourceTermKey(candidate.text, sourceLocale) === key)
      if (owned) clashes.push({concept: concept.id, term: term.text, owner: other.id, ownerTerm: owned.text, locale: sourceLocale})
    }
  }
  return clashes
}

/** Every shared source term in a termbase, each pair once (the later concept named as `concept`). */
export function duplicateSourceTerms(concepts: readonly Concept[], sourceLocale: Locale): SourceTermClash[] {
  return concepts.flatMap((concept, index) => sourceTermOwners(concept, concepts.slice(0, index), sourceLocale))
}
