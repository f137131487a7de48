// The review app's one write path for segments: a change computed from the
// bundle as it is on disk now and written by the workflow's `updateBundle`
// (locked, validated, atomic), serialised per bundle within this server; then
// one history event per changed segment appended to the bundle's journal,
// and the translation memory told which file changed (no rebuild). Saves,
// acknowledgements, reverts and bulk approval all come here.
import {relative} from 'node:path'
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import type {Locale} from '../types.ts'
import {appendJournal, editEventOf, journalPath, type JournalEvent} from '../workflow/journal.ts'
import {bundlePath, loadBundle, updateBundle} from '../workflow/store.ts'
import type {Bundle, BundleSegment} from '../workflow/types.ts'
import type {GlossaryCache} from './glossary-cache.ts'
import type {KeyedLock} from './lock.ts'
import type {TmCache} from './suggestions.ts'

export interface WriteContext {
  project: Project
  locks: KeyedLock
  tm: TmCache
  glossary: GlossaryCache
}

export interface BundleUpdate<R> {
  /** Segments to replace, by index (the same object means unchanged). */
  changes: Map<number, BundleSegment>
  result: R
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
  record: {at: string; by: string; via?: string},
  update: (bundle: Bundle, glossary: GlossarySnapshot) => BundleUpdate<R>
): Promise<R> {
  const {project} = context
  const path = bundlePath(project.localesDir, locale, slug)
  const glossary = await context.glossary.read()
  return context.locks.run(path, async () => {
    let result: R | undefined
    const events: JournalEvent[] = []
    const updated = await updateBundle(project, locale, slug, (bundle) => {
      if (!bundle) throw new PasserelleError('E_NOT_FOUND', `no bundle for ${locale}/${slug}`, {hint: 'run `passerelle translate` first'})
      const outcome = update(bundle, glossary)
      result = outcome.result
      let changed = false
      const segments = bundle.segments.map((current, index) => {
        const next = outcome.changes.get(index)
        if (!next || next === current) return current
        changed = true
        const event = editEventOf(current, next, {at: record.at, by: record.by, ...(record.via ? {via: record.via} : {})})
        if (event) events.push(event)
        return next
      })
      return changed ? {...bundle, segments} : undefined
    })
    if (updated.written && updated.bundle) {
      // After the bundle: a crash in between loses a history line, never a translation.
      await appendJournal(journalPath(project.localesDir, locale, slug), events)
      await context.tm.saved(updated.bundle)
    }
    return result as R
  })
}

export async function readBundle(project: Project, locale: Locale, slug: string): Promise<Bundle> {
  const path = bundlePath(project.localesDir, locale, slug)
  const bundle = await loadBundle(path, relative(project.root, path))
  if (!bundle) throw new PasserelleError('E_NOT_FOUND', `no bundle for ${locale}/${slug}`, {hint: 'run `passerelle translate` first'})
  return bundle
}
