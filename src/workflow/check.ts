// Per-segment checks that need no engine: glossary adherence and QA. One
// place computes them for `translate`, the review app, `qa` and the XLIFF
// import, from one source of term hits (the glossary matcher), so that none
// of them disagrees. Re-run on every `translate`, so that a glossary or rule
// change shows at once.
import {findForbidden, targetHasTerm} from '../glossary/index.ts'
import {applyAcknowledgements, type Acknowledgement} from '../qa/acknowledge.ts'
import {runChecks} from '../qa/run-checks.ts'
import type {Finding, GlossaryCheck, Locale, SegmentState, TermHit} from '../types.ts'
import {qaInputFor} from './qa.ts'
import {updateSegment} from './reconcile.ts'
import type {Bundle, BundleSegment} from './types.ts'

/**
 * What a bundle records of each hit: the hit itself (offsets, do-not-translate,
 * expected and forbidden terms), so that QA never has to guess it back, and
 * whether the target honours it.
 */
export function glossaryChecks(target: string | undefined, hits: readonly TermHit[], locale: Locale): GlossaryCheck[] {
  return hits.map((hit) => ({
    concept: hit.concept,
    source: hit.text,
    expected: hit.dnt ? [hit.text] : hit.expected,
    found: target !== undefined && targetHasTerm(target, hit, locale),
    kind: hit.kind,
    start: hit.start,
    end: hit.end,
    dnt: hit.dnt,
    forbidden: hit.forbidden,
    ...(hit.deprecated && hit.deprecated.length > 0 ? {deprecated: hit.deprecated} : {})
  }))
}

/**
 * The hits a segment's records hold, exactly as the matcher gave them.
 * Records written before hits were stored (no offsets, no `dnt`) say too
 * little to rebuild a hit: they are left out, and the next `recheck` with the
 * termbase at hand records them in full.
 */
export function recordedHits(segment: Pick<BundleSegment, 'glossary'>): TermHit[] {
  const hits: TermHit[] = []
  for (const record of segment.glossary) {
    if (record.start === undefined || record.end === undefined || record.dnt === undefined) continue
    hits.push({
      concept: record.concept,
      kind: record.kind ?? 'term',
      start: record.start,
      end: record.end,
      text: record.source,
      dnt: record.dnt,
      expected: record.dnt ? [] : record.expected,
      forbidden: record.forbidden ?? [],
      ...(record.deprecated ? {deprecated: record.deprecated} : {})
    })
  }
  return hits
}

/** Hits that a target can be held to: do-not-translate items, and terms with a known target. */
export function checkableHits(hits: readonly TermHit[]): TermHit[] {
  return hits.filter((hit) => hit.dnt || hit.expected.length > 0)
}

/**
 * Glossary records and QA findings for a segment's target, its reviewer's
 * acknowledgements applied. `acknowledged` is in the answer only when some
 * were recorded: then it holds those still matching a finding (`undefined`
 * when none does, which `updateSegment` writes as no key).
 */
export function segmentChecks(
  bundle: Pick<Bundle, 'sourceLocale' | 'locale'>,
  segment: Pick<BundleSegment, 'source' | 'unknown' | 'state' | 'tags' | 'target' | 'acknowledged'>,
  hits: readonly TermHit[]
): Pick<BundleSegment, 'glossary' | 'qa' | 'acknowledged'> {
  const glossary = glossaryChecks(segment.target, checkableHits(hits), bundle.locale)
  const raw = segment.target === undefined ? [] : runChecks(qaInputFor(bundle, segment, segment.target, hits))
  const {findings: qa, acknowledged} = applyAcknowledgements(raw, segment.acknowledged)
  if (segment.acknowledged === undefined) return {glossary, qa}
  return {glossary, qa, acknowledged: acknowledged.length === 0 ? undefined : acknowledged}
}

/** A hit as a person sees it against a target: whether the target honours it, and the forbidden terms it uses. */
export type HitCheck = TermHit & {found?: boolean; forbiddenUsed: string[]}

export interface TargetChecks {
  /** What the bundle records in its `glossary` array. */
  glossary: GlossaryCheck[]
  /** Findings, the acknowledged ones downgraded to `info`. */
  qa: Finding[]
  /** The acknowledgements that still match a finding of `target`. */
  acknowledged: Acknowledgement[]
  hits: HitCheck[]
}

/** Each hit against `target`: found or not, and the forbidden terms it uses (cheap: no QA). */
export function hitChecks(hits: readonly TermHit[], target: string | undefined, locale: Locale): HitCheck[] {
  return hits.map((hit) => ({
    ...hit,
    ...(target === undefined ? {} : {found: targetHasTerm(target, hit, locale)}),
    forbiddenUsed: target === undefined ? [] : findForbidden(target, hit, locale)
  }))
}

/**
 * Glossary records, QA findings and hit checks for a candidate `target` in
 * `state` (none without a target), `acknowledged` applied: what an edit would
 * record, and what the review app shows.
 */
export function checkTarget(
  segment: Pick<BundleSegment, 'source' | 'tags' | 'unknown'>,
  target: string | undefined,
  state: SegmentState,
  hits: readonly TermHit[],
  locales: {source: Locale; target: Locale},
  acknowledged: readonly Acknowledgement[] = []
): TargetChecks {
  const checked = hitChecks(hits, target, locales.target)
  const checks = segmentChecks(
    {sourceLocale: locales.source, locale: locales.target},
    {source: segment.source, tags: segment.tags, unknown: segment.unknown, state, acknowledged: [...acknowledged], ...(target === undefined ? {} : {target})},
    hits
  )
  return {glossary: checks.glossary, qa: checks.qa, acknowledged: checks.acknowledged ?? [], hits: checked}
}

/**
 * Record fresh glossary checks and QA findings on a segment (its target and
 * state unchanged), from the current hits of its source. Bumps neither the
 * revision nor, when nothing changed, the time.
 */
export function recheck(segment: BundleSegment, hits: readonly TermHit[], bundle: Pick<Bundle, 'sourceLocale' | 'locale'>, now: string): BundleSegment {
  return updateSegment(segment, segmentChecks(bundle, segment, hits), now)
}
