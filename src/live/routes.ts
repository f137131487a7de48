// The team server's live routes: segment changes as server-sent events, and
// machine-translation jobs (list with progress, request). Registered by the
// review app when it runs on the database; each request is checked with the
// one permission rule, `can()`.
import type {Context, Hono} from 'hono'
import {streamSSE} from 'hono/streaming'
import type PgBoss from 'pg-boss'
import {z} from 'zod'
import type {Project} from '../config.ts'
import type {Pool} from '../db/connect.ts'
import {listJobs, type JobView} from '../jobs/progress.ts'
import {enqueueTranslation} from '../jobs/queue.ts'
import {HttpError, readJson} from '../review/security.ts'
import {checkLocale, checkSlug, parseBody} from '../review/validate.ts'
import {can, type Action, type Actor} from '../team/permissions.ts'
import type {SegmentHub} from './hub.ts'

/** The signed-in user as the live routes need it. */
export type LiveActor = Actor & {email?: string}

export interface LiveRoutesOptions {
  project: Project
  /** Segment changes to stream (GET /api/events). */
  hub?: SegmentHub
  /** The queue, for GET/POST /api/jobs. */
  jobs?: {pool: Pool; boss: PgBoss}
  /**
   * The signed-in user of a request (team mode). Leave it out only for a
   * server without accounts (loopback, one person): every request is allowed.
   */
  actor?: (c: Context) => LiveActor | undefined
  /** Keep-alive comment interval for the event stream (default 25 s: proxies drop idle connections). */
  keepAliveMs?: number
}

export interface JobsData {
  jobs: JobView[]
}

export interface JobRequestResponse {
  request: string
  jobs: string[]
}

const jobRequestSchema = z.strictObject({
  locale: z.string(),
  /** Article slugs (default: every article). */
  articles: z.array(z.string()).max(10_000).optional()
})

export function registerLiveRoutes(app: Hono, options: LiveRoutesOptions): void {
  const {project} = options
  const allow = (c: Context, action: Action, locale?: string): LiveActor | undefined => {
    if (!options.actor) return undefined
    const user = options.actor(c)
    if (!user) throw new HttpError(401, 'E_FORBIDDEN', 'sign in first')
    if (!can(user, action, locale === undefined ? {} : {locale})) throw new HttpError(403, 'E_FORBIDDEN', `your role may not do this${locale ? ` in ${locale}` : ''}`)
    return user
  }

  if (options.hub) {
    const hub = options.hub
    app.get('/api/events', (c) => {
      const locale = checkLocale(project, c.req.query('locale') ?? '')
      const article = checkSlug(c.req.query('article') ?? '')
      allow(c, 'project.read')
      const lastEventId = c.req.header('last-event-id') ?? c.req.query('lastEventId')
      c.header('Cache-Control', 'no-store')
      // Nginx and similar buffer responses unless told not to.
      c.header('X-Accel-Buffering', 'no')
      return streamSSE(c, async (stream) => {
        const queue: Promise<void>[] = []
        const unsubscribe = hub.subscribe(
          {locale, article},
          (event) => {
            queue.push(
              stream.writeSSE({
                id: event.id,
                event: event.type,
                data: event.type === 'segment' ? JSON.stringify({id: event.change.id, revision: event.change.revision, state: event.change.state}) : '{}'
              })
            )
          },
          lastEventId
        )
        // Reconnect after 2 s when the connection drops (EventSource then sends Last-Event-ID).
        await stream.write('retry: 2000\n\n')
        const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n').catch(() => undefined), options.keepAliveMs ?? 25_000)
        await new Promise<void>((resolve) => stream.onAbort(resolve))
        clearInterval(keepAlive)
        unsubscribe()
        await Promise.allSettled(queue)
      })
    })
  }

  if (options.jobs) {
    const {pool, boss} = options.jobs
    app.get('/api/jobs', async (c) => {
      allow(c, 'project.read')
      const request = c.req.query('request')
      if (request !== undefined && !z.uuid().safeParse(request).success) throw new HttpError(400, 'E_INPUT', 'invalid request id')
      const data: JobsData = {jobs: await listJobs(pool, {...(request ? {request} : {}), limit: 50})}
      return c.json(data)
    })

    app.post('/api/jobs', async (c) => {
      const body = parseBody(jobRequestSchema, await readJson(c))
      const locale = checkLocale(project, body.locale)
      const articles = body.articles?.map(checkSlug)
      const user = allow(c, 'mt.request', locale)
      const client = await pool.connect()
      try {
        const queued = await enqueueTranslation(boss, client, {
          locales: [locale],
          ...(articles ? {articles} : {}),
          engine: project.config.engine,
          config: project.config as unknown as Record<string, unknown>,
          requestedBy: user?.email ?? 'review app'
        })
        const response: JobRequestResponse = {request: queued.request, jobs: queued.jobs.map((job) => job.id)}
        return c.json(response, 202)
      } finally {
        client.release()
      }
    })
  }
}
