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
import {compareNumbers, defaultPenalties, differencesOf, fuzzyScore, tokenDistance, type TokenIds} from './score.ts'
import {foldToken, kindOf, normaliseNumber, tokenWeight, tokenize, type Tokenized} from './tokens.ts'
import type {LookupOptions, LookupStats, TmContext, TmDifferences, TmMatch, TmMatchKind, TmPenalties, TmQuery, TmUnit} from './types.ts'

export const defaultThreshold = 75
export const defaultLimit = 5

/** A unit being considered: its handle, the unit, and its token ids (views into the flat arrays). */
interface Entry {
  unit: TmUnit
  order: number
}

/**
 * Posting lists of one target language: fold token id → units containing it.
 * Units up to `sortedUnits` are in flat arrays, each list sorted by unit token
 * weight (then order), so the length window of a lookup is a binary-searched
 * slice: list `id` is `sortedItems[sortedStarts[id] … sortedStarts[id + 1] - 1]`.
 * Units added since are in growable `lists`, in order, until enough of them
 * make the next lookup sort everything again (`#sortPostings`).
 */
interface LanguageIndex {
  code: number
  entries: IntList
  sortedUnits: number
  sortedStarts: Int32Array
  sortedItems: Int32Array
  lists: (IntList | undefined)[]
  listed: number
}

interface Candidate {
  entry: Entry
  score: number
  kind: TmMatchKind
  history: boolean
  differences: TmMatch['differences']
}

interface FuzzyContext {
  /** Units already matched exactly. */
  exact: ReadonlySet<number>
  /** Source/target keys ranked above any ordinary fuzzy match (exact, context, history). */
  higher: Set<string>
  accepts: (order: number) => boolean
  threshold: number
  limit: number
  penalties: TmPenalties
  scan: boolean
  stats: LookupStats
}

/**
 * Units to score. With `percents`, best bound first: each unit's token-bag
 * bound of the similarity in whole percent, and the number penalty it is sure
 * to get (`#numberPenalty`), so its score is at most min(99, percent) − penalty.
 */
interface Pool {
  orders: ArrayLike<number>
  percents?: Int32Array
  penalties?: Float64Array
}

/**
 * The query as the bounds read it: its distinct known token (fold) ids and
 * number ids (normalised) with their counts, set into `#counts` while a pass runs.
 */
interface QueryBag {
  ids: Int32Array
  counts: Int32Array
  total: number
  /** Numbers in the query, known to the memory or not. */
  numbers: number
  penalties: TmPenalties
}

/** Bit of a fold id in a unit's 64-bit token signature (`#signatures`): its top 6 bits after a multiplicative hash. */
function signatureBit(fold: number): number {
  return Math.imul(fold, 0x9e3779b1) >>> 26
}

/** `#marked` bits: the unit's source has inline tags / numbers. */
const hasTags = 1
const hasNumbers = 2
/** Numbers are interned beside tokens under this prefix (no token starts with it); their fold id is the normalised number's. */
const numberKey = '\u0002'

type QueryIds = TokenIds & {fold: Int32Array; exact: Int32Array; weight: Float64Array}

const epsilon = 1e-9

/**
 * Trial thresholds tried before the caller's, highest first. A pass at t finds
 * every unit scoring ≥ t (the filters below are lossless for t), so when it
 * already fills the limit with distinct pairs, nothing under t can be shown and
 * the wider (slower) pass at the caller's threshold is not needed. A high t
 * keeps the prefix (see `#fuzzyCandidates`) to one or two rare tokens.
 */
const trialThresholds = [95, 85]

/** Tokens of unit i are `tokens[starts[i]] … tokens[starts[i + 1] - 1]` (exact token ids). */
class IntList {
  items: Int32Array
  length = 0
  constructor(capacity = 4) {
    this.items = new Int32Array(capacity)
  }
  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(Math.max(4, this.items.length * 2))
      grown.set(this.items)
      this.items = grown
    }
    this.items[this.length++] = value
  }
  get last(): number {
    return this.length === 0 ? -1 : this.items[this.length - 1]!
  }
  view(): Int32Array {
    return this.items.subarray(0, this.length)
  }
  /** A full list over existing items (the next push copies them into a larger array). */
  static over(items: Int32Array): IntList {
    const list = new IntList(0)
    list.items = items
    list.length = items.length
    return list
  }
}

interface IndexHeader {
  version: number
  units: number
  tokens: number
  numbers: number
  vocabulary: string[]
  languageCodes: [string, number][]
  languages: {language: string; code: number; entries: number; lists: number}[]
}

function align(offset: number): number {
  return Math.ceil(offset / 8) * 8
}

/** `PTMI`, then a format version in the header: an index from another version is rebuilt. */
const indexMagic = 0x50544d49
const indexVersion = 4

function keyOf(candidate: {entry: Entry}): string {
  return `${candidate.entry.unit.source}\u0000${candidate.entry.unit.target}`
}

/** Primary language subtag, lower case: `en-GB` → `en`. */
export function languageOf(locale: string): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? ''
}

// A unit costs its TmUnit (held anyway) plus a few typed-array slots: its
// token ids in one flat array, its weight, language codes and flags, and one
// slot per distinct token in a posting list. At 1M units that is about 130 MB
// instead of the 900 MB that per-unit objects and typed arrays took.
export class TranslationMemory {
  readonly #units: TmUnit[] = []
  /** Token text (as written, and case-folded) → id; `#foldOf` / `#weightOf` per id (-1 / 0 until seen as a token). */
  readonly #vocabulary = new Map<string, number>()
  #foldOf = new Int32Array(1024).fill(-1)
  #weightOf = new Float64Array(1024)
  /** Exact token ids of every unit, flat; unit i's start at `#starts[i]`. */
  readonly #tokens = new IntList(1 << 16)
  readonly #starts = new IntList(1024)
  /** Per unit: its token weight (for the length filter). */
  #totals = new Float64Array(1024)
  /** Numbers of every unit as written (vocabulary ids under `numberKey`), flat; unit i's start at `#numberStarts[i]`. */
  readonly #numbers = new IntList(1024)
  readonly #numberStarts = new IntList(1024)
  /** Text of each vocabulary id. */
  #textOf: string[] = []
  /** Per unit: source and target language codes (`#languageCodes`), and `hasTags` / `hasNumbers` bits. */
  #sourceLanguage = new Uint16Array(1024)
  #targetLanguage = new Uint16Array(1024)
  #marked = new Uint8Array(1024)
  /**
   * Per unit: 64 bits (two words), one set for each of its fold ids' `signatureBit`.
   * A query token whose bit is clear is surely not in the unit: the signature
   * bounds the weight a candidate shares with the query from one read.
   */
  #signatures = new Int32Array(2048)
  readonly #languageCodes = new Map<string, number>()
  readonly #languages = new Map<string, LanguageIndex>()
  /** Exact lookups: a key → its unit, or its units when several share it. */
  readonly #byHash = new Map<string, number | number[]>()
  readonly #bySource = new Map<string, number | number[]>()
  /** Articles with retired units: their own history outranks any score, so lookups from them skip the trial passes. */
  readonly #retiredArticles = new Set<string>()
  /** Units taken out (`remove`): left in the indexes, skipped by every lookup, so an update costs no rebuild. */
  readonly #removed = new Set<number>()
  /** Scratch per unit for one lookup: `stamp` marks candidates, `shared` sums the query weight they contain. */
  #stamp = new Uint32Array(0)
  #shared = new Float64Array(0)
  #generation = 0
  /** Scratch per token id: query token counts for the token-bag bound; per unit, `#usedStamp` / `#used` count what it took of them. */
  #counts = new Int32Array(1024)
  #used = new Int32Array(1024)
  #usedStamp = new Uint32Array(1024)
  #usedGeneration = 0
  /** Scratch token ids of the unit being scored. */
  #fold = new Int32Array(64)
  #weight = new Float64Array(64)
  /** While the constructor adds its units: no growable posting lists, one sort at the end. */
  #building = false

  constructor(units: Iterable<TmUnit> = []) {
    this.#starts.push(0)
    this.#numberStarts.push(0)
    this.#building = true
    for (const unit of units) this.add(unit)
    this.#building = false
    for (const index of this.#languages.values()) this.#sortPostings(index)
  }

  get size(): number {
    return this.#units.length - this.#removed.size
  }

  /** Units removed but still held by the indexes (a caller may rebuild when this grows large). */
  get removedCount(): number {
    return this.#removed.size
  }

  /** The units, in the order they were added. */
  units(): TmUnit[] {
    return this.#units.filter((_, order) => !this.#removed.has(order))
  }

  /** Take units out by the handles `add` gave: lookups no longer see them. */
  remove(handles: Iterable<number>): void {
    for (const handle of handles) if (handle >= 0 && handle < this.#units.length) this.#removed.add(handle)
  }

  /** Add a unit; returns its handle for `remove`. */
  add(unit: TmUnit): number {
    if (unit.source === '' || unit.target === '') throw new Error('a TM unit needs a source and a target')
    const order = this.#units.length
    const tokens = tokenize(unit.source)
    this.#units.push(unit)
    if (order >= this.#totals.length) this.#grow(Math.max(1024, order * 2))
    let total = 0
    let low = 0
    let high = 0
    for (const token of tokens.tokens) {
      const id = this.#learn(token)
      this.#tokens.push(id)
      total += this.#weightOf[id]!
      const bit = signatureBit(this.#foldOf[id]!)
      if (bit < 32) low |= 1 << bit
      else high |= 1 << (bit - 32)
    }
    this.#signatures[2 * order] = low
    this.#signatures[2 * order + 1] = high
    this.#starts.push(this.#tokens.length)
    for (const number of tokens.numbers) this.#numbers.push(this.#learnNumber(number))
    this.#numberStarts.push(this.#numbers.length)
    this.#totals[order] = total
    this.#sourceLanguage[order] = this.#languageCode(languageOf(unit.sourceLocale))
    const language = languageOf(unit.targetLocale)
    this.#targetLanguage[order] = this.#languageCode(language)
    this.#marked[order] = (tokens.tags.length > 0 ? hasTags : 0) | (tokens.numbers.length > 0 ? hasNumbers : 0)
    add(this.#bySource, unit.source, order)
    if (unit.hash !== undefined) add(this.#byHash, unit.hash, order)
    if (unit.retired === true && unit.article !== undefined) this.#retiredArticles.add(unit.article)
    let index = this.#languages.get(language)
    if (!index) {
      index = {code: this.#targetLanguage[order]!, entries: new IntList(), sortedUnits: 0, sortedStarts: new Int32Array(1), sortedItems: new Int32Array(0), lists: [], listed: 0}
      this.#languages.set(language, index)
    }
    index.entries.push(order)
    if (this.#building) return order
    const tokenStart = this.#starts.items[order]!
    for (let i = tokenStart; i < this.#tokens.length; i++) {
      const fold = this.#foldOf[this.#tokens.items[i]!]!
      let list = index.lists[fold]
      if (list === undefined) index.lists[fold] = list = new IntList(2)
      // A token repeated in this unit is posted once.
      if (list.last !== order) {
        list.push(order)
        index.listed++
      }
    }
    return order
  }

  /**
   * Every posting of the language into the sorted flat arrays (`LanguageIndex`):
   * units ranked by token weight (a stable sort keeps the order among equals),
   * then one counting pass over their token ids.
   */
  #sortPostings(index: LanguageIndex): void {
    const totals = this.#totals
    const ranked = Int32Array.from(index.entries.view()).sort((a, b) => totals[a]! - totals[b]!)
    const vocabularySize = this.#vocabulary.size
    const starts = new Int32Array(vocabularySize + 1)
    const seen = new Int32Array(vocabularySize).fill(-1)
    const tokens = this.#tokens.items
    const unitStarts = this.#starts.items
    const foldOf = this.#foldOf
    for (let r = 0; r < ranked.length; r++) {
      const order = ranked[r]!
      for (let i = unitStarts[order]!, end = unitStarts[order + 1]!; i < end; i++) {
        const fold = foldOf[tokens[i]!]!
        // A token repeated in a unit is posted once.
        if (seen[fold] !== order) {
          seen[fold] = order
          starts[fold + 1]!++
        }
      }
    }
    for (let id = 0; id < vocabularySize; id++) starts[id + 1]! += starts[id]!
    const cursor = starts.slice(0, vocabularySize)
    const items = new Int32Array(starts[vocabularySize]!)
    seen.fill(-1)
    for (let r = 0; r < ranked.length; r++) {
      const order = ranked[r]!
      for (let i = unitStarts[order]!, end = unitStarts[order + 1]!; i < end; i++) {
        const fold = foldOf[tokens[i]!]!
        if (seen[fold] !== order) {
          seen[fold] = order
          items[cursor[fold]!++] = order
        }
      }
    }
    index.sortedUnits = this.#units.length
    index.sortedStarts = starts
    index.sortedItems = items
    index.lists = []
    index.listed = 0
  }

  addAll(units: Iterable<TmUnit>): void {
    for (const unit of units) this.add(unit)
  }

  /**
   * The index as bytes (vocabulary, token ids, per-unit arrays, posting
   * lists), for `fromIndex` to skip tokenising every unit again. The units
   * themselves are not included: the caller keeps them (`units()` in order).
   */
  exportIndex(): Uint8Array {
    const count = this.#units.length
    for (const index of this.#languages.values()) if (index.sortedUnits < count) this.#sortPostings(index)
    const vocabulary = [...this.#vocabulary.keys()]
    const languages = [...this.#languages].map(([language, index]) => ({language, code: index.code, entries: index.entries.length, lists: index.sortedStarts.length}))
    const header = Buffer.from(JSON.stringify({version: indexVersion, units: count, tokens: this.#tokens.length, numbers: this.#numbers.length, vocabulary, languageCodes: [...this.#languageCodes], languages}))
    const sections: ArrayBufferView[] = [
      this.#weightOf.subarray(0, vocabulary.length),
      this.#totals.subarray(0, count),
      this.#foldOf.subarray(0, vocabulary.length),
      this.#tokens.view(),
      this.#starts.view(),
      this.#sourceLanguage.subarray(0, count),
      this.#targetLanguage.subarray(0, count),
      this.#marked.subarray(0, count),
      this.#signatures.subarray(0, 2 * count),
      this.#numbers.view(),
      this.#numberStarts.view()
    ]
    for (const [, index] of this.#languages) sections.push(index.entries.view(), index.sortedStarts, index.sortedItems)
    let size = align(8 + header.length)
    for (const section of sections) size = align(size + section.byteLength)
    const bytes = new Uint8Array(size)
    const view = new DataView(bytes.buffer)
    view.setUint32(0, indexMagic)
    view.setUint32(4, header.length)
    bytes.set(header, 8)
    let offset = align(8 + header.length)
    for (const section of sections) {
      bytes.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset)
      offset = align(offset + section.byteLength)
    }
    return bytes
  }

  /**
   * A memory over `units` from `exportIndex` bytes made for the same units
   * (same sources and locales, same order); undefined when the bytes are of
   * another format or another number of units.
   */
  static fromIndex(units: readonly TmUnit[], bytes: Uint8Array): TranslationMemory | undefined {
    if (bytes.byteLength < 8) return undefined
    // Typed-array views need aligned offsets: copy when the bytes do not start on an 8-byte boundary.
    const data = bytes.byteOffset % 8 === 0 && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    if (view.getUint32(0) !== indexMagic) return undefined
    const headerLength = view.getUint32(4)
    let header: IndexHeader
    try {
      header = JSON.parse(Buffer.from(data.buffer, data.byteOffset + 8, headerLength).toString('utf8')) as typeof header
    } catch {
      return undefined
    }
    if (header.version !== indexVersion || header.units !== units.length) return undefined
    try {
      return TranslationMemory.#read(units, data, header, align(8 + headerLength))
    } catch {
      // A file cut short: its sections run past its end.
      return undefined
    }
  }

  static #read(units: readonly TmUnit[], data: Uint8Array, header: IndexHeader, start: number): TranslationMemory {
    let offset = start
    const take = <T>(make: (buffer: ArrayBuffer, at: number, length: number) => T, length: number, width: number): T => {
      // The bytes may be a view on a larger buffer: their own end is the limit.
      if (offset + length * width > data.byteLength) throw new RangeError('index file cut short')
      const section = make(data.buffer as ArrayBuffer, data.byteOffset + offset, length)
      offset = align(offset + length * width)
      return section
    }
    const vocabularySize = header.vocabulary.length
    const count = units.length
    const memory = new TranslationMemory()
    const weightOf = take((b, at, n) => new Float64Array(b, at, n), vocabularySize, 8)
    const totals = take((b, at, n) => new Float64Array(b, at, n), count, 8)
    const foldOf = take((b, at, n) => new Int32Array(b, at, n), vocabularySize, 4)
    const tokens = take((b, at, n) => new Int32Array(b, at, n), header.tokens, 4)
    const starts = take((b, at, n) => new Int32Array(b, at, n), count + 1, 4)
    memory.#sourceLanguage = take((b, at, n) => new Uint16Array(b, at, n), count, 2)
    memory.#targetLanguage = take((b, at, n) => new Uint16Array(b, at, n), count, 2)
    memory.#marked = take((b, at, n) => new Uint8Array(b, at, n), count, 1)
    memory.#signatures = take((b, at, n) => new Int32Array(b, at, n), 2 * count, 4)
    memory.#numbers.items = take((b, at, n) => new Int32Array(b, at, n), header.numbers, 4)
    memory.#numbers.length = header.numbers
    memory.#numberStarts.items = take((b, at, n) => new Int32Array(b, at, n), count + 1, 4)
    memory.#numberStarts.length = count + 1
    memory.#weightOf = weightOf
    memory.#foldOf = foldOf
    memory.#totals = totals
    memory.#tokens.items = tokens
    memory.#tokens.length = header.tokens
    memory.#starts.items = starts
    memory.#starts.length = count + 1
    header.vocabulary.forEach((text, id) => memory.#vocabulary.set(text, id))
    memory.#textOf = header.vocabulary
    for (const [language, code] of header.languageCodes) memory.#languageCodes.set(language, code)
    for (const language of header.languages) {
      const entries = take((b, at, n) => new Int32Array(b, at, n), language.entries, 4)
      const sortedStarts = take((b, at, n) => new Int32Array(b, at, n), language.lists, 4)
      const sortedItems = take((b, at, n) => new Int32Array(b, at, n), sortedStarts[sortedStarts.length - 1] ?? 0, 4)
      memory.#languages.set(language.language, {code: language.code, entries: IntList.over(entries), sortedUnits: count, sortedStarts, sortedItems, lists: [], listed: 0})
    }
    // Exact lookups and the retired articles come from the units themselves.
    units.forEach((unit, order) => {
      memory.#units.push(unit)
      add(memory.#bySource, unit.source, order)
      if (unit.hash !== undefined) add(memory.#byHash, unit.hash, order)
      if (unit.retired === true && unit.article !== undefined) memory.#retiredArticles.add(unit.article)
    })
    return memory
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
    const sourceLanguage = query.sourceLocale === undefined ? undefined : this.#languageCodes.get(languageOf(query.sourceLocale)) ?? -1
    const targetLanguage = index.code
    const accepts = (order: number): boolean =>
      this.#targetLanguage[order] === targetLanguage && (sourceLanguage === undefined || this.#sourceLanguage[order] === sourceLanguage) && !this.#removed.has(order)

    const tokens = tokenize(query.source)
    const candidates: Candidate[] = []
    const exact = new Set<number>()

    const exactOrders = [...listOf(query.hash === undefined ? undefined : this.#byHash.get(query.hash)), ...listOf(this.#bySource.get(query.source))]
    for (const order of exactOrders) {
      if (exact.has(order) || !accepts(order)) continue
      exact.add(order)
      const unit = this.#units[order]!
      candidates.push({
        entry: {unit, order},
        score: 0,
        kind: sameContext(query.context, unit.context) ? 'context' : 'exact',
        history: false,
        differences: unit.source === query.source ? {} : differencesOf(tokens, tokenize(unit.source), false)
      })
    }
    for (const candidate of candidates) candidate.score = candidate.kind === 'context' ? 101 : 100

    if (threshold <= 100) {
      const stats = options.stats ?? {candidates: 0, scored: 0}
      stats.candidates = 0
      stats.scored = 0
      const higherOf = () => new Set(candidates.map(keyOf))
      const context = {exact, accepts, limit, penalties, scan: options.scan === true, stats}
      const trials = context.scan || (query.article !== undefined && this.#retiredArticles.has(query.article)) ? [] : trialThresholds.filter((t) => t > threshold)
      let found: Candidate[] | undefined
      for (const trial of trials) {
        const higher = higherOf()
        const results = this.#fuzzyMatches(index, query, tokens, {...context, higher, threshold: trial})
        for (const candidate of results) higher.add(keyOf(candidate))
        if (higher.size >= limit) {
          found = results
          break
        }
      }
      candidates.push(...(found ?? this.#fuzzyMatches(index, query, tokens, {...context, higher: higherOf(), threshold})))
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
   * the order of their best possible similarity, the others while that bound
   * can still reach the `limit`-th best distinct candidate found: a unit whose
   * bound (less the number penalty it is sure to get) is below that score, or
   * equal to it while the unit loses every tie-break to it, cannot be shown.
   * `scan` scores every unit of the language instead (reference mode).
   */
  #fuzzyMatches(index: LanguageIndex, query: TmQuery, tokens: Tokenized, context: FuzzyContext): Candidate[] {
    const queryIds = this.#ids(tokens.tokens)
    if (queryIds.total === 0) return []
    const bag = this.#queryBag(queryIds, tokens.numbers, context.penalties)
    try {
      return this.#scoreCandidates(index, query, tokens, queryIds, bag, context)
    } finally {
      this.#clearBag(bag)
    }
  }

  #scoreCandidates(index: LanguageIndex, query: TmQuery, tokens: Tokenized, queryIds: QueryIds, bag: QueryBag, context: FuzzyContext): Candidate[] {
    const {exact, higher, accepts, threshold, limit, penalties, scan, stats} = context
    const pool: Pool = scan ? {orders: index.entries.view()} : this.#fuzzyCandidates(index, queryIds, bag, threshold)
    stats.candidates += pool.orders.length
    const isHistory = (unit: TmUnit): boolean => query.article !== undefined && unit.article === query.article && unit.retired === true
    const totals = this.#totals
    const queryTags = tokens.tags.length > 0
    const queryNumbers = tokens.numbers.length > 0

    /** The unit as a candidate when its similarity reaches `least` percent (and its score the threshold). */
    const evaluate = (order: number, least: number): Candidate | undefined => {
      stats.scored++
      const total = totals[order]!
      const longest = Math.max(queryIds.total, total)
      const allowed = (1 - least / 100) * longest + 1e-6
      // Every token weight the lengths differ by must be inserted or deleted.
      if (Math.abs(total - queryIds.total) > allowed) return undefined
      const distance = tokenDistance(queryIds, this.#entryIds(order), allowed)
      if (distance === Number.POSITIVE_INFINITY) return undefined
      const value = Math.max(0, 1 - distance / longest)
      if (Math.floor(value * 100 + epsilon) < threshold) return undefined
      const unit = this.#units[order]!
      const marked = this.#marked[order]!
      // Tags and numbers are not tokens: with none on either side, there is no difference to find;
      // with numbers only, the unit's are in the index, so its text need not be tokenised again.
      let differences: TmDifferences = {}
      if (queryTags || (marked & hasTags) !== 0) differences = differencesOf(tokens, tokenize(unit.source), value === 1)
      else if (queryNumbers || (marked & hasNumbers) !== 0) {
        const numbers = compareNumbers(tokens.numbers, this.#numberTexts(order))
        if (numbers) differences = {numbers}
      }
      const score = fuzzyScore(value, differences, penalties)
      if (score < threshold) return undefined
      return {entry: {unit, order}, score, kind: 'fuzzy', history: isHistory(unit), differences}
    }

    const results: Candidate[] = []
    const usable = (order: number): boolean => !exact.has(order) && accepts(order)
    if (query.article !== undefined) {
      for (let i = 0; i < pool.orders.length; i++) {
        const order = pool.orders[i]!
        if (!usable(order) || !isHistory(this.#units[order]!)) continue
        const candidate = evaluate(order, threshold)
        if (!candidate) continue
        results.push(candidate)
        higher.add(keyOf(candidate))
      }
    }
    const slots = limit - higher.size
    // The best distinct pairs so far, each by its best-ranked unit; `worst` is the last of them once there are `slots`.
    const best: {key: string; score: number; order: number}[] = []
    let worst = -1
    let cutoff = threshold
    const beats = (score: number, order: number, other: {score: number; order: number}): boolean =>
      score > other.score || (score === other.score && this.#compareRank(order, other.order, query) < 0)
    for (let i = 0; i < pool.orders.length; i++) {
      if (!scan && slots <= 0) break
      const order = pool.orders[i]!
      let least = threshold
      if (!scan) {
        let percent: number
        let penalty: number
        if (pool.percents !== undefined) {
          percent = pool.percents[i]!
          // Best bound first: no later unit can reach the cutoff either.
          if (Math.min(99, percent) < cutoff) break
          penalty = pool.penalties![i]!
        } else {
          percent = this.#bagPercent(order, bag)
          if (Math.min(99, percent) < cutoff) continue
          penalty = this.#numberPenalty(order, bag)
        }
        const bound = Math.max(0, Math.min(99, percent) - penalty)
        if (bound < cutoff || (worst >= 0 && bound === cutoff && !beats(bound, order, best[worst]!))) continue
        // A score of `cutoff` (> 0) needs a similarity of `cutoff` plus the penalty.
        if (cutoff > 0) least = cutoff + penalty
      }
      if (!usable(order) || isHistory(this.#units[order]!)) continue
      const candidate = evaluate(order, least)
      if (!candidate) continue
      results.push(candidate)
      if (scan) continue
      const key = keyOf(candidate)
      if (higher.has(key)) continue
      const known = best.findIndex((item) => item.key === key)
      const entry = {key, score: candidate.score, order}
      if (known >= 0) {
        if (beats(entry.score, order, best[known]!)) best[known] = entry
      } else if (best.length < slots) best.push(entry)
      else if (beats(entry.score, order, best[worst]!)) best[worst] = entry
      if (best.length >= slots) {
        worst = 0
        for (let k = 1; k < best.length; k++) if (beats(best[worst]!.score, best[worst]!.order, best[k]!)) worst = k
        cutoff = Math.max(threshold, best[worst]!.score)
      }
    }
    return results
  }

  /** Tie-break between two fuzzy units of equal score: negative when `a` ranks first (`compareRank`). */
  #compareRank(a: number, b: number, query: TmQuery): number {
    return compareRank({unit: this.#units[a]!, order: a}, {unit: this.#units[b]!, order: b}, query)
  }

  /**
   * Units that may reach `threshold`, best bound first, with the bounds (`Pool`).
   * Similarity is 1 − d / L with L the larger token weight and d the weighted
   * edit distance, where deleting or inserting a token costs its weight and
   * substituting costs at least the weight of the token that goes. So a unit
   * lacking query tokens of total weight w has d ≥ w, and reaching t needs
   * w ≤ (1 − t) L.
   * - Length: d ≥ |L_query − L_unit|, so only units with t·L_q ≤ L_u ≤ L_q / t qualify.
   *   Sorted postings make that window a binary-searched slice of each list.
   * - Prefix (count filter): with m the weight the two share, d ≥ L_q − m and
   *   d ≥ L_u − m. If L_u ≤ L_q, reaching t needs w = L_q − m ≤ (1 − t) L_q;
   *   if L_u > L_q, it needs m ≥ t L_u, so w ≤ L_q − t L_u < (1 − t) L_q.
   *   Read the query's distinct tokens rarest first (fewest units in the
   *   window: any order is sound); a unit containing none of a prefix whose
   *   weight exceeds (1 − t) L_q lacks too much. So only the prefix's posting
   *   lists bring candidates in, and a candidate lacking more of the prefix
   *   than its length allows is dropped at once.
   * - Token bags: the survivors' own tokens give the bound (`#bagPercent`),
   *   which also counts the unit's tokens the query lacks; then the number
   *   penalty (`#numberPenalty`) comes off it.
   * Query tokens the memory has never seen (id -1) are in no unit: rarest of all.
   */
  #fuzzyCandidates(index: LanguageIndex, query: QueryIds, bag: QueryBag, threshold: number): Pool {
    const t = threshold / 100
    const total = query.total
    if (t <= 0) return {orders: index.entries.view()}
    // Weights are multiples of 0.5 (exact sums); the slack covers rounding in t·L and the score's own epsilon.
    const slack = 1e-9 * (1 + total)
    const allowed = (1 - t) * total + slack
    // Distinct query tokens, rarest first, each with the weight of all its occurrences: a unit
    // without the token must edit every one of them.
    const distinct = new Map<number, number>()
    for (let i = 0; i < query.fold.length; i++) distinct.set(query.fold[i]!, (distinct.get(query.fold[i]!) ?? 0) + query.weight[i]!)
    // Few units added since the postings were sorted are read whole; many make this lookup sort again.
    if (index.listed > (index.sortedItems.length >> 3) + 64) this.#sortPostings(index)
    const totals = this.#totals
    const shortest = t * total - epsilon
    const longest = total / t + epsilon
    const items = index.sortedItems
    const byRarity = [...distinct]
      .map(([id, w]) => {
        let from = 0
        let to = 0
        if (id >= 0 && id + 1 < index.sortedStarts.length) {
          // First unit at least `shortest`, first unit past `longest`: the same bounds as the test on the unsorted lists below.
          from = firstAbove(items, totals, index.sortedStarts[id]!, index.sortedStarts[id + 1]!, (size) => size >= shortest)
          to = firstAbove(items, totals, from, index.sortedStarts[id + 1]!, (size) => size > longest)
        }
        const list = id < 0 ? undefined : index.lists[id]
        return {w, from, to, list, length: to - from + (list?.length ?? 0)}
      })
      .sort((a, b) => a.length - b.length)
    let prefixWeight = 0
    let prefix = 0
    while (prefix < byRarity.length && prefixWeight <= allowed) prefixWeight += byRarity[prefix++]!.w
    if (prefixWeight <= allowed) return {orders: index.entries.view()} // so low a threshold that a unit may share no token

    const generation = this.#nextGeneration()
    const stamp = this.#stamp
    const shared = this.#shared
    const candidates = new IntList(256)
    for (let p = 0; p < prefix; p++) {
      const {w, from, to, list} = byRarity[p]!
      for (let k = from; k < to; k++) {
        const order = items[k]!
        if (stamp[order] === generation) shared[order]! += w
        else {
          stamp[order] = generation
          shared[order] = w
          candidates.push(order)
        }
      }
      if (list) {
        const postings = list.items
        for (let k = 0; k < list.length; k++) {
          const order = postings[k]!
          if (stamp[order] === generation) shared[order]! += w
          else {
            stamp[order] = generation
            const size = totals[order]!
            if (size < shortest || size > longest) shared[order] = Number.NEGATIVE_INFINITY
            else {
              shared[order] = w
              candidates.push(order)
            }
          }
        }
      }
    }

    // The query's tokens by signature bit: a unit shares at most the weight of the bits it has.
    const bitWeights = new Float64Array(64)
    for (const [id, w] of distinct) if (id >= 0) bitWeights[signatureBit(id)]! += w
    const bits: number[] = []
    for (let b = 0; b < 64; b++) if (bitWeights[b]! > 0) bits.push(b)
    const signatures = this.#signatures

    // Drop what lacks too much of the prefix or of the signature (reaching t needs a shared
    // weight m ≥ t·max(L_q, L_u)), bound the rest by their bags, then a counting sort on that bound.
    const count = candidates.length
    const orders = candidates.items
    const buckets = new Int32Array(102)
    const percents = new Int32Array(count)
    const penalties = new Float64Array(count)
    let kept = 0
    for (let i = 0; i < count; i++) {
      const order = orders[i]!
      const length = totals[order]!
      if (prefixWeight - shared[order]! > (length > total ? total - t * length + slack : allowed)) continue
      const low = signatures[2 * order]!
      const high = signatures[2 * order + 1]!
      let reachable = 0
      for (const b of bits) if (((b < 32 ? low >>> b : high >>> (b - 32)) & 1) !== 0) reachable += bitWeights[b]!
      if (reachable < t * (length > total ? length : total) - slack) continue
      const percent = this.#bagPercent(order, bag)
      if (Math.min(99, percent) < threshold) continue
      const penalty = this.#numberPenalty(order, bag)
      if (Math.max(0, Math.min(99, percent) - penalty) < threshold) continue
      orders[kept] = order
      percents[kept] = percent
      penalties[kept] = penalty
      buckets[100 - percent]!++
      kept++
    }
    for (let b = 1; b < buckets.length; b++) buckets[b]! += buckets[b - 1]!
    const sorted = new Int32Array(kept)
    const sortedPercents = new Int32Array(kept)
    const sortedPenalties = new Float64Array(kept)
    for (let i = kept - 1; i >= 0; i--) {
      const slot = --buckets[100 - percents[i]!]!
      sorted[slot] = orders[i]!
      sortedPercents[slot] = percents[i]!
      sortedPenalties[slot] = penalties[i]!
    }
    return {orders: sorted, percents: sortedPercents, penalties: sortedPenalties}
  }

  /**
   * Upper bound of the similarity from token bags, in whole percent: tokens
   * without a partner on the other side must be edited.
   */
  #bagPercent(order: number, query: QueryBag): number {
    const counts = this.#counts
    const used = this.#used
    const usedStamp = this.#usedStamp
    const stamp = this.#nextUse()
    const tokens = this.#tokens.items
    const foldOf = this.#foldOf
    const weightOf = this.#weightOf
    let matched = 0
    const end = this.#starts.items[order + 1]!
    for (let i = this.#starts.items[order]!; i < end; i++) {
      const id = foldOf[tokens[i]!]!
      const available = counts[id]!
      if (available === 0) continue
      if (usedStamp[id] !== stamp) {
        usedStamp[id] = stamp
        used[id] = 0
      }
      if (used[id]! < available) {
        used[id]!++
        matched += weightOf[tokens[i]!]!
      }
    }
    const total = this.#totals[order]!
    const longest = Math.max(query.total, total)
    return Math.floor((1 - Math.max(query.total - matched, total - matched) / longest) * 100 + epsilon)
  }

  /**
   * The number penalty a unit is sure to get: numbers compare by value, so its
   * numbers and the query's give the missing and extra counts (score.ts
   * `penaltyOf`). Zero when the penalties are not all positive.
   */
  #numberPenalty(order: number, query: QueryBag): number {
    const {number, cap} = query.penalties
    if (!(number > 0 && cap > 0)) return 0
    const start = this.#numberStarts.items[order]!
    const end = this.#numberStarts.items[order + 1]!
    if (start === end && query.numbers === 0) return 0
    const counts = this.#counts
    const used = this.#used
    const usedStamp = this.#usedStamp
    const stamp = this.#nextUse()
    const numbers = this.#numbers.items
    const foldOf = this.#foldOf
    let matched = 0
    for (let i = start; i < end; i++) {
      const id = foldOf[numbers[i]!]!
      const available = counts[id]!
      if (available === 0) continue
      if (usedStamp[id] !== stamp) {
        usedStamp[id] = stamp
        used[id] = 0
      }
      if (used[id]! < available) {
        used[id]!++
        matched++
      }
    }
    return Math.min(cap, Math.max(query.numbers - matched, end - start - matched) * number)
  }

  /** The unit's numbers as written, in order. */
  #numberTexts(order: number): string[] {
    const texts: string[] = []
    for (let i = this.#numberStarts.items[order]!, end = this.#numberStarts.items[order + 1]!; i < end; i++) texts.push(this.#textOf[this.#numbers.items[i]!]!.slice(numberKey.length))
    return texts
  }

  /** The query's token and number counts, set into `#counts` until `#clearBag`. */
  #queryBag(query: QueryIds, numbers: readonly string[], penalties: TmPenalties): QueryBag {
    const size = this.#vocabulary.size
    if (this.#counts.length < size) {
      this.#counts = new Int32Array(size * 2)
      this.#used = new Int32Array(size * 2)
      this.#usedStamp = new Uint32Array(size * 2)
      this.#usedGeneration = 0
    }
    const counts = new Map<number, number>()
    for (const id of query.fold) if (id >= 0) counts.set(id, (counts.get(id) ?? 0) + 1)
    for (const number of numbers) {
      const id = this.#vocabulary.get(numberKey + normaliseNumber(number))
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    const bag = {ids: Int32Array.from(counts.keys()), counts: Int32Array.from(counts.values()), total: query.total, numbers: numbers.length, penalties}
    for (let i = 0; i < bag.ids.length; i++) this.#counts[bag.ids[i]!] = bag.counts[i]!
    return bag
  }

  #clearBag(bag: QueryBag): void {
    for (let i = 0; i < bag.ids.length; i++) this.#counts[bag.ids[i]!] = 0
  }

  #nextUse(): number {
    if (this.#usedGeneration === 0xffffffff) {
      this.#usedStamp.fill(0)
      this.#usedGeneration = 0
    }
    return ++this.#usedGeneration
  }

  #nextGeneration(): number {
    if (this.#stamp.length < this.#units.length) {
      const size = Math.max(1024, this.#units.length * 2)
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

  /** A unit's token ids for `tokenDistance`, in scratch arrays valid until the next call. */
  #entryIds(order: number): TokenIds {
    const start = this.#starts.items[order]!
    const end = this.#starts.items[order + 1]!
    const exact = this.#tokens.items.subarray(start, end)
    if (this.#fold.length < exact.length) {
      this.#fold = new Int32Array(exact.length * 2)
      this.#weight = new Float64Array(exact.length * 2)
    }
    const fold = this.#fold.subarray(0, exact.length)
    const weight = this.#weight.subarray(0, exact.length)
    for (let i = 0; i < exact.length; i++) {
      fold[i] = this.#foldOf[exact[i]!]!
      weight[i] = this.#weightOf[exact[i]!]!
    }
    return {fold, exact, weight, total: this.#totals[order]!}
  }

  /** Id of a unit token, learning it (and its folded form) when new. */
  #learn(token: string): number {
    let id = this.#vocabulary.get(token)
    if (id !== undefined && this.#foldOf[id]! >= 0) return id
    if (id === undefined) id = this.#intern(token)
    const fold = this.#intern(foldToken(token))
    this.#foldOf[id] = fold
    this.#weightOf[id] = tokenWeight[kindOf(token)]
    return id
  }

  /** Id of a number as written, learning it (and its normalised form, as its fold) when new. */
  #learnNumber(number: string): number {
    const id = this.#intern(numberKey + number)
    if (this.#foldOf[id]! < 0) this.#foldOf[id] = this.#intern(numberKey + normaliseNumber(number))
    return id
  }

  #intern(text: string): number {
    let id = this.#vocabulary.get(text)
    if (id !== undefined) return id
    id = this.#vocabulary.size
    this.#vocabulary.set(text, id)
    this.#textOf.push(text)
    if (id >= this.#foldOf.length) {
      const size = Math.max(1024, this.#foldOf.length * 2)
      const fold = new Int32Array(size).fill(-1)
      fold.set(this.#foldOf)
      this.#foldOf = fold
      const weight = new Float64Array(size)
      weight.set(this.#weightOf)
      this.#weightOf = weight
    }
    return id
  }

  #grow(size: number): void {
    const grow = <T extends Float64Array | Uint16Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const grown = make(size)
      grown.set(old)
      return grown
    }
    this.#totals = grow(this.#totals, (n) => new Float64Array(n))
    this.#sourceLanguage = grow(this.#sourceLanguage, (n) => new Uint16Array(n))
    this.#targetLanguage = grow(this.#targetLanguage, (n) => new Uint16Array(n))
    this.#marked = grow(this.#marked, (n) => new Uint8Array(n))
    const signatures = new Int32Array(2 * size)
    signatures.set(this.#signatures)
    this.#signatures = signatures
  }

  #languageCode(language: string): number {
    let code = this.#languageCodes.get(language)
    if (code === undefined) this.#languageCodes.set(language, (code = this.#languageCodes.size))
    return code
  }

  /**
   * Query token ids as `toIds` (score.ts) gives them: fold ids from the
   * memory's vocabulary (-1 for a token no unit has), exact ids likewise.
   */
  #ids(tokens: readonly string[]): QueryIds {
    const fold = new Int32Array(tokens.length)
    const exact = new Int32Array(tokens.length)
    const weight = new Float64Array(tokens.length)
    let total = 0
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!
      const id = this.#vocabulary.get(token)
      const known = id !== undefined && this.#foldOf[id]! >= 0
      fold[i] = known ? this.#foldOf[id]! : this.#vocabulary.get(foldToken(token)) ?? -1
      exact[i] = id ?? -1
      const w = known ? this.#weightOf[id]! : tokenWeight[kindOf(token)]
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
  return kindRank[b.kind] + (b.history ? 1 : 0) - (kindRank[a.kind] + (a.history ? 1 : 0)) || b.score - a.score || compareRank(a.entry, b.entry, query)
}

/** The tie-breakers after kind and score: the query's article, state, locale, live before retired, newer, then added first. */
function compareRank(a: Entry, b: Entry, query: TmQuery): number {
  return (
    flag(b.unit.article !== undefined && b.unit.article === query.article) - flag(a.unit.article !== undefined && a.unit.article === query.article) ||
    stateRank(b.unit.state) - stateRank(a.unit.state) ||
    flag(b.unit.targetLocale.toLowerCase() === query.targetLocale.toLowerCase()) - flag(a.unit.targetLocale.toLowerCase() === query.targetLocale.toLowerCase()) ||
    flag(a.unit.retired === true) - flag(b.unit.retired === true) ||
    compareText(b.unit.updated ?? '', a.unit.updated ?? '') ||
    a.order - b.order
  )
}

function flag(value: boolean): number {
  return value ? 1 : 0
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** First k in [from, to) whose unit's token weight passes `test` (monotone over the list, sorted by weight), or `to`. */
function firstAbove(items: Int32Array, totals: Float64Array, from: number, to: number, test: (size: number) => boolean): number {
  let low = from
  let high = to
  while (low < high) {
    const middle = (low + high) >>> 1
    if (test(totals[items[middle]!]!)) high = middle
    else low = middle + 1
  }
  return low
}

function add(map: Map<string, number | number[]>, key: string, value: number): void {
  const known = map.get(key)
  if (known === undefined) map.set(key, value)
  else if (typeof known === 'number') map.set(key, [known, value])
  else known.push(value)
}

function listOf(value: number | number[] | undefined): readonly number[] {
  return value === undefined ? [] : typeof value === 'number' ? [value] : value
}
