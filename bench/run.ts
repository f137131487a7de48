// `npm run bench`: throughput and latency figures, written to
// bench/results.json and quoted in the README. Targets live here, never in
// unit tests. Each figure is measured on this machine at run time.
// `npm run bench -- incremental termbase` runs only those parts (and keeps the
// other parts' last figures in results.json); `--articles N` sizes the
// generated corpora.
import {execFileSync} from 'node:child_process'
import {parseArgs} from 'node:util'
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {cpus, loadavg, totalmem} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {compileMatcher, loadTermbase} from '../src/glossary/index.ts'
import {parseArticle} from '../src/segment/index.ts'
import {childrenCpuSeconds} from './timing.ts'

const root = new URL('..', import.meta.url).pathname
const corpusBytes = 10 * 1024 * 1024

/** A corpus of at least 10 MB made from the real articles, each copy varied so no stage can cache. */
async function buildCorpus(): Promise<string[]> {
  const dir = join(root, 'content', 'fr')
  const sources = await Promise.all((await readdir(dir)).filter((name) => name.endsWith('.md')).map((name) => readFile(join(dir, name), 'utf8')))
  const documents: string[] = []
  let bytes = 0
  for (let copy = 0; bytes < corpusBytes; copy++) {
    for (const source of sources) {
      // Vary numbers so sentences (and their hashes) differ between copies.
      const varied = source.replace(/\b(\d{4})\b/g, (year) => String(Number(year) + (copy % 50)))
      documents.push(varied.replace(/^title: (.*)$/m, `title: $1 (${copy})`))
      bytes += Buffer.byteLength(documents.at(-1)!)
    }
  }
  return documents
}

function timed<T>(run: () => T): {result: T; seconds: number} {
  const start = performance.now()
  const result = run()
  return {result, seconds: (performance.now() - start) / 1000}
}

async function benchSegmentAndGlossary() {
  const documents = await buildCorpus()
  const bytes = documents.reduce((sum, text) => sum + Buffer.byteLength(text), 0)
  const heapBefore = process.memoryUsage().heapUsed

  const segmentation = timed(() => documents.map((text) => parseArticle(text).segments))
  const segments = segmentation.result.flat()

  const {termbase} = await loadTermbase(join(root, 'glossary'))
  const compile = timed(() => compileMatcher(termbase, {source: 'fr', target: 'en'}))
  const matching = timed(() => segments.reduce((sum, segment) => sum + compile.result.match(segment.source).length, 0))
  const sourceBytes = segments.reduce((sum, segment) => sum + Buffer.byteLength(segment.source), 0)

  return {
    corpus: {documents: documents.length, bytes, megabytes: round(bytes / 1048576, 2), segments: segments.length},
    segmentation: {
      seconds: round(segmentation.seconds, 3),
      segmentsPerSecond: Math.round(segments.length / segmentation.seconds),
      megabytesPerSecond: round(bytes / 1048576 / segmentation.seconds, 2)
    },
    glossary: {
      concepts: termbase.concepts.length,
      compileMilliseconds: round(compile.seconds * 1000, 1),
      hits: matching.result,
      seconds: round(matching.seconds, 3),
      segmentsPerSecond: Math.round(segments.length / matching.seconds),
      megabytesPerSecond: round(sourceBytes / 1048576 / matching.seconds, 2)
    },
    heapGrowthMegabytes: round((process.memoryUsage().heapUsed - heapBefore) / 1048576, 1)
  }
}

/** Apertium on the real content: one batch per pair, as `translate` sends it. */
async function benchApertium() {
  try {
    execFileSync('apertium', ['-l'])
  } catch {
    return {skipped: 'apertium is not installed'}
  }
  const dir = join(root, 'content', 'fr')
  const segments = []
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.md'))) {
    segments.push(...parseArticle(await readFile(join(dir, name), 'utf8')).segments)
  }
  const batch = segments.map((segment) => ({id: segment.id, text: segment.source, hits: []}))
  const words = segments.reduce((sum, segment) => sum + segment.source.split(/\s+/).length, 0)
  const result: Record<string, unknown> = {segments: batch.length, words}
  for (const to of ['es', 'en', 'ca']) {
    const engine = createApertiumEngine()
    const start = performance.now()
    await engine.translate(batch, {from: 'fr', to})
    const seconds = (performance.now() - start) / 1000
    result[`fr-${to}`] = {seconds: round(seconds, 2), wordsPerSecond: Math.round(words / seconds), processes: engine.calls}
  }
  return result
}

/** `--sizes` measures only those memory sizes; the other sizes keep their previous figures (each entry says when it was measured). */
async function benchTranslationMemory(sizes?: number[], previous?: unknown) {
  try {
    const module = (await import('./tm.ts')) as {benchTm?: (options: {sizes?: number[]}) => Promise<{units: number}[]>}
    if (!module.benchTm) return {skipped: 'bench/tm.ts exports no benchTm'}
    const measured = new Date().toISOString()
    const fresh = (await module.benchTm(sizes ? {sizes} : {})).map((result) => ({...result, measured}))
    if (!sizes) return fresh
    const kept = Object.values((previous ?? {}) as Record<string, {units?: number}>).filter((entry) => typeof entry?.units === 'number' && !sizes.includes(entry.units))
    return [...kept, ...fresh].sort((a, b) => a.units! - b.units!)
  } catch (error) {
    return {skipped: `translation-memory bench unavailable: ${(error as Error).message}`}
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/**
 * CLI start-up: wall time of `passerelle --version` and `passerelle status`
 * (the committed project) as a user runs them, against `node -e 0` measured
 * in the same rounds (interleaved), so the ratio holds on a busy machine.
 */
async function benchStartup(runs = 21) {
  execFileSync(process.execPath, [join(root, 'scripts', 'compile.mjs')])
  const bin = join(root, 'bin', 'passerelle.js')
  const commands: Record<string, string[]> = {node: ['-e', '0'], version: [bin, '--version'], status: [bin, '-C', root, 'status']}
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
  for (let run = 0; run < runs; run++) {
    for (const [name, args] of Object.entries(commands)) {
      const [start, cpuStart] = [performance.now(), childrenCpuSeconds()]
      execFileSync(process.execPath, args, {stdio: 'ignore'})
      times[name]!.push((performance.now() - start) / 1000)
      cpu[name]!.push(childrenCpuSeconds() - cpuStart)
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const node = median(times.node!)
  // Wall time depends on how busy the machine is; CPU time (user + system) much less.
  const figure = (name: string) => ({
    medianSeconds: round(median(times[name]!), 3),
    ratioToNode: round(median(times[name]!) / node, 2),
    cpuMedianSeconds: round(median(cpu[name]!), 3)
  })
  return {
    runs,
    loadAverage: round(loadavg()[0]!, 2),
    node: {medianSeconds: round(node, 3), cpuMedianSeconds: round(median(cpu.node!), 3)},
    version: figure('version'),
    status: figure('status'),
    targetVersionSeconds: 0.25
  }
}


const {values, positionals} = parseArgs({options: {articles: {type: 'string'}, concepts: {type: 'string'}, sizes: {type: 'string'}, seconds: {type: 'string'}}, allowPositionals: true})
const articles = values.articles === undefined ? undefined : Number(values.articles)
const parts: Record<string, () => Promise<unknown>> = {
  startup: () => benchStartup(),
  segmentPerFile: async () => (await import('./per-file.ts')).benchPerFile(),
  segmentAndGlossary: benchSegmentAndGlossary,
  apertium: benchApertium,
  // The sizes not measured keep their last figures, read from results.json now (`previous` below is read only after every part ran).
  translationMemory: async () =>
    benchTranslationMemory(
      values.sizes ? values.sizes.split(',').map(Number) : undefined,
      (JSON.parse(await readFile(join(root, 'bench', 'results.json'), 'utf8').catch(() => '{}')) as Record<string, unknown>).translationMemory
    ),
  incremental: async () => (await import('./incremental.ts')).benchIncremental({articles}),
  apertiumOverhead: async () => (await import('./apertium-overhead.ts')).benchApertiumOverhead(),
  scale: async () => (await import('./scale.ts')).benchScale(values.sizes ? {sizes: values.sizes.split(',').map(Number)} : {}),
  buildStatus: async () => (await import('./build-status.ts')).benchBuildStatus({articles}),
  termbase: async () => (await import('./termbase.ts')).benchTermbase({concepts: values.concepts === undefined ? undefined : Number(values.concepts)}),
  reviewOpen: async () => (await import('./review-open.ts')).benchReviewOpen(),
  reviewSave: async () => {
    // Its own process (it writes bench/review-save.json), so that the save figures see no other part's heap.
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'review-save.ts'), '100'], {stdio: 'inherit'})
    return JSON.parse(await readFile(join(root, 'bench', 'review-save.json'), 'utf8')) as object
  },
  teamGlossary: async () => (await import('./team-glossary.ts')).benchTeamGlossary(),
  workers: async () => (await import('./workers.ts')).benchWorkers({articles}),
  teamLoad: async () => (await import('./team-load.ts')).benchTeamLoad({...(articles === undefined ? {} : {articles}), ...(values.seconds === undefined ? {} : {seconds: Number(values.seconds)})}),
  // The same 20 reviewers, each pausing about a second between saves (20 saves/s in all).
  teamLoadPaced: async () =>
    (await import('./team-load.ts')).benchTeamLoad({thinkMs: 1000, ...(articles === undefined ? {} : {articles}), ...(values.seconds === undefined ? {} : {seconds: Number(values.seconds)})})
}
const aliases: Record<string, string> = {segment: 'segmentAndGlossary', tm: 'translationMemory', team: 'teamLoad'}
const chosen = positionals.length === 0 ? Object.keys(parts) : positionals.map((name) => aliases[name] ?? name)
for (const name of chosen) {
  if (!parts[name]) {
    console.error(`bench: no part '${name}'; choose from ${Object.keys(parts).join(', ')}`)
    process.exit(2)
  }
}
const resultsPath = join(root, 'bench', 'results.json')
const measured: Record<string, unknown> = {}
for (const name of chosen) {
  measured[name] = {...((await parts[name]!()) as object), measured: new Date().toISOString()}
  console.log(name, JSON.stringify(measured[name], null, 2))
}
// Read just before writing: another part may have finished meanwhile, and its figures stay.
const previous = JSON.parse(await readFile(resultsPath, 'utf8').catch(() => '{}')) as Record<string, unknown>
const results: Record<string, unknown> = {
  ...previous,
  date: new Date().toISOString(),
  machine: {node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGigabytes: round(totalmem() / 1073741824, 1)},
  ...measured
}
await writeFile(resultsPath, JSON.stringify(results, null, 2) + '\n')
