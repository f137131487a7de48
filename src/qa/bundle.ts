// QA over a whole bundle, pure: build each segment's input, run the checks,
// and give back the bundle with fresh `qa` arrays. `translate` can call it
// after a run; `qaProject` calls it on every bundle on disk.
import type {Bundle, BundleSegment} from '../workflow/schema.ts'
import type {Finding, Locale} from '../types.ts'
import {applyAcknowledgements, withAcknowledged} from './acknowledge.ts'
import {runChecks} from './run-checks.ts'
import type {QaInput, QaOptions, QaTermHit} from './types.ts'

/** The glossary hits of a source segment for a target locale (the glossary stage's matcher). */
export type HitsFor = (source: string, targetLocale: Locale, sourceLocale: Locale) => readonly QaTermHit[]

export interface CheckBundleOptions {
  /** Current glossary hits; default: rebuilt from each segment's recorded `glossary` checks. */
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
 * Hits rebuilt from a segment's recorded glossary checks, for when no
 * termbase is at hand. A record whose only expected text is its source text
 * is read as do-not-translate (that is how `translate` records `dnt` hits);
 * forbidden terms are not recorded, so `glossary-forbidden` needs `hitsFor`.
 */
export function hitsFromRecords(segment: BundleSegment): QaTermHit[] {
  return segment.glossary.map((record) => {
    const start = Math.max(0, segment.source.indexOf(record.source))
    const dnt = record.expected.length === 1 && record.expected[0] === record.source
    return {
      concept: record.concept,
      kind: 'term',
      start,
      end: start + record.source.length,
      text: record.source,
      dnt,
      expected: dnt ? [] : record.expected,
      forbidden: []
    }
  })
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
      const hits = options.hitsFor ? options.hitsFor(segment.source, bundle.locale, bundle.sourceLocale) : hitsFromRecords(segment)
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
