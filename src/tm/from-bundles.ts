// TM units from locale bundles: human work only (`translated`, `reviewed`,
// `approved`), live and retired segments alike, plus the old side of changed
// sentences (`previous`), so that a rewritten sentence finds its former
// translation. Live segments record their neighbours for context matches.
import type {Bundle, BundleSegment} from '../workflow/types.ts'
import {humanStates} from '../types.ts'
import {TranslationMemory} from './memory.ts'
import type {TmContext, TmUnit} from './types.ts'

export function unitsFromBundles(bundles: readonly Bundle[]): TmUnit[] {
  const units: TmUnit[] = []
  for (const bundle of bundles) {
    const base = unitBase(bundle)
    bundle.segments.forEach((segment, index) => units.push(...liveSegmentUnits(segment, base, contextAt(bundle.segments, index))))
    for (const segment of bundle.retired) units.push(...retiredSegmentUnits(segment, base))
  }
  return units
}

export type UnitBase = Pick<TmUnit, 'sourceLocale' | 'targetLocale' | 'article'>

export function unitBase(bundle: Pick<Bundle, 'sourceLocale' | 'locale' | 'article'>): UnitBase {
  return {sourceLocale: bundle.sourceLocale, targetLocale: bundle.locale, article: bundle.article}
}

/** The neighbours of the live segment at `index`, for context matches. */
export function contextAt(segments: readonly BundleSegment[], index: number): TmContext {
  const context: TmContext = {}
  const previous = segments[index - 1]
  const next = segments[index + 1]
  if (previous) context.previousHash = previous.hash
  if (next) context.nextHash = next.hash
  return context
}

/** The units of one live segment (a cache can swap them alone when only that segment changed). */
export function liveSegmentUnits(segment: BundleSegment, base: UnitBase, context: TmContext): TmUnit[] {
  const units: TmUnit[] = []
  // A stale target belongs to the old source, not to the current one.
  if (!segment.stale && isHumanWork(segment)) units.push(fromSegment(segment, base, {context}))
  const old = previousPair(segment, base)
  if (old) units.push(old)
  return units
}

function retiredSegmentUnits(segment: BundleSegment, base: UnitBase): TmUnit[] {
  const units: TmUnit[] = []
  if (isHumanWork(segment)) units.push(fromSegment(segment, base, {retired: true}))
  const old = previousPair(segment, base)
  if (old) units.push(old)
  return units
}

export function tmFromBundles(bundles: readonly Bundle[]): TranslationMemory {
  return new TranslationMemory(unitsFromBundles(bundles))
}

type Base = UnitBase

function isHumanWork(segment: BundleSegment): segment is BundleSegment & {target: string} {
  return humanStates.has(segment.state) && segment.target !== undefined && segment.target !== ''
}

function fromSegment(segment: BundleSegment & {target: string}, base: Base, extra: {context?: TmContext; retired?: boolean}): TmUnit {
  const unit: TmUnit = {
    source: segment.source,
    target: segment.target,
    ...base,
    hash: segment.hash,
    state: segment.state,
    origin: segment.origin ?? {kind: 'human'},
    unit: segment.unit,
    updated: segment.updated
  }
  if (extra.context && (extra.context.previousHash !== undefined || extra.context.nextHash !== undefined)) unit.context = extra.context
  if (extra.retired) unit.retired = true
  return unit
}

/**
 * The former source and target of a changed sentence. Kept when the segment is
 * stale (its target was human work on the old source) or is itself human work.
 */
function previousPair(segment: BundleSegment, base: Base): TmUnit | undefined {
  const old = segment.previous
  if (!old || old.source === '' || old.target === '') return undefined
  if (!segment.stale && !humanStates.has(segment.state)) return undefined
  return {
    source: old.source,
    target: old.target,
    ...base,
    state: humanStates.has(segment.state) ? segment.state : 'translated',
    origin: segment.origin ?? {kind: 'human'},
    unit: segment.unit,
    retired: true,
    updated: segment.updated
  }
}
