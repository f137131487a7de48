// The review app's view of the glossary and QA stages: the termbase as it is
// on disk now, term hits per source segment, and the findings of a target.
// Nothing is re-implemented here: hits come from the glossary matcher, and
// the hit checks and QA findings from the workflow's `checkTarget`, the one
// that edits, `translate` and `passerelle qa` use, so the app and the CLI
// never disagree.
import type {BundleSegment} from '../workflow/types.ts'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import {checkTarget} from '../workflow/check.ts'
import type {Locale} from '../types.ts'
import type {SegmentView} from './wire.ts'

/** A stored segment as the app shows it: live hits and findings in place of the stored records. */
export function viewOf(segment: BundleSegment, glossary: GlossarySnapshot, locales: {source: Locale; target: Locale}): SegmentView {
  const checks = checkTarget(segment, segment.target, segment.state, glossary.hits(segment.source, locales.target), locales, segment.acknowledged)
  const {glossary: _records, qa: _stored, acknowledged: _acknowledged, ...rest} = segment
  return {...rest, hits: checks.hits, qa: checks.qa, ...(checks.acknowledged.length === 0 ? {} : {acknowledged: checks.acknowledged})}
}
