// The translate queue: pg-boss (v10, the last major for Node 20) in the team
// database, schema `pgboss`. pg-boss owns fetching (FOR UPDATE SKIP LOCKED:
// two workers never take the same job), retries, and expiry: a job whose
// worker died stays `active` until its expiry, then maintenance puts it back
// for another worker. Our own `translate_jobs` row holds what pg-boss does not:
// progress, characters sent, and who asked.
import {randomUUID} from 'node:crypto'
import PgBoss from 'pg-boss'
import type pg from 'pg'
import {z} from 'zod'
import {PasserelleError} from '../errors.ts'
import {inTransaction, type Database} from '../db/connect.ts'

export const queueName = 'passerelle-translate'

/** A job's payload: what to translate, with the requesting project's settings (never an engine key). */
const jobDataSchema = z.strictObject({
  request: z.uuid(),
  locale: z.string().min(1),
  articles: z.array(z.string().min(1)).min(1),
  engine: z.string().min(1),
  /** passerelle.json of the project that asked (settings only; keys live with the workers). */
  config: z.record(z.string(), z.unknown())
})

export type TranslateJobData = z.infer<typeof jobDataSchema>

export function parseJobData(data: unknown): TranslateJobData {
  const result = jobDataSchema.safeParse(data)
  if (!result.success) {
    throw new PasserelleError('E_INPUT', `malformed translate job: ${result.error.issues[0]?.message ?? 'invalid'}`, {hint: 'enqueue it again with passerelle translate --database'})
  }
  return result.data
}

export interface QueueTimings {
  /** A running job not finished within this many seconds is handed to another worker (its worker is presumed dead). */
  expireInSeconds: number
  /** Attempts after the first (a killed worker's job counts one). */
  retryLimit: number
  retryDelaySeconds: number
}

export const defaultTimings: QueueTimings = {expireInSeconds: 15 * 60, retryLimit: 5, retryDelaySeconds: 2}

/** Start pg-boss on `url` (installs or migrates its schema on first use) with the translate queue. */
export async function openBoss(url: string, options: {maintenanceIntervalSeconds?: number; supervise?: boolean; max?: number} = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: options.max ?? 4,
    supervise: options.supervise ?? false,
    schedule: false,
    ...(options.maintenanceIntervalSeconds ? {maintenanceIntervalSeconds: options.maintenanceIntervalSeconds} : {})
  })
  // pg-boss reports background problems (a dropped connection) as events; unheard, they would crash the process.
  boss.on('error', (error) => console.error(`passerelle: job queue: ${error.message}`))
  try {
    await boss.start()
    await boss.createQueue(queueName)
  } catch (error) {
    await boss.stop({graceful: false, wait: false}).catch(() => undefined)
    throw new PasserelleError('E_DATABASE', `cannot open the job queue (${(error as Error).message})`, {
      hint: 'check --database and that the user may create the pgboss schema (or run once as the owner)',
      cause: error
    })
  }
  return boss
}

export interface EnqueueRequest {
  locales: readonly string[]
  /** Slugs of the articles to translate (every article in the database when empty). */
  articles?: readonly string[]
  engine: string
  config: Record<string, unknown>
  requestedBy: string
  /** Articles per job (default 10): a job is also the unit two workers share. */
  perJob?: number
  timings?: Partial<QueueTimings>
}

export interface EnqueuedJob {
  id: string
  locale: string
  articles: string[]
}

/** Source articles in the database (slugs of content/<source>/*.md). */
export async function databaseArticles(db: Database, sourceLocale: string): Promise<string[]> {
  const {rows} = await db.query<{path: string}>("SELECT path FROM articles WHERE path LIKE $1 || '/%.md' ORDER BY path", [sourceLocale])
  return rows.map((row) => row.path.slice(sourceLocale.length + 1, -'.md'.length)).filter((slug) => !slug.includes('/'))
}

/**
 * One job per locale and group of articles, each with its progress row, in
 * one transaction: either the whole request is queued or none of it.
 */
export async function enqueueTranslation(boss: PgBoss, client: pg.PoolClient | pg.Client, request: EnqueueRequest): Promise<{request: string; jobs: EnqueuedJob[]}> {
  const sourceLocale = typeof request.config.sourceLocale === 'string' ? request.config.sourceLocale : 'fr'
  const known = await databaseArticles(client, sourceLocale)
  const wanted = request.articles && request.articles.length > 0 ? [...request.articles] : known
  const missing = wanted.filter((slug) => !known.includes(slug))
  if (missing.length > 0) {
    throw new PasserelleError('E_NOT_FOUND', `no article '${missing[0]}' in the database`, {hint: 'check the slug, or run passerelle db import first'})
  }
  if (wanted.length === 0) throw new PasserelleError('E_NOT_FOUND', 'the database holds no source articles', {hint: 'run passerelle db import first'})
  const perJob = Math.max(1, request.perJob ?? 10)
  const timings = {...defaultTimings, ...request.timings}
  const id = randomUUID()
  const jobs: EnqueuedJob[] = []
  // pg-boss sends through our connection, so its job rows commit with ours.
  const db = {executeSql: (text: string, values: unknown[]) => client.query(text, values)}
  await inTransaction(client, async () => {
    for (const locale of request.locales) {
      for (let start = 0; start < wanted.length; start += perJob) {
        const articles = wanted.slice(start, start + perJob)
        const data: TranslateJobData = {request: id, locale, articles, engine: request.engine, config: request.config}
        const jobId = randomUUID()
        await client.query('INSERT INTO translate_jobs (id, request, locale, articles, engine, requested_by) VALUES ($1, $2, $3, $4, $5, $6)', [
          jobId,
          id,
          locale,
          articles,
          request.engine,
          request.requestedBy
        ])
        const sent = await boss.send(queueName, data, {
          id: jobId,
          db,
          expireInSeconds: timings.expireInSeconds,
          retryLimit: timings.retryLimit,
          retryDelay: timings.retryDelaySeconds
        })
        if (sent !== jobId) throw new PasserelleError('E_DATABASE', 'the job queue refused a job', {hint: 'run the command again'})
        jobs.push({id: jobId, locale, articles})
      }
    }
  })
  return {request: id, jobs}
}
