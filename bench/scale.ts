// Growth per stage on generated corpora (200 and 2,000 articles by default):
// segmentation, a full translate into es (pseudo engine, so that Passerelle's
// own work is what is measured, not Apertium's), the same run with nothing
// changed, `status` and `build` from scratch and with nothing changed, and
// the translation memory built from the bundles (every segment marked as
// human work first, since the TM holds human work only). Wall time, the heap
// and resident memory after each stage, and the process's peak resident
// memory so far. Ratios 2,000/200 show whether a stage grows linearly (≈ 10)
// or worse.
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {buildProject} from '../src/publish/run.ts'
import {projectStatus} from '../src/status/run.ts'
import {loadProjectTm} from '../src/tm/index.ts'
import {translateProject} from '../src/translate/run.ts'
import {loadSources} from '../src/workflow/sources.ts'
import {generateProject} from './corpus.ts'
import {round} from './timing.ts'

interface StageFigure {
  seconds: number
  heapMB: number
  rssMB: number
  peakRssMB: number
}

async function stages(articles: number) {
  const corpus = await generateProject(articles)
  const result: Record<string, StageFigure> = {}
  const mb = (bytes: number) => round(bytes / 1048576, 1)
  const stage = async (name: string, run: () => Promise<unknown>) => {
    const start = performance.now()
    await run()
    const memory = process.memoryUsage()
    result[name] = {seconds: round((performance.now() - start) / 1000), heapMB: mb(memory.heapUsed), rssMB: mb(memory.rss), peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1)}
    console.error(`scale ${articles}: ${name} ${JSON.stringify(result[name])}`)
  }
  try {
    let units = 0
    const build = () => buildProject(corpus.project, {locales: ['es'], strict: false, minState: 'machine'})
    await stage('segment', () => loadSources(corpus.project))
    await stage('translateFull', () => translateProject(corpus.project, {locales: ['es'], engine: createPseudoEngine()}))
    await stage('translateUnchanged', () => translateProject(corpus.project, {locales: ['es'], engine: createPseudoEngine()}))
    await stage('status', () => projectStatus(corpus.project, ['es']))
    await stage('statusUnchanged', () => projectStatus(corpus.project, ['es']))
    await stage('build', build)
    await stage('buildUnchanged', build)
    await markHumanWork(join(corpus.project.localesDir, 'es'))
    await stage('tmBuild', async () => {
      const {tm} = await loadProjectTm({localesDir: corpus.project.localesDir, tmDir: corpus.project.tmDir})
      units = tm.size
    })
    return {articles, words: corpus.words, tmUnits: units, stages: result}
  } finally {
    await corpus.cleanup()
  }
}

/** Every machine translation becomes human work (untimed), so that the TM has the corpus to index. */
async function markHumanWork(dir: string): Promise<void> {
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json'))) {
    const file = join(dir, name)
    const bundle = JSON.parse(await readFile(file, 'utf8')) as {segments: {state: string; target?: string}[]}
    for (const segment of bundle.segments) if (segment.target !== undefined) segment.state = 'translated'
    await writeFile(file, JSON.stringify(bundle, null, 2) + '\n')
  }
}

export async function benchScale(options: {sizes?: number[]} = {}) {
  const sizes = options.sizes ?? [200, 2000]
  const runs = []
  for (const size of sizes) runs.push(await stages(size))
  const growth: Record<string, number> = {}
  if (runs.length >= 2) {
    const [small, large] = [runs[0]!, runs.at(-1)!]
    for (const name of Object.keys(small.stages)) growth[name] = round(large.stages[name]!.seconds / small.stages[name]!.seconds, 2)
  }
  return {runs, growthRatio: growth, engine: 'pseudo', locales: ['es']}
}
