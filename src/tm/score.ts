// Fuzzy-match scoring: a weighted Levenshtein distance over tokens (words 1,
// numbers 1, punctuation 0.5; a token that differs only by case or apostrophe
// form costs a tenth of its weight), turned into a similarity
// 1 − distance / max(weight of either side). Tags and number values do not
// enter the distance; their differences are reported and cost a few points
// afterwards, as memoQ and Trados do. The score is floored, so 74.9 % is 74.
import {foldToken, kindOf, normaliseNumber, tokenWeight, tokenize, type TagMark, type Tokenized} from './tokens.ts'
import type {NumberDifferences, TagDifferences, TmDifferences, TmPenalties} from './types.ts'

export const defaultPenalties: Readonly<TmPenalties> = {tag: 1, number: 1, cap: 3}

/** Cost factor of a substitution by the same token in another case (`Migration` / `migration`). */
export const caseCost = 0.1

/** Tokens as parallel arrays of interned ids: `fold` equal means same token up to case. */
export interface TokenIds {
  fold: ArrayLike<number>
  exact: ArrayLike<number>
  weight: ArrayLike<number>
  total: number
}

let rowA = new Float64Array(64)
let rowB = new Float64Array(64)

/**
 * Weighted token edit distance (insert/delete: the token's weight; substitute:
 * the larger weight). Gives up with `Infinity` as soon as the distance must
 * exceed `maxDistance` (every path crosses every row, so a row minimum above it is final).
 */
export function tokenDistance(a: TokenIds, b: TokenIds, maxDistance = Number.POSITIVE_INFINITY): number {
  const n = b.fold.length
  if (rowA.length < n + 1) {
    rowA = new Float64Array(2 * (n + 1))
    rowB = new Float64Array(2 * (n + 1))
  }
  let previous = rowA
  let current = rowB
  previous[0] = 0
  for (let j = 1; j <= n; j++) previous[j] = previous[j - 1]! + b.weight[j - 1]!
  for (let i = 1; i <= a.fold.length; i++) {
    const wa = a.weight[i - 1]!
    const fa = a.fold[i - 1]!
    const ea = a.exact[i - 1]!
    current[0] = previous[0]! + wa
    let rowMinimum = current[0]!
    for (let j = 1; j <= n; j++) {
      const wb = b.weight[j - 1]!
      let substitute: number
      if (b.fold[j - 1] === fa) substitute = b.exact[j - 1] === ea ? 0 : caseCost * wa
      else substitute = wa > wb ? wa : wb
      const viaSubstitute = previous[j - 1]! + substitute
      const viaDelete = previous[j]! + wa
      const viaInsert = current[j - 1]! + wb
      const cell = viaSubstitute < viaDelete ? (viaSubstitute < viaInsert ? viaSubstitute : viaInsert) : viaDelete < viaInsert ? viaDelete : viaInsert
      current[j] = cell
      if (cell < rowMinimum) rowMinimum = cell
    }
    if (rowMinimum > maxDistance) return Number.POSITIVE_INFINITY
    const swap = previous
    previous = current
    current = swap
  }
  return previous[n]!
}

export function similarity(a: TokenIds, b: TokenIds): number {
  const longest = Math.max(a.total, b.total)
  if (longest === 0) return 1
  return Math.max(0, 1 - tokenDistance(a, b) / longest)
}

export function compareTags(query: readonly TagMark[], candidate: readonly TagMark[], sameTokens: boolean): TagDifferences | undefined {
  const missing = multisetMinus(query.map((mark) => mark.tag), candidate.map((mark) => mark.tag), (tag) => tag)
  const extra = multisetMinus(candidate.map((mark) => mark.tag), query.map((mark) => mark.tag), (tag) => tag)
  let moved = false
  if (missing.length === 0 && extra.length === 0) {
    moved = query.some((mark, index) => {
      const other = candidate[index]!
      return other.tag !== mark.tag || (sameTokens && other.at !== mark.at)
    })
  }
  if (missing.length === 0 && extra.length === 0 && !moved) return undefined
  return {missing, extra, moved}
}

export function compareNumbers(query: readonly string[], candidate: readonly string[]): NumberDifferences | undefined {
  const missing = multisetMinus(query, candidate, normaliseNumber)
  const extra = multisetMinus(candidate, query, normaliseNumber)
  return missing.length === 0 && extra.length === 0 ? undefined : {missing, extra}
}

export function differencesOf(query: Tokenized, candidate: Tokenized, sameTokens: boolean): TmDifferences {
  const differences: TmDifferences = {}
  const tags = compareTags(query.tags, candidate.tags, sameTokens)
  if (tags) differences.tags = tags
  const numbers = compareNumbers(query.numbers, candidate.numbers)
  if (numbers) differences.numbers = numbers
  return differences
}

/** Points off for tag and number differences. */
export function penaltyOf(differences: TmDifferences, penalties: TmPenalties): number {
  let total = 0
  const {tags, numbers} = differences
  if (tags) {
    const ids = new Set([...tags.missing, ...tags.extra].map((tag) => tag.replace(/\D/g, '')))
    total += Math.min(penalties.cap, (ids.size + (tags.moved ? 1 : 0)) * penalties.tag)
  }
  if (numbers) total += Math.min(penalties.cap, Math.max(numbers.missing.length, numbers.extra.length) * penalties.number)
  return total
}

/**
 * Final score of a non-identical source: the similarity in whole percent,
 * at most 99, less the tag and number penalties, at least 0.
 */
export function fuzzyScore(similarityValue: number, differences: TmDifferences, penalties: TmPenalties): number {
  const percent = Math.min(99, Math.floor(similarityValue * 100 + 1e-9))
  return Math.max(0, percent - penaltyOf(differences, penalties))
}

export interface TextScore {
  score: number
  similarity: number
  differences: TmDifferences
}

/** Score `candidate` against `query` (both segment texts): 100 when identical. */
export function scoreTexts(query: string, candidate: string, penalties: Partial<TmPenalties> = {}): TextScore {
  const a = tokenize(query)
  const b = tokenize(candidate)
  const table = new Map<string, number>()
  const ids = (tokens: Tokenized): TokenIds => toIds(tokens.tokens, (token) => intern(table, token))
  const left = ids(a)
  const right = ids(b)
  const distance = tokenDistance(left, right)
  const differences = differencesOf(a, b, distance === 0)
  if (query === candidate) return {score: 100, similarity: 1, differences}
  const value = similarity(left, right)
  return {score: fuzzyScore(value, differences, {...defaultPenalties, ...penalties}), similarity: value, differences}
}

/** Token ids and weights of a token list, interning through `id`. */
export function toIds(tokens: readonly string[], id: (token: string) => number): TokenIds & {fold: Int32Array; exact: Int32Array; weight: Float64Array} {
  const fold = new Int32Array(tokens.length)
  const exact = new Int32Array(tokens.length)
  const weight = new Float64Array(tokens.length)
  let total = 0
  tokens.forEach((token, index) => {
    fold[index] = id(foldToken(token))
    exact[index] = id(token)
    const w = tokenWeight[kindOf(token)]
    weight[index] = w
    total += w
  })
  return {fold, exact, weight, total}
}

function intern(table: Map<string, number>, token: string): number {
  let id = table.get(token)
  if (id === undefined) {
    id = table.size
    table.set(token, id)
  }
  return id
}

/** Items of `from` not matched in `minus` (multiset difference by key), in `from` order. */
function multisetMinus(from: readonly string[], minus: readonly string[], key: (item: string) => string): string[] {
  const counts = new Map<string, number>()
  for (const item of minus) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  const rest: string[] = []
  for (const item of from) {
    const count = counts.get(key(item)) ?? 0
    if (count > 0) counts.set(key(item), count - 1)
    else rest.push(item)
  }
  return rest
}
