// Do-not-translate classes (e-mail, URL, phone, UN document symbol) found by
// regular expression. Matches never cut into an inline tag or a character
// reference, and never overlap one another.
import {PasserelleError} from '../errors.ts'
import {backtrackingProblem} from './backtracking.ts'
import type {DntPattern} from './types.ts'

export interface CompiledPattern {
  id: string
  regex: RegExp
}

export interface PatternSpan {
  id: string
  start: number
  end: number
}

const allowedFlags = /^[ims]*$/

/** Why a pattern cannot be used, or undefined when it is fine. */
export function patternProblem(pattern: DntPattern): string | undefined {
  const flags = pattern.flags ?? ''
  if (!allowedFlags.test(flags) || new Set(flags).size !== flags.length) {
    return `flags "${flags}" are not allowed: use any of i, m, s (g and u are always on)`
  }
  let regex: RegExp
  try {
    regex = new RegExp(pattern.pattern, `gu${flags}`)
  } catch (error) {
    return `pattern is not a valid regular expression (${(error as Error).message})`
  }
  // A pattern that matches nothing at all would flag every position.
  if (regex.test('')) return 'pattern matches the empty string'
  return backtrackingProblem(pattern.pattern, `u${flags}`)
}

export function compilePatterns(patterns: readonly DntPattern[]): CompiledPattern[] {
  return patterns.map((pattern) => {
    const problem = patternProblem(pattern)
    if (problem) {
      throw new PasserelleError('E_GLOSSARY', `do-not-translate pattern "${pattern.id}": ${problem}`, {
        hint: 'fix the pattern in the glossary'
      })
    }
    return {id: pattern.id, regex: new RegExp(pattern.pattern, `gu${pattern.flags ?? ''}`)}
  })
}

const markup = /<\/?\d+\/?>|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);/g

/** Non-overlapping pattern matches, by position; on overlap the earlier, then longer, match wins. */
export function findPatternSpans(text: string, patterns: readonly CompiledPattern[]): PatternSpan[] {
  if (patterns.length === 0) return []
  const tags: Array<[number, number]> = []
  const entities: Array<[number, number]> = []
  for (const match of text.matchAll(markup)) {
    const span: [number, number] = [match.index, match.index + match[0].length]
    if (match[0].startsWith('<')) tags.push(span)
    else entities.push(span)
  }
  const candidates: PatternSpan[] = []
  for (const pattern of patterns) {
    pattern.regex.lastIndex = 0
    for (const match of text.matchAll(pattern.regex)) {
      const start = match.index
      const end = start + match[0].length
      if (end === start) continue
      if (tags.some(([s, e]) => s < end && e > start)) continue
      // An entity may sit wholly inside a match (`?a=1&amp;b=2`), never across its edge.
      if (entities.some(([s, e]) => (s < start && e > start) || (s < end && e > end))) continue
      candidates.push({id: pattern.id, start, end})
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end)
  const spans: PatternSpan[] = []
  let cursor = 0
  for (const candidate of candidates) {
    if (candidate.start < cursor) continue
    spans.push(candidate)
    cursor = candidate.end
  }
  return spans
}
