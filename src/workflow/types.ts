// The workflow's domain types: plain shapes passed between pure functions.
// The file format (`schema.ts`, zod) stays at the edge, in `store.ts`; a
// compile-time check there ties the two together.
import type {Finding, GlossaryCheck, Locale, Segment, SegmentState} from '../types.ts'

/** Where a target came from. */
export interface Origin {
  kind: 'engine' | 'tm' | 'human' | 'import'
  /** Engine name for `engine` (`apertium`, `deepl`, `pseudo`). */
  engine?: string
  /** Engine route or TM source, e.g. `fr-es|spa-eng`. */
  detail?: string
  /** TM match score, 0–100. */
  score?: number
  /** Person who wrote or reviewed it. */
  by?: string
  /** Machine output only: the post-edits that changed the engine's text (`rule:<id>`, `register`, `casing`, `quotes`…). */
  postEdits?: string[]
}

/** A finding a reviewer acknowledged (same rule and message). */
export interface AcknowledgedFinding {
  rule: string
  message: string
  by?: string
  at: string
}

/** One segment of a locale bundle: the source sentence, its target and where the target stands. */
export interface BundleSegment extends Segment {
  target?: string
  state: SegmentState
  origin?: Origin
  /** The source changed under a human translation: the target is kept as a suggestion until reviewed. */
  stale?: boolean
  /** The previous source and target of a stale or re-sourced segment. */
  previous?: {source: string; target: string}
  /** The segment's glossary hits, each with whether the target honours it. */
  glossary: GlossaryCheck[]
  unknown: string[]
  qa: Finding[]
  /** Findings a reviewer acknowledged: reported as `info`, they no longer block approval. */
  acknowledged?: AcknowledgedFinding[]
  /** Optimistic-concurrency counter: bumped on every change to the target or state. */
  revision: number
  updated: string
}

/** A locale bundle, `locales/<lng>/<slug>.json`. */
export interface Bundle {
  /** File format version (`bundleSchemaVersion`). */
  schema: 1
  article: string
  sourceLocale: Locale
  locale: Locale
  /** Hash of the source Markdown the segments were taken from. */
  sourceHash: string
  segments: BundleSegment[]
  /** Segments whose sentence left the source but that held work: kept, never silently deleted. */
  retired: BundleSegment[]
}
