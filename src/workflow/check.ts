// Per-segment checks that need no engine: glossary adherence and QA.
// Re-run on every `translate`, so that a glossary or rule change shows at once.
import type {Bundle, BundleSegment} from './schema.ts'
import {targetHasTerm} from '../glossary/index.ts'
import {applyAcknowledgements, qaInputFor, runChecks} from '../qa/index.ts'
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
