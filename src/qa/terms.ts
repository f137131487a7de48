// Built-in stand-ins for the glossary stage's matchers, used when the caller
// does not inject `targetHasTerm` / `findForbidden`: a case-insensitive,
// whole-word search of the term in the target's plain text, tolerant of a
// plural `s`/`es` and of apostrophe and space variants. The glossary stage's
// token-based matcher (elision, inflection, case rules) is the better one.
import type {Locale, TermHit} from '../types.ts'
import {plainText} from './text.ts'

function fold(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[’ʼ]/g, "'")
    .replace(/[\s\u00A0\u202F]+/g, ' ')
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Whether `term` occurs in `text` as whole words (`text` and `term` already folded). */
function containsTerm(text: string, term: string): boolean {
  if (!term.trim()) return false
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escape(term.trim())}(?:e?s)?(?![\\p{L}\\p{N}])`, 'u')
  return pattern.test(text)
}

export function defaultTargetHasTerm(target: string, hit: TermHit, _locale: Locale): boolean {
  const text = fold(plainText(target))
  return hit.expected.some((term) => containsTerm(text, fold(term)))
}

export function defaultFindForbidden(target: string, hit: TermHit, _locale: Locale): string[] {
  return findTerms(target, hit.forbidden, hit.expected)
}

/**
 * The `terms` that `target` uses. Occurrences of the `allowed` terms are
 * removed first, so that a forbidden short form inside an expected long form
 * (`Development Programme` in `United Nations Development Programme`) is not
 * reported.
 */
export function findTerms(target: string, terms: readonly string[], allowed: readonly string[] = []): string[] {
  let text = fold(plainText(target))
  for (const term of [...allowed].map(fold).sort((a, b) => b.length - a.length)) {
    if (term.trim()) text = text.split(term).join('\u2063')
  }
  return terms.filter((term) => containsTerm(text, fold(term)))
}
