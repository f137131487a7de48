// Do-not-translate items: the glossary's `dnt` hits plus built-in classes
// (e-mail, URL, phone, UN document symbol) recognised in every source, so
// that a project without a termbase still has them checked, and so that the
// number check can leave their digits to the `dnt-altered` rule.
import type {TermHit} from '../types.ts'
import {decodeEntities, normaliseSpaces} from './text.ts'

/** A built-in class of do-not-translate strings. `regex` must have the `g` flag. */
export interface DntClass {
  id: string
  regex: RegExp
  /** Further filter on a match (e.g. a phone number has at least 8 digits). */
  accept?: (text: string) => boolean
  /** A string every match contains: texts without it are skipped (speed). */
  hint?: string
}

/** One distinct do-not-translate string of a source. */
export interface DntItem {
  /** The text, spaces normalised (a phone number may use no-break spaces on one side only). */
  text: string
  /** Concept id, or class id for built-in classes. */
  id: string
}

const trailing = /[.,;:!?)\]}»”'’]+$/

export const defaultDntClasses: readonly DntClass[] = [
  {id: 'url', regex: /\b(?:https?:\/\/|www\.)[^\s<>"«»“”]+/gu},
  {id: 'email', regex: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, hint: '@'},
  // International numbers (+41 22 717 9416, +41227179205) and French national ones (01 23 45 67 89).
  {
    id: 'phone',
    regex: /\+\(?\d[\d() .\u00A0\u202F-]{5,}\d|\b0[1-9](?:[ .\u00A0\u202F]?\d\d){4}\b/gu,
    accept: (text) => text.replace(/\D/g, '').length >= 8
  },
  // UN document symbols: A/RES/67/219, E/CN.6/2020/1, A/73/L.66.
  {id: 'un-symbol', regex: /\b[A-Z]{1,8}(?:\/[A-Z0-9][A-Za-z0-9.()-]*){2,}/gu, hint: '/'}
]

/** Built-in class matches in plain text, trailing punctuation trimmed. */
export function matchDntClasses(plain: string, classes: readonly DntClass[]): DntItem[] {
  const items: DntItem[] = []
  for (const dntClass of classes) {
    if (dntClass.hint !== undefined && !plain.includes(dntClass.hint)) continue
    for (const match of plain.matchAll(dntClass.regex)) {
      const text = normaliseSpaces(match[0].replace(trailing, '')).trim()
      if (text && (dntClass.accept?.(text) ?? true)) items.push({text, id: dntClass.id})
    }
  }
  return items
}

/** The distinct do-not-translate items of a source: `dnt` hits first, then built-in class matches they do not already cover. */
export function collectDntItems(plainSource: string, hits: readonly TermHit[], classes: readonly DntClass[]): DntItem[] {
  const fromGlossary = hits.filter((hit) => hit.dnt).map((hit) => ({text: normaliseSpaces(decodeEntities(hit.text)).trim(), id: hit.concept}))
  // The termbase's extent wins over a built-in class matching the same place
  // (`S/RES/2240 (2015)` against `S/RES/2240`): one item, checked once.
  const builtIn = matchDntClasses(plainSource, classes).filter(
    (item) => !fromGlossary.some((known) => known.text.includes(item.text) || item.text.includes(known.text))
  )
  const found = [...fromGlossary, ...builtIn]
  const seen = new Set<string>()
  const items: DntItem[] = []
  for (const item of found) {
    if (!item.text || seen.has(item.text)) continue
    seen.add(item.text)
    items.push(item)
  }
  return items
}

/** Occurrences of `needle` in `haystack` (both with normalised spaces), not overlapping. */
export function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0
  let count = 0
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++
  return count
}

/** Blank out the given strings (longest first) with a separator that no number or word can span. */
export function maskItems(text: string, items: readonly string[]): string {
  let out = text
  for (const item of [...items].sort((a, b) => b.length - a.length)) {
    if (item) out = out.split(item).join('\u2063')
  }
  return out
}
