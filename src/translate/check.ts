// Per-segment checks that need no engine: glossary adherence now, QA later.
// Re-run on every `translate`, so a glossary change shows at once.
import type {BundleSegment} from '../bundle/schema.ts'
import {targetHasTerm} from '../glossary/index.ts'
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

export function segmentChecks(segment: BundleSegment, hits: readonly TermHit[], locale: Locale): Pick<BundleSegment, 'glossary'> {
  return {glossary: glossaryChecks(segment.target, checkableHits(hits), locale)}
}
