// Start the team server: a connection pool to the migrated database, the
// database bundle store, sign-in and permissions (`team.ts`), and the review
// app bound to a socket. Closing it ends the socket, then the pool.
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {databaseBundleStore} from '../db/bundle-store.ts'
import {formatAudit, readAudit} from '../db/audit.ts'
import {conceptHistory, databaseTermbaseStore} from '../db/glossary.ts'
import {databaseRulesStore} from '../db/rules.ts'
import {databaseTmxSource} from '../db/tm.ts'
import {openPool} from '../db/connect.ts'
import {assertPoolMigrated} from '../db/migrate.ts'
import {pruneMinutes, pruneSignIns} from '../team/sessions.ts'
import {startReviewServer, type ReviewServer} from './serve.ts'
import {createTeam} from './team.ts'
import {openBoss} from '../jobs/queue.ts'
import {SegmentHub} from '../live/hub.ts'
import type {ReviewAppOptions} from './server.ts'

export interface TeamServerOptions extends Pick<ReviewAppOptions, 'now' | 'machine'> {
  database: string
  publicUrl?: string
  host?: string
  port?: number
  trustProxy?: boolean
  /** Connections in the pool (default 10). */
  connections?: number
  /** Milliseconds between prunings of dead sessions and old sign-in attempts (default every `pruneMinutes`). */
  pruneEvery?: number
}

export async function startTeamServer(project: Project, options: TeamServerOptions): Promise<ReviewServer> {
  if (options.publicUrl !== undefined) {
    let url: URL | undefined
    try {
      url = new URL(options.publicUrl)
    } catch {
      url = undefined
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new PasserelleError('E_CONFIG', `--public-url ${options.publicUrl} is not an http(s) address`, {hint: 'e.g. --public-url https://translate.example.org/'})
    }
  }
  const pool = await openPool(options.database, {max: options.connections ?? 10})
  let closeLive: (() => Promise<void>) | undefined
  try {
    await assertPoolMigrated(pool)
    // Live updates (one LISTEN connection) and the MT job queue (requests only: workers run the jobs).
    const hub = await SegmentHub.start(options.database)
    const boss = await openBoss(options.database, {max: 2}).catch(async (error: unknown) => {
      await hub.close()
      throw error
    })
    closeLive = async () => {
      await boss.stop({graceful: false, wait: true}).catch(() => undefined)
      await hub.close()
    }
    const team = createTeam({pool, config: project.config, ...(options.publicUrl ? {publicUrl: options.publicUrl} : {}), ...(options.trustProxy ? {trustProxy: true} : {})})
    const server = await startReviewServer(project, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 4173,
      store: databaseBundleStore(pool),
      // The termbase, its history and the imported TMX from the database too (src/db/glossary.ts, src/db/tm.ts).
      termbase: databaseTermbaseStore(pool),
      conceptHistory: (id) => conceptHistory(pool, id),
      // The post-editing rules as rows: the rules editor saves with a revision check and an audit row per rule.
      rules: databaseRulesStore(pool),
      tmx: databaseTmxSource(pool),
      team,
      live: {hub, jobs: {pool, boss}, actor: (c) => c.get('session').user},
      admin: {
        audit: async ({entity, format}) => formatAudit(await readAudit(pool, entity ? {entity} : {}), format)
      },
      ...(options.now ? {now: options.now} : {}),
      ...(options.machine ? {machine: options.machine} : {})
    })
    // Housekeeping: expired sessions and sign-in attempts past the lockout window go, every pruneMinutes
    // (each server process does it; deleting twice is harmless). Unref'd: it never keeps the process alive.
    const pruner = setInterval(() => {
      pruneSignIns(pool).catch((error: unknown) => console.error(`passerelle: pruning sessions failed (${error instanceof Error ? error.message : String(error)})`))
    }, options.pruneEvery ?? pruneMinutes * 60_000)
    pruner.unref()
    return {
      url: server.url,
      close: async () => {
        clearInterval(pruner)
        await server.close()
        await closeLive?.()
        await pool.end()
      }
    }
  } catch (error) {
    await closeLive?.()
    await pool.end().catch(() => undefined)
    throw error
  }
}
