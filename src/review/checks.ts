// The review app's view of the glossary and QA stages: the termbase as it is
// on disk now, term hits per source segment, and the findings of a target.
// Nothing is re-implemented here: hits come from the glossary matcher, and
// the glossary records and QA findings from `translate`'s own
// `segmentChecks`, as `translate` and `passerelle qa` compute them, so the
// app and the CLI never disagree.
import type {BundleSegment} from '../bundle/schema.ts'
import {PasserelleError} from '../errors.ts'
import {compileMatcher, findForbidden, loadTermbase, targetHasTerm, type Matcher} from '../glossary/index.ts'
import type {Termbase} from '../glossary/types.ts'
import type {Acknowledgement} from '../qa/index.ts'
import {segmentChecks} from '../translate/check.ts'
import type {Finding, GlossaryCheck, Locale, SegmentState, TermHit} from '../types.ts'
import type {HitView, SegmentView} from './wire.ts'

export interface GlossarySnapshot {
  termbase: Termbase
  problems: string[]
  /** Term hits in a source segment, with the expected terms of `locale`. */
  hits(source: string, locale: Locale): TermHit[]
}

/** Read the termbase now (a missing folder is an empty termbase with a problem). */
export async function readGlossary(dir: string, sourceLocale: Locale): Promise<GlossarySnapshot> {
  let termbase: Termbase = {concepts: [], patterns: []}
  let problems: string[] = []
  try {
    const loaded = await loadTermbase(dir)
    termbase = loaded.termbase
    problems = loaded.problems.map((problem) => problem.toLine())
  } catch (error) {
    if (!(error instanceof PasserelleError)) throw error
    problems = [error.toLine()]
  }
  return snapshotOf(termbase, problems, sourceLocale)
}

function snapshotOf(termbase: Termbase, problems: string[], sourceLocale: Locale): GlossarySnapshot {
  const matchers = new Map<Locale, Matcher>()
  return {
    termbase,
    problems,
    hits(source, locale) {
      let matcher = matchers.get(locale)
      if (!matcher) matchers.set(locale, (matcher = compileMatcher(termbase, {source: sourceLocale, target: locale})))
      return matcher.match(source)
    }
  }
}

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
