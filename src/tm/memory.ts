// The translation memory: units plus three indexes — by segment hash, by exact
// source text, and an inverted index from (case-folded) tokens to units, one
// per target language. Fuzzy candidates come from the index by prefix
// filtering: a unit scoring at least t must contain one of the rarest query
// tokens whose weights add up to more than the distance t allows, so only
// those tokens' posting lists bring candidates in. Each candidate gets an upper
// bound of its similarity (length, shared tokens, then token bags); candidates
// are scored best bound first, and scoring stops once no bound can reach the
// `limit`-th best score found. A `scan` option scores every unit instead: the
// tests check that both give the same matches.
import {stateRank} from '../types.ts'
import {defaultPenalties, differencesOf, fuzzyScore, tokenDistance, type TokenIds} from './score.ts'
import {foldToken, kindOf, normaliseNumber, tokenWeight, tokenize, type Tokenized} from './tokens.ts'
import type {LookupOptions, LookupStats, TmContext, TmMatch, TmMatchKind, TmPenalties, TmQuery, TmUnit} from './types.ts'

export const defaultThreshold = 75
export const defaultLimit = 5

interface Entry {
  unit: TmUnit
  ids: TokenIds
  /** Tags and numbers in compact form: equal signatures mean no tag or number differences. */
  tagSignature: string
  numberSignature: string
  sourceLanguage: string
  order: number
}

interface LanguageIndex {
  entries: number[]
  /** Fold token id → units containing it, in order (sparse array). */
  postings: (number[] | undefined)[]
}

interface Candidate {
  entry: Entry
  score: number
  kind: TmMatchKind
  history: boolean
  tokens?: Tokenized
  differences: TmMatch['differences']
}

interface FuzzyContext {
  /** Units already matched exactly. */
  exact: ReadonlySet<number>
  /** Source/target keys ranked above any ordinary fuzzy match (exact, context, history). */
  higher: Set<string>
  accepts: (entry: Entry) => boolean
  threshold: number
  limit: number
  penalties: TmPenalties
  scan: boolean
  stats: LookupStats
}

/** Units to score, best similarity bound first when `bounds` is given. */
interface Pool {
  orders: readonly number[]
  bounds?: Float64Array
}

/** Distinct known query tokens and their counts, for the token-bag bound. */
interface QueryBag {
  ids: Int32Array
  counts: Int32Array
  total: number
}

const epsilon = 1e-9

function keyOf(candidate: {entry: Entry}): string {
  return `${candidate.entry.unit.source}\u0000${candidate.entry.unit.target}`
}

/** Primary language subtag, lower case: `en-GB` → `en`. */
export function languageOf(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? ''
}

export class TranslationMemory {
  readonly #entries: Entry[] = []
  /** Token text (as written, and case-folded) → id; `#foldOf` / `#weightOf` cache per id. */
  readonly #vocabulary = new Map<string, number>()
  readonly #foldOf: number[] = []
  readonly #weightOf: number[] = []
  readonly #languages = new Map<string, LanguageIndex>()
  readonly #byHash = new Map<string, number[]>()
  readonly #bySource = new Map<string, number[]>()
  /** Units taken out (`remove`): left in the indexes, skipped by every lookup, so an update costs no rebuild. */
  readonly #removed = new Set<number>()
  /** Per unit: its token weight (for the length filter). */
  #totals = new Float64Array(1024)
  /** Scratch per unit for one lookup: `stamp` marks candidates, `shared` sums the query weight they contain. */
  #stamp = new Uint32Array(0)
  #shared = new Float64Array(0)
  #generation = 0
  /** Scratch per token id: query token counts for the token-bag bound. */
  #counts = new Int32Array(1024)

  constructor(units: Iterable<TmUnit> = []) {
    for (const unit of units) this.add(unit)
  }

  get size(): number {
    return this.#entries.length - this.#removed.size
  }

  /** Units removed but still held by the indexes (a caller may rebuild when this grows large). */
  get removedCount(): number {
    return this.#removed.size
  }

  /** The units, in the order they were added. */
  units(): TmUnit[] {
    return this.#entries.filter((entry) => !this.#removed.has(entry.order)).map((entry) => entry.unit)
  }

  /** Take units out by the handles `add` gave: lookups no longer see them. */
  remove(handles: Iterable<number>): void {
    for (const handle of handles) if (handle >= 0 && handle < this.#entries.length) this.#removed.add(handle)
  }

  /** Add a unit; returns its handle for `remove`. */
  add(unit: TmUnit): number {
    if (unit.source === '' || unit.target === '') throw new Error('a TM unit needs a source and a target')
    const order = this.#entries.length
    const tokens = tokenize(unit.source)
    const ids = this.#ids(tokens.tokens, true)
    this.#entries.push({
      unit,
      ids,
      tagSignature: tagSignature(tokens),
      numberSignature: numberSignature(tokens),
      sourceLanguage: languageOf(unit.sourceLocale),
      order
    })
    if (order >= this.#totals.length) {
      const grown = new Float64Array(this.#totals.length * 2)
      grown.set(this.#totals)
      this.#totals = grown
    }
    this.#totals[order] = ids.total
    push(this.#bySource, unit.source, order)
    if (unit.hash !== undefined) push(this.#byHash, unit.hash, order)
    const language = languageOf(unit.targetLocale)
    let index = this.#languages.get(language)
    if (!index) {
      index = {entries: [], postings: []}
      this.#languages.set(language, index)
    }
    index.entries.push(order)
    for (const id of ids.fold) {
      const list = index.postings[id]
      if (list === undefined) index.postings[id] = [order]
      else if (list[list.length - 1] !== order) list.push(order)
      // else: the token repeats in this unit, already posted
    }
    return order
  }

  addAll(units: Iterable<TmUnit>): void {
    for (const unit of units) this.add(unit)
  }

  /**
   * Matches for a source sentence, best first: context (101), exact (100),
   * the article's own retired sentences, then fuzzy matches by score. Pairs
   * with the same source and target are reported once (the best ranked).
   */
  lookup(query: TmQuery, options: LookupOptions = {}): TmMatch[] {
    const threshold = options.threshold ?? defaultThreshold
    const limit = options.limit ?? defaultLimit
    const penalties: TmPenalties = {...defaultPenalties, ...options.penalties}
    const index = this.#languages.get(languageOf(query.targetLocale))
    if (!index || limit <= 0) return []
    const sourceLanguage = query.sourceLocale === undefined ? undefined : languageOf(query.sourceLocale)
    const targetLanguage = languageOf(query.targetLocale)
    const accepts = (entry: Entry): boolean =>
      !this.#removed.has(entry.order) &&
      languageOf(entry.unit.targetLocale) === targetLanguage && (sourceLanguage === undefined || entry.sourceLanguage === sourceLanguage)

    const tokens = tokenize(query.source)
    const candidates: Candidate[] = []
    const exact = new Set<number>()

    for (const order of [...(query.hash === undefined ? [] : this.#byHash.get(query.hash) ?? []), ...(this.#bySource.get(query.source) ?? [])]) {
      const entry = this.#entries[order]!
      if (exact.has(order) || !accepts(entry)) continue
      exact.add(order)
      const other = tokenize(entry.unit.source)
      candidates.push({
        entry,
        score: 0,
        kind: sameContext(query.context, entry.unit.context) ? 'context' : 'exact',
        history: false,
        tokens: other,
        differences: entry.unit.source === query.source ? {} : differencesOf(tokens, other, false)
      })
    }
    for (const candidate of candidates) candidate.score = candidate.kind === 'context' ? 101 : 100

    if (threshold <= 100) {
      const higher = new Set(candidates.map(keyOf))
      const stats = options.stats ?? {candidates: 0, scored: 0}
      stats.candidates = 0
      stats.scored = 0
      candidates.push(...this.#fuzzyMatches(index, query, tokens, {exact, higher, accepts, threshold, limit, penalties, scan: options.scan === true, stats}))
    }

    candidates.sort((a, b) => compareCandidates(a, b, query))
    const seen = new Set<string>()
    const matches: TmMatch[] = []
    for (const candidate of candidates) {
      const key = keyOf(candidate)
      if (seen.has(key)) continue
      seen.add(key)
      matches.push({unit: candidate.entry.unit, score: candidate.score, kind: candidate.kind, differences: candidate.differences})
      if (matches.length >= limit) break
    }
    return matches
  }

  /**
   * Fuzzy candidates scored, the article's own retired sentences first. Then, in
   * the order of their best possible score, the others until that bound falls
   * below the `limit`-th best distinct score found (nothing below it can be
   * shown). `scan` scores every unit of the language instead (reference mode).
   */
  #fuzzyMatches(index: LanguageIndex, query: TmQuery, tokens: Tokenized, context: FuzzyContext): Candidate[] {
    const {exact, higher, accepts, threshold, limit, penalties, scan, stats} = context
    const queryIds = this.#ids(tokens.tokens, false)
    if (queryIds.total === 0) return []
    const queryTags = tagSignature(tokens)
    const queryNumbers = numberSignature(tokens)
    const pool: Pool = scan ? {orders: index.entries} : this.#fuzzyCandidates(index, queryIds, threshold)
    const bag = this.#queryBag(queryIds)
    stats.candidates = pool.orders.length
    const isHistory = (entry: Entry): boolean => query.article !== undefined && entry.unit.article === query.article && entry.unit.retired === true

    const evaluate = (entry: Entry, cutoff: number): Candidate | undefined => {
      stats.scored++
      const longest = Math.max(queryIds.total, entry.ids.total)
      const distance = tokenDistance(queryIds, entry.ids, (1 - cutoff / 100) * longest + 1e-6)
      if (distance === Number.POSITIVE_INFINITY) return undefined
      const value = Math.max(0, 1 - distance / longest)
      if (Math.floor(value * 100 + epsilon) < threshold) return undefined
      let differences: TmMatch['differences'] = {}
      let other: Tokenized | undefined
      if (entry.tagSignature !== queryTags || entry.numberSignature !== queryNumbers) {
        other = tokenize(entry.unit.source)
        differences = differencesOf(tokens, other, value === 1)
      }
      const score = fuzzyScore(value, differences, penalties)
      if (score < threshold) return undefined
      return {entry, score, kind: 'fuzzy', history: isHistory(entry), differences, ...(other ? {tokens: other} : {})}
    }

    const results: Candidate[] = []
    const usable = (order: number): Entry | undefined => {
      const entry = this.#entries[order]!
      return exact.has(order) || !accepts(entry) ? undefined : entry
    }
    if (query.article !== undefined) {
      for (const order of pool.orders) {
        const entry = usable(order)
        if (!entry || !isHistory(entry)) continue
        const candidate = evaluate(entry, threshold)
        if (!candidate) continue
        results.push(candidate)
        higher.add(keyOf(candidate))
      }
    }
    const slots = limit - higher.size
    const best: {key: string; score: number}[] = []
    let cutoff = threshold
    for (let i = 0; i < pool.orders.length; i++) {
      if (!scan && (slots <= 0 || (pool.bounds !== undefined && Math.floor(pool.bounds[i]! * 100 + epsilon) < cutoff))) break
      const order = pool.orders[i]!
      const entry = usable(order)
      if (!entry || isHistory(entry)) continue
      if (!scan && Math.floor(this.#bagBound(order, bag) * 100 + epsilon) < cutoff) continue
      const candidate = evaluate(entry, scan ? threshold : cutoff)
      if (!candidate) continue
      results.push(candidate)
      if (scan) continue
      const key = keyOf(candidate)
      if (higher.has(key)) continue
      const known = best.find((item) => item.key === key)
      if (known) known.score = Math.max(known.score, candidate.score)
      else if (best.length < slots) best.push({key, score: candidate.score})
      else {
        let lowest = 0
        for (let k = 1; k < best.length; k++) if (best[k]!.score < best[lowest]!.score) lowest = k
        if (candidate.score > best[lowest]!.score) best[lowest] = {key, score: candidate.score}
      }
      if (best.length >= slots) cutoff = Math.max(threshold, Math.min(...best.map((item) => item.score)))
    }
    return results
  }

  /**
   * Units that may reach `threshold`, with an upper bound of their similarity,
   * best bound first. Query tokens are read rarest first. A unit lacking query
   * tokens of total weight w needs at least w of edits, and may afford at most
   * (1 − t) × the larger weight ≤ (1 − t) / t × the query's weight. So only the
   * rarest tokens up to that weight (the prefix) bring in candidates; the next
   * posting lists, while short, only add to what each candidate is known to
   * share. Candidates too short, too long or missing too much are dropped.
   */
  #fuzzyCandidates(index: LanguageIndex, query: TokenIds & {fold: Int32Array}, threshold: number): Pool {
    const t = threshold / 100
    const total = query.total
    if (t <= 0) return {orders: index.entries}
    const allowed = ((1 - t) / t) * total
    // Distinct query tokens, rarest first, each with the weight of all its occurrences: a unit
    // without the token must edit every one of them. Unknown tokens (id -1) are in no unit.
    const distinct = new Map<number, number>()
    for (let i = 0; i < query.fold.length; i++) distinct.set(query.fold[i]!, (distinct.get(query.fold[i]!) ?? 0) + query.weight[i]!)
    const byRarity = [...distinct].sort((a, b) => postingLength(index, a[0]) - postingLength(index, b[0]))
    let prefixWeight = 0
    for (const [, w] of byRarity) {
      prefixWeight += w
      if (prefixWeight > allowed + epsilon) break
    }
    if (prefixWeight <= allowed + epsilon) return {orders: index.entries} // so low a threshold that a unit may share no token

    const generation = this.#nextGeneration()
    const stamp = this.#stamp
    const shared = this.#shared
    const totals = this.#totals
    const shortest = t * total - epsilon
    const longest = total / t + epsilon
    const candidates: number[] = []
    let scanned = 0
    for (const [id, w] of byRarity) {
      const generating = scanned <= allowed + epsilon
      const postings = id < 0 ? undefined : index.postings[id]
      if (!generating && (candidates.length === 0 || (postings?.length ?? 0) > 4 * candidates.length + 64)) break
      if (postings) {
        for (let k = 0; k < postings.length; k++) {
          const order = postings[k]!
          if (stamp[order] === generation) shared[order]! += w
          else if (generating) {
            stamp[order] = generation
            const length = totals[order]!
            if (length < shortest || length > longest) shared[order] = Number.NEGATIVE_INFINITY
            else {
              shared[order] = w
              candidates.push(order)
            }
          }
        }
      }
      scanned += w
    }

    // Bound: the scanned weight a candidate lacks must be edited. Counting sort on the bound in whole percent.
    const buckets = new Int32Array(102)
    const percents = new Int32Array(candidates.length)
    const bounds = new Float64Array(candidates.length)
    let kept = 0
    for (const order of candidates) {
      const length = totals[order]!
      const bound = 1 - (scanned - shared[order]!) / (length > total ? length : total)
      const percent = Math.floor(bound * 100 + epsilon)
      if (percent < threshold) continue
      candidates[kept] = order
      bounds[kept] = bound
      percents[kept] = percent
      buckets[100 - percent]!++
      kept++
    }
    for (let b = 1; b < buckets.length; b++) buckets[b]! += buckets[b - 1]!
    const orders = new Array<number>(kept)
    const sortedBounds = new Float64Array(kept)
    for (let i = kept - 1; i >= 0; i--) {
      const slot = --buckets[100 - percents[i]!]!
      orders[slot] = candidates[i]!
      sortedBounds[slot] = bounds[i]!
    }
    return {orders, bounds: sortedBounds}
  }

  /** Upper bound of the similarity from token bags: tokens without a partner on the other side must be edited. */
  #bagBound(order: number, query: QueryBag): number {
    const ids = this.#entries[order]!.ids
    const counts = this.#counts
    for (let i = 0; i < query.ids.length; i++) counts[query.ids[i]!] = query.counts[i]!
    let matched = 0
    for (let i = 0; i < ids.fold.length; i++) {
      const id = ids.fold[i]!
      if (counts[id]! > 0) {
        counts[id]!--
        matched += ids.weight[i]!
      }
    }
    for (let i = 0; i < query.ids.length; i++) counts[query.ids[i]!] = 0
    const longest = Math.max(query.total, ids.total)
    return 1 - Math.max(query.total - matched, ids.total - matched) / longest
  }

  #queryBag(query: TokenIds & {fold: Int32Array}): QueryBag {
    if (this.#counts.length < this.#vocabulary.size) this.#counts = new Int32Array(this.#vocabulary.size * 2)
    const counts = new Map<number, number>()
    for (const id of query.fold) if (id >= 0) counts.set(id, (counts.get(id) ?? 0) + 1)
    return {ids: Int32Array.from(counts.keys()), counts: Int32Array.from(counts.values()), total: query.total}
  }

  #nextGeneration(): number {
    if (this.#stamp.length < this.#entries.length) {
      const size = Math.max(1024, this.#entries.length * 2)
      this.#stamp = new Uint32Array(size)
      this.#shared = new Float64Array(size)
      this.#generation = 0
    }
    if (this.#generation === 0xffffffff) {
      this.#stamp.fill(0)
      this.#generation = 0
    }
    return ++this.#generation
  }

  /**
   * Token ids as `toIds` (score.ts) gives them, with the fold id and weight of
   * each distinct token cached. `learn` false (queries): unknown tokens get -1.
   */
  #ids(tokens: readonly string[], learn: boolean): TokenIds & {fold: Int32Array; exact: Int32Array; weight: Float64Array} {
    const fold = new Int32Array(tokens.length)
    const exact = new Int32Array(tokens.length)
    const weight = new Float64Array(tokens.length)
    let total = 0
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      let id = this.#vocabulary.get(token)
      if (id === undefined && learn) {
        id = this.#vocabulary.size
        this.#vocabulary.set(token, id)
      }
      let foldId: number
      let w: number
      if (id !== undefined && this.#foldOf[id] !== undefined) {
        foldId = this.#foldOf[id]!
        w = this.#weightOf[id]!
      } else {
        const folded = foldToken(token)
        let known = this.#vocabulary.get(folded)
        if (known === undefined && learn) {
          known = this.#vocabulary.size
          this.#vocabulary.set(folded, known)
        }
        foldId = known ?? -1
        w = tokenWeight[kindOf(token)]
        if (id !== undefined) {
          this.#foldOf[id] = foldId
          this.#weightOf[id] = w
        }
      }
      exact[i] = id ?? -1
      fold[i] = foldId
      weight[i] = w
      total += w
    }
    return {fold, exact, weight, total}
  }
}

/** Same neighbourhood: both sides know at least one neighbour, and the neighbours are the same. */
export function sameContext(query: TmContext | undefined, unit: TmContext | undefined): boolean {
  if (!query || !unit) return false
  if (query.previousHash === undefined && query.nextHash === undefined) return false
  return query.previousHash === unit.previousHash && query.nextHash === unit.nextHash
}

const kindRank: Record<TmMatchKind, number> = {context: 3, exact: 2, fuzzy: 0}

function compareCandidates(a: Candidate, b: Candidate, query: TmQuery): number {
  return (
    kindRank[b.kind] + (b.history ? 1 : 0) - (kindRank[a.kind] + (a.history ? 1 : 0)) ||
    b.score - a.score ||
    flag(b.entry.unit.article !== undefined && b.entry.unit.article === query.article) -
      flag(a.entry.unit.article !== undefined && a.entry.unit.article === query.article) ||
    stateRank(b.entry.unit.state) - stateRank(a.entry.unit.state) ||
    flag(b.entry.unit.targetLocale.toLowerCase() === query.targetLocale.toLowerCase()) -
      flag(a.entry.unit.targetLocale.toLowerCase() === query.targetLocale.toLowerCase()) ||
    flag(a.entry.unit.retired === true) - flag(b.entry.unit.retired === true) ||
    compareText(b.entry.unit.updated ?? '', a.entry.unit.updated ?? '') ||
    a.entry.order - b.entry.order
  )
}

function flag(value: boolean): number {
  return value ? 1 : 0
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function postingLength(index: LanguageIndex, id: number): number {
  return id < 0 ? 0 : index.postings[id]?.length ?? 0
}

function tagSignature(tokens: Tokenized): string {
  return tokens.tags.map((mark) => `${mark.tag}@${mark.at}`).join(' ')
}

function numberSignature(tokens: Tokenized): string {
  return tokens.numbers.map(normaliseNumber).join(' ')
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
