// Which targets may be shown to readers: one rule for `build` (dist/ and its
// i18next bundles) and for `export --format i18next`, so the two never differ.
import {tagMismatches} from '../segment/index.ts'
import {stateRank, type SegmentState} from '../types.ts'
import type {Bundle, BundleSegment} from './types.ts'

/**
 * A target is publishable when it is not empty, not stale, at or above
 * `minState`, and carries exactly its source's tags (otherwise it would lose
 * or invent markup).
 */
export function isPublishable(segment: BundleSegment, minState: SegmentState): segment is BundleSegment & {target: string} {
  if (segment.target === undefined || segment.target === '' || segment.stale) return false
  if (stateRank(segment.state) < stateRank(minState)) return false
  try {
    return tagMismatches(segment.source, segment.target).length === 0
  } catch {
    return false
  }
}

/** `{segment id: target}` for the publishable segments of a bundle (an i18next namespace). */
export function publishableTargets(bundle: Bundle, minState: SegmentState): Record<string, string> {
  const resource: Record<string, string> = {}
  for (const segment of bundle.segments) if (isPublishable(segment, minState)) resource[segment.id] = segment.target
  return resource
}
