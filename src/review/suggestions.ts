// Translation-memory suggestions for the segment a reviewer is on. The
// project memory (human work in every bundle plus imported TMX) is kept in
// memory and updated per file: a bundle that changed on disk (size, mtime)
// or that the app just saved has its units swapped, without re-reading the
// others; only a change to the imported TMX reloads everything. So a save
// in the app or a CLI run shows in the next lookup at the cost of one file.
import type {Bundle, BundleSegment} from '../workflow/types.ts'
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import type {Project} from '../config.ts'
import {contextAt, folderTmxSource, liveSegmentUnits, TranslationMemory, unitBase, unitsFromBundles, type ImportedTmSource, type TmContext, type TmUnit, type UnitBase} from '../tm/index.ts'
import type {Suggestion} from './wire.ts'

/** How many suggestions the app offers (and binds to Ctrl+Shift+1…3), beside the match already applied. */
const suggestionLimit = 3

interface Loaded {
  tm: TranslationMemory
  /** Imported TMX units (the concordance reads them too). */
  imported: TmUnit[]
  tmxStamp: string
  /** Per bundle (`<locale>/<slug>`): its stamp and the handles of its units in `tm`. */
  files: Map<string, FileUnits>
}

interface FileUnits {
  stamp: string
  base?: UnitBase
  /** Handles of the retired segments' units. */
  handles: number[]
  /** Per live segment id: the handles of its units, and its neighbours (an edit changes neither). */
  segments: Map<string, {handles: number[]; context: TmContext}>
}

export class TmCache {
  readonly #store: BundleStore
  readonly #tmx: ImportedTmSource
  #loaded: Promise<Loaded> | undefined
  /** Full loads so far (a test and the benchmark check that saves do not cause them). */
  rebuilds = 0

  constructor(project: Project, store: BundleStore = fileBundleStore(project), tmx: ImportedTmSource = folderTmxSource(project.tmDir)) {
    this.#store = store
    this.#tmx = tmx
  }

  /** The project memory as the files are now, or undefined when it is empty. */
  async memory(): Promise<TranslationMemory | undefined> {
    const loaded = await this.#current()
    return loaded.tm.size > 0 ? loaded.tm : undefined
  }

  /** Imported TMX units, as the memory holds them. */
  async imported(): Promise<readonly TmUnit[]> {
    return (await this.#current()).imported
  }

  /** The app wrote `bundle`: swap its units now (no scan, no re-read of other files). */
  async saved(bundle: Bundle, stamp?: string): Promise<void> {
    if (!this.#loaded) return
    const loaded = await this.#loaded.catch(() => undefined)
    if (!loaded) return
    // The stamp of this very write when the store gave it (asking again could give a later writer's stamp with this bundle).
    this.#swap(loaded, `${bundle.locale}/${bundle.article}`, bundle, stamp ?? (await this.#store.stamp(bundle.locale, bundle.article)))
  }

  #current(): Promise<Loaded> {
    const next = (this.#loaded ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .then(async (loaded) => {
        const files = await this.#store.stamps()
        const tmxStamp = await this.#tmxStamp()
        if (!loaded || loaded.tmxStamp !== tmxStamp || loaded.tm.removedCount > loaded.tm.size) return this.#load(files, tmxStamp)
        for (const [path, stamp] of files) {
          if (loaded.files.get(path)?.stamp !== stamp) this.#swap(loaded, path, await this.#read(path), stamp)
        }
        for (const path of [...loaded.files.keys()]) if (!files.has(path)) this.#swap(loaded, path, undefined, '')
        return loaded
      })
    this.#loaded = next
    return next
  }

  async #load(files: Map<string, string>, tmxStamp: string): Promise<Loaded> {
    this.rebuilds++
    const imported = (await this.#tmx.load()).units
    const loaded: Loaded = {tm: new TranslationMemory(), imported, tmxStamp, files: new Map()}
    for (const [path, stamp] of files) this.#swap(loaded, path, await this.#read(path), stamp)
    loaded.tm.addAll(imported)
    return loaded
  }

  /**
   * The app wrote one segment (the database store writes no more): swap its
   * units alone, when the cache held the bundle as it was just before this
   * write; otherwise the next lookup re-reads the bundle (its stamp differs).
   */
  async savedSegment(locale: string, slug: string, segment: BundleSegment, stamps: {before: string; after: string}): Promise<void> {
    if (!this.#loaded) return
    const loaded = await this.#loaded.catch(() => undefined)
    const known = loaded?.files.get(`${locale}/${slug}`)
    const entry = known?.segments.get(segment.id)
    if (!loaded || !known?.base || !entry || known.stamp !== stamps.before) return
    loaded.tm.remove(entry.handles)
    entry.handles = liveSegmentUnits(segment, known.base, entry.context).map((unit) => loaded.tm.add(unit))
    known.stamp = stamps.after
  }

  #swap(loaded: Loaded, path: string, bundle: Bundle | undefined, stamp: string): void {
    const known = loaded.files.get(path)
    if (known) {
      loaded.tm.remove(known.handles)
      for (const entry of known.segments.values()) loaded.tm.remove(entry.handles)
    }
    if (stamp === '') {
      loaded.files.delete(path)
      return
    }
    // An unreadable bundle adds nothing (the dashboard reports it).
    const units: FileUnits = {stamp, handles: [], segments: new Map()}
    if (bundle) {
      const base = unitBase(bundle)
      units.base = base
      bundle.segments.forEach((segment, index) => {
        const context = contextAt(bundle.segments, index)
        units.segments.set(segment.id, {context, handles: liveSegmentUnits(segment, base, context).map((unit) => loaded.tm.add(unit))})
      })
      units.handles = unitsFromBundles([{...bundle, segments: []}]).map((unit) => loaded.tm.add(unit))
    }
    loaded.files.set(path, units)
  }

  /** An unreadable bundle reads as none (the dashboard reports it). */
  async #read(key: string): Promise<Bundle | undefined> {
    const [locale, slug] = key.split('/') as [string, string]
    return this.#store.read(locale, slug).catch(() => undefined)
  }

  #tmxStamp(): Promise<string> {
    return this.#tmx.stamp()
  }
}

/**
 * Suggestions for one segment: its own former translation when it has one
 * (and no TM match gives the same target), then TM matches. The match that equals the current target is kept and
 * flagged `applied` (a TM-filled row shows where its target came from).
 */
export function suggestionsFor(tm: TranslationMemory | undefined, bundle: Bundle, segment: BundleSegment): Suggestion[] {
  const out: Suggestion[] = []
  const seen = new Set<string>()
  if (tm) {
    const index = bundle.segments.findIndex((item) => item.id === segment.id)
    const previousHash = bundle.segments[index - 1]?.hash
    const nextHash = bundle.segments[index + 1]?.hash
    const matches = tm.lookup(
      {
        source: segment.source,
        sourceLocale: bundle.sourceLocale,
        targetLocale: bundle.locale,
        hash: segment.hash,
        context: {...(previousHash ? {previousHash} : {}), ...(nextHash ? {nextHash} : {})},
        article: bundle.article,
        unit: segment.unit
      },
      {limit: suggestionLimit + 3}
    )
    for (const match of matches) {
      if (seen.has(match.unit.target)) continue
      // The segment's own unit (its human target, back from the memory) is not a suggestion for itself.
      if (match.unit.article === bundle.article && match.unit.hash === segment.hash && !match.unit.retired && match.unit.target === segment.target && segment.origin?.kind !== 'tm') continue
      seen.add(match.unit.target)
      out.push({
        score: match.score,
        kind: match.kind,
        source: match.unit.source,
        target: match.unit.target,
        origin: match.unit.origin,
        ...(match.unit.article ? {article: match.unit.article} : {}),
        ...(match.unit.target === segment.target ? {applied: true} : {})
      })
    }
  }
  // The former translation leads unless a TM match gives the same target (the match says where the row's target came from).
  if (segment.previous && segment.previous.target !== '' && !seen.has(segment.previous.target)) {
    out.unshift({score: 0, kind: 'previous', source: segment.previous.source, target: segment.previous.target, ...(segment.previous.target === segment.target ? {applied: true} : {})})
  }
  const applied = out.filter((item) => item.applied)
  return [...applied, ...out.filter((item) => !item.applied).slice(0, suggestionLimit)]
}
