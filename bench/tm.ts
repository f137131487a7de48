// TM lookup benchmark: memories of 10k, 100k and 1M French→English units made
// from the seed sentences (IOM pages, English by Apertium) by swapping words
// for other words of the same texts, splicing sentences and changing numbers
// (deterministic: a seeded generator); then ≥ 1 000 lookups of perturbed
// sentences each (threshold 75, limit 5). Recall: 200 of those queries are
// also answered by a full scan (every unit scored, same scoring), and the
// indexed answer must list the same matches with the same scores — the peer
// of the indexed lookup, measured in the same run.
// Run alone with `npx tsx bench/tm.ts`; `npm run bench -- tm` calls `benchTm()`.
import {readFileSync} from 'node:fs'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {runInNewContext} from 'node:vm'
import {setFlagsFromString} from 'node:v8'
import {TranslationMemory} from '../src/tm/memory.ts'
import type {TmMatch, TmUnit} from '../src/tm/types.ts'

export interface TmBenchResult {
  units: number
  lookups: number
  /** Lookup latency, milliseconds. */
  p50: number
  p95: number
  p99: number
  mean: number
  /** Time to build the memory and its index, milliseconds. */
  buildMs: number
  /** Memory growth while building, MB (after a GC when one can be forced): JS heap plus typed-array buffers, which live outside it. */
  heapMB: number
  /** Resident set size after building, MB (the generated units included). */
  rssMB: number
  /** Share of lookups that returned at least one match. */
  hitRate: number
  /** Lookup CPU time (process.cpuUsage, µs resolution), milliseconds: less sensitive to a busy machine than wall time. */
  cpuP50: number
  cpuP95: number
  /** Build CPU time, milliseconds. */
  buildCpuMs: number
  /** 1-minute load average per CPU while measuring: above ~1, wall times are inflated. */
  loadPerCpu: number
  /** The index written by `exportIndex` (MB) and read back by `fromIndex` (ms, wall and CPU): the build a later run skips. */
  persisted: {megabytes: number; writeMs: number; loadMs: number; loadCpuMs: number; sameAnswers: boolean}
  /** Indexed lookups against a full scan of every unit with the same scoring. */
  recall: RecallResult
}

export interface RecallResult {
  queries: number
  /** Queries whose indexed matches (units and scores, in order) equal the full scan's. */
  agreed: number
  /** agreed / queries: 1 means no match the scan finds is missed, and every best score is the same. */
  recall: number
  /** Matches (≥ threshold, within the limit) the scan found, in all queries. */
  scanMatches: number
  /** Full-scan latency, milliseconds (the peer). */
  scanP50: number
  scanP95: number
  /** Indexed latency on the same queries, milliseconds. */
  indexP50: number
  indexP95: number
  /** scanP50 / indexP50. */
  speedup: number
  /** The first queries that disagreed, for debugging (empty when recall is 1). */
  misses: string[]
}

export interface TmBenchOptions {
  sizes?: number[]
  lookups?: number
  seed?: number
  /** Queries also answered by a full scan (recall check). */
  recallQueries?: number
}

export async function benchTm(options: TmBenchOptions = {}): Promise<TmBenchResult[]> {
  const sizes = options.sizes ?? [10_000, 100_000, 1_000_000]
  const lookups = options.lookups ?? 2_000
  const recallQueries = options.recallQueries ?? 200
  const corpus = loadSeeds()
  const results: TmBenchResult[] = []
  for (const size of sizes) {
    const random = mulberry32((options.seed ?? 20240501) + size)
    const units = generateUnits(corpus, size, random)
    const gc = forceGc()
    gc?.()
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers
    const heapBefore = used()
    const started = performance.now()
    const cpuStarted = process.cpuUsage()
    const tm = new TranslationMemory(units)
    const buildMs = performance.now() - started
    const buildCpu = process.cpuUsage(cpuStarted)
    gc?.()
    const heapMB = (used() - heapBefore) / 1024 / 1024
    const rssMB = process.memoryUsage().rss / 1024 / 1024

    // Fewer timed lookups at 1M (each is ~10× slower), so that the run, with its 200 full scans, stays within minutes.
    const count = size >= 1_000_000 ? Math.min(lookups, 1_000) : lookups
    const queries = Array.from({length: count}, () => makeQuery(corpus, units, random))
    for (const query of queries.slice(0, 50)) tm.lookup({source: query, targetLocale: 'en'}) // warm-up
    const times: number[] = []
    const cpuTimes: number[] = []
    let hits = 0
    for (const query of queries) {
      const cpu = process.cpuUsage()
      const start = performance.now()
      const matches = tm.lookup({source: query, targetLocale: 'en'}, {threshold: 75, limit: 5})
      times.push(performance.now() - start)
      const used = process.cpuUsage(cpu)
      cpuTimes.push((used.user + used.system) / 1000)
      if (matches.length > 0) hits++
    }
    times.sort((a, b) => a - b)
    cpuTimes.sort((a, b) => a - b)
    const recall = checkRecall(tm, queries.slice(0, recallQueries))
    const persisted = await persist(tm, units, queries.slice(0, 50))
    results.push({
      units: size,
      lookups: count,
      p50: round(percentile(times, 0.5)),
      p95: round(percentile(times, 0.95)),
      p99: round(percentile(times, 0.99)),
      mean: round(times.reduce((sum, time) => sum + time, 0) / times.length),
      buildMs: Math.round(buildMs),
      heapMB: Math.round(heapMB),
      rssMB: Math.round(rssMB),
      hitRate: round(hits / count),
      cpuP50: round(percentile(cpuTimes, 0.5)),
      cpuP95: round(percentile(cpuTimes, 0.95)),
      buildCpuMs: Math.round((buildCpu.user + buildCpu.system) / 1000),
      loadPerCpu: round(loadavg()[0]! / availableParallelism()),
      persisted,
      recall
    })
  }
  return results
}

/** Write the index to a file, read it back as a later run would, and check it answers alike. */
async function persist(tm: TranslationMemory, units: readonly TmUnit[], queries: readonly string[]): Promise<TmBenchResult['persisted']> {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-tmindex-'))
  try {
    const file = join(dir, 'index.tmindex')
    let start = performance.now()
    await writeFile(file, tm.exportIndex())
    const writeMs = performance.now() - start
    start = performance.now()
    const cpu = process.cpuUsage()
    const loaded = TranslationMemory.fromIndex(units, await readFile(file))
    const used = process.cpuUsage(cpu)
    const loadMs = performance.now() - start
    const answers = (memory: TranslationMemory | undefined) => JSON.stringify(queries.map((source) => memory?.lookup({source, targetLocale: 'en'}) ?? []))
    return {
      megabytes: round((await stat(file)).size / 1048576),
      writeMs: Math.round(writeMs),
      loadMs: Math.round(loadMs),
      loadCpuMs: Math.round((used.user + used.system) / 1000),
      sameAnswers: loaded !== undefined && answers(loaded) === answers(tm)
    }
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

/** Each query indexed then scanned (interleaved, so both see the same machine load); the answers must be equal. */
function checkRecall(tm: TranslationMemory, queries: readonly string[]): RecallResult {
  const scanTimes: number[] = []
  const indexTimes: number[] = []
  const misses: string[] = []
  let agreed = 0
  let scanMatches = 0
  const shown = (matches: TmMatch[]) => matches.map((match) => `${match.score} ${match.unit.source}\u0000${match.unit.target}`)
  for (const source of queries) {
    const query = {source, targetLocale: 'en'}
    let start = performance.now()
    const indexed = tm.lookup(query, {threshold: 75, limit: 5})
    indexTimes.push(performance.now() - start)
    start = performance.now()
    const scanned = tm.lookup(query, {threshold: 75, limit: 5, scan: true})
    scanTimes.push(performance.now() - start)
    scanMatches += scanned.length
    if (JSON.stringify(shown(indexed)) === JSON.stringify(shown(scanned))) agreed++
    else if (misses.length < 5) misses.push(source)
  }
  scanTimes.sort((a, b) => a - b)
  indexTimes.sort((a, b) => a - b)
  const scanP50 = percentile(scanTimes, 0.5)
  const indexP50 = percentile(indexTimes, 0.5)
  return {
    queries: queries.length,
    agreed,
    recall: round(agreed / Math.max(1, queries.length)),
    scanMatches,
    scanP50: round(scanP50),
    scanP95: round(percentile(scanTimes, 0.95)),
    indexP50: round(indexP50),
    indexP95: round(percentile(indexTimes, 0.95)),
    speedup: round(scanP50 / Math.max(indexP50, 1e-3)),
    misses
  }
}

// ---------------------------------------------------------------- corpus

interface Corpus {
  pairs: [fr: string, en: string][]
  frenchWords: string[]
  englishWords: string[]
}

export function loadSeeds(): Corpus {
  const text = readFileSync(new URL('../test/fixtures/tm/seed-sentences.tsv', import.meta.url), 'utf8')
  const pairs = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t') as [string, string])
  const words = (texts: string[]): string[] => [...new Set(texts.flatMap((t) => t.match(/[\p{L}]{3,}/gu) ?? []))]
  return {pairs, frenchWords: words(pairs.map((pair) => pair[0])), englishWords: words(pairs.map((pair) => pair[1]))}
}

type Random = () => number

export function generateUnits(corpus: Corpus, count: number, random: Random): TmUnit[] {
  const units: TmUnit[] = []
  const seen = new Set<string>()
  while (units.length < count) {
    let [fr, en] = pick(corpus.pairs, random)
    if (random() < 0.5) {
      // Splice: the start of one sentence, the end of another.
      const [fr2, en2] = pick(corpus.pairs, random)
      fr = splice(fr, fr2, random)
      en = splice(en, en2, random)
    }
    const swaps = 1 + Math.floor(random() * 4)
    for (let i = 0; i < swaps; i++) {
      fr = swapWord(fr, corpus.frenchWords, random)
      en = swapWord(en, corpus.englishWords, random)
    }
    const numbers = renumber(random)
    fr = fr.replace(/\d+/g, numbers)
    en = en.replace(/\d+/g, numbers)
    if (seen.has(fr)) continue
    seen.add(fr)
    units.push({source: fr, target: en, sourceLocale: 'fr', targetLocale: 'en', state: 'translated', origin: {kind: 'human'}, article: `article-${units.length % 500}`})
  }
  return units
}

/** A perturbed TM sentence (80 %) or a new splice of the seeds (20 %). */
export function makeQuery(corpus: Corpus, units: TmUnit[], random: Random): string {
  if (random() < 0.2) return swapWord(splice(pick(corpus.pairs, random)[0], pick(corpus.pairs, random)[0], random), corpus.frenchWords, random)
  let text = pick(units, random).source
  const edits = Math.floor(random() * 3)
  for (let i = 0; i < edits; i++) text = swapWord(text, corpus.frenchWords, random)
  if (random() < 0.3) text = text.replace(/\d+/, String(Math.floor(random() * 3000)))
  return text
}

function splice(a: string, b: string, random: Random): string {
  const left = a.split(' ')
  const right = b.split(' ')
  const cutA = Math.max(1, Math.floor(left.length * (0.3 + random() * 0.4)))
  const cutB = Math.floor(right.length * (0.3 + random() * 0.4))
  return [...left.slice(0, cutA), ...right.slice(cutB)].join(' ')
}

function swapWord(text: string, words: string[], random: Random): string {
  const parts = text.split(' ')
  const index = Math.floor(random() * parts.length)
  if (/^[\p{L}]{3,}$/u.test(parts[index] ?? '')) parts[index] = pick(words, random)
  return parts.join(' ')
}

function renumber(random: Random): (number: string) => string {
  return (number) => (random() < 0.5 ? number : String(Math.floor(random() * (number.length === 4 ? 100 : 1000)) + (number.length === 4 ? 1950 : 0)))
}

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)]!
}

export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

function forceGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc') as () => void
  } catch {
    return undefined
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv[2] ? process.argv[2].split(',').map(Number) : undefined
  const results = await benchTm({...(sizes ? {sizes} : {}), ...(process.argv[3] ? {lookups: Number(process.argv[3])} : {}), ...(process.argv[4] ? {recallQueries: Number(process.argv[4])} : {})})
  console.log(JSON.stringify(results, null, 2))
}
