// The translation memory's domain types: plain shapes, no I/O.
import type {Origin} from '../workflow/types.ts'
import type {Locale, SegmentState} from '../types.ts'

/** The segments around a unit's sentence, by content hash, in article order. */
export interface TmContext {
  previousHash?: string
  nextHash?: string
}

/** One source/target pair in the memory. Texts use the segment tag syntax (`<1>…</1>`, `<2/>`). */
export interface TmUnit {
  source: string
  target: string
  sourceLocale: Locale
  targetLocale: Locale
  /** Segment content hash of the source, when the unit came from a bundle or a Passerelle TMX. */
  hash?: string
  state: SegmentState
  origin: Origin
  /** Article slug the pair was taken from. */
  article?: string
  /** Translatable unit (block) id within the article. */
  unit?: string
  context?: TmContext
  /** The sentence left its article (retired segment, or the old side of a changed sentence). */
  retired?: boolean
  /** ISO 8601 times. */
  created?: string
  updated?: string
}

export interface TmQuery {
  source: string
  targetLocale: Locale
  /** Only units with this source language (primary subtag) when given. */
  sourceLocale?: Locale
  /** Segment hash: a unit with the same hash is an exact match. */
  hash?: string
  context?: TmContext
  /** Where the query comes from: the article's own retired sentences rank first among fuzzy matches. */
  article?: string
  unit?: string
}

export type TmMatchKind = 'context' | 'exact' | 'fuzzy'

export interface TagDifferences {
  /** Tags of the query that the unit's source lacks (the target will need them). */
  missing: string[]
  /** Tags of the unit's source that the query lacks. */
  extra: string[]
  /** Same tags, at other places in the sentence. */
  moved: boolean
}

export interface NumberDifferences {
  /** Numbers of the query that the unit's source lacks, in query order. */
  missing: string[]
  /** Numbers of the unit's source that the query lacks, in source order. */
  extra: string[]
}

export interface TmDifferences {
  tags?: TagDifferences
  numbers?: NumberDifferences
}

export interface TmMatch {
  unit: TmUnit
  /** 0–99 fuzzy, 100 exact, 101 exact in the same neighbourhood (context match). */
  score: number
  kind: TmMatchKind
  differences: TmDifferences
}

export interface TmPenalties {
  /** Points off per differing tag (paired tags count once), and once if tags moved. Default 1. */
  tag: number
  /** Points off per changed number. Default 1. */
  number: number
  /** At most this many points off for tags, and as many for numbers. Default 3. */
  cap: number
}

export interface LookupOptions {
  /** Lowest fuzzy score returned, 0–100 (default 75). */
  threshold?: number
  /** Most matches returned (default 5). */
  limit?: number
  penalties?: Partial<TmPenalties>
  /** Reference mode for tests: score every unit instead of using the index. */
  scan?: boolean
  /** Filled in by the lookup, for benchmarks and tests. */
  stats?: LookupStats
}

export interface LookupStats {
  /** Units the index proposed (or every unit of the language when scanning). */
  candidates: number
  /** Units whose edit distance was computed. */
  scored: number
}
