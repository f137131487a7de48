// The translate stage, I/O at the edges: load sources, glossary and bundles;
// plan what still needs a machine translation; send each distinct sentence
// once, batch by batch; save every touched bundle after each batch so that an
// interrupted run (quota, network, Ctrl-C) resumes without paying twice.
import {mkdir, open, readFile, rm, writeFile} from 'node:fs/promises'
import {performance} from 'node:perf_hooks'
import {dirname, join, relative} from 'node:path'
import type {Bundle, BundleSegment, Origin} from '../workflow/types.ts'
import {bundlePath, parseBundle, revisionsOf} from '../workflow/store.ts'
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import type {Project} from '../config.ts'
import {partialResults, type Engine, type EngineOutput, type EngineSegment} from '../engines/types.ts'
import {failureOf, PasserelleError, type Failure} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {acquireRunLock} from '../io/lock.ts'
import {compileMatcher} from '../glossary/index.ts'
import type {Termbase} from '../glossary/types.ts'
// Not the tm/ index, which also exports the TMX parser: a run without TMX files never loads it.
import {folderTmxSource, indexedMemory, type ImportedTmSource} from '../tm/store.ts'
import {leverageMatch} from '../tm/leverage.ts'
import {unitsFromBundles} from '../tm/from-bundles.ts'
import type {TmUnit} from '../tm/types.ts'
import {folderTermbaseStore, type TermbaseStore} from '../glossary/store.ts'
import {humanStates, type Locale, type TermHit} from '../types.ts'
import {recheck, segmentChecks} from '../workflow/check.ts'
import {needsMachine, reconcileBundle, updateFromEngine, updateSegment, type SourceArticle} from '../workflow/reconcile.ts'
import {fileSourceStore, parseSource, type SourceStore, type SourceText} from '../workflow/sources.ts'
import {hashText, humanWorkHash, stampFolder, readLocaleCache, writeLocaleCache, type LocaleCache} from './cache.ts'
import {segmentCache, type SegmentCache} from './segments.ts'

export interface TranslateOptions {
  locales: Locale[]
  engine: Engine
  /** Re-translate segments whose current target is machine output. */
  force?: boolean
  /** Refuse to start when the run would send more characters than this. */
  maxChars?: number
  /** Only these article slugs. */
  articles?: string[]
  /** Called once the plan is known, before any engine call (e.g. to show usage); a free engine may have started on the first sentences (`Engine.free`). */
  onPlan?(plan: RunPlan): void | Promise<void>
  onProgress?(event: ProgressEvent): void
  now?: () => string
  /** Where the bundles are read and saved (default: the project's files). */
  store?: BundleStore
  /** Team mode: where the source articles, the termbase and the imported TMX are read (default: content/, glossary/, tm/). */
  sources?: SourceStore
  termbase?: TermbaseStore
  tmx?: ImportedTmSource
}

export interface ProgressEvent {
  locale: Locale
  done: number
  total: number
}

export interface LocalePlan {
  locale: Locale
  /** Distinct sentences to send to the engine. */
  pending: number
  characters: number
}

export interface RunPlan {
  locales: LocalePlan[]
  characters: number
}

export interface LocaleReport {
  locale: Locale
  segments: number
  machineTranslated: number
  /** Same sentence elsewhere with a machine translation: copied, not paid for again. */
  reused: number
  /** Filled from the translation memory (human work, imported TMX). */
  leveraged: number
  /** Segments whose source changed under a human translation: kept as a suggestion, marked stale. */
  stale: number
  failedSegments: number
  /** Articles skipped because nothing they depend on changed since the last run (see the run cache). */
  unchanged: number
}

export interface TranslateReport {
  locales: LocaleReport[]
  engineCalls: number
  characters: number
  failures: Failure[]
  /** Set when a fault stopped the run before the end (quota, key, network). */
  stopped?: Failure
}

/** Faults after which no further request can succeed in this run. */
const fatalCodes = new Set(['E_QUOTA', 'E_AUTH', 'E_NETWORK', 'E_ENGINE_MISSING', 'E_RATE_LIMIT'])

interface BundleEntry {
  path: string
  bundle: Bundle
  /** Segment revisions as read from disk, to notice edits made meanwhile (review app, another run). */
  baseline: Map<string, number>
  /** Sentences this run found gone from the source: candidates to be the predecessor of a changed sentence. */
  departed: Set<string>
  sourceHash: string
  /** The bundle text as this run last wrote it, for the run cache. */
  text?: string
  /** That text in UTF-8 as written, when the store gave it: the next save compares the file with it. */
  bytes?: Uint8Array
  /** The bundle that `text` holds, so that the next save need not parse it back from disk. */
  saved?: Bundle
}

interface LocaleState {
  locale: Locale
  store: BundleStore
  bundles: Map<string, BundleEntry>
  hitsByHash: Map<string, TermHit[]>
  pending: EngineSegment[]
  report: LocaleReport
  /** The hash of every input but the source, as the articles of this run were processed against. */
  inputs: string
  unitsBySlug: Map<string, TmUnit[]>
  /** Characters sent to the engine so far, failed batches' finished parts included. */
  characters: number
  /** With --force: sentences this forced run (or the interrupted one it resumes) already redid. */
  forcedDone?: Set<string>
  /** Segments checked (glossary, QA) as their batch landed, while later batches were with the engine: not checked again at the end. */
  checked: WeakSet<BundleSegment>
  /** Batches a free engine was given while the run was still planning, in order (see `Engine.free`). */
  early: InFlight[]
  /** Sentence hash → slugs of the bundles holding it (see `bundlesWith`). */
  bundlesByHash?: Map<string, string[]>
}

interface InFlight {
  batch: EngineSegment[]
  result: Promise<EngineOutput[]>
}

/** Batches a free engine may hold unanswered while the run is still planning. */
const maxEarlyBatches = 6

/** Batches in a row that may fail (e.g. a persistent HTTP 500) before the run stops. */
export const maxFailedBatches = 3

export async function translateProject(project: Project, options: TranslateOptions): Promise<TranslateReport> {
  // One run per project and locale: a second one stops here, before reading or paying for anything.
  const releases: Array<() => Promise<void>> = []
  try {
    for (const locale of [...new Set(options.locales)].sort()) {
      releases.push(await acquireRunLock(join(project.localesDir, `.translate-${locale}.lock`), `locale ${locale} of this project`))
    }
  } catch (error) {
    await Promise.all(releases.map((release) => release()))
    const stopped = failureOf(error)
    return {locales: [], engineCalls: 0, characters: 0, failures: [stopped], stopped}
  }
  const segments = segmentCache(join(project.root, '.passerelle', 'cache', 'segments'))
  try {
    return await translateLocked(project, options, segments)
  } finally {
    await segments.settled()
    await Promise.all(releases.map((release) => release()))
  }
}

async function translateLocked(project: Project, options: TranslateOptions, segmentsCache: SegmentCache): Promise<TranslateReport> {
  const now = options.now ?? (() => new Date().toISOString())
  const {engine} = options
  const callsBefore = engine.calls
  const failures: Failure[] = []
  const {sources, failures: sourceFailures} = await (options.sources ?? fileSourceStore(project)).readSources(options.articles)
  failures.push(...sourceFailures)

  // Glossary and TMX are read and parsed only when some article has to be processed. A store's stamp
  // (the files' names, sizes and modification times) changes whenever what it holds does: the run cache
  // compares it without reading a file.
  const termbaseStore = options.termbase ?? folderTermbaseStore(project.glossaryDir, {cacheDir: join(project.root, '.passerelle', 'cache', 'glossary')})
  const tmxSource = options.tmx ?? folderTmxSource(project.tmDir)
  const glossaryHash = hashText('termbase', await termbaseStore.stamp())
  const tmxHash = hashText('tmx', await tmxSource.stamp())
  // Post-editing rules change what the engine writes.
  const rulesHash = await stampFolder(join(project.glossaryDir, 'rules'), (name) => /\.ya?ml$/.test(name))
  let loaded: Promise<{termbase: Termbase; units: TmUnit[]; failures: Failure[]}> | undefined
  const loadInputs = () =>
    (loaded ??= (async () => {
      const {termbase, problems} = await termbaseStore.load()
      const imported = await tmxSource.load()
      const found = [...problems, ...imported.problems].map((problem) => failureOf(problem))
      failures.push(...found)
      return {termbase, units: imported.units, failures: found}
    })())
  // Only what planning reads is kept for the other locales: the Markdown trees behind the segments
  // would stay alive for the whole run, and every major GC would mark them again.
  const parsed = new Map<string, Promise<SourceArticle | undefined>>()
  const cut = async (source: SourceText): Promise<SourceArticle | undefined> => {
    const {slug, sourceHash, markdown} = source
    const cached = await segmentsCache.read(slug, markdown)
    if (cached) return {slug, sourceHash, segments: cached}
    try {
      const {segments} = parseSource(source)
      segmentsCache.write(slug, markdown, segments)
      return {slug, sourceHash, segments}
    } catch (error) {
      failures.push(failureOf(error, source.file))
      return undefined
    }
  }
  const parse = (source: SourceText): Promise<SourceArticle | undefined> => {
    let article = parsed.get(source.slug)
    if (!article) parsed.set(source.slug, (article = cut(source)))
    return article
  }

  const source = project.config.sourceLocale
  const states: LocaleState[] = []
  const caches = new Map<Locale, LocaleCache>()
  for (const locale of options.locales) {
    const triage = await triageLocale(project, locale, sources, engine, {glossaryHash: hashText(glossaryHash, rulesHash), tmxHash}, options)
    caches.set(locale, triage.cache)
    if (triage.process.length === 0) {
      states.push(emptyState(locale, triage, storeOf(project, options)))
      continue
    }
    const refused = await engine.check(source, locale).then(
      () => undefined,
      (error: unknown) => error
    )
    if (refused !== undefined) {
      // Still parsed: a source's problems are reported whatever the engine.
      await Promise.all(triage.process.map(parse))
      failures.push(failureOf(refused))
      if (refused instanceof PasserelleError && fatalCodes.has(refused.code) && refused.code !== 'E_ENGINE_MISSING') {
        return {locales: [], engineCalls: engine.calls - callsBefore, characters: 0, failures, stopped: failureOf(refused)}
      }
      continue
    }
    const inputs = await loadInputs()
    states.push(await planLocale(project, locale, triage.process, parse, inputs.termbase, inputs.units, triage, options, now(), failures))
  }
  if (!loaded) {
    // Nothing was parsed: say again what was wrong with these very files last time.
    const replay = [...caches.values()].find((cache) => cache.problems.glossary === glossaryHash && cache.problems.tmx === tmxHash)
    failures.push(...(replay?.problems.failures ?? []))
  }
  const termbase = loaded ? (await loaded).termbase : {concepts: [], patterns: []}

  const plan: RunPlan = {
    locales: states.map((state) => ({
      locale: state.locale,
      pending: state.pending.length,
      characters: estimate(engine, state.pending.map((item) => item.text))
    })),
    characters: 0
  }
  plan.characters = plan.locales.reduce((sum, item) => sum + item.characters, 0)
  // Every bundle must be writable before any engine is paid: output that cannot be saved is money lost.
  const unwritable = await firstUnwritable(project, states)
  if (unwritable) {
    failures.push(unwritable)
    return {locales: states.map((state) => state.report), engineCalls: engine.calls - callsBefore, characters: 0, failures, stopped: unwritable}
  }
  await options.onPlan?.(plan)
  if (options.maxChars !== undefined && plan.characters > options.maxChars) {
    const stopped = failureOf(
      new PasserelleError('E_BUDGET', `this run would send ${plan.characters} characters, over --max-chars ${options.maxChars}`, {
        hint: 'raise --max-chars, or translate fewer locales or articles (--to, --article)'
      })
    )
    return {locales: states.map((state) => state.report), engineCalls: 0, characters: 0, failures: [...failures, stopped], stopped}
  }

  let stopped: Failure | undefined
  for (const state of states) {
    if (stopped) break
    try {
      await runLocale(project, state, termbase, options, now, failures)
      if (options.force) await rm(forceMarker(project, state.locale), {force: true})
    } catch (error) {
      stopped = failureOf(error)
      failures.push(stopped)
    }
    // Whatever happened, record checks and save what was done.
    await finishLocale(state, now(), failures, project)
    const problems = loaded ? {glossary: glossaryHash, tmx: tmxHash, failures: (await loaded).failures} : undefined
    await saveCache(project, state, caches.get(state.locale)!, problems)
  }
  // What was sent (and billed) includes the batches before a stop.
  const characters = states.reduce((sum, state) => sum + state.characters, 0)
  return {locales: states.map((state) => state.report), engineCalls: engine.calls - callsBefore, characters, failures: sourcesFirst(project, failures), stopped}
}

/** Sources are parsed lazily now, but their problems are still reported first, in file order, as before. */
function sourcesFirst(project: Project, failures: Failure[]): Failure[] {
  const folder = relative(project.root, project.contentDir) + '/'
  const isSource = (failure: Failure) => failure.file?.startsWith(folder) ?? false
  const sources = failures.filter(isSource).sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : 0))
  return [...sources, ...failures.filter((failure) => !isSource(failure))]
}

/** Where a forced run notes when it started, so that an interrupted one resumes instead of starting over. */
function forceMarker(project: Project, locale: Locale): string {
  return join(project.localesDir, `.translate-${locale}.force`)
}

/** The sentences an interrupted forced run of this locale already redid (none when there was none). */
async function forcedDone(project: Project, locale: Locale): Promise<Set<string>> {
  const text = await readFile(forceMarker(project, locale), 'utf8').catch(() => '')
  return new Set(text.split('\n').filter((line) => /^[0-9a-f]{6,64}$/.test(line)))
}

/** Note what this forced run has redone, after each batch, so that a kill costs at most one batch. */
async function noteForced(project: Project, state: LocaleState, results: readonly EngineOutput[]): Promise<void> {
  if (!state.forcedDone || results.length === 0) return
  for (const result of results) state.forcedDone.add(result.id)
  await writeFileAtomic(forceMarker(project, state.locale), [...state.forcedDone].join('\n') + '\n')
}

/** A failure naming the first bundle (or folder) this run could not write, or undefined. */
async function firstUnwritable(project: Project, states: readonly LocaleState[]): Promise<Failure | undefined> {
  const folders = new Set<string>()
  for (const state of states) {
    // Only files can be read-only; a database refuses a write by rolling it back.
    if (state.pending.length === 0 || state.store.kind !== 'files') continue
    for (const entry of state.bundles.values()) {
      try {
        const folder = dirname(entry.path)
        if (!folders.has(folder)) {
          await mkdir(folder, {recursive: true})
          const probe = join(folder, `.write-probe.${process.pid}`)
          await writeFile(probe, '')
          await rm(probe, {force: true})
          folders.add(folder)
        }
        // An existing bundle must open for writing too (a read-only file in a writable folder).
        const handle = await open(entry.path, 'r+').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined
          throw error
        })
        await handle?.close()
      } catch (error) {
        return failureOf(
          new PasserelleError('E_INPUT', `cannot write here (${(error as NodeJS.ErrnoException).code ?? 'error'}): nothing was sent to the engine`, {
            file: relative(project.root, entry.path),
            hint: 'make locales/ writable (or free disk space) and run again',
            cause: error
          }),
          relative(project.root, entry.path)
        )
      }
    }
  }
  return undefined
}

async function planLocale(
  project: Project,
  locale: Locale,
  sources: readonly SourceText[],
  parse: (source: SourceText) => Promise<SourceArticle | undefined>,
  termbase: Termbase,
  importedUnits: readonly TmUnit[],
  triage: Triage,
  options: TranslateOptions,
  now: string,
  failures: Failure[]
): Promise<LocaleState> {
  const matcher = compileMatcher(termbase, {source: project.config.sourceLocale, target: locale})
  const state: LocaleState = {...emptyState(locale, triage, storeOf(project, options)), ...(options.force ? {forcedDone: await forcedDone(project, locale)} : {})}
  let warmed = false
  let yielded = performance.now()
  // A free engine starts on the first articles' new sentences while later ones are still parsed; not
  // with --max-chars, which must see the whole plan before anything is sent.
  const from = project.config.sourceLocale
  const early = options.engine.free && options.maxChars === undefined ? earlySender(options.engine, state, {from, to: locale}) : undefined
  for (const source of sources) {
    // Parsing is synchronous: let the engine's start-up (process spawns, pipes) go on between articles.
    if (performance.now() - yielded > 20) {
      await new Promise((resolve) => setImmediate(resolve))
      yielded = performance.now()
    }
    const article = await parse(source)
    if (!article) continue
    const path = bundlePath(project.localesDir, locale, article.slug)
    let existing: Bundle | undefined
    try {
      existing = triage.onDisk.get(article.slug)?.bundle ?? (triage.listed.has(article.slug) ? await state.store.read(locale, article.slug) : undefined)
    } catch (error) {
      // Never overwrite a bundle we cannot read: it may hold human work.
      failures.push(failureOf(error))
      continue
    }
    const bundle = reconcileBundle(existing, article, {sourceLocale: project.config.sourceLocale, locale, now})
    const baseline = revisionsOf(existing)
    const current = new Set(article.segments.map((segment) => segment.id))
    const departed = new Set((existing?.segments ?? []).filter((segment) => !current.has(segment.id)).map((segment) => segment.hash))
    state.bundles.set(article.slug, {path, bundle, baseline, departed, sourceHash: article.sourceHash})
    // The sentence → bundles index (built on the first batch applied) must see this bundle too.
    state.bundlesByHash = undefined
    // The first sentence with no translation yet: the engine will most likely be needed (the memory may
    // still fill it), so it starts now rather than after planning. A run with nothing to send starts nothing.
    if (!warmed && bundle.segments.some((segment) => needsMachine(segment, options.force, state.forcedDone))) {
      warmed = true
      options.engine.warm?.(project.config.sourceLocale, locale)
    }
    state.report.segments += bundle.segments.length
    for (const segment of bundle.segments) {
      if (!state.hitsByHash.has(segment.hash)) state.hitsByHash.set(segment.hash, matcher.match(segment.source))
    }
    if (early) {
      bundle.segments.forEach((segment, index) => {
        if (needsMachine(segment, options.force, state.forcedDone)) early.add(toSend(state, bundle, index))
      })
    }
  }
  early?.flush()

  reuseMachineTranslations(state, now)
  // The memory holds human work from every article of the locale, even when this run covers only some
  // (--article) or skips those that did not change.
  const others: TmUnit[] = []
  for (const [slug, units] of triage.unitsBySlug) {
    if (!state.bundles.has(slug) && (options.articles || triage.skipped.has(slug))) others.push(...units)
  }
  await leverageMemory(state, [...others, ...importedUnits], project.config.tmThreshold, now, join(project.root, '.passerelle', 'cache', 'tm'))

  const queued = new Set<string>()
  for (const {bundle} of state.bundles.values()) {
    bundle.segments.forEach((segment, index) => {
      if (queued.has(segment.hash) || !needsMachine(segment, options.force, state.forcedDone)) return
      queued.add(segment.hash)
      state.pending.push(toSend(state, bundle, index))
    })
  }
  return state
}

/** What the engine is sent for a bundle's segment: its source, glossary hits, and its unit's neighbouring sentences as context. */
function toSend(state: LocaleState, bundle: Bundle, index: number): EngineSegment {
  const segment = bundle.segments[index]!
  const context = [bundle.segments[index - 1], bundle.segments[index + 1]]
    .filter((neighbour) => neighbour?.unit === segment.unit)
    .map((neighbour) => neighbour!.source)
    .join(' ')
  return {id: segment.hash, text: segment.source, hits: state.hitsByHash.get(segment.hash) ?? [], ...(context ? {context} : {})}
}

/**
 * Sends each distinct sentence once, in batches cut as the run cuts them, while planning goes on
 * (`Engine.free`); the batches are kept in `state.early`, and `runLocale` applies their answers in
 * order, keeping only those for sentences the finished plan still sends.
 */
function earlySender(engine: Engine, state: LocaleState, pair: {from: Locale; to: Locale}) {
  const sent = new Set<string>()
  let buffer: EngineSegment[] = []
  let size = 0
  let unanswered = 0
  const flush = () => {
    if (buffer.length === 0) return
    const batch = buffer
    const result = engine.translate(batch, pair)
    unanswered++
    // Settled in order by runLocale; until then a rejection is not unhandled.
    result.then(
      () => unanswered--,
      () => unanswered--
    )
    state.early.push({batch, result})
    buffer = []
    size = 0
  }
  return {
    add(item: EngineSegment) {
      if (sent.has(item.id)) return
      // Enough queued in the engine to keep it busy: the rest waits for the plan (and holds no memory in the pipe).
      if (buffer.length === 0 && unanswered >= maxEarlyBatches) return
      sent.add(item.id)
      if (buffer.length > 0 && (buffer.length >= engine.maxBatch.segments || size + item.text.length > engine.maxBatch.characters)) flush()
      buffer.push(item)
      size += item.text.length
    },
    flush
  }
}

interface Triage {
  cache: LocaleCache
  inputs: string
  /** Sources to process: new, changed, or whose inputs or bundle changed. */
  process: SourceText[]
  skipped: Set<string>
  /** Bundles on disk parsed while looking for human work, so that planning does not parse them again. */
  onDisk: Map<string, {bundle: Bundle}>
  unitsBySlug: Map<string, TmUnit[]>
  /** The bundles the store held when the run began: an article without one is not looked up again (a new article). */
  listed: Set<string>
}

/**
 * Which articles of a locale need a run. Human work anywhere in the locale
 * feeds the translation memory of every article, so it is part of each
 * article's inputs: the bundles on disk are hashed (cheap), and only those
 * that differ from what the cache recorded are parsed for their units.
 */
async function triageLocale(
  project: Project,
  locale: Locale,
  sources: readonly SourceText[],
  engine: Engine,
  hashes: {glossaryHash: string; tmxHash: string},
  options: TranslateOptions
): Promise<Triage> {
  const cache = await readLocaleCache(project, locale)
  const onDisk = new Map<string, {bundle: Bundle}>()
  const unitsBySlug = new Map<string, TmUnit[]>()
  const bundleHashes = new Map<string, string>()
  const store = storeOf(project, options)
  const listed = new Set(await store.listSlugs(locale))
  for (const slug of listed) {
    const entry = cache.articles[slug]
    // The bundle this run's cache recorded, not touched since: neither read nor hashed.
    const stamp = entry?.bundleStamp === undefined ? undefined : await store.stamp(locale, slug).catch(() => undefined)
    if (entry && stamp !== undefined && stamp !== '' && stamp === entry.bundleStamp) {
      bundleHashes.set(slug, entry.bundleHash)
      unitsBySlug.set(slug, entry.units)
      continue
    }
    const text = await store.readText(locale, slug).catch(() => undefined)
    if (text === undefined) continue
    const hash = hashText(text)
    bundleHashes.set(slug, hash)
    if (entry && entry.bundleHash === hash) {
      unitsBySlug.set(slug, entry.units)
      continue
    }
    try {
      const bundle = parseBundle(text, store.display(locale, slug))
      onDisk.set(slug, {bundle})
      unitsBySlug.set(slug, unitsFromBundles([bundle]))
    } catch {
      // Reported when its article is planned; it holds no usable work meanwhile.
    }
  }
  let route: string
  try {
    route = engine.route(project.config.sourceLocale, locale)
  } catch {
    route = '\u0000no route'
  }
  const inputs = hashText(
    hashes.glossaryHash,
    hashes.tmxHash,
    engine.name,
    route,
    // Every setting: any of them may change what a run writes (threshold, QA options).
    JSON.stringify(project.config),
    humanWorkHash(unitsBySlug)
  )
  const process: SourceText[] = []
  const skipped = new Set<string>()
  for (const source of sources) {
    const entry = cache.articles[source.slug]
    const unchanged =
      !options.force && entry !== undefined && entry.inputs === inputs && entry.sourceHash === source.sourceHash && entry.bundleHash === bundleHashes.get(source.slug)
    if (unchanged) skipped.add(source.slug)
    else process.push(source)
  }
  return {cache, inputs, process, skipped, onDisk, unitsBySlug, listed}
}

function emptyState(locale: Locale, triage: Triage, store: BundleStore): LocaleState {
  return {
    locale,
    store,
    bundles: new Map(),
    hitsByHash: new Map(),
    pending: [],
    report: {locale, segments: 0, machineTranslated: 0, reused: 0, leveraged: 0, stale: 0, failedSegments: 0, unchanged: triage.skipped.size},
    inputs: triage.inputs,
    unitsBySlug: triage.unitsBySlug,
    characters: 0,
    checked: new WeakSet(),
    early: []
  }
}

/**
 * Record what this run left behind. Only a bundle that is complete (nothing
 * left for the engine) is recorded, so that an interrupted or failed article
 * is picked up again next time. Entries of articles that are gone are dropped.
 */
async function saveCache(
  project: Project,
  state: LocaleState,
  cache: LocaleCache,
  problems: LocaleCache['problems'] | undefined
): Promise<void> {
  const articles = {...cache.articles}
  for (const [slug, entry] of state.bundles) {
    delete articles[slug]
    if (entry.text === undefined || entry.bundle.segments.some((segment) => needsMachine(segment))) continue
    // Stamped, then read back: a stamp is kept only when it is the stamp of this run's text (a reviewer
    // saving meanwhile leaves no stamp, and the next run hashes the bundle as before).
    let bundleStamp = await state.store.stamp(state.locale, slug).catch(() => '')
    if (bundleStamp && (await state.store.readText(state.locale, slug).catch(() => undefined)) !== entry.text) bundleStamp = ''
    articles[slug] = {
      sourceHash: entry.sourceHash,
      bundleHash: hashText(entry.text),
      ...(bundleStamp ? {bundleStamp} : {}),
      inputs: state.inputs,
      units: unitsFromBundles([entry.bundle])
    }
  }
  try {
    await writeLocaleCache(project, state.locale, {...cache, problems: problems ?? cache.problems, articles})
  } catch {
    // A cache that cannot be written only costs the next run its shortcut.
  }
}

/**
 * The same sentence elsewhere (another article, or repeated in one) already
 * has a machine translation: copy it rather than paying for it again. Human
 * work goes through the translation memory instead, so that it is offered
 * with its score and reviewed in its new place.
 */
function reuseMachineTranslations(state: LocaleState, now: string): void {
  const donors = new Map<string, BundleSegment>()
  for (const {bundle} of state.bundles.values()) {
    for (const segment of bundle.segments) {
      if (segment.state === 'machine' && segment.target !== undefined && !donors.has(segment.hash)) donors.set(segment.hash, segment)
    }
  }
  for (const entry of state.bundles.values()) {
    entry.bundle.segments = entry.bundle.segments.map((segment) => {
      const donor = donors.get(segment.hash)
      if (segment.target !== undefined || humanStates.has(segment.state) || !donor || donor.source !== segment.source) return segment
      state.report.reused++
      return updateSegment(segment, {target: donor.target, state: 'machine', origin: donor.origin, unknown: donor.unknown}, now)
    })
  }
}

/** The lowest score at which an old version of a changed sentence is recognised as its predecessor. */
const predecessorThreshold = 50

/**
 * Translation memory before any engine: human work from every bundle of the
 * locale (including sentences that just left their article) and imported TMX
 * units. A match at or above the threshold fills the segment (`fuzzy`, or
 * `translated` for an exact match of approved work); a changed sentence whose
 * old version held human work keeps that version as `previous` and is marked
 * stale until a reviewer settles it.
 */
async function leverageMemory(state: LocaleState, extraUnits: readonly TmUnit[], threshold: number, now: string, cacheDir: string): Promise<void> {
  const bundles = [...state.bundles.values()].map((entry) => entry.bundle)
  // No filtering by target here: lookups match the target by language, so a vendor's `en-GB` units serve `en`.
  // A large memory (imported TMX) keeps its index in .passerelle/cache/tm between runs.
  const tm = await indexedMemory([...unitsFromBundles(bundles), ...extraUnits], cacheDir)
  if (tm.size === 0) return
  for (const [slug, entry] of state.bundles) {
    const departed = entry.departed
    const segments = entry.bundle.segments
    entry.bundle.segments = segments.map((segment, index) => {
      if (humanStates.has(segment.state) || segment.state === 'fuzzy') return segment
      // Machine output is replaced only by approved work for the very same sentence.
      const upgradeOnly = segment.target !== undefined
      const matches = tm.lookup(
        {
          source: segment.source,
          sourceLocale: entry.bundle.sourceLocale,
          targetLocale: state.locale,
          hash: segment.hash,
          context: {previousHash: segments[index - 1]?.hash, nextHash: segments[index + 1]?.hash},
          article: slug,
          unit: segment.unit
        },
        {threshold: Math.min(threshold, predecessorThreshold), limit: 3}
      )
      const best = matches.find((match) => match.score >= threshold)
      if (upgradeOnly) {
        if (!best || best.score < 100) return segment
        const leverage = leverageMatch(best, {source: segment.source})
        if (leverage.state !== 'translated') return segment
        state.report.leveraged++
        return updateSegment(segment, {target: leverage.target, state: leverage.state, origin: leverage.origin, unknown: []}, now)
      }
      const predecessor = matches.find((match) => match.unit.article === slug && match.unit.hash !== undefined && departed.has(match.unit.hash))
      const change: Partial<BundleSegment> = {}
      if (predecessor) {
        change.previous = {source: predecessor.unit.source, target: predecessor.unit.target}
        change.stale = true
        state.report.stale++
      }
      if (best) {
        const leverage = leverageMatch(best, {source: segment.source})
        Object.assign(change, {target: leverage.target, state: leverage.state, origin: leverage.origin, unknown: []})
        state.report.leveraged++
      }
      return Object.keys(change).length === 0 ? segment : updateSegment(segment, change, now)
    })
  }
}

async function runLocale(
  project: Project,
  state: LocaleState,
  termbase: Termbase,
  options: TranslateOptions,
  now: () => string,
  failures: Failure[]
): Promise<void> {
  const {engine} = options
  const from = project.config.sourceLocale
  const to = state.locale
  const total = state.pending.length
  options.onProgress?.({locale: to, done: 0, total})
  if (total === 0) return
  const prepared = await engine.prepare?.(termbase, {from, to})
  // Not silent: the user learns the glossary is not enforced by the engine (the run goes on).
  if (prepared?.warning) failures.push(failureOf(new PasserelleError('E_GLOSSARY', prepared.warning, {hint: 'fix or remove the glossary entry DeepL refuses, then run again'})))
  const route = engine.route(from, to)
  let done = 0
  let failedInRow = 0
  // Up to `concurrency` batches are with the engine while the oldest one's
  // results are applied and saved; results are applied in batch order, each
  // batch saved as it lands, so an interrupted run resumes as before.
  const window = Math.max(1, engine.concurrency ?? 1)
  const queue = planned(state, engine.maxBatch)
  const inflight: InFlight[] = []
  const launch = () => {
    while (inflight.length < window) {
      const next = queue.next()
      if (next.done) return
      if (!Array.isArray(next.value)) {
        inflight.push(next.value)
        continue
      }
      const result = engine.translate(next.value, {from, to})
      // Settled later, in order; until then a rejection is not unhandled.
      result.catch(() => {})
      inflight.push({batch: next.value, result})
    }
  }
  launch()
  while (inflight.length > 0) {
    const {batch, result} = inflight.shift()!
    let results
    try {
      results = await result
    } catch (error) {
      // Whatever the engine finished (and was paid for) before failing is kept and counted.
      const partial = partialResults(error)
      const texts = new Map(batch.map((item) => [item.id, item.text]))
      state.characters += estimate(engine, partial.map((result) => texts.get(result.id) ?? ''))
      await applyResults(state, partial, {project, engine, route, force: options.force, now: now()})
      await noteForced(project, state, partial)
      const stop = async (reason: unknown): Promise<never> => {
        // Keep what the batches already in flight bring back, then stop.
        for (const other of inflight.splice(0)) {
          const settled = await other.result.then((value) => value, (failure: unknown) => partialResults(failure))
          const sent = new Map(other.batch.map((item) => [item.id, item.text]))
          state.characters += estimate(engine, settled.map((item) => sent.get(item.id) ?? ''))
          await applyResults(state, settled, {project, engine, route, force: options.force, now: now()})
          await noteForced(project, state, settled)
        }
        throw reason
      }
      if (error instanceof PasserelleError && fatalCodes.has(error.code)) await stop(error)
      // A batch-specific failure: report it, keep going with the next batch, unless the engine keeps failing.
      state.report.failedSegments += batch.length
      failures.push(failureOf(error))
      if (++failedInRow >= maxFailedBatches) {
        await stop(
          new PasserelleError('E_ENGINE', `the engine failed ${failedInRow} batches in a row: run stopped, the ${done} segments translated so far are saved`, {
            hint: 'check the engine (status page, quota) and run translate again: it resumes where it stopped',
            cause: error
          })
        )
      }
      launch()
      continue
    }
    // With several batches in flight (Apertium), the next one starts while this one is saved. With one
    // (a billed engine), it starts only once this one is saved: a run killed at any moment has then
    // paid for at most one batch it did not keep.
    if (window > 1) launch()
    failedInRow = 0
    state.characters += estimate(engine, batch.map((item) => item.text))
    await applyResults(state, results, {project, engine, route, force: options.force, now: now()})
    await noteForced(project, state, results)
    launch()
    done += batch.length
    options.onProgress?.({locale: to, done, total})
  }
}

/** Put engine outputs on every segment with that sentence, then save the bundles they touched. */
async function applyResults(
  state: LocaleState,
  results: readonly EngineOutput[],
  context: {project: Project; engine: Engine; route: string; force?: boolean; now: string}
): Promise<void> {
  if (results.length === 0) return
  const byHash = new Map(results.map((result) => [result.id, result]))
  // Only the bundles holding one of these sentences are looked through, not every bundle for every batch.
  const holders = new Set<string>()
  for (const result of results) for (const slug of bundlesWith(state).get(result.id) ?? []) holders.add(slug)
  const touched = new Set<string>()
  const checks = batchChecks(state)
  for (const [slug, entry] of state.bundles) {
    if (!holders.has(slug)) continue
    entry.bundle.segments = entry.bundle.segments.map((segment) => {
      const result = byHash.get(segment.hash)
      if (!result || !needsMachine(segment, context.force)) return segment
      touched.add(slug)
      const updated = updateFromEngine(segment, {text: result.text, unknown: result.unknown, origin: engineOrigin(context, result)}, {now: context.now, force: context.force})
      // Checked now, while the engine works on the next batches, rather than all at the end (as `recheck` does).
      const checked = updateSegment(updated, checks(entry.bundle, updated), context.now)
      state.checked.add(checked)
      return checked
    })
  }
  state.report.machineTranslated += results.length
  for (const slug of touched) await saveKeepingOtherEdits(state, state.bundles.get(slug)!)
}

/**
 * `segmentChecks` for the segments of one batch: a sentence repeated in several articles usually comes
 * with the same inputs (its text, tags, target, unknown words, acknowledgements; its hits go by hash),
 * so it is checked once. The results are only read, so segments may share them.
 */
function batchChecks(state: LocaleState): (bundle: Bundle, segment: BundleSegment) => ReturnType<typeof segmentChecks> {
  const done = new Map<string, ReturnType<typeof segmentChecks>>()
  return (bundle, segment) => {
    const key = [
      bundle.sourceLocale,
      bundle.locale,
      segment.hash,
      segment.source,
      segment.state,
      JSON.stringify([segment.target ?? null, segment.tags, segment.unknown, segment.acknowledged ?? null])
    ].join('\u0000')
    let checks = done.get(key)
    if (!checks) {
      checks = segmentChecks(bundle, segment, state.hitsByHash.get(segment.hash) ?? [])
      done.set(key, checks)
    }
    return checks
  }
}

/**
 * The bundles of the locale holding each sentence hash, built on the first batch. Sentences stay where
 * planning put them: a save merges by segment and keeps this run's positions and hashes.
 */
function bundlesWith(state: LocaleState): Map<string, string[]> {
  if (state.bundlesByHash) return state.bundlesByHash
  const index = new Map<string, string[]>()
  for (const [slug, entry] of state.bundles) {
    for (const segment of entry.bundle.segments) {
      const slugs = index.get(segment.hash)
      if (!slugs) index.set(segment.hash, [slug])
      else if (slugs.at(-1) !== slug) slugs.push(slug)
    }
  }
  state.bundlesByHash = index
  return index
}

function engineOrigin(context: {engine: Engine; route: string}, result: EngineOutput): Origin {
  const postEdits = result.postEdits ?? []
  return {kind: 'engine', engine: context.engine.name, detail: context.route, ...(postEdits.length > 0 ? {postEdits} : {})}
}

/**
 * Save a bundle, but keep any segment someone else changed on disk since this
 * run read it (a reviewer saving in the app while a long run was going): their
 * edit wins, and this run's machine output for it is dropped.
 */
async function saveKeepingOtherEdits(state: LocaleState, entry: BundleEntry): Promise<void> {
  const known = entry.text !== undefined && entry.saved ? {text: entry.text, bundle: entry.saved, ...(entry.bytes ? {bytes: entry.bytes} : {})} : undefined
  const saved = await state.store.update(state.locale, entry.bundle.article, () => entry.bundle, {base: entry.baseline, ...(known ? {known} : {})})
  if (saved.bundle) entry.bundle = saved.bundle
  entry.text = saved.text
  // Bytes only for the text just written; a save that wrote nothing leaves none (compared as text next time).
  entry.bytes = saved.written && saved.text !== undefined ? saved.bytes : undefined
  // A copy: this run replaces `entry.bundle.segments` as later batches land.
  entry.saved = saved.text === undefined ? undefined : {...entry.bundle}
  entry.baseline = revisionsOf(entry.bundle)
}

/** Record glossary checks and QA findings on every translated segment and save the bundles. */
async function finishLocale(state: LocaleState, now: string, failures: Failure[], project: Project): Promise<void> {
  for (const entry of state.bundles.values()) {
    entry.bundle.segments = entry.bundle.segments.map((segment) =>
      state.checked.has(segment) ? segment : recheck(segment, state.hitsByHash.get(segment.hash) ?? [], entry.bundle, now)
    )
    // Saved by its last batch and not changed since: writing it again would only re-validate it.
    const saved = entry.saved
    if (saved && saved.segments.length === entry.bundle.segments.length && saved.segments.every((segment, index) => segment === entry.bundle.segments[index])) {
      continue
    }
    try {
      await saveKeepingOtherEdits(state, entry)
    } catch (error) {
      failures.push(failureOf(error, relative(project.root, entry.path)))
    }
  }
}

/** Characters the engine would bill for these texts: its own count when it has one (DeepL), else their length. */
function estimate(engine: Engine, texts: readonly string[]): number {
  return engine.estimateCharacters ? engine.estimateCharacters(texts) : texts.reduce((sum, text) => sum + text.length, 0)
}

/**
 * The batches of a locale's plan, in order: first those sent while planning (already with the engine),
 * narrowed to the sentences the plan still sends, then batches of whatever they did not cover.
 */
function* planned(state: LocaleState, limit: {segments: number; characters: number}): Generator<InFlight | EngineSegment[]> {
  const wanted = new Set(state.pending.map((item) => item.id))
  const covered = new Set<string>()
  for (const {batch, result} of state.early) {
    const kept = batch.filter((item) => wanted.has(item.id))
    for (const item of kept) covered.add(item.id)
    if (kept.length === 0) continue
    const narrowed = kept.length === batch.length ? result : result.then((outputs) => outputs.filter((output) => wanted.has(output.id)))
    // Settled in order by the caller; until then a rejection is not unhandled.
    narrowed.catch(() => {})
    yield {batch: kept, result: narrowed}
  }
  yield* batches(
    state.pending.filter((item) => !covered.has(item.id)),
    limit
  )
}

function* batches<T extends {text: string}>(items: T[], limit: {segments: number; characters: number}): Generator<T[]> {
  let batch: T[] = []
  let size = 0
  for (const item of items) {
    if (batch.length > 0 && (batch.length >= limit.segments || size + item.text.length > limit.characters)) {
      yield batch
      batch = []
      size = 0
    }
    batch.push(item)
    size += item.text.length
  }
  if (batch.length > 0) yield batch
}

/** The run's bundle store: the one passed in, else the project's files. */
function storeOf(project: Project, options: TranslateOptions): BundleStore {
  return options.store ?? fileBundleStore(project)
}
