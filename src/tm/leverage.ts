// What a TM match becomes in a bundle: the target to propose, its state and
// origin. Exact and context matches of approved units may go in as
// `translated`; everything else is `fuzzy`, a suggestion for review. When the
// query and the unit differ in numbers only, the numbers can be repaired in
// the target (`2019` → `2020`) — the state stays `fuzzy`.
import type {Origin} from '../workflow/types.ts'
import {parseSegmentText, formatSegmentText} from './text.ts'
import {normaliseNumber, numberPattern, tokenize} from './tokens.ts'
import type {TmMatch} from './types.ts'

export interface LeverageOptions {
  /** State for exact and context matches from approved units (default `translated`). */
  approvedExact?: 'translated' | 'fuzzy'
  /** Put the query's numbers into the target when only numbers differ (default true). */
  repairNumbers?: boolean
}

export interface Leverage {
  target: string
  state: 'fuzzy' | 'translated'
  origin: Origin
  /** The target's numbers were replaced by the query's. */
  repaired: boolean
}

export function leverageMatch(match: TmMatch, query: {source: string}, options: LeverageOptions = {}): Leverage {
  const {unit} = match
  const clean = match.differences.tags === undefined && match.differences.numbers === undefined
  const state =
    (match.kind === 'exact' || match.kind === 'context') && clean && unit.state === 'approved' && (options.approvedExact ?? 'translated') === 'translated'
      ? 'translated'
      : 'fuzzy'
  const label = unit.article ?? unit.origin.detail
  const origin: Origin = {kind: 'tm', detail: label === undefined ? match.kind : `${match.kind}:${label}`, score: Math.min(100, match.score)}
  if (unit.origin.by !== undefined) origin.by = unit.origin.by
  let target = unit.target
  let repaired = false
  if ((options.repairNumbers ?? true) && match.differences.numbers && !match.differences.tags) {
    const fixed = repairNumbers(unit.source, unit.target, query.source)
    if (fixed !== undefined) {
      target = fixed
      repaired = true
    }
  }
  return {target, state, origin, repaired}
}

/**
 * Replace in `target` the numbers of `source` that `query` changed, position
 * by position. Only when both sides have as many numbers, and each changed
 * number occurs exactly once in the target as written in the source;
 * otherwise `undefined` (left to the reviewer).
 */
export function repairNumbers(source: string, target: string, query: string): string | undefined {
  const before = tokenize(source).numbers
  const after = tokenize(query).numbers
  if (before.length !== after.length || before.length === 0) return undefined
  const changes = new Map<string, string>()
  for (let i = 0; i < before.length; i++) {
    const from = before[i]!
    const to = after[i]!
    if (normaliseNumber(from) === normaliseNumber(to)) continue
    if (changes.has(from) && changes.get(from) !== to) return undefined
    changes.set(from, to)
  }
  if (changes.size === 0) return undefined
  const parts = parseSegmentText(target)
  const seen = new Map<string, number>()
  for (const part of parts) {
    if (part.type !== 'text') continue
    for (const [number] of part.value.matchAll(numberPattern)) seen.set(number, (seen.get(number) ?? 0) + 1)
  }
  for (const from of changes.keys()) if (seen.get(from) !== 1) return undefined
  const repaired = parts.map((part) =>
    part.type === 'text' ? {...part, value: part.value.replace(numberPattern, (number) => changes.get(number) ?? number)} : part
  )
  return formatSegmentText(repaired)
}
