// QA over a whole bundle, pure: build each segment's input, run the checks,
// and give back the bundle with fresh `qa` arrays. `qaProject` calls it on
// every bundle on disk.
import {applyAcknowledgements, withAcknowledged} from '../qa/acknowledge.ts'
import {runChecks} from '../qa/run-checks.ts'
import type {QaInput, QaOptions, QaTermHit} from '../qa/types.ts'
import type {Finding, Locale} from '../types.ts'
import {recordedHits} from './check.ts'
import type {Bundle, BundleSegment} from './types.ts'

/** The glossary hits of a source segment for a target locale (the glossary stage's matcher). */
export type HitsFor = (source: string, targetLocale: Locale, sourceLocale: Locale) => readonly QaTermHit[]

export interface CheckBundleOptions {
  /** Current glossary hits; default: the hits each segment's `glossary` records hold. */
  hitsFor?: HitsFor
  qa?: QaOptions
}

export interface SegmentFindings {
  id: string
  state: BundleSegment['state']
  findings: Finding[]
}

export interface CheckedBundle {
  bundle: Bundle
  /** Segments that have a target, with their findings (possibly none). */
  checked: SegmentFindings[]
  /** Whether any segment's `qa` array changed. */
  changed: boolean
}

export function qaInputFor(
  bundle: Pick<Bundle, 'sourceLocale' | 'locale'>,
  segment: Pick<BundleSegment, 'source' | 'unknown' | 'state' | 'tags'>,
  target: string,
  hits: readonly QaTermHit[]
): QaInput {
  return {
    source: segment.source,
    target,
    sourceLocale: bundle.sourceLocale,
    targetLocale: bundle.locale,
    hits,
    unknown: segment.unknown,
    state: segment.state,
    tags: segment.tags
  }
}

/**
 * Recompute `qa` for every segment with a target; segments without one get
 * `qa: []`. Acknowledged findings are downgraded to `info`, and
 * acknowledgements that match no finding any more are dropped.
 */
export function checkBundle(bundle: Bundle, options: CheckBundleOptions = {}): CheckedBundle {
  const checked: SegmentFindings[] = []
  let changed = false
  const segments = bundle.segments.map((segment) => {
    let qa: Finding[] = []
    let acknowledged: BundleSegment['acknowledged'] = []
    if (segment.target !== undefined) {
      const hits = options.hitsFor ? options.hitsFor(segment.source, bundle.locale, bundle.sourceLocale) : recordedHits(segment)
      ;({findings: qa, acknowledged} = applyAcknowledgements(runChecks(qaInputFor(bundle, segment, segment.target, hits), options.qa), segment.acknowledged))
      checked.push({id: segment.id, state: segment.state, findings: qa})
    }
    // `acknowledged` only ever loses entries here, so the same length is the same list.
    if (sameFindings(segment.qa, qa) && (segment.acknowledged ?? []).length === acknowledged.length) return segment
    changed = true
    return withAcknowledged({...segment, qa}, acknowledged)
  })
  return {bundle: changed ? {...bundle, segments} : bundle, checked, changed}
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f.rule === b[i]?.rule && f.severity === b[i]?.severity && f.message === b[i]?.message)
}
