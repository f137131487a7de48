// Does a translation honour a source hit? The target is tokenised with the
// target language's rules (case, accents, elision, plural: `SDG`/`SDGs`,
// `Estado Miembro`/`Estados Miembros`), and each expected term must appear as
// a whole token sequence; all-capital terms must keep their case (`UN` is
// not the Spanish article `un`). Do-not-translate items must appear verbatim.
import type {Locale, TermHit} from '../types.ts'
import {termKeys} from './matcher.ts'
import {tokenize, type Token} from './tokenize.ts'

interface Span {
  start: number
  end: number
}

// One target is checked against each of its segment's hits, by the glossary records and again by
// three QA checks: its tokens are kept until another target (or locale) comes. Tokens are only read.
let lastTarget: {text: string; locale: Locale; tokens: readonly Token[]} | undefined

function targetTokens(target: string, locale: Locale): readonly Token[] {
  if (lastTarget?.text !== target || lastTarget.locale !== locale) lastTarget = {text: target, locale, tokens: tokenize(target, locale)}
  return lastTarget.tokens
}

/** True when the target contains one of the hit's expected terms (dnt: its exact source text). */
export function targetHasTerm(target: string, hit: TermHit, targetLocale: Locale): boolean {
  if (hit.dnt) return target.includes(hit.text)
  const tokens = targetTokens(target, targetLocale)
  return hit.expected.some((term) => occurrences(tokens, term, targetLocale).length > 0)
}

/**
 * The forbidden or deprecated terms of the hit that the target uses, as they
 * are written in the target. An occurrence inside an expected term does not count.
 */
export function findForbidden(target: string, hit: TermHit, targetLocale: Locale): string[] {
  if (hit.dnt || hit.forbidden.length === 0) return []
  const tokens = targetTokens(target, targetLocale)
  const allowed = hit.expected.flatMap((term) => occurrences(tokens, term, targetLocale))
  const used = new Set<string>()
  for (const term of hit.forbidden) {
    for (const span of occurrences(tokens, term, targetLocale)) {
      if (allowed.some((other) => other.start <= span.start && span.end <= other.end)) continue
      used.add(target.slice(span.start, span.end))
    }
  }
  return [...used]
}

/** Where `term` occurs in the tokenised target, as whole tokens and never cutting a hyphenated compound. */
function occurrences(tokens: readonly Token[], term: string, locale: Locale): Span[] {
  const path = pathFor(term, locale)
  if (!path) return []
  const spans: Span[] = []
  for (let first = 0; first + path.length <= tokens.length; first++) {
    if (tokens[first]!.gap === 'hyphen') continue
    let matched = true
    for (let offset = 0; offset < path.length && matched; offset++) {
      const token = tokens[first + offset]!
      const key = path[offset]!
      if (offset > 0 && token.gap === 'block') matched = false
      else matched = key === keyOf(token, offset, key)
    }
    const last = tokens[first + path.length - 1]!
    if (matched && tokens[first + path.length]?.gap !== 'hyphen') spans.push({start: tokens[first]!.start, end: last.end})
  }
  return spans
}

function keyOf(token: Token, offset: number, wanted: string): string {
  const gap = offset === 0 ? '' : token.gap === 'hard' ? '|' : ' '
  // The wanted key says whether this term compares case-sensitively.
  const cased = wanted.charAt(gap.length) === 'C'
  return gap + (cased ? `C${token.cased}` : `I${token.folded}`)
}

// Target terms are few (the termbase's), segments many: keep their keys.
const pathCache = new Map<string, string[] | undefined>()
const pathCacheLimit = 20_000

function pathFor(term: string, locale: Locale): string[] | undefined {
  const cacheKey = `${locale}\u0000${term}`
  if (pathCache.has(cacheKey)) return pathCache.get(cacheKey)
  if (pathCache.size >= pathCacheLimit) pathCache.clear()
  const path = termKeys({text: term, status: 'preferred'}, locale)?.path
  pathCache.set(cacheKey, path)
  return path
}
