// `passerelle worker`: takes translate jobs from the queue and runs them with
// the engines configured on this machine (DeepL's key from this process's
// environment only: it never travels through the database). Any number of
// workers, on any machines that reach the database, share the queue.
import {hostname} from 'node:os'
import pg from 'pg'
import type PgBoss from 'pg-boss'
import type {Config} from '../config.ts'
import {assertPoolMigrated} from '../db/migrate.ts'
import {displayUrl} from '../db/connect.ts'
import {createEngine} from '../engines/index.ts'
import type {Engine} from '../engines/types.ts'
import {describeError, PasserelleError} from '../errors.ts'
import {withPostEdit} from '../postedit/index.ts'
import type {RulesStore} from '../postedit/store.ts'
import {markFinished} from './progress.ts'
import {openBoss, parseJobData, queueName} from './queue.ts'
import {failureLine, JobBusyError, runTranslateJob} from './run-job.ts'

export interface WorkerOptions {
  /** Jobs this worker runs at once (default 1). */
  concurrency?: number
  /** How often this worker looks for jobs whose worker died (pg-boss maintenance; default 30 s). */
  expiryCheckSeconds?: number
  /** How often an idle worker polls the queue (default 2 s). */
  pollSeconds?: number
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
}

export interface RunningWorker {
  /** Stop taking jobs; wait for those under way (at most `timeoutMs`), then close. */
  stop(timeoutMs?: number): Promise<void>
}

export async function startWorker(url: string, options: WorkerOptions = {}): Promise<RunningWorker> {
  const concurrency = Math.max(1, options.concurrency ?? 1)
  const log = options.log ?? ((line: string) => console.log(line))
  const env = options.env ?? process.env
  // Per running job: one connection holding its lock, one for its queries; plus one to spare.
  const pool = new pg.Pool({connectionString: url, max: 2 * concurrency + 1, keepAlive: true})
  pool.on('error', (error) => log(`worker: database connection lost (${error.message})`))
  try {
    await assertPoolMigrated(pool)
  } catch (error) {
    await pool.end().catch(() => undefined)
    if (error instanceof PasserelleError) throw error
    throw new PasserelleError('E_DATABASE', `cannot connect to PostgreSQL (${(error as Error).message})`, {
      file: displayUrl(url),
      hint: 'check --database (postgresql://user@host/db) and that the server runs',
      cause: error
    })
  }
  const boss: PgBoss = await openBoss(url, {supervise: true, maintenanceIntervalSeconds: options.expiryCheckSeconds ?? 30}).catch(async (error: unknown) => {
    await pool.end().catch(() => undefined)
    throw error
  })
  const worker = `${hostname()}:${process.pid}`
  // One engine per name for the worker's life (DeepL glossaries are synced once per pair, not per job).
  const engines = new Map<string, Promise<Engine>>()
  const baseEngine = (name: string, config: Config) => {
    let engine = engines.get(name)
    if (!engine) {
      engine = createEngine(name, config, env)
      engine.catch(() => engines.delete(name))
      engines.set(name, engine)
    }
    return engine
  }
  const context = {
    pool,
    worker,
    engine: async (name: string, project: {glossaryDir: string; config: Config}, rules: RulesStore) =>
      withPostEdit(await baseEngine(name, project.config), {
        glossaryDir: project.glossaryDir,
        rules,
        settings: project.config.postEdit,
        onProblems: (problems) => problems.forEach((problem) => log(`worker: ${describeError(problem)}`))
      })
  }

  const handle = async ([job]: PgBoss.Job<unknown>[]) => {
    if (!job) return
    const started = Date.now()
    let data
    try {
      data = parseJobData(job.data)
    } catch (error) {
      log(`worker: job ${job.id}: ${describeError(error)}`)
      throw error
    }
    log(`worker ${worker}: job ${job.id} (${data.locale}: ${data.articles.join(', ')}) started`)
    try {
      const outcome = await runTranslateJob(context, job.id, data)
      const locale = outcome.report.locales[0]
      const line = failureLine(outcome.failures)
      await markFinished(pool, job.id, {state: 'done', ...(line ? {message: line} : {})})
      log(
        `worker ${worker}: job ${job.id} done: ${locale?.machineTranslated ?? 0} machine-translated, ${locale?.leveraged ?? 0} from TM, ` +
          `${outcome.report.characters} characters sent in ${((Date.now() - started) / 1000).toFixed(1)} s` +
          (line ? `; ${line}` : '')
      )
      return {characters: outcome.report.characters, machineTranslated: locale?.machineTranslated ?? 0}
    } catch (error) {
      const message = describeError(error)
      if (error instanceof JobBusyError) {
        // Not ours to mark: the attempt under way elsewhere records its own outcome.
        log(`worker ${worker}: job ${job.id} skipped: ${message}`)
        throw error
      }
      log(`worker ${worker}: job ${job.id} stopped: ${message}`)
      // pg-boss decides: retried later (what was saved stays), or failed after the last attempt.
      await markFinished(pool, job.id, {state: 'failed', message}).catch(() => undefined)
      throw error
    }
  }
  for (let index = 0; index < concurrency; index++) {
    let id = ''
    id = await boss.work(queueName, {batchSize: 1, pollingIntervalSeconds: options.pollSeconds ?? 2}, async (jobs) => {
      try {
        return await handle(jobs)
      } finally {
        // Look for the next job at once rather than after the polling interval: the queue may hold more.
        boss.notifyWorker(id)
      }
    })
  }
  log(`worker ${worker}: waiting for translate jobs (concurrency ${concurrency})`)
  return {
    async stop(timeoutMs = 10_000) {
      await boss.stop({graceful: true, wait: true, timeout: timeoutMs}).catch(() => undefined)
      await pool.end().catch(() => undefined)
    }
  }
}
