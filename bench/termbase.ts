// A generated termbase of 50,000 concepts (two- and three-word French terms
// made from the words of the real articles, with English and Spanish terms):
// load time and memory, cold (YAML) and warm (compiled cache), each load in a
// fresh process; then matching speed against the real 70-concept glossary on
// the same segments ("stays flat" = per-segment cost ratio near 1).
import {execFileSync} from 'node:child_process'
import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {compileMatcher, loadTermbase} from '../src/glossary/index.ts'
import {parseArticle} from '../src/segment/index.ts'
import {realArticles, repoRoot} from './corpus.ts'

/**
 * Run in a child process: load the termbase once, then compile the fr→en
 * matcher (what `translate` does before its first segment), and report wall
 * and CPU time (CPU is steadier on a shared machine) and memory.
 */
async function loadOnce(dir: string, cacheDir: string) {
  const cpu = () => {
    const used = process.cpuUsage()
    return (used.user + used.system) / 1e6
  }
  const before = process.memoryUsage()
  const [start, cpuStart] = [performance.now(), cpu()]
  const {termbase} = await loadTermbase(dir, {cacheDir})
  const [loaded, cpuLoaded] = [performance.now(), cpu()]
  const after = process.memoryUsage()
  compileMatcher(termbase, {source: 'fr', target: 'en'})
  return {
    seconds: (loaded - start) / 1000,
    cpuSeconds: cpuLoaded - cpuStart,
    compileSeconds: (performance.now() - loaded) / 1000,
    loadAndCompileCpuSeconds: cpu() - cpuStart,
    concepts: termbase.concepts.length,
    heapMB: (after.heapUsed - before.heapUsed) / 1048576,
    rssMB: process.memoryUsage().rss / 1048576
  }
}

function inChild(dir: string, cacheDir: string) {
  const output = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, 'load', dir, cacheDir], {cwd: repoRoot, encoding: 'utf8'})
  return JSON.parse(output.trim().split('\n').at(-1)!) as Awaited<ReturnType<typeof loadOnce>>
}

export async function benchTermbase(options: {concepts?: number} = {}) {
  const count = options.concepts ?? 50_000
  const articles = await realArticles()
  const words = [...new Set(articles.flatMap((article) => article.text.toLowerCase().match(/\p{L}{4,}/gu) ?? []))]
  const root = await mkdtemp(join(tmpdir(), 'passerelle-termbase-'))
  const dir = join(root, 'glossary')
  const cacheDir = join(root, 'cache')
  await mkdir(dir)
  try {
    let random = 42
    const pick = () => words[(random = (random * 1103515245 + 12345) % 2147483648) % words.length]!
    const perFile = 5000
    for (let file = 0; file * perFile < count; file++) {
      const lines = ['concepts:']
      for (let index = file * perFile; index < Math.min(count, (file + 1) * perFile); index++) {
        const term = index % 3 === 0 ? `${pick()} ${pick()} ${pick()}` : `${pick()} ${pick()}`
        lines.push(
          `  - id: c${index}`,
          '    terms:',
          `      fr: [{text: "${term}", status: preferred, type: fullForm}]`,
          `      en: [{text: "term ${index}", status: preferred}]`,
          `      es: [{text: "término ${index}", status: preferred}]`
        )
      }
      await writeFile(join(dir, `generated-${String(file).padStart(2, '0')}.yaml`), lines.join('\n') + '\n')
    }
    const cold = inChild(dir, cacheDir)
    const warm = inChild(dir, cacheDir)
    // The peer: the project's 70-concept glossary, loaded the same way in the same run.
    const smallCache = join(root, 'small-cache')
    inChild(join(repoRoot, 'glossary'), smallCache)
    const smallWarm = inChild(join(repoRoot, 'glossary'), smallCache)

    const segments = articles.flatMap((article) => parseArticle(article.text).segments)
    const {termbase: big} = await loadTermbase(dir, {cacheDir})
    const {termbase: small} = await loadTermbase(join(repoRoot, 'glossary'))
    const matchTime = (termbase: typeof big) => {
      const compileStart = performance.now()
      const matcher = compileMatcher(termbase, {source: 'fr', target: 'en'})
      const compileMs = performance.now() - compileStart
      const start = performance.now()
      let hits = 0
      for (let round = 0; round < 5; round++) for (const segment of segments) hits += matcher.match(segment.source).length
      return {compileMs, perSegmentMs: (performance.now() - start) / (5 * segments.length), hits: hits / 5}
    }
    const smallMatch = matchTime(small)
    const bigMatch = matchTime(big)
    return {
      concepts: cold.concepts,
      coldLoadSeconds: round(cold.seconds),
      coldLoadCpuSeconds: round(cold.cpuSeconds),
      warmLoadSeconds: round(warm.seconds),
      warmLoadCpuSeconds: round(warm.cpuSeconds),
      warmOverColdRatio: round(warm.seconds / cold.seconds),
      /** Load then compile the matcher, as `translate` does: the figure the 2 s target is about. */
      warmLoadAndCompileSeconds: round(warm.seconds + warm.compileSeconds),
      warmLoadAndCompileCpuSeconds: round(warm.loadAndCompileCpuSeconds),
      concepts70: {warmLoadAndCompileSeconds: round(smallWarm.seconds + smallWarm.compileSeconds, 4), warmLoadAndCompileCpuSeconds: round(smallWarm.loadAndCompileCpuSeconds, 4), rssMB: round(smallWarm.rssMB, 1)},
      loadAndCompileRatioTo70: round(warm.loadAndCompileCpuSeconds / smallWarm.loadAndCompileCpuSeconds, 1),
      coldHeapMB: round(cold.heapMB, 1),
      warmHeapMB: round(warm.heapMB, 1),
      warmRssMB: round(warm.rssMB, 1),
      coldRssMB: round(cold.rssMB, 1),
      compileMs: {concepts70: round(smallMatch.compileMs, 1), [`concepts${count}`]: round(bigMatch.compileMs, 1)},
      matchPerSegmentMs: {concepts70: round(smallMatch.perSegmentMs, 4), [`concepts${count}`]: round(bigMatch.perSegmentMs, 4)},
      matchRatio: round(bigMatch.perSegmentMs / smallMatch.perSegmentMs, 2),
      loadPerCpu: round(loadavg()[0]! / availableParallelism(), 2),
      targets: 'warm load (and matcher compile) < 2 s and < 300 MB; matchRatio near 1'
    }
  } finally {
    await rm(root, {recursive: true, force: true})
  }
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

if (process.argv[2] === 'load' && process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(JSON.stringify(await loadOnce(process.argv[3]!, process.argv[4]!)))
}
