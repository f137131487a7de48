// The review app's one write path for segments: read-modify-write of one
// bundle under its locks (in process, then on disk), the bundle saved
// atomically, then one history event per changed segment appended to the
// bundle's journal, and the translation memory told which file changed (no
// rebuild). Saves, acknowledgements, reverts and bulk approval all come here.
import {relative} from 'node:path'
import type {Bundle, BundleSegment} from '../bundle/schema.ts'
import {saveBundle} from '../bundle/save.ts'
import {appendJournal, editEventOf, journalPath, type JournalEvent} from '../bundle/journal.ts'
import {bundlePath, loadBundle} from '../bundle/store.ts'
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import type {GlossaryCache} from './glossary-cache.ts'
import {withFileLock} from '../io/lock.ts'
import type {Locale} from '../types.ts'
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
  update: (bundle: Bundle, glossary: GlossarySnapshot) => BundleUpdate<R> | Promise<BundleUpdate<R>>
): Promise<R> {
  const {project} = context
  const path = bundlePath(project.localesDir, locale, slug)
  return context.locks.run(path, () =>
    withFileLock(path, async () => {
      const bundle = await readBundle(project, locale, slug)
      const glossary = await context.glossary.read()
      const {changes, result} = await update(bundle, glossary)
      const events: JournalEvent[] = []
      let changed = false
      for (const [index, next] of changes) {
        const current = bundle.segments[index]
        if (!current || next === current) continue
        changed = true
        bundle.segments[index] = next
        const event = editEventOf(current, next, {at: record.at, by: record.by, ...(record.via ? {via: record.via} : {})})
        if (event) events.push(event)
      }
      if (changed) {
        await saveBundle(path, bundle)
        // After the bundle: a crash in between loses a history line, never a translation.
        await appendJournal(journalPath(project.localesDir, locale, slug), events)
        await context.tm.saved(bundle)
      }
      return result
    })
  )
}

export async function readBundle(project: Project, locale: Locale, slug: string): Promise<Bundle> {
  const path = bundlePath(project.localesDir, locale, slug)
  const bundle = await loadBundle(path, relative(project.root, path))
  if (!bundle) throw new PasserelleError('E_NOT_FOUND', `no bundle for ${locale}/${slug}`, {hint: 'run `passerelle translate` first'})
  return bundle
}
