// MT as jobs, end to end with the real CLI: `translate --database` queues
// pg-boss jobs; two `passerelle worker` processes (DeepL key in their own
// environment, pointed at the local DeepL v2 server) share them; one is killed
// with SIGKILL in the middle of a job, and the other resumes that job from the
// batches already saved. What DeepL billed stays within an uninterrupted run's
// characters plus one batch; no segment is lost; human work is untouched.
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import pg from 'pg'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {startFakeDeepl, type FakeDeepl} from './helpers/deepl-server.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const run = promisify(execFile)
const cli = join(repoRoot, 'bin', 'passerelle.js')
const missing = postgresMissing()
if (missing) console.log(`SKIP jobs-worker: ${missing}`)

const big = 'dialogue-de-haut-niveau-des-nations-unies-sur-les-migrations'
const withHuman = 'l-oim-et-les-partenaires-gouvernementaux-debattent-des'
const humanText = 'Traducción humana, que ninguna máquina reemplaza.'

interface Worker {
  child: ChildProcess
  log: () => string
  exited: Promise<number | null>
}

describe.skipIf(missing !== undefined)('translate jobs and workers', () => {
  let cluster: TestCluster
  let deepl: FakeDeepl
  let temp: TempProject
  const workers: Worker[] = []
  let databases = 0

  beforeAll(async () => {
    cluster = await startCluster()
    // Late answers, so that a worker can be killed between two batches of one job.
    deepl = await startFakeDeepl({latencyMs: 400, autoClose: false, maxRequests: 10_000})
    temp = await tempProject({}, {content: true})
    // Human work in one article: one segment translated by a person, the rest untranslated.
    await run(process.execPath, [cli, '-C', temp.root, 'translate', '--to', 'es', '--engine', 'pseudo', '--article', withHuman, '--no-progress'])
    const path = join(temp.root, 'locales', 'es', `${withHuman}.json`)
    const bundle = JSON.parse(await readFile(path, 'utf8')) as {segments: Array<Record<string, unknown>>}
    bundle.segments = bundle.segments.map((segment, index) => {
      const {target: _target, origin: _origin, ...rest} = segment
      return index === 1
        ? {...segment, state: 'translated', target: humanText, revision: Number(segment.revision) + 1}
        : {...rest, state: 'new', unknown: [], qa: [], glossary: []}
    })
    await writeFile(path, JSON.stringify(bundle, null, 2) + '\n')
  }, 120_000)
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL')
      await worker.exited
    }
  })
  afterAll(async () => {
    await deepl?.close()
    await temp?.cleanup()
    await cluster?.stop()
  })

  /** A database holding the project (content, glossary, the bundle with human work). */
  async function database(): Promise<string> {
    const url = await cluster.createDatabase(`jobs${++databases}`)
    await run(process.execPath, [cli, '-C', temp.root, 'db', 'migrate', '--database', url])
    await run(process.execPath, [cli, '-C', temp.root, 'db', 'import', '--database', url])
    return url
  }

  function startWorker(url: string): Worker {
    // The engine key lives in the worker's environment only.
    const child = spawn(process.execPath, [cli, 'worker', '--database', url, '--expiry-check', '1'], {
      env: {...process.env, DEEPL_AUTH_KEY: 'fake-key:fx', DEEPL_SERVER_URL: deepl.url},
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const worker = {child, log: () => output, exited}
    workers.push(worker)
    return worker
  }

  async function enqueue(url: string, extra: string[] = []): Promise<{stdout: string; jobs: string[]}> {
    const args = [cli, '-C', temp.root, 'translate', '--database', url, '--to', 'es', '--engine', 'deepl', '--per-job', '1', '--job-timeout', '15', ...extra]
    // No key where the jobs are queued: only the workers have one.
    const {stdout} = await run(process.execPath, args, {env: {...process.env, DEEPL_AUTH_KEY: ''}})
    return {stdout, jobs: stdout.split('\n').filter((line) => /^[0-9a-f-]{36}\t/.test(line))}
  }

  async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({connectionString: url})
    await client.connect()
    try {
      return (await client.query<T>(text, values)).rows
    } finally {
      await client.end()
    }
  }

  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const start = Date.now()
    while (!(await check())) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  const allDone = (url: string) => async () => (await query<{open: string}>(url, "SELECT count(*) AS open FROM translate_jobs WHERE state <> 'done'"))[0]!.open === '0'

  /** Every live segment with its state and target, by article and id. */
  const segments = (url: string) =>
    query<{article: string; id: string; state: string; target: string | null}>(url, "SELECT article, id, state, target FROM segments WHERE list = 'segments' ORDER BY article, position")

  it('refuses what a queued run cannot do, and a worker on an unmigrated database, in one line each', async () => {
    const url = await database()
    const failure = (error: {code: number; stderr: string}) => error
    const forced = await run(process.execPath, [cli, '-C', temp.root, 'translate', '--database', url, '--to', 'es', '--force']).catch(failure)
    expect('code' in forced ? forced.code : 0).toBe(1)
    expect(forced.stderr.trim().split('\n')).toHaveLength(1)
    expect(forced.stderr).toContain('--force cannot be used with --database')
    expect(forced.stderr).toContain('(E_INPUT)')
    const unknown = await run(process.execPath, [cli, '-C', temp.root, 'translate', '--database', url, '--to', 'es', '--article', 'no-such-article']).catch(failure)
    expect('code' in unknown ? unknown.code : 0).toBe(1)
    expect(unknown.stderr).toContain('(E_NOT_FOUND)')
    expect(await query(url, 'SELECT id FROM translate_jobs')).toEqual([])

    const empty = await cluster.createDatabase(`jobs${++databases}`)
    const worker = await run(process.execPath, [cli, 'worker', '--database', empty]).catch(failure)
    expect('code' in worker ? worker.code : 0).toBe(1)
    expect(worker.stderr.trim().split('\n')).toHaveLength(1)
    expect(worker.stderr).toContain('(E_DATABASE)')
  })

  it('two workers share the jobs; one killed mid-job is resumed by the other without paying twice', async () => {
    // An uninterrupted run, one worker: what the project costs.
    const baselineUrl = await database()
    const billedBefore = deepl.stats.billedCharacters
    const requestsBefore = deepl.requests.length
    startWorker(baselineUrl)
    // translate --wait follows the jobs to the end and sums them up.
    const waited = await enqueue(baselineUrl, ['--wait', '--no-progress'])
    expect(waited.jobs).toHaveLength(6)
    expect(waited.stdout).toMatch(/: 6 done, 0 failed; characters sent: [1-9]\d*\n$/)
    expect(await allDone(baselineUrl)()).toBe(true)
    const baselineBilled = deepl.stats.billedCharacters - billedBefore
    const baselineSegments = await segments(baselineUrl)
    const largestBatch = Math.max(
      ...deepl.requests
        .slice(requestsBefore)
        .filter((request) => request.path === '/v2/translate')
        .map((request) => (request.params.text ?? []).reduce((sum, text) => sum + text.length, 0))
    )
    expect(baselineBilled).toBeGreaterThan(0)
    expect(largestBatch).toBeGreaterThan(0)
    for (const worker of workers.splice(0)) {
      worker.child.kill('SIGTERM')
      await worker.exited
    }

    // The same project, two workers; the one that takes the big article is killed once four of its batches are
    // saved (re-sending them, on top of the batch in flight, would then break the bound below).
    const url = await database()
    const billedStart = deepl.stats.billedCharacters
    await enqueue(url)
    const first = startWorker(url)
    const second = startWorker(url)
    let victim: Worker | undefined
    await until('a worker between two batches of the big article', async () => {
      const [row] = await query<{worker: string | null; done: number; total: number | null}>(url, 'SELECT worker, done, total FROM translate_jobs WHERE articles = $1', [[big]])
      if (!row?.worker || row.total === null || row.done < 200 || row.done >= row.total) return false
      victim = [first, second].find((worker) => row.worker!.endsWith(`:${worker.child.pid}`))
      return victim !== undefined
    })
    victim!.child.kill('SIGKILL')
    await victim!.exited
    const survivor = victim === first ? second : first
    const [killedAt] = await query<{done: number; total: number}>(url, 'SELECT done, total FROM translate_jobs WHERE articles = $1', [[big]])
    expect(killedAt!.done).toBeLessThan(killedAt!.total)

    await until('the resumed run', allDone(url), 90_000)
    const billed = deepl.stats.billedCharacters - billedStart

    // The survivor ran the killed worker's job again, and both workers ran jobs.
    const [big_] = await query<{worker: string; attempts: number}>(url, 'SELECT worker, attempts FROM translate_jobs WHERE articles = $1', [[big]])
    expect(big_!.worker).toBe(`${big_!.worker.split(':')[0]}:${survivor.child.pid}`)
    // Two attempts at least: the killed one and the resumed one (a slow machine may add attempts that find the job busy or done).
    expect(big_!.attempts).toBeGreaterThanOrEqual(2)
    expect(victim!.log()).toMatch(/job .* started/)
    // Paid: at most what an uninterrupted run pays, plus the batch that was with DeepL when the worker died.
    expect(billed, `baseline ${baselineBilled}, largest batch ${largestBatch}, killed at ${killedAt!.done}/${killedAt!.total}\n${first.log()}\n${second.log()}`).toBeLessThanOrEqual(
      baselineBilled + largestBatch
    )

    // Nothing lost: the same segments as the uninterrupted run, every one with a translation.
    const after = await segments(url)
    expect(after.map(({article, id}) => `${article}/${id}`)).toEqual(baselineSegments.map(({article, id}) => `${article}/${id}`))
    expect(after.filter((segment) => segment.target === null)).toEqual([])
    // Human work untouched.
    const human = after.filter((segment) => segment.article === withHuman && segment.state === 'translated')
    expect(human.map((segment) => segment.target)).toEqual([humanText])
  }, 240_000)
})
