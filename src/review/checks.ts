// The review app's view of the glossary and QA stages: the termbase as it is
// on disk now, term hits per source segment, and the findings of a target.
// Nothing is re-implemented here: hits come from the glossary matcher, and
// the glossary records and QA findings from `translate`'s own
// `segmentChecks`, as `translate` and `passerelle qa` compute them, so the
// app and the CLI never disagree.
import type {BundleSegment} from '../workflow/schema.ts'
import {findForbidden, targetHasTerm} from '../glossary/index.ts'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import type {Acknowledgement} from '../qa/index.ts'
import {segmentChecks} from '../workflow/check.ts'
import type {Finding, GlossaryCheck, Locale, SegmentState, TermHit} from '../types.ts'
import type {HitView, SegmentView} from './wire.ts'

interface TargetChecks {
  /** What `translate` records in the bundle's `glossary` array. */
  glossary: GlossaryCheck[]
  /** Findings, the acknowledged ones downgraded to `info`. */
  qa: Finding[]
  /** The acknowledgements that still match a finding of `target`. */
  acknowledged: Acknowledgement[]
  hits: HitView[]
}

/** Glossary records, QA findings and hit views for `target` (none without a target), `acknowledged` applied. */
export function checkTarget(
  segment: Pick<BundleSegment, 'source' | 'tags' | 'unknown'>,
  target: string | undefined,
  state: SegmentState,
  hits: readonly TermHit[],
  locales: {source: Locale; target: Locale},
  acknowledged: readonly Acknowledgement[] = []
): TargetChecks {
  const views: HitView[] = hits.map((hit) => ({
    ...hit,
    ...(target === undefined ? {} : {found: targetHasTerm(target, hit, locales.target)}),
    forbiddenUsed: target === undefined ? [] : findForbidden(target, hit, locales.target)
  }))
  const checks = segmentChecks(
    {sourceLocale: locales.source, locale: locales.target},
    {...segment, state, acknowledged: [...acknowledged], ...(target === undefined ? {} : {target})},
    hits
  )
  return {glossary: checks.glossary, qa: checks.qa, acknowledged: checks.acknowledged ?? [], hits: views}
}

/** A stored segment as the app shows it: live hits and findings in place of the stored records. */
export function viewOf(segment: BundleSegment, glossary: GlossarySnapshot, locales: {source: Locale; target: Locale}): SegmentView {
  const checks = checkTarget(segment, segment.target, segment.state, glossary.hits(segment.source, locales.target), locales, segment.acknowledged)
  const {glossary: _records, qa: _stored, acknowledged: _acknowledged, ...rest} = segment
  return {...rest, hits: checks.hits, qa: checks.qa, ...(checks.acknowledged.length === 0 ? {} : {acknowledged: checks.acknowledged})}
}
