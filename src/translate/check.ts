// Per-segment checks that need no engine: glossary adherence and QA.
// Re-run on every `translate`, so that a glossary or rule change shows at once.
import type {Bundle, BundleSegment} from '../bundle/schema.ts'
import {findForbidden, targetHasTerm} from '../glossary/index.ts'
import {qaInputFor, runChecks} from '../qa/index.ts'
import type {GlossaryCheck, Locale, TermHit} from '../types.ts'

export function glossaryChecks(target: string | undefined, hits: readonly TermHit[], locale: Locale): GlossaryCheck[] {
  return hits.map((hit) => ({
    concept: hit.concept,
    source: hit.text,
    expected: hit.dnt ? [hit.text] : hit.expected,
    found: target !== undefined && targetHasTerm(target, hit, locale)
  }))
}

/** Hits that a target can be held to: do-not-translate items, and terms with a known target. */
export function checkableHits(hits: readonly TermHit[]): TermHit[] {
  return hits.filter((hit) => hit.dnt || hit.expected.length > 0)
}

export function segmentChecks(bundle: Bundle, segment: BundleSegment, hits: readonly TermHit[]): Pick<BundleSegment, 'glossary' | 'qa'> {
  const glossary = glossaryChecks(segment.target, checkableHits(hits), bundle.locale)
  const qa = segment.target === undefined ? [] : runChecks(qaInputFor(bundle, segment, segment.target, hits), {targetHasTerm, findForbidden})
  return {glossary, qa}
}
