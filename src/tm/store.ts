// The TM's I/O edge. The project memory is computed, not stored: human work
// from the locale bundles plus the TMX files imported into `tm/`. Importing
// validates a TMX file and stores a normalised copy (`tm/<name>.tmx`, written
// atomically); exporting writes one language pair as TMX 1.4b.
import {createHash} from 'node:crypto'
import {mkdir, readdir, readFile, rm, stat, utimes} from 'node:fs/promises'
import {basename, extname, join} from 'node:path'
import type {Bundle} from '../workflow/types.ts'
import {listBundleLocales, loadLocaleBundles} from '../workflow/store.ts'
import {PasserelleError} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {readTextFile} from '../io/read-text.ts'
import {stateRank, type Locale} from '../types.ts'
import {unitsFromBundles} from './from-bundles.ts'
import {languageOf, TranslationMemory} from './memory.ts'
import type {TmUnit} from './types.ts'

/** TMX files can be far larger than articles. */
export const maxTmxBytes = 256 * 1024 * 1024

export interface ProjectTmPaths {
  localesDir: string
  tmDir: string
}

export interface LoadedTm {
  tm: TranslationMemory
  /** Bundles and TMX files (or units in them) that could not be used; the rest is loaded. */
  problems: PasserelleError[]
}

export async function loadProjectTm(paths: ProjectTmPaths): Promise<LoadedTm> {
  const {units, problems} = await loadProjectUnits(paths)
  return {tm: new TranslationMemory(units), problems}
}

/** Below this many units, tokenising them is quicker than hashing them and reading an index file. */
export const persistedIndexFrom = 50_000

/** Index files kept in the cache folder (one per distinct memory: translate builds one per locale). */
const keptIndexes = 8

/**
 * A memory over `units`, its index read from `cacheDir` (e.g.
 * .passerelle/cache/tm) when a file made for the same sources and locales, in
 * the same order, is there; otherwise built, then written there for the next
 * run. Small memories are always built. A cache that cannot be read or written
 * costs only time.
 */
export async function indexedMemory(units: readonly TmUnit[], cacheDir: string | undefined, options: {from?: number} = {}): Promise<TranslationMemory> {
  if (cacheDir === undefined || units.length < (options.from ?? persistedIndexFrom)) return new TranslationMemory(units)
  // What the index holds depends on each unit's source and locales only (targets, states and the rest are read from the units).
  const hash = createHash('sha256')
  for (const unit of units) hash.update(`${unit.sourceLocale}\u0001${unit.targetLocale}\u0001${unit.source}\u0002`)
  const file = join(cacheDir, `${hash.digest('hex').slice(0, 32)}.tmindex`)
  const bytes = await readFile(file).catch(() => undefined)
  const cached = bytes && TranslationMemory.fromIndex(units, bytes)
  if (cached) {
    const now = new Date()
    await utimes(file, now, now).catch(() => {})
    return cached
  }
  const memory = new TranslationMemory(units)
  try {
    await mkdir(cacheDir, {recursive: true})
    await writeFileAtomic(file, memory.exportIndex())
    await pruneIndexes(cacheDir)
  } catch {
    // No cache this time.
  }
  return memory
}

/** Keep the most recently used index files only. */
async function pruneIndexes(cacheDir: string): Promise<void> {
  const names = (await readdir(cacheDir)).filter((name) => name.endsWith('.tmindex'))
  const dated = await Promise.all(names.map(async (name) => ({name, time: (await stat(join(cacheDir, name)).catch(() => undefined))?.mtimeMs ?? 0})))
  dated.sort((a, b) => b.time - a.time)
  await Promise.all(dated.slice(keptIndexes).map(({name}) => rm(join(cacheDir, name), {force: true})))
}

export async function loadProjectUnits(paths: ProjectTmPaths, options: {imported?: boolean} = {}): Promise<{units: TmUnit[]; problems: PasserelleError[]}> {
  const loaded = await loadBundles(paths.localesDir)
  const units = unitsFromBundles(loaded.bundles)
  const problems = [...loaded.problems]
  if (options.imported ?? true) {
    const imported = await loadImportedTmx(paths.tmDir)
    units.push(...imported.units)
    problems.push(...imported.problems)
  }
  return {units, problems}
}

/** Every bundle of every locale; unreadable ones are problems (`loadLocaleBundles`, per locale). */
export async function loadBundles(localesDir: string): Promise<{bundles: Bundle[]; problems: PasserelleError[]}> {
  const bundles: Bundle[] = []
  const problems: PasserelleError[] = []
  for (const locale of await listBundleLocales(localesDir)) {
    const loaded = await loadLocaleBundles(localesDir, locale)
    bundles.push(...loaded.bundles)
    problems.push(...loaded.problems)
  }
  return {bundles, problems}
}

/** Units of every `*.tmx` in `tmDir` (sorted by name); a file that cannot be read is a problem, not a failure. */
export async function loadImportedTmx(tmDir: string): Promise<{units: TmUnit[]; problems: PasserelleError[]}> {
  return folderTmxSource(tmDir).load()
}

/** The imported TMX files: the tm/ folder (`folderTmxSource`) or the team database's `tm_files`. */
export interface ImportedTmSource {
  load(): Promise<{units: TmUnit[]; problems: PasserelleError[]}>
  /** Changes whenever an imported file does (caches compare it). */
  stamp(): Promise<string>
}

const tmxReadOptions = {maxBytes: maxTmxBytes, encoding: 'xml', tooLargeHint: 'split the TMX into several files (e.g. per domain or year)'} as const

export function folderTmxSource(tmDir: string): ImportedTmSource {
  const names = async () => (await readdir(tmDir).catch(() => [] as string[])).filter((name) => name.endsWith('.tmx')).sort()
  return {
    load: async () => unitsOfTmxFiles((await names()).map((name) => ({file: join(tmDir, name), read: () => readTextFile(join(tmDir, name), tmxReadOptions)}))),
    async stamp() {
      const parts = await Promise.all(
        (await names()).map(async (name) => {
          const info = await stat(join(tmDir, name)).catch(() => undefined)
          return `${name}:${info?.isFile() ? `${info.size}:${info.mtimeMs}` : ''}`
        })
      )
      return parts.join('\n')
    }
  }
}

/** Units of TMX texts in the order given, whoever holds them; a text that cannot be read or parsed is a problem, not a failure. */
export async function unitsOfTmxFiles(files: ReadonlyArray<{file: string; read: () => Promise<string>}>): Promise<{units: TmUnit[]; problems: PasserelleError[]}> {
  const units: TmUnit[] = []
  const problems: PasserelleError[] = []
  if (files.length === 0) return {units, problems}
  // Loaded only now: most runs have no TMX file, and the XML parser costs every run ~80 ms of start-up.
  const {parseTmx} = await import('./tmx.ts')
  for (const {file, read} of files) {
    try {
      const parsed = parseTmx(await read(), file)
      units.push(...parsed.units)
      problems.push(...parsed.problems)
    } catch (error) {
      if (!(error instanceof PasserelleError)) throw error
      problems.push(error)
    }
  }
  return {units, problems}
}

export interface ImportOptions {
  /** Replace an earlier import stored under the same name. */
  replace?: boolean
  tmDir: string
  /** Stored as `tm/<name>.tmx` (default: the file's base name, made safe). */
  name?: string
  /** Keep only units from this source language (the project's); others are refused. Default: the header's `srclang`. */
  sourceLocale?: Locale
}

export interface ImportReport {
  /** Path of the stored copy. */
  stored: string
  tus: number
  imported: number
  /** `<tu>`s refused (each has a problem). */
  refused: number
  /** Valid `<tu>`s that hold no pair to keep (a source alone, regional variants of one language). */
  skipped: number
  problems: PasserelleError[]
}

/**
 * Validate a TMX file and store a normalised copy in `tmDir`. Throws `E_TMX`
 * when the file is not TMX or holds no usable unit; otherwise stores what is
 * usable and reports the refused units.
 */
export async function importTmxFile(path: string, options: ImportOptions): Promise<ImportReport> {
  const {parseTmx, exportTmx} = await import('./tmx.ts')
  const parsed = parseTmx(await readTextFile(path, {maxBytes: maxTmxBytes, encoding: 'xml', tooLargeHint: 'split the TMX into several files (e.g. per domain or year)'}), path, {sourceLocale: options.sourceLocale})
  const sourceLocale = options.sourceLocale ?? (parsed.sourceLocale === '*all*' ? parsed.units[0]?.sourceLocale : parsed.sourceLocale) ?? 'fr'
  const problems = [...parsed.problems]
  const units: TmUnit[] = []
  for (const unit of parsed.units) {
    if (languageOf(unit.sourceLocale) === languageOf(sourceLocale)) units.push(unit)
    else {
      problems.push(
        new PasserelleError('E_TMX', `a unit from ${unit.sourceLocale} into ${unit.targetLocale} is not in the source language ${sourceLocale}`, {
          file: path,
          hint: 'the memory serves one source language; import that pair elsewhere'
        })
      )
    }
  }
  if (units.length === 0) {
    throw new PasserelleError('E_TMX', `no usable translation unit (${parsed.tus} <tu> read, ${problems.length} problems)`, {
      file: path,
      hint: problems[0] ? `first problem: ${problems[0].message}` : 'the file has no <tu> with a source and a translation'
    })
  }
  const stored = join(options.tmDir, `${safeName(options.name ?? basename(path, extname(path)))}.tmx`)
  const text = exportTmx(units, {sourceLocale})
  const previous = await readFile(stored, 'utf8').catch(() => undefined)
  // Two vendors' `export.tmx` must not silently replace each other.
  if (previous !== undefined && previous !== text && !options.replace) {
    throw new PasserelleError('E_CONFLICT', `${basename(stored)} already holds another imported memory`, {
      file: path,
      hint: 'give it another name with --name, or replace it with --replace'
    })
  }
  await writeFileAtomic(stored, text)
  return {stored, tus: parsed.tus, imported: units.length, refused: problems.length, skipped: parsed.skipped.length, problems}
}

export interface ExportOptions extends ProjectTmPaths {
  targetLocale: Locale
  /** Default: the source locale of the first unit, else `fr`. */
  sourceLocale?: Locale
  file: string
  /** Include units imported from TMX files (default true). */
  imported?: boolean
}

/**
 * Write the project memory for one language pair as TMX 1.4b. A source/target
 * pair found in several articles is written once (the highest state, then the
 * latest change), sorted by source text so that exports diff cleanly.
 */
export async function exportProjectTm(options: ExportOptions): Promise<{file: string; units: number; problems: PasserelleError[]}> {
  const {units, problems} = await loadProjectUnits(options, {imported: options.imported ?? true})
  const sourceLocale = options.sourceLocale ?? units[0]?.sourceLocale ?? 'fr'
  const selected = dedupeUnits(
    units.filter((unit) => languageOf(unit.targetLocale) === languageOf(options.targetLocale) && languageOf(unit.sourceLocale) === languageOf(sourceLocale))
  )
  const {exportTmx} = await import('./tmx.ts')
  await writeFileAtomic(options.file, exportTmx(selected, {sourceLocale, targetLocale: options.targetLocale}))
  return {file: options.file, units: selected.length, problems}
}

/** One unit per source/target pair: the highest state, then the latest change; sorted by source, then target. */
export function dedupeUnits(units: readonly TmUnit[]): TmUnit[] {
  const best = new Map<string, TmUnit>()
  for (const unit of units) {
    const key = `${unit.source}\u0000${unit.target}\u0000${languageOf(unit.targetLocale)}`
    const current = best.get(key)
    if (!current || better(unit, current)) best.set(key, unit)
  }
  return [...best.values()].sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target) || compare(a.targetLocale, b.targetLocale))
}

function better(a: TmUnit, b: TmUnit): boolean {
  const byState = stateRank(a.state) - stateRank(b.state)
  if (byState !== 0) return byState > 0
  if (Boolean(a.retired) !== Boolean(b.retired)) return !a.retired
  return (a.updated ?? '') > (b.updated ?? '')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function safeName(name: string): string {
  const safe = name.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '')
  return safe === '' ? 'imported' : safe
}
