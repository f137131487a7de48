// Termbase → DeepL glossary entries (pure), and the sync that keeps one DeepL
// glossary per language pair, named `<prefix>-<from>-<to>-<hash>` so that an
// unchanged termbase is found again and never re-uploaded.
import {createHash} from 'node:crypto'
import {rankTargets} from '../../glossary/rank.ts'
import type {Concept, Term, Termbase} from '../../glossary/types.ts'
import type {Locale} from '../../types.ts'

export interface GlossaryEntry {
  source: string
  target: string
}

/** Terms of a concept for a locale, falling back from `en-GB` to `en`. */
function termsFor(concept: Concept, locale: Locale): Term[] {
  return concept.terms[locale] ?? concept.terms[locale.split('-', 1)[0] ?? locale] ?? []
}

// DeepL refuses C0/C1 controls and Unicode line separators in terms.
// eslint-disable-next-line no-control-regex
const invalidTermChars = /[\u0000-\u001F\u0080-\u009F\u2028\u2029]/

function usable(text: string): boolean {
  return text.trim() !== '' && !invalidTermChars.test(text)
}

/**
 * The target a source term maps to: the first term the matcher would expect
 * (`rankTargets`: preferred before admitted, then closest type, number,
 * gender), so that the glossary writes what QA checks for.
 */
function targetFor(source: Term, targets: readonly Term[]): string | undefined {
  return rankTargets(source, targets).expected.find(usable)?.trim()
}

/**
 * Glossary entries for a pair. Source side: the preferred and admitted terms
 * of every live concept (admitted variants occur in source texts too); target
 * side: the target term the matcher expects first (preferred before admitted,
 * same type — full form → full form, acronym → acronym — then same number and
 * gender). Do-not-translate
 * concepts map each source term to itself. Deprecated and forbidden terms
 * are never used. A source term claimed by two concepts keeps the first (by
 * concept id). A term with an apostrophe comes with both ' and ’, since the
 * text may use either. Sorted, so the same termbase always gives the same glossary.
 */
export function glossaryEntries(termbase: Termbase, from: Locale, to: Locale): GlossaryEntry[] {
  const concepts = [...termbase.concepts].filter((concept) => !concept.retired).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const entries = new Map<string, string>()
  for (const concept of concepts) {
    const targets = termsFor(concept, to)
    for (const source of termsFor(concept, from)) {
      if (source.status !== 'preferred' && source.status !== 'admitted') continue
      if (!usable(source.text)) continue
      const key = source.text.trim()
      if (entries.has(key)) continue
      const target = concept.dnt ? key : targetFor(source, targets)
      if (target === undefined) continue
      entries.set(key, target)
      // DeepL matches glossary terms literally: give it both apostrophes (l'OIT, l’OIT).
      for (const variant of [key.replace(/'/g, '’'), key.replace(/’/g, "'")]) {
        if (!entries.has(variant)) entries.set(variant, concept.dnt ? variant : target)
      }
    }
  }
  return [...entries]
    .map(([source, target]) => ({source, target}))
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
}

export function entriesToTsv(entries: readonly GlossaryEntry[]): string {
  return entries.map((entry) => `${entry.source}\t${entry.target}`).join('\n')
}

/** 12 hex digits of SHA-256 over the language pair and the entries. */
export function glossaryHash(entries: readonly GlossaryEntry[], sourceLang: string, targetLang: string): string {
  return createHash('sha256').update(`${sourceLang}\t${targetLang}\n${entriesToTsv(entries)}`).digest('hex').slice(0, 12)
}

export function glossaryName(prefix: string, from: Locale, to: Locale, hash: string): string {
  return `${prefix}-${from}-${to}-${hash}`
}

/** True for names this prefix and pair produced, whatever their hash. */
export function isOwnGlossaryName(name: string, prefix: string, from: Locale, to: Locale): boolean {
  const head = `${prefix}-${from}-${to}-`
  return name.startsWith(head) && /^[0-9a-f]{12}$/.test(name.slice(head.length))
}
