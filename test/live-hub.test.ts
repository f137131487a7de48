// The live-update hub on a real PostgreSQL: a committed segment change
// reaches the watchers of its article (and only them), a rolled-back one
// never does; a reconnecting browser gets what it missed after its
// Last-Event-ID, or is told to re-read when that id is not known.
import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {importProject, migrate, withDatabase} from '../src/db/index.ts'
import {SegmentHub, type LiveEvent} from '../src/live/hub.ts'
import {poll} from './helpers/browser.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import type {TempProject} from './helpers/project.ts'
import {reviewProject} from './fixtures/review/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP live-hub: ${missing}`)

describe.skipIf(missing !== undefined)('live segment hub (LISTEN/NOTIFY)', () => {
  let cluster: TestCluster
  let project: TempProject
  let url: string
  let hub: SegmentHub
  let db: pg.Client

  beforeAll(async () => {
    cluster = await startCluster()
    url = await cluster.createDatabase('hub')
    project = await reviewProject(['en'])
    await withDatabase(url, async (client) => {
      await migrate(client)
      await importProject(client, project.project)
    })
    hub = await SegmentHub.start(url)
    db = new pg.Client({connectionString: url})
    await db.connect()
  }, 120_000)
  afterAll(async () => {
    await db?.end()
    await hub?.close()
    await project?.cleanup()
    await cluster?.stop()
  })

  /** Change one segment of `article` as any writer would: a new target and revision, committed or not. */
  async function change(article: string, commit = true): Promise<{id: string; revision: number}> {
    await db.query('BEGIN')
    const {rows} = await db.query<{id: string; revision: number}>(
      `UPDATE segments SET target = 'changed ' || revision, revision = revision + 1
       WHERE (locale, article, list, position) = ('en', $1, 'segments', 0) RETURNING id, revision`,
      [article]
    )
    await db.query(commit ? 'COMMIT' : 'ROLLBACK')
    return rows[0]!
  }

  it('delivers committed changes to the watchers of that article only, never rolled-back ones', async () => {
    const visite: LiveEvent[] = []
    const other: LiveEvent[] = []
    const stopVisite = hub.subscribe({locale: 'en', article: 'visite'}, (event) => visite.push(event))
    const stopOther = hub.subscribe({locale: 'en', article: 'no-such-article'}, (event) => other.push(event))
    await change('visite', false)
    const committed = await change('visite')
    const next = await change('visite')
    // Notifications arrive in commit order: had the rolled-back change been announced, it would come first.
    await poll(() => visite.length).toBe(2)
    expect(visite.map((event) => (event.type === 'segment' ? event.change.revision : 'resync'))).toEqual([committed.revision, next.revision])
    expect(visite[0]).toMatchObject({type: 'segment', change: {locale: 'en', article: 'visite', id: committed.id, revision: committed.revision}})
    expect(other).toEqual([])
    stopVisite()
    stopOther()
  })

  it('replays what a reconnecting browser missed after its Last-Event-ID, and asks an unknown one to re-read', async () => {
    const first: LiveEvent[] = []
    const stop = hub.subscribe({locale: 'en', article: 'visite'}, (event) => first.push(event))
    await change('visite')
    await poll(() => first.length).toBe(1)
    stop()
    // Disconnected: two more changes.
    const seen: LiveEvent[] = []
    const stopSpy = hub.subscribe({locale: 'en', article: 'visite'}, (event) => seen.push(event))
    const second = await change('visite')
    const third = await change('visite')
    await poll(() => seen.length).toBe(2)
    stopSpy()

    const replayed: LiveEvent[] = []
    hub.subscribe({locale: 'en', article: 'visite'}, (event) => replayed.push(event), first[0]!.id)()
    expect(replayed.map((event) => (event.type === 'segment' ? event.change.revision : 'resync'))).toEqual([second.revision, third.revision])

    const unknown: LiveEvent[] = []
    hub.subscribe({locale: 'en', article: 'visite'}, (event) => unknown.push(event), 'deadbeef-1')()
    expect(unknown.map((event) => event.type)).toEqual(['resync'])
  })
})
