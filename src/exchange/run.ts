// The exchange stage's I/O: load bundles or the termbase, call the pure
// exporters and importers, write what changed. Per-file problems come back
// as failures (the CLI prints them and exits 1); a file that cannot be read
// as a whole throws before anything is written.
import {join} from 'node:path'
import {listBundleSlugs, loadLocaleBundles, updateBundles} from '../workflow/store.ts'
import type {Bundle} from '../workflow/types.ts'
import type {CliFailure} from '../cli-context.ts'
import {assertLocale, type Project} from '../config.ts'
import {describeError, failureOf, PasserelleError} from '../errors.ts'
import {duplicateSourceTerms, loadTermbase, saveTermbase, withTermbaseLock, type SourceTermClash} from '../glossary/index.ts'
import {writeIfChanged} from '../io/atomic.ts'
import {isSlug} from '../ingest/slug.ts'
import {readTextFile} from '../io/read-text.ts'
import {readGlossary} from '../glossary/snapshot.ts'
import type {LoadedTermbase} from '../glossary/load.ts'
import type {Actor, TermbaseStore} from '../glossary/store.ts'
import type {Locale, SegmentState} from '../types.ts'
import {exportCsv, parseCsv} from './csv.ts'
import {exportI18next} from './i18next.ts'
import {mergeTermbase, type GlossaryMergeReport} from './merge.ts'
import {exportPo} from './po.ts'
import {exportTbx, parseTbx, type TbxVersion} from './tbx.ts'
import {appendJournal, commentThreads, editEventOf, journalPath, readJournal, type CommentThread, type JournalEvent} from '../workflow/journal.ts'
import {commentsFromNotes, knownComments} from './xliff/comments.ts'
import {exportXliff, selectUnits} from './xliff/export.ts'
import {applyXliff, parseXliff, type XliffImportReport} from './xliff/import.ts'
import {defaultMaxXmlBytes} from './xml.ts'

export interface XliffExportRun {
  locale: Locale
  /** Article slugs (default: every article with a bundle for the locale). */
  articles?: readonly string[]
  states?: readonly SegmentState[]
}

export interface XliffExportResult {
  text: string
  articles: string[]
  units: number
  segments: number
  failures: CliFailure[]
}

export async function xliffExportProject(project: Project, options: XliffExportRun): Promise<XliffExportResult> {
  const loaded = await loadBundles(project, options.locale, options.articles)
  const failures = loaded.failures
  // One bundle with a slug outside the rule is reported and left out; the others still export.
  const bundles = loaded.bundles.filter((bundle) => {
    if (isSlug(bundle.article)) return true
    failures.push(failureOf(new PasserelleError('E_SLUG', `article "${bundle.article}" has no valid slug: not exported`, {hint: 'rename content/fr/<slug>.md to lower-case ASCII letters, digits and hyphens and run translate'})))
    return false
  })
  let units = 0
  let segments = 0
  const articles: string[] = []
  for (const bundle of bundles) {
    const selected = selectUnits(bundle, options.states)
    if (selected.length === 0) continue
    articles.push(bundle.article)
    units += selected.length
    segments += selected.reduce((sum, unit) => sum + unit.segments.length, 0)
  }
  const comments = new Map<string, Map<string, CommentThread[]>>()
  for (const bundle of bundles) {
    const journal = await readJournal(journalPath(project.localesDir, options.locale, bundle.article))
    failures.push(...journal.problems.map((message) => ({message})))
    comments.set(bundle.article, commentThreads(journal.events))
  }
  const text = exportXliff(bundles, {sourceLocale: project.config.sourceLocale, targetLocale: options.locale, states: options.states, comments})
  return {text, articles, units, segments, failures}
}

export interface XliffImportRun {
  /** Who answers for the work (origin.by). */
  by?: string
  /** Report only; write nothing. */
  dryRun?: boolean
  now?: string
  maxBytes?: number
}

export interface XliffImportResult {
  locale: Locale
  report: XliffImportReport
  /** Bundle files written. */
  written: string[]
  /** Comments added from the file's notes (new ones only). */
  comments: number
  failures: CliFailure[]
}

/** Read an XLIFF file and apply it to the bundles of its trgLang. Throws `E_XLIFF` for a file refused as a whole. */
export async function xliffImportProject(project: Project, file: string, options: XliffImportRun = {}): Promise<XliffImportResult> {
  const maxBytes = options.maxBytes ?? defaultMaxXmlBytes
  const document = parseXliff(await readTextFile(file, {maxBytes, encoding: 'xml', tooLargeHint: 'export fewer articles per file (xliff export --article …) and import each'}), file, {maxBytes})
  const {sourceLocale} = project.config
  if (document.srcLang !== sourceLocale) {
    throw new PasserelleError('E_XLIFF', `srcLang is "${document.srcLang}", the project's source language is "${sourceLocale}"`, {file})
  }
  const locale = document.trgLang
  if (locale === undefined) throw new PasserelleError('E_XLIFF', 'the file has no trgLang: it holds no translation', {file})
  assertLocale(locale, file)
  if (locale === sourceLocale) throw new PasserelleError('E_XLIFF', `trgLang "${locale}" is the source language`, {file})

  const failures: CliFailure[] = []
  const slugs = [...new Set(document.files.map((entry) => entry.article).filter((slug): slug is string => slug !== undefined))]
  // Bundles stay locked from read to write: no other process changes them in between.
  const glossary = await readGlossary(project.glossaryDir, sourceLocale)
  // QA decides approvals: a termbase it could not fully read must be said.
  const glossaryProblems = glossary.problems.map((message) => ({message}))
  const at = options.now ?? new Date().toISOString()
  let result: ReturnType<typeof applyXliff> | undefined
  // What each segment was before, for the history (an import is a change like a save in the app).
  const before = new Map<string, Map<string, {id: string; state: SegmentState; target?: string | undefined}>>()
  // Segment ids per article and unit, in order: a segment the file gives no id is the one at its position.
  const unitIds = new Map<string, Map<string, string[]>>()
  const saved = await updateBundles(project, locale, slugs, (loaded) => {
    failures.push(...loaded.problems.map((problem) => failureOf(problem)), ...glossaryProblems)
    for (const bundle of loaded.bundles) {
      before.set(bundle.article, new Map(bundle.segments.map((segment) => [segment.id, {id: segment.id, state: segment.state, target: segment.target}])))
      const units = new Map<string, string[]>()
      for (const segment of bundle.segments) {
        const ids = units.get(segment.unit)
        if (ids) ids.push(segment.id)
        else units.set(segment.unit, [segment.id])
      }
      unitIds.set(bundle.article, units)
    }
    result = applyXliff(loaded.bundles, document, {
      now: at,
      by: options.by,
      hitsFor: (segment) => glossary.hits(segment.source, locale)
    })
    const changed = result.changed
    return options.dryRun ? [] : result.bundles.filter((bundle) => changed.includes(bundle.article))
  })
  const written = saved.filter((update) => update.written).map((update) => update.path)
  // History and comments, after the bundles: a crash in between loses history lines, never translations.
  let comments = 0
  for (const entry of document.files) {
    if (entry.article === undefined || !before.has(entry.article)) continue
    const path = journalPath(project.localesDir, locale, entry.article)
    const known = knownComments((await readJournal(path)).events)
    const units = unitIds.get(entry.article)
    const added = entry.units.flatMap((unit) =>
      commentsFromNotes(unit, known, {at, ...(options.by ? {by: options.by} : {}), idOf: (segment) => units?.get(unit.id)?.[segment.position - 1]})
    )
    comments += added.length
    const edits: JournalEvent[] = []
    const updated = saved.find((update) => update.written && update.bundle?.article === entry.article)?.bundle
    for (const segment of updated?.segments ?? []) {
      const old = before.get(entry.article)?.get(segment.id)
      const event = old ? editEventOf(old, segment, {at, ...(segment.origin?.by ? {by: segment.origin.by} : options.by ? {by: options.by} : {}), via: 'import'}) : undefined
      if (event) edits.push(event)
    }
    if (!options.dryRun) await appendJournal(path, [...edits, ...added])
  }
  return {locale, report: result!.report, written, comments, failures}
}

export type GlossaryFormat = 'tbx' | 'csv'

/** The format named, else the one the file name says (`.csv`/`.tsv` → csv, otherwise tbx). */
export function glossaryFormatOf(file: string, format?: string): GlossaryFormat {
  if (format === 'tbx' || format === 'csv') return format
  if (format !== undefined) throw new PasserelleError('E_INPUT', `unknown glossary format "${format}"`, {hint: 'use tbx or csv'})
  return /\.(csv|tsv)$/i.test(file) ? 'csv' : 'tbx'
}

export async function glossaryExportProject(
  project: Project,
  options: {format: GlossaryFormat; tbxVersion?: TbxVersion; termbase?: TermbaseStore}
): Promise<{text: string; concepts: number; failures: CliFailure[]}> {
  const {termbase, problems} = await (options.termbase ? options.termbase.load() : loadTermbase(project.glossaryDir))
  const failures = problems.map((problem) => ({file: problem.file, message: problem.toLine()}))
  const text = options.format === 'csv' ? exportCsv(termbase) : exportTbx(termbase, {sourceLocale: project.config.sourceLocale, version: options.tbxVersion})
  return {text, concepts: termbase.concepts.length, failures}
}

export interface GlossaryImportRun {
  format?: GlossaryFormat
  conflicts?: 'keep' | 'theirs'
  dryRun?: boolean
  maxBytes?: number
  /**
   * Where the termbase lives (default: the glossary folder). The database's
   * store writes the changed concepts' rows in one transaction, each with a
   * revision check and an audit row credited to `actor`.
   */
  termbase?: TermbaseStore
  actor?: Actor
}

export interface GlossaryImportResult {
  report: GlossaryMergeReport
  /** What the file held that the termbase cannot keep. */
  warnings: string[]
  written: string[]
  failures: CliFailure[]
}

/** Read a TBX or CSV file and merge it into the termbase. Throws `E_TBX` for a file refused as a whole. */
export async function glossaryImportProject(project: Project, file: string, options: GlossaryImportRun = {}): Promise<GlossaryImportResult> {
  const maxBytes = options.maxBytes ?? defaultMaxXmlBytes
  const format = options.format ?? glossaryFormatOf(file)
  const text = await readTextFile(file, {maxBytes, encoding: format === 'tbx' ? 'xml' : 'text', tooLargeHint: 'export the termbase in parts (one domain or glossary file at a time)'})
  return glossaryImportText(project, text, file, {...options, format})
}

/** The same import from text already read (the review app's upload); `file` names it in messages. */
export async function glossaryImportText(project: Project, text: string, file: string, options: GlossaryImportRun = {}): Promise<GlossaryImportResult> {
  const maxBytes = options.maxBytes ?? defaultMaxXmlBytes
  const format = options.format ?? glossaryFormatOf(file)
  const parsed = format === 'csv' ? parseCsv(text, file, {maxBytes}) : parseTbx(text, file, {sourceLocale: project.config.sourceLocale, maxBytes})
  const merge = ({termbase, problems}: LoadedTermbase) => {
    // Entries the file could not give are said, with their line; the others are merged.
    const failures = [...problems, ...parsed.problems].map((problem) => failureOf(problem))
    const merged = mergeTermbase(termbase, parsed.concepts, {conflicts: options.conflicts, sourceLocale: project.config.sourceLocale})
    const changed = merged.report.added.length + merged.report.changed.length > 0
    return {merged, changed, failures}
  }
  const store = options.termbase
  if (store === undefined) {
    return withTermbaseLock(project.glossaryDir, async () => {
      const {merged, changed, failures} = merge(await loadTermbase(project.glossaryDir))
      const written = changed && !options.dryRun ? await saveTermbase(project.glossaryDir, merged.termbase) : []
      return {report: merged.report, warnings: parsed.warnings, written, failures}
    })
  }
  if (options.dryRun) {
    const {merged, failures} = merge(await store.load())
    return {report: merged.report, warnings: parsed.warnings, written: [], failures}
  }
  // The same merge, inside the store's read-modify-write: it sees the termbase as it is when the write starts.
  return store.update((current) => {
    const {merged, changed, failures} = merge(current)
    return {termbase: changed ? merged.termbase : current.termbase, value: {report: merged.report, warnings: parsed.warnings, written: [], failures}}
  }, options.actor)
}

export interface GlossaryCheckResult {
  concepts: number
  /** Source terms that belong to two live concepts (the later one named as `concept`). */
  duplicates: SourceTermClash[]
  /** What the loader refused (bad entries, duplicate ids, unreadable files), one each. */
  failures: CliFailure[]
}

/** `glossary check`: the loader's problems and the shared source terms, by the rule import and the review app use. */
export async function glossaryCheckProject(project: Project, options: {termbase?: TermbaseStore} = {}): Promise<GlossaryCheckResult> {
  const {termbase, problems} = await (options.termbase ? options.termbase.load() : loadTermbase(project.glossaryDir))
  return {
    concepts: termbase.concepts.length,
    duplicates: duplicateSourceTerms(termbase.concepts, project.config.sourceLocale),
    failures: problems.map((problem) => failureOf(problem))
  }
}

export interface BundleExportRun {
  format: 'po' | 'i18next'
  locale: Locale
  /** Output folder: files go to `<dir>/<locale>/<slug>.po|json`. */
  dir: string
  articles?: readonly string[]
  /** i18next: lowest state to include (default: the project's publishState). */
  minState?: SegmentState
}

export async function bundleExportProject(project: Project, options: BundleExportRun): Promise<{files: string[]; written: string[]; failures: CliFailure[]}> {
  const {bundles, failures} = await loadBundles(project, options.locale, options.articles)
  const files: string[] = []
  const written: string[] = []
  for (const bundle of bundles) {
    const path = join(options.dir, options.locale, `${bundle.article}.${options.format === 'po' ? 'po' : 'json'}`)
    const text = options.format === 'po' ? exportPo(bundle) : exportI18next(bundle, {minState: options.minState ?? project.config.publishState})
    files.push(path)
    if (await writeIfChanged(path, text)) written.push(path)
  }
  return {files, written, failures}
}

async function loadBundles(project: Project, locale: Locale, articles?: readonly string[]): Promise<{bundles: Bundle[]; failures: CliFailure[]}> {
  const available = await listBundleSlugs(project.localesDir, locale)
  const failures: CliFailure[] = []
  let slugs = available
  if (articles) {
    slugs = []
    for (const slug of articles) {
      if (available.includes(slug)) slugs.push(slug)
      else failures.push({message: new PasserelleError('E_NOT_FOUND', `no ${locale} bundle for article "${slug}"`, {hint: 'run translate first, or check the slug'}).toLine()})
    }
  }
  const loaded = await loadLocaleBundles(project.localesDir, locale, {slugs})
  failures.push(...loaded.problems.map((problem) => ({file: problem.file, message: describeError(problem)})))
  return {bundles: loaded.bundles, failures}
}
