// The QA stage's own shapes: what one check sees (a segment pair plus its
// glossary hits), the context the runner computes once per segment, and the
// options that tune, replace or disable checks.
import type {Finding, Locale, SegmentState, Severity, TagInfo, TermHit} from '../types.ts'
import type {TagToken} from './text.ts'
import type {NumberToken} from './numbers.ts'
import type {DntItem, DntClass} from './dnt.ts'

/** A glossary hit as QA reads it: a `TermHit`, optionally with the concept's deprecated target terms. */
export type QaTermHit = TermHit & {deprecated?: readonly string[]}

/** One segment pair to check. */
export interface QaInput {
  /** Source with numbered inline tags (`<1>…</1>`, `<2/>`), `&lt;`/`&amp;` escaped. */
  source: string
  /** Target in the same form. */
  target: string
  sourceLocale: Locale
  targetLocale: Locale
  /** Glossary and do-not-translate hits in the source, already matched. */
  hits: readonly QaTermHit[]
  /** Words the engine reported it could not translate. */
  unknown: readonly string[]
  state: SegmentState
  /** What each tag stands for (link, emphasis…), to name tags in messages. */
  tags?: Readonly<Record<string, TagInfo>>
}

/** Does `target` contain one of the hit's expected terms? (The glossary stage's matcher.) */
export type TargetHasTerm = (target: string, hit: TermHit, locale: Locale) => boolean
/** The forbidden terms of the hit that `target` uses. (The glossary stage's matcher.) */
export type FindForbidden = (target: string, hit: TermHit, locale: Locale) => string[]

/** One side of the pair, analysed once by the runner and shared by every check. */
export interface SideView {
  /** The tagged text as stored. */
  raw: string
  locale: Locale
  /** Primary language subtag, lower case (`fr` for `fr-CA`). */
  language: string
  /** Every `<…>` in the text, valid tags and stray markup. */
  tags: TagToken[]
  /** Text without tags, entities decoded. */
  plain: string
  /** `plain` with spaces normalised and do-not-translate items blanked out (an invisible separator). */
  masked: string
  /** Numbers outside do-not-translate items, in order. */
  numbers: NumberToken[]
}

export interface QaContext {
  source: SideView
  target: SideView
  /** Do-not-translate items of the source (glossary `dnt` hits and built-in patterns), distinct. */
  dnt: DntItem[]
  settings: QaSettings
  targetHasTerm: TargetHasTerm
  findForbidden: FindForbidden
}

/** A check: pure, from one segment pair to its findings. */
export type Check = (input: QaInput, context: QaContext) => Finding[]

export interface LengthRatioSettings {
  /** Expected target/source length ratio per language pair (`fr-en`): `[low, high]`. */
  bands: Record<string, readonly [number, number]>
  /** Band used for a pair that has none. */
  fallback: readonly [number, number]
  /** Flag below `low × (1 − slack)` or above `high × (1 + slack)`. */
  slack: number
  /** Segments with fewer source characters (tags excluded) are not measured. */
  minSourceLength: number
}

export interface QaSettings {
  lengthRatio: LengthRatioSettings
  /** Do-not-translate pattern classes recognised in every source, on top of the glossary's `dnt` hits. */
  dntPatterns: readonly DntClass[]
}

export interface QaOptions {
  /** Replace a check (by rule id), add one, or disable one with `false`. */
  checks?: Record<string, Check | false | undefined>
  /** Force the severity of every finding of a rule (e.g. make `glossary-missing` an error). */
  severities?: Record<string, Severity>
  /** Glossary matcher; default: a built-in case-insensitive whole-word match (see the QA section of the README). */
  targetHasTerm?: TargetHasTerm
  /** Glossary matcher; default: a built-in case-insensitive whole-word match. */
  findForbidden?: FindForbidden
  lengthRatio?: Partial<LengthRatioSettings>
  /** Built-in do-not-translate classes; `false` keeps only the glossary's `dnt` hits. */
  dntPatterns?: readonly DntClass[] | false
}
