// Which targets may be shown to readers: one rule (the publish gate) for
// `build` (dist/ and its i18next bundles) and for `export --format i18next`,
// so the two never differ. What the gate holds back falls back to the source
// language, and the reason is what the build report lists.
import {acknowledges} from '../qa/acknowledge.ts'
import {tagMismatches} from '../segment/index.ts'
import {stateRank, type SegmentState} from '../types.ts'
import type {Bundle, BundleSegment} from './types.ts'

/**
 * Why a target is held back:
 * - `qa`: a QA error no reviewer acknowledged (a changed number, a forbidden term…);
 * - `stale`: the source changed under the translation;
 * - `state`: below the publish state (`--min-state`, `publishState`);
 * - `missing`: no target at all;
 * - `tags`: its inline tags differ from the source's (it would lose or invent markup).
 */
export type HoldReason = 'qa' | 'stale' | 'state' | 'missing' | 'tags'

export type PublishVerdict = {publish: true; target: string} | {publish: false; reason: HoldReason; detail: string}

/**
 * The publish gate for one segment. Checked in this order so that the report
 * names the most serious reason: a stale target is stale whatever its QA says,
 * and a QA error matters more than a low state.
 */
export function publishVerdict(segment: BundleSegment, minState: SegmentState): PublishVerdict {
  if (segment.target === undefined || segment.target === '') return {publish: false, reason: 'missing', detail: 'no translation'}
  if (segment.stale) return {publish: false, reason: 'stale', detail: 'the French source changed since it was translated'}
  const error = segment.qa.find(
    (finding) => finding.severity === 'error' && !(segment.acknowledged ?? []).some((item) => acknowledges(item, finding))
  )
  if (error) return {publish: false, reason: 'qa', detail: `QA ${error.rule}: ${error.message}`}
  if (stateRank(segment.state) < stateRank(minState)) {
    return {publish: false, reason: 'state', detail: `state ${segment.state} is below ${minState}`}
  }
  let mismatched: boolean
  try {
    mismatched = tagMismatches(segment.source, segment.target).length > 0
  } catch {
    mismatched = true
  }
  if (mismatched) return {publish: false, reason: 'tags', detail: 'its inline tags differ from the source'}
  return {publish: true, target: segment.target}
}

export function isPublishable(segment: BundleSegment, minState: SegmentState): segment is BundleSegment & {target: string} {
  return publishVerdict(segment, minState).publish
}

/** `{segment id: target}` for the publishable segments of a bundle (an i18next namespace). */
export function publishableTargets(bundle: Bundle, minState: SegmentState): Record<string, string> {
  const resource: Record<string, string> = {}
  for (const segment of bundle.segments) {
    const verdict = publishVerdict(segment, minState)
    if (verdict.publish) resource[segment.id] = verdict.target
  }
  return resource
}

/** Segment id → why it is held back, for the segments of a bundle the gate refuses. */
export function heldSegments(bundle: Bundle, minState: SegmentState): Map<string, {reason: HoldReason; detail: string}> {
  const held = new Map<string, {reason: HoldReason; detail: string}>()
  for (const segment of bundle.segments) {
    const verdict = publishVerdict(segment, minState)
    if (!verdict.publish) held.set(segment.id, {reason: verdict.reason, detail: verdict.detail})
  }
  return held
}
