// `passerelle worker` and `passerelle translate --database`: MT as jobs in the
// team database. The queue code (pg-boss, pg) loads only when they run.
import type {Command} from 'commander'
import {InvalidArgumentError} from 'commander'
import type {CliContext} from '../cli-context.ts'
import {databaseUrl} from '../db/cli.ts'
import {PasserelleError} from '../errors.ts'
import {onShutdown} from '../io/shutdown.ts'

function positive(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number')
  return number
}

export interface QueueTranslateOptions {
  database: string
  locales: string[]
  engine: string
  articles?: string[]
  perJob?: number
  jobTimeout?: number
  wait?: boolean
  progress: boolean
}

/** `translate --database`: queue the jobs, print their ids, and with --wait follow them to the end. */
export async function queueTranslate(context: CliContext, options: QueueTranslateOptions): Promise<void> {
  const project = await context.project()
  const pg = (await import('pg')).default
  const {openBoss, enqueueTranslation} = await import('./queue.ts')
  const {assertMigrated} = await import('../db/migrate.ts')
  const {withDatabase} = await import('../db/connect.ts')
  await withDatabase(options.database, (db) => assertMigrated(db))
  const boss = await openBoss(options.database, {max: 2})
  const client = new pg.Client({connectionString: options.database})
  let queued
  try {
    await client.connect()
    queued = await enqueueTranslation(boss, client, {
      locales: options.locales,
      ...(options.articles ? {articles: options.articles} : {}),
      engine: options.engine,
      config: project.config as unknown as Record<string, unknown>,
      requestedBy: 'cli',
      ...(options.perJob ? {perJob: options.perJob} : {}),
      ...(options.jobTimeout ? {timings: {expireInSeconds: options.jobTimeout}} : {})
    })
  } finally {
    await client.end().catch(() => undefined)
    await boss.stop({graceful: false, wait: true}).catch(() => undefined)
  }
  console.log(`queued request ${queued.request}: ${queued.jobs.length} job${queued.jobs.length === 1 ? '' : 's'} (${options.engine})`)
  for (const job of queued.jobs) console.log(`${job.id}\t${job.locale}\t${job.articles.join(',')}`)
  if (options.wait) await waitFor(context, options.database, queued.request, options.progress)
}

/** Follow a request's jobs until none is queued, running or retrying; exit 1 when one failed. */
async function waitFor(context: CliContext, url: string, request: string, showProgress: boolean): Promise<void> {
  const {listJobs} = await import('./progress.ts')
  const {createProgress} = await import('../progress.ts')
  const pg = (await import('pg')).default
  const client = new pg.Client({connectionString: url})
  await client.connect()
  const progress = createProgress(showProgress)
  let stopped = false
  const release = onShutdown(() => {
    stopped = true
  })
  try {
    for (;;) {
      const jobs = await listJobs(client, {request, limit: 10_000})
      const byLocale = new Map<string, {done: number; total: number}>()
      for (const job of jobs) {
        const sum = byLocale.get(job.locale) ?? {done: 0, total: 0}
        sum.done += job.done
        sum.total += job.total ?? 0
        byLocale.set(job.locale, sum)
      }
      for (const [locale, sum] of byLocale) progress.update(locale, sum.done, sum.total)
      const open = jobs.filter((job) => job.state === 'queued' || job.state === 'running' || job.state === 'retrying')
      if (open.length === 0 || stopped) {
        progress.stop()
        const failed = jobs.filter((job) => job.state === 'failed')
        const characters = jobs.reduce((sum, job) => sum + job.characters, 0)
        console.log(`request ${request}: ${jobs.length - failed.length - open.length} done, ${failed.length} failed; characters sent: ${characters}`)
        context.report(failed.map((job) => ({message: `job ${job.id} (${job.locale}: ${job.articles.join(', ')}) failed: ${job.message ?? 'no message'}`})))
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  } finally {
    release()
    await client.end().catch(() => undefined)
  }
}

export function registerJobCommands(program: Command, context: CliContext): void {
  program
    .command('worker')
    .description('run translate jobs from the team database (engine keys come from this machine only)')
    .option('--database <url>', 'PostgreSQL URL (or set PASSERELLE_DATABASE_URL)')
    .option('--concurrency <n>', 'jobs run at once (default 1)', positive)
    .option('--expiry-check <seconds>', 'how often to look for jobs whose worker died (default 30)', positive)
    .action(async (options: {database?: string; concurrency?: number; expiryCheck?: number}) => {
      const url = databaseUrl(options.database)
      const {startWorker} = await import('./worker.ts')
      const worker = await startWorker(url, {
        ...(options.concurrency ? {concurrency: options.concurrency} : {}),
        ...(options.expiryCheck ? {expiryCheckSeconds: options.expiryCheck} : {})
      })
      // Runs until stopped: a signal lets the jobs under way finish their batch, what is left is resumed later.
      await new Promise<void>((resolve) => {
        onShutdown(async () => {
          await worker.stop(2500)
          resolve()
        })
      })
    })
}

export function databaseTranslateError(option: string): PasserelleError {
  return new PasserelleError('E_INPUT', `${option} cannot be used with --database`, {hint: 'run translate without --database for that, then passerelle db import'})
}
