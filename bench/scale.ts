// Growth per stage on generated corpora (200 and 2,000 articles by default):
// segmentation, a full translate (pseudo engine, so that Passerelle's own work
// is what is measured), the same run with nothing changed, `status` and
// `build`; wall time and heap after each stage. Ratios 2,000/200 show whether
// a stage grows linearly (≈ 10) or worse.
import {performance} from 'node:perf_hooks'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {buildProject} from '../src/publish/run.ts'
import {projectStatus} from '../src/status/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {loadSources} from '../src/workflow/sources.ts'
import {generateProject} from './corpus.ts'

async function stages(articles: number) {
  const corpus = await generateProject(articles)
  const result: Record<string, {seconds: number; heapMB: number}> = {}
  const stage = async (name: string, run: () => Promise<unknown>) => {
    const start = performance.now()
    await run()
    result[name] = {seconds: round((performance.now() - start) / 1000), heapMB: round(process.memoryUsage().heapUsed / 1048576, 1)}
  }
  try {
    await stage('segment', () => loadSources(corpus.project))
    await stage('translateFull', () => translateProject(corpus.project, {locales: ['es'], engine: createPseudoEngine()}))
    await stage('translateUnchanged', () => translateProject(corpus.project, {locales: ['es'], engine: createPseudoEngine()}))
    await stage('status', () => projectStatus(corpus.project, ['es']))
    await stage('build', () => buildProject(corpus.project, {locales: ['es'], strict: false, minState: 'machine'}))
    return {articles, words: corpus.words, stages: result}
  } finally {
    await corpus.cleanup()
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
  return {runs, growthRatio: growth, engine: 'pseudo'}
}

function round(value: number, digits = 3): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
