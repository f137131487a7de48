// The review app's write paths for segments: a change computed from the
// bundle (or, for one segment, from that segment) as it is stored now and
// written by the bundle store's `update` (or `updateSegment`)
// (locked, merged by revision, validated, atomic: files or one database
// transaction), serialised per bundle within this server; one history event
// per changed segment goes with it (the journal file, or audit rows), and the
// translation memory is told which bundle changed (no rebuild). Saves,
// acknowledgements, reverts and bulk approval all come here.
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import type {Locale} from '../types.ts'
import type {BundleStore, StoreActor, StoreUpdateOptions} from '../workflow/bundle-store.ts'
import {editEventOf, type JournalEvent} from '../workflow/journal.ts'
import type {Bundle, BundleSegment} from '../workflow/types.ts'
import type {GlossaryCache} from './glossary-cache.ts'
import type {KeyedLock} from './lock.ts'
import type {TmCache} from './suggestions.ts'

export interface WriteContext {
  project: Project
  store: BundleStore
  locks: KeyedLock
  tm: TmCache
  glossary: GlossaryCache
}

export interface BundleUpdate<R> {
  /** Segments to replace, by index (the same object means unchanged). */
  changes: Map<number, BundleSegment>
  result: R
}

type WriteRecord = {at: string; by: string; via?: string; actor?: StoreActor}

/**
 * What both writes share: the glossary as it is now, the bundle's lock in
 * this server, and the history: `edited` records one changed segment, and
 * `options` hands the events and the actor to the store's update.
 */
async function underLock<R>(
  context: WriteContext,
  locale: Locale,
  slug: string,
  record: WriteRecord,
  write: (glossary: GlossarySnapshot, edited: (current: BundleSegment, next: BundleSegment) => void, options: StoreUpdateOptions) => Promise<R>
): Promise<R> {
  const glossary = await context.glossary.read()
  return context.locks.run(context.store.display(locale, slug), () => {
    const events: JournalEvent[] = []
    const edited = (current: BundleSegment, next: BundleSegment) => {
      const event = editEventOf(current, next, {at: record.at, by: record.by, ...(record.via ? {via: record.via} : {})})
      if (event) events.push(event)
    }
    return write(glossary, edited, {events: () => events, ...(record.actor ? {actor: record.actor} : {})})
  })
}

/**
 * Run `update` on the bundle as it is on disk now; save what it changed and
 * record it in the history (`via` says why, e.g. `revert`). `update` may throw
 * to refuse (nothing is written then).
 */
export async function updateSegments<R>(
  context: WriteContext,
  locale: Locale,
  slug: string,
  record: WriteRecord,
  update: (bundle: Bundle, glossary: GlossarySnapshot) => BundleUpdate<R>
): Promise<R> {
  return underLock(context, locale, slug, record, async (glossary, edited, options) => {
    let result: R | undefined
    const updated = await context.store.update(
      locale,
      slug,
      (bundle) => {
        if (!bundle) throw new PasserelleError('E_NOT_FOUND', `no bundle for ${locale}/${slug}`, {hint: 'run `passerelle translate` first'})
        const outcome = update(bundle, glossary)
        result = outcome.result
        let changed = false
        const segments = bundle.segments.map((current, index) => {
          const next = outcome.changes.get(index)
          if (!next || next === current) return current
          changed = true
          edited(current, next)
          return next
        })
        return changed ? {...bundle, segments} : undefined
      },
      options
    )
    if (updated.written && updated.bundle) await context.tm.saved(updated.bundle, updated.stamp)
    return result as R
  })
}

/**
 * Run `update` on one segment as it is stored now (the bundle store's
 * `updateSegment`: in the database only that segment's row is read and
 * written); save the segment it gives back and record the edit in the
 * history. `update` may throw to refuse (nothing is written then).
 */
export async function updateSegment<R>(
  context: WriteContext,
  locale: Locale,
  slug: string,
  id: string,
  record: WriteRecord,
  update: (segment: BundleSegment, bundle: {sourceLocale: string}, glossary: GlossarySnapshot) => {next: BundleSegment; result: R}
): Promise<R> {
  return underLock(context, locale, slug, record, async (glossary, edited, options) => {
    let result: R | undefined
    const updated = await context.store.updateSegment(
      locale,
      slug,
      id,
      (segment, bundle) => {
        if (!bundle) throw new PasserelleError('E_NOT_FOUND', `no bundle for ${locale}/${slug}`, {hint: 'run `passerelle translate` first'})
        if (!segment) throw new PasserelleError('E_NOT_FOUND', `no segment ${id} in ${locale}/${slug}`)
        const outcome = update(segment, bundle, glossary)
        result = outcome.result
        if (outcome.next !== segment) edited(segment, outcome.next)
        return outcome.next
      },
      options
    )
    if (updated.written && updated.bundle) await context.tm.saved(updated.bundle)
    else if (updated.written && updated.segment && updated.stamps) await context.tm.savedSegment(locale, slug, updated.segment, updated.stamps)
    return result as R
  })
}

export async function readBundle(store: BundleStore, locale: Locale, slug: string): Promise<Bundle> {
  const bundle = await store.read(locale, slug)
  if (!bundle) throw new PasserelleError('E_NOT_FOUND', `no bundle for ${locale}/${slug}`, {hint: 'run `passerelle translate` first'})
  return bundle
}
