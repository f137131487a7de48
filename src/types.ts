// Domain types shared by the pipeline stages. Wire and file formats live beside
// the stage that reads them (zod schemas at the edges); these are the plain
// shapes passed between pure functions.

/** BCP 47 language tag, e.g. `fr`, `en`, `es`, `ca`. */
export type Locale = string

/**
 * Workflow states, in order. A run never moves a segment backwards, and never
 * overwrites `translated` or above (human work).
 */
export const segmentStates = ['new', 'machine', 'fuzzy', 'translated', 'reviewed', 'approved'] as const
export type SegmentState = (typeof segmentStates)[number]

/** States that hold human work: no machine run may overwrite them. */
export const humanStates: ReadonlySet<SegmentState> = new Set(['translated', 'reviewed', 'approved'])

export function stateRank(state: SegmentState): number {
  return segmentStates.indexOf(state)
}

/**
 * Which kind of Markdown construct a segment came from. `attribute`: the
 * plain-text alt of an image or title of a link or image (no inline tags).
 */
export const unitKinds = ['heading', 'paragraph', 'listItem', 'tableCell', 'frontmatter', 'attribute'] as const
export type UnitKind = (typeof unitKinds)[number]

/**
 * What an inline tag stands for. `type` is the mdast node type (`link`,
 * `emphasis`, `strong`, `delete`, `inlineCode`, `image`, `break`, `html`, …);
 * `label` is display-only (a URL, the code) for reviewers and exchange files.
 */
export interface TagInfo {
  type: string
  label?: string
}

/**
 * One translatable sentence. `source` carries inline markup as numbered tags,
 * numbered from 1 within the segment: `Voir <1>le site</1> et <2/>.`
 */
export interface Segment {
  /** `hash`, plus `-2`, `-3`… only when one article repeats the sentence. */
  id: string
  /** Content hash of the normalised source: identical sentences share it across articles. */
  hash: string
  /** Id of the translatable unit (block or front-matter field) the segment belongs to. */
  unit: string
  kind: UnitKind
  /** Position of the segment within its unit, from 0. */
  index: number
  source: string
  tags: Record<string, TagInfo>
}

export type TermStatus = 'preferred' | 'admitted' | 'deprecated' | 'forbidden'

/** A glossary concept or do-not-translate pattern found in a source segment. */
export interface TermHit {
  /** Concept id, or pattern id for do-not-translate classes (e-mail, URL, …). */
  concept: string
  kind: 'term' | 'pattern'
  /** UTF-16 offsets into the segment source. */
  start: number
  end: number
  /** The source text as it stands in the segment (`OIM`, `d’ODD`→`ODD`). */
  text: string
  /** Do not translate: the target must contain `text` unchanged. */
  dnt: boolean
  /** Target terms that satisfy the concept, best first (empty for dnt). */
  expected: string[]
  /** Target terms that must not be used (QA error). */
  forbidden: string[]
  /** Target terms that are outdated but understood (QA warning). */
  deprecated?: string[]
  /**
   * Grammar of `expected[0]`, when the termbase records it: placeholder
   * restoration uses it to make the article before the term agree (`la OIM`).
   */
  targetGender?: 'masculine' | 'feminine' | 'neuter'
  targetNumber?: 'singular' | 'plural'
  /** `expected[0]` must keep its case even at a sentence start (acronym, proper name, `caseSensitive` in the termbase). */
  targetCaseSensitive?: boolean
}

/** A glossary hit as recorded in a bundle, with whether the target honours it. */
export interface GlossaryCheck {
  concept: string
  source: string
  expected: string[]
  found: boolean
  // The hit itself, so that QA reads it back rather than guessing it. Absent
  // from records written before they were stored; `recheck` fills them in.
  kind?: TermHit['kind']
  /** UTF-16 offsets of the hit in the segment source. */
  start?: number
  end?: number
  /** Do not translate: `expected` is the source text itself. */
  dnt?: boolean
  /** Target terms that must not be used. */
  forbidden?: string[]
  /** Target terms that are outdated but understood. */
  deprecated?: string[]
}

export type Severity = 'error' | 'warning' | 'info'

/** A content problem found by QA or reported by an engine (a diagnostic, not a thrown error). */
export interface Finding {
  rule: string
  severity: Severity
  message: string
}
