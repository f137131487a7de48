// MT as jobs: one `passerelle worker` against two, on generated articles in a
// throwaway PostgreSQL, with DeepL played by the project's local DeepL v2
// server answering each request late (a network-bound engine, where more
// workers pay off; Apertium is CPU-bound, and this machine has 2 shared
// cores). Rounds alternate one and two workers; each run starts from a fresh
// database holding the same project. Figures: wall time from enqueue to the
// last job done, segments per second, characters billed (equal: no job pays twice).
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {promisify} from 'node:util'
import pg from 'pg'
import {startFakeDeepl} from '../test/helpers/deepl-server.ts'
import {postgresMissing, startCluster} from '../test/helpers/postgres.ts'
import {generateProject, repoRoot} from './corpus.ts'

const run = promisify(execFile)
const cli = join(repoRoot, 'bin', 'passerelle.js')

export async function benchWorkers(options: {articles?: number; latencyMs?: number; rounds?: number} = {}) {
  const missing = postgresMissing()
  if (missing) return {skipped: missing}
  const articles = options.articles ?? 200
  const latencyMs = options.latencyMs ?? 250
  const rounds = options.rounds ?? 1
  const cluster = await startCluster()
  const deepl = await startFakeDeepl({latencyMs, autoClose: false, maxRequests: 1_000_000})
  const generated = await generateProject(articles)
  let databases = 0
  try {
    const once = async (workers: number) => {
      const url = await cluster.createDatabase(`bench${++databases}`)
      await run(process.execPath, [cli, '-C', generated.root, 'db', 'migrate', '--database', url])
      await run(process.execPath, [cli, '-C', generated.root, 'db', 'import', '--database', url])
      const children: ChildProcess[] = []
      for (let index = 0; index < workers; index++) {
        children.push(
          spawn(process.execPath, [cli, 'worker', '--database', url], {env: {...process.env, DEEPL_AUTH_KEY: 'fake-key:fx', DEEPL_SERVER_URL: deepl.url}, stdio: 'ignore'})
        )
      }
      const client = new pg.Client({connectionString: url})
      await client.connect()
      try {
        // Workers up and polling before the clock starts.
        await new Promise((resolve) => setTimeout(resolve, 3000))
        const billed = deepl.stats.billedCharacters
        const start = performance.now()
        await run(process.execPath, [cli, '-C', generated.root, 'translate', '--database', url, '--to', 'es', '--engine', 'deepl', '--wait', '--no-progress'])
        const seconds = (performance.now() - start) / 1000
        const {rows} = await client.query<{segments: string; open: string}>(
          "SELECT (SELECT count(*) FROM segments WHERE target IS NOT NULL AND list = 'segments') AS segments, (SELECT count(*) FROM translate_jobs WHERE state <> 'done') AS open"
        )
        const {rows: jobs} = await client.query<{jobs: string}>('SELECT count(*) AS jobs FROM translate_jobs')
        return {seconds: round(seconds, 2), segments: Number(rows[0]!.segments), jobsLeft: Number(rows[0]!.open), jobs: Number(jobs[0]!.jobs), billed: deepl.stats.billedCharacters - billed}
      } finally {
        await client.end()
        for (const child of children) child.kill('SIGTERM')
        await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))))
      }
    }
    const one: Awaited<ReturnType<typeof once>>[] = []
    const two: Awaited<ReturnType<typeof once>>[] = []
    for (let round = 0; round < rounds; round++) {
      one.push(await once(1))
      two.push(await once(2))
    }
    const median = (runs: {seconds: number}[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs.length - 1) / 2)]!.seconds
    const segments = one[0]!.segments
    return {
      articles,
      words: generated.words,
      segments,
      jobs: one[0]!.jobs,
      engine: `DeepL v2 (local test server, ${latencyMs} ms per request)`,
      oneWorker: {runs: one, medianSeconds: median(one), segmentsPerSecond: Math.round(segments / median(one))},
      twoWorkers: {runs: two, medianSeconds: median(two), segmentsPerSecond: Math.round(segments / median(two))},
      speedup: round(median(one) / median(two), 2),
      note: 'peer = one worker, measured in the same run, rounds alternating; billed characters equal in every run'
    }
  } finally {
    await deepl.close()
    await generated.cleanup()
    await cluster.stop()
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
