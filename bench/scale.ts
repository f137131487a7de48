// Growth per stage on generated corpora (200 and 2,000 articles by default):
// segmentation, a full translate into es (pseudo engine, so that Passerelle's
// own work is what is measured, not Apertium's), the same run with nothing
// changed, `status` and `build` from scratch and with nothing changed, and
// the translation memory built from the bundles (every segment marked as
// human work first, since the TM holds human work only).
//
// The sizes are interleaved stage by stage (both corpora are generated
// first; each stage then runs on 200, then on 2,000 articles), so that a
// change in the machine's load during the run falls on both sides of a
// stage's growth ratio rather than on the larger size alone. Each stage
// reports wall and CPU time (process.cpuUsage: all threads of this process),
// the 1-minute load average at its start and end, the heap and resident
// memory after it. Ratios 2,000/200 show whether a stage grows linearly (≈ 10)
// or worse; the CPU ratio is the one a busy machine distorts least.
import {readdir, readFile, writeFile} from 'node:fs/promises'
import {loadavg} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {buildProject} from '../src/publish/run.ts'
import {projectStatus} from '../src/status/run.ts'
import {loadProjectTm} from '../src/tm/index.ts'
import {translateProject} from '../src/translate/run.ts'
import {loadSources} from '../src/workflow/sources.ts'
import {generateProject, type GeneratedProject} from './corpus.ts'
import {round} from './timing.ts'

interface StageFigure {
  seconds: number
  cpuSeconds: number
  loadAverage: {start: number; end: number}
  heapMB: number
  rssMB: number
}

interface Stage {
  name: string
  /** Untimed preparation. */
  setup?: (corpus: GeneratedProject) => Promise<void>
  run: (corpus: GeneratedProject) => Promise<unknown>
}

const build = (corpus: GeneratedProject) => buildProject(corpus.project, {locales: ['es'], strict: false, minState: 'machine'})
const translate = (corpus: GeneratedProject) => translateProject(corpus.project, {locales: ['es'], engine: createPseudoEngine()})
const tmUnits = new Map<GeneratedProject, number>()

const stages: Stage[] = [
  {name: 'segment', run: (corpus) => loadSources(corpus.project)},
  {name: 'translateFull', run: translate},
  {name: 'translateUnchanged', run: translate},
  {name: 'status', run: (corpus) => projectStatus(corpus.project, ['es'])},
  {name: 'statusUnchanged', run: (corpus) => projectStatus(corpus.project, ['es'])},
  {name: 'build', run: build},
  {name: 'buildUnchanged', run: build},
  {
    name: 'tmBuild',
    setup: (corpus) => markHumanWork(join(corpus.project.localesDir, 'es')),
    run: async (corpus) => {
      const {tm} = await loadProjectTm({localesDir: corpus.project.localesDir, tmDir: corpus.project.tmDir})
      tmUnits.set(corpus, tm.size)
    }
  }
]

const mb = (bytes: number) => round(bytes / 1048576, 1)

async function measure(run: () => Promise<unknown>): Promise<StageFigure> {
  const [start, cpu, loadStart] = [performance.now(), process.cpuUsage(), loadavg()[0]!]
  await run()
  const used = process.cpuUsage(cpu)
  const seconds = (performance.now() - start) / 1000
  const memory = process.memoryUsage()
  return {
    seconds: round(seconds),
    cpuSeconds: round((used.user + used.system) / 1e6),
    loadAverage: {start: round(loadStart, 2), end: round(loadavg()[0]!, 2)},
    heapMB: mb(memory.heapUsed),
    rssMB: mb(memory.rss)
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
  const began = performance.now()
  const corpora = new Map<number, GeneratedProject>()
  try {
    for (const size of sizes) corpora.set(size, await generateProject(size))
    const figures = new Map<number, Record<string, StageFigure>>(sizes.map((size) => [size, {}]))
    for (const stage of stages) {
      for (const size of sizes) {
        const corpus = corpora.get(size)!
        await stage.setup?.(corpus)
        const figure = await measure(() => stage.run(corpus))
        figures.get(size)![stage.name] = figure
        console.error(`scale ${size}: ${stage.name} ${JSON.stringify(figure)}`)
      }
    }
    const runs = sizes.map((size) => ({articles: size, words: corpora.get(size)!.words, tmUnits: tmUnits.get(corpora.get(size)!), stages: figures.get(size)!}))
    const growth: Record<string, {wall: number; cpu: number}> = {}
    if (runs.length >= 2) {
      const [small, large] = [runs[0]!, runs.at(-1)!]
      for (const {name} of stages) {
        const [a, b] = [small.stages[name]!, large.stages[name]!]
        growth[name] = {wall: round(b.seconds / a.seconds, 2), cpu: round(b.cpuSeconds / Math.max(a.cpuSeconds, 0.001), 2)}
      }
    }
    return {
      runs,
      growthRatio: growth,
      interleaved: 'per stage: each stage runs on every size in turn, smallest first',
      peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
      totalSeconds: round((performance.now() - began) / 1000, 1),
      engine: 'pseudo',
      locales: ['es']
    }
  } finally {
    for (const corpus of corpora.values()) await corpus.cleanup()
  }
}
