// Where bundles and their history live, behind one interface: the project's
// files (`fileBundleStore`, the default: `locales/<lng>/<slug>.json` and the
// `.history.jsonl` beside it) or the team database (`src/db/bundle-store.ts`).
// Every store runs the same pure steps (`prepareUpdate`: merge by revision,
// validate, serialise) between its own read and write; only the locking and
// the storage differ. Callers (the review app, `translate`) take a store and
// never know which one they hold.
import {readFile, stat} from 'node:fs/promises'
import {relative} from 'node:path'
import type {PasserelleError} from '../errors.ts'
import {appendJournal, journalPath, readJournal, type Journal, type JournalEvent} from './journal.ts'
import {
  bundlePath,
  listBundleLocales,
  listBundleSlugs,
  loadBundle,
  loadLocaleBundles,
  updateBundle,
  updateBundles,
  type BundleHome,
  type UpdatedBundle,
  type UpdateOptions
} from './store.ts'
import type {Bundle, BundleSegment} from './types.ts'

/** Who makes a change: the name history shows, and in team mode the user's id. */
export interface StoreActor {
  name: string
  id?: number
}

export interface StoreUpdateOptions extends UpdateOptions {
  /**
   * The history events of this change, asked for after `fn` ran and recorded
   * only when the bundle changed: the file store appends them after the write
   * (a crash in between loses a history line, never a translation), the
   * database inserts them as audit rows in the same transaction.
   */
  events?: () => readonly JournalEvent[]
  actor?: StoreActor
}

/** What `updateSegment` did. */
export interface SegmentUpdate {
  /** The segment as it now stands (undefined: no such bundle or segment). */
  segment: BundleSegment | undefined
  written: boolean
  /** The whole bundle after the write, when the store has it anyway (the files). */
  bundle?: Bundle
  /** The bundle's stamp just before and just after this write, when the store wrote the segment alone (the database). */
  stamps?: {before: string; after: string}
}

/**
 * A change to one live segment: `fn` gets it (undefined when the bundle or
 * the segment does not exist; `bundle` undefined when the bundle does not)
 * and gives back the new segment, the same one to leave it, or throws to
 * refuse. The new segment keeps its id and place.
 */
export type SegmentChange = (segment: BundleSegment | undefined, bundle: Pick<Bundle, 'sourceLocale' | 'locale' | 'article'> | undefined) => BundleSegment | undefined

/** The history and comments of a bundle's segments. */
export interface BundleJournal {
  read(locale: string, slug: string): Promise<Journal>
  append(locale: string, slug: string, events: readonly JournalEvent[], actor?: StoreActor): Promise<void>
}

export interface BundleStore {
  readonly kind: 'files' | 'database'
  /** How messages name a bundle (a path relative to the project, or `locales/<lng>/<slug>.json` in the database). */
  display(locale: string, slug: string): string
  listLocales(): Promise<string[]>
  listSlugs(locale: string): Promise<string[]>
  /** The bundle's stored text (undefined: there is none); the translate run hashes it to skip unchanged work. */
  readText(locale: string, slug: string): Promise<string | undefined>
  /** The bundle (undefined: there is none); throws `E_BUNDLE` when it does not read. */
  read(locale: string, slug: string): Promise<Bundle | undefined>
  /** Every bundle of a locale (or those of `slugs`) that reads; each one that does not is a problem. */
  readLocale(locale: string, options?: {slugs?: readonly string[]}): Promise<{bundles: Bundle[]; problems: PasserelleError[]}>
  /** A stamp per `<locale>/<slug>` that changes whenever the bundle does (caches compare them). */
  stamps(): Promise<Map<string, string>>
  /** The stamp of one bundle ('' when there is none). */
  stamp(locale: string, slug: string): Promise<string>
  /** Lock, read, apply `fn`, merge by revision, validate, write: see `updateBundle`. */
  update(locale: string, slug: string, fn: (current: Bundle | undefined) => Bundle | undefined, options?: StoreUpdateOptions): Promise<UpdatedBundle>
  /**
   * One segment under the bundle's lock, validated, with its history: the
   * database reads and writes that segment's row alone (a save costs the
   * same in a 10-segment and a 300-segment article); the files rewrite the
   * bundle as `update` does.
   */
  updateSegment(locale: string, slug: string, id: string, fn: SegmentChange, options?: StoreUpdateOptions): Promise<SegmentUpdate>
  /** Several bundles of one locale in one step: see `updateBundles`. */
  updateMany(
    locale: string,
    slugs: readonly string[],
    fn: (loaded: {bundles: Bundle[]; problems: PasserelleError[]}) => readonly Bundle[]
  ): Promise<UpdatedBundle[]>
  journal: BundleJournal
}

/** The project's files: today's behaviour, byte for byte. */
export function fileBundleStore(home: BundleHome): BundleStore {
  const display = (path: string) => (home.root === undefined ? path : relative(home.root, path))
  const journal: BundleJournal = {
    read: (locale, slug) => {
      const path = journalPath(home.localesDir, locale, slug)
      return readJournal(path, display(path))
    },
    append: (locale, slug, events) => appendJournal(journalPath(home.localesDir, locale, slug), events)
  }
  return {
    kind: 'files',
    display: (locale, slug) => display(bundlePath(home.localesDir, locale, slug)),
    listLocales: () => listBundleLocales(home.localesDir),
    listSlugs: (locale) => listBundleSlugs(home.localesDir, locale),
    readText: (locale, slug) =>
      readFile(bundlePath(home.localesDir, locale, slug), 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined
        throw error
      }),
    read: (locale, slug) => {
      const path = bundlePath(home.localesDir, locale, slug)
      return loadBundle(path, display(path))
    },
    readLocale: (locale, options = {}) => loadLocaleBundles(home.localesDir, locale, {...(options.slugs ? {slugs: options.slugs} : {}), display}),
    async stamps() {
      const stamps = new Map<string, string>()
      for (const locale of await listBundleLocales(home.localesDir)) {
        for (const slug of await listBundleSlugs(home.localesDir, locale)) {
          const stamp = await this.stamp(locale, slug)
          if (stamp !== '') stamps.set(`${locale}/${slug}`, stamp)
        }
      }
      return stamps
    },
    async stamp(locale, slug) {
      const info = await stat(bundlePath(home.localesDir, locale, slug)).catch(() => undefined)
      return info?.isFile() ? `${info.size}:${info.mtimeMs}` : ''
    },
    async update(locale, slug, fn, options = {}) {
      const {events, actor: _actor, ...update} = options
      const result = await updateBundle(home, locale, slug, fn, update)
      if (result.written && result.bundle && events) await journal.append(locale, slug, events())
      return result
    },
    updateSegment(locale, slug, id, fn, options) {
      return segmentThroughBundle(this, locale, slug, id, fn, options)
    },
    updateMany: (locale, slugs, fn) => updateBundles(home, locale, slugs, fn),
    journal
  }
}

/** `updateSegment` as a whole-bundle `update` (a store that rewrites the bundle anyway). */
export async function segmentThroughBundle(
  store: Pick<BundleStore, 'update'>,
  locale: string,
  slug: string,
  id: string,
  fn: SegmentChange,
  options?: StoreUpdateOptions
): Promise<SegmentUpdate> {
  let segment: BundleSegment | undefined
  const updated = await store.update(
    locale,
    slug,
    (bundle) => {
      const index = bundle ? bundle.segments.findIndex((item) => item.id === id) : -1
      const current = bundle?.segments[index]
      const next = fn(current, bundle)
      segment = next ?? current
      if (!bundle || !current || !next || next === current) return undefined
      return {...bundle, segments: bundle.segments.map((item, at) => (at === index ? next : item))}
    },
    options
  )
  return {segment: updated.bundle?.segments.find((item) => item.id === id) ?? segment, written: updated.written, ...(updated.bundle ? {bundle: updated.bundle} : {})}
}
