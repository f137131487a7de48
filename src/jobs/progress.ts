// Job progress: the worker writes it after every saved batch; the app's jobs
// panel and `translate --wait` read it. A job's state is our row's, except
// that pg-boss knows when a job waits for a retry after its worker died.
import type pg from 'pg'

/** A connection or a pool. */
export type Queryable = pg.ClientBase | pg.Pool

export type JobState = 'queued' | 'running' | 'retrying' | 'done' | 'failed'

export interface JobView {
  id: string
  request: string
  locale: string
  articles: string[]
  engine: string
  requestedBy: string
  state: JobState
  attempts: number
  /** Sentences to send (undefined until a worker has planned the job). */
  total?: number
  done: number
  characters: number
  worker?: string
  message?: string
  createdAt: string
  updatedAt: string
}

interface Row {
  id: string
  request: string
  locale: string
  articles: string[]
  engine: string
  requested_by: string
  state: 'queued' | 'running' | 'done' | 'failed'
  boss_state: string | null
  attempts: number
  total: number | null
  done: number
  characters: string
  worker: string | null
  message: string | null
  created_at: Date
  updated_at: Date
}

function view(row: Row): JobView {
  // An attempt ended (or its worker died) and pg-boss holds the job for another one.
  const retrying = row.attempts > 0 && row.state !== 'done' && (row.boss_state === 'retry' || row.boss_state === 'created')
  const failed = row.state !== 'done' && row.boss_state === 'failed'
  return {
    id: row.id,
    request: row.request,
    locale: row.locale,
    articles: row.articles,
    engine: row.engine,
    requestedBy: row.requested_by,
    state: failed ? 'failed' : retrying ? 'retrying' : row.state,
    attempts: row.attempts,
    ...(row.total === null ? {} : {total: row.total}),
    done: row.done,
    characters: Number(row.characters),
    ...(row.worker === null ? {} : {worker: row.worker}),
    ...(row.message === null ? {} : {message: row.message}),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString()
  }
}

/** Jobs, newest first: of one request, or the latest `limit`; only those of `locales` when given. */
export async function listJobs(db: Queryable, options: {request?: string; limit?: number; locales?: readonly string[]} = {}): Promise<JobView[]> {
  const {rows} = await db.query<Row>(
    `SELECT t.*, j.state::text AS boss_state
     FROM translate_jobs t LEFT JOIN pgboss.job j ON j.id = t.id
     WHERE ($1::uuid IS NULL OR t.request = $1) AND ($2::text[] IS NULL OR t.locale = ANY($2))
     ORDER BY t.created_at DESC, t.locale, t.articles[1]
     LIMIT $3`,
    [options.request ?? null, options.locales ?? null, options.limit ?? 100]
  )
  return rows.map(view)
}

export async function markRunning(db: Queryable, id: string, worker: string): Promise<void> {
  await db.query("UPDATE translate_jobs SET state = 'running', worker = $2, attempts = attempts + 1, message = NULL, updated_at = now() WHERE id = $1", [id, worker])
}

export async function recordProgress(db: Queryable, id: string, progress: {done: number; total: number; characters: number}): Promise<void> {
  await db.query('UPDATE translate_jobs SET done = $2, total = $3, characters = characters + $4, updated_at = now() WHERE id = $1', [
    id,
    progress.done,
    progress.total,
    progress.characters
  ])
}

export async function markFinished(db: Queryable, id: string, outcome: {state: 'done' | 'failed'; message?: string}): Promise<void> {
  await db.query('UPDATE translate_jobs SET state = $2, message = $3, updated_at = now() WHERE id = $1', [id, outcome.state, outcome.message ?? null])
}
