// Bring a locale bundle in line with the article's current segments, without
// ever losing work: known ids keep their target, state and history; new ids
// start as `new`; ids that left the source but held a translation move to
// `retired` (kept for the translation memory and for review).
import type {Bundle, BundleSegment, Origin} from './types.ts'
import {bundleSchemaVersion} from './schema.ts'
import {humanStates, type Locale, type Segment} from '../types.ts'

export interface SourceArticle {
  slug: string
  sourceHash: string
  segments: Segment[]
}

export function reconcileBundle(
  existing: Bundle | undefined,
  article: SourceArticle,
  context: {sourceLocale: Locale; locale: Locale; now: string}
): Bundle {
  const previous = new Map<string, BundleSegment>()
  for (const segment of existing?.retired ?? []) previous.set(segment.id, segment)
  for (const segment of existing?.segments ?? []) previous.set(segment.id, segment)

  const current = new Set(article.segments.map((segment) => segment.id))
  const segments = article.segments.map((segment): BundleSegment => {
    const known = previous.get(segment.id)
    const position = {hash: segment.hash, unit: segment.unit, kind: segment.kind, index: segment.index, source: segment.source, tags: segment.tags}
    // Same id means the same text up to whitespace (ids hash the normalised
    // source): a re-wrapped line keeps its translation and its state.
    if (known) return {...known, ...position}
    return {
      id: segment.id,
      ...position,
      state: 'new',
      glossary: [],
      unknown: [],
      qa: [],
      revision: 0,
      updated: context.now
    }
  })

  const retired = [...previous.values()].filter((segment) => !current.has(segment.id) && segment.target !== undefined)
  retired.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  return {
    schema: bundleSchemaVersion,
    article: article.slug,
    sourceLocale: context.sourceLocale,
    locale: context.locale,
    sourceHash: article.sourceHash,
    segments,
    retired
  }
}

/** Apply a change to a segment, bumping its revision and time only when something changed. */
export function updateSegment(segment: BundleSegment, change: Partial<BundleSegment>, now: string): BundleSegment {
  const next = {...segment, ...change}
  // Acknowledged QA findings were about the old target: a new one starts without.
  if (next.target !== segment.target && next.acknowledged !== undefined && !('acknowledged' in change)) delete next.acknowledged
  // Compared as JSON; the same value or the same string needs no serialising (every QA recheck asks).
  const changed = (Object.keys(change) as (keyof BundleSegment)[]).some((key) => {
    const before = segment[key]
    const after = next[key]
    if (before === after) return false
    if (typeof before === 'string' && typeof after === 'string') return true
    return JSON.stringify(before) !== JSON.stringify(after)
  })
  if (!changed) return segment
  const targetMoved = next.target !== segment.target || next.state !== segment.state
  return {...next, revision: targetMoved ? segment.revision + 1 : segment.revision, updated: now}
}

/**
 * Put an engine's output on a segment as machine work. Human work
 * (`translated` and above) is never overwritten: the segment comes back as it
 * was. Machine output is replaced only when `force` says so.
 */
export function updateFromEngine(
  segment: BundleSegment,
  output: {text: string; unknown: readonly string[]; origin: Origin},
  context: {now: string; force?: boolean}
): BundleSegment {
  if (!needsMachine(segment, context.force)) return segment
  return updateSegment(segment, {target: output.text, state: 'machine', origin: output.origin, unknown: [...output.unknown]}, context.now)
}

/** Whether a segment wants machine output: no human work, and no target yet (or machine output to redo with `force`). */
export function needsMachine(segment: BundleSegment, force = false, done?: ReadonlySet<string>): boolean {
  if (humanStates.has(segment.state)) return false
  if (segment.target === undefined) return true
  // A forced run redoes machine output, except what it (or the interrupted run it resumes) already redid.
  return force && segment.state === 'machine' && !done?.has(segment.hash)
}
