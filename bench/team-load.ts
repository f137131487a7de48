// Team server under load: 20 simulated reviewers on loopback, each signed in
// with its own account, saving segments of a 200-article project for a
// bounded time. Every reviewer works in its own article and, part of the
// time, in one article all of them share, so that saves of the same segment
// collide. Afterwards the database is checked: every acknowledged save is in
// the audit trail and no segment lost its last acknowledged text (0 lost
// edits), and for every segment and revision at most one save was accepted,
// every other one was a 409 conflict. The peer, measured in the same run and
// interleaved, is the file-mode review app on the same project (one process,
// the same reviewers, names sent by the browser). Both modes get the same
// arrivals: with think time, each reviewer starts each round at its own
// offset within one think time, as independent people's saves are spread
// (not twenty presses of Save in the same millisecond at every round start,
// which only the bench's own restart of the reviewers would make). CPU is
// counted per mode: this process (server and clients), plus, in team mode,
// the PostgreSQL processes.
import {readFileSync, readdirSync} from 'node:fs'
import {cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import pg from 'pg'
import {loadProject, type Project} from '../src/config.ts'
import {importProject, migrate, withDatabase} from '../src/db/index.ts'
import {startReviewServer} from '../src/review/serve.ts'
import {startTeamServer} from '../src/review/team-serve.ts'
import type {ArticleData, SaveResponse, ConflictResponse} from '../src/review/wire.ts'
import {addUser} from '../src/team/users.ts'
import type {Bundle} from '../src/workflow/types.ts'
import {startCluster} from '../test/helpers/postgres.ts'
import {password, Visitor} from '../test/helpers/team.ts'

const root = new URL('..', import.meta.url).pathname
const shared = 'article-000'

interface Attempt {
  reviewer: number
  slug: string
  id: string
  base: number
  target: string
  status: number
  ms: number
  /** The revision the server gave the saved segment (200 only). */
  revision?: number
}

async function makeProject(articles: number): Promise<{dir: string; project: Project}> {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-bench-team-'))
  await cp(join(root, 'glossary'), join(dir, 'glossary'), {recursive: true})
  await writeFile(join(dir, 'passerelle.json'), JSON.stringify({locales: ['en']}))
  const sources = (await readdir(join(root, 'locales', 'en'))).filter((name) => name.endsWith('.json') && !name.startsWith('_'))
  const bundles = await Promise.all(sources.map(async (name) => JSON.parse(await readFile(join(root, 'locales', 'en', name), 'utf8')) as Bundle))
  await mkdir(join(dir, 'locales', 'en'), {recursive: true})
  for (let n = 0; n < articles; n++) {
    const base = bundles[n % bundles.length]!
    const slug = `article-${String(n).padStart(3, '0')}`
    const bundle: Bundle = {...base, article: slug, segments: base.segments.map((segment) => ({...segment, source: segment.source.replace(/\d{4}/g, (year) => String(Number(year) + n))}))}
    await writeFile(join(dir, 'locales', 'en', `${slug}.json`), JSON.stringify(bundle, null, 2) + '\n')
  }
  return {dir, project: await loadProject(dir)}
}

interface Desk {
  visitor: Visitor
  index: number
  own: string
  seen: Map<string, {revision: number; target: string}>
  segments: Record<string, string[]>
  n: number
}

/** One reviewer opens its article and the shared one (not timed: the app loads them once). */
async function open(visitor: Visitor, index: number, articles: number): Promise<Desk> {
  const own = `article-${String(1 + ((index * 9) % (articles - 1))).padStart(3, '0')}`
  const desk: Desk = {visitor, index, own, seen: new Map(), segments: {}, n: 0}
  for (const slug of [own, shared]) {
    const article = (await visitor.request<ArticleData>('GET', `/api/articles/en/${slug}`)).body
    // Segments without inline tags: a plain-text save is then always valid.
    const editable = article.segments.filter((segment) => segment.target && !segment.source.includes('<') && !segment.target.includes('<'))
    // The shared article: its first 8 segments, so that collisions are frequent.
    desk.segments[slug] = (slug === shared ? editable.slice(0, 8) : editable).map((segment) => segment.id)
    for (const segment of editable) desk.seen.set(`${slug}/${segment.id}`, {revision: segment.revision, target: segment.target!})
  }
  return desk
}

/** Save until `until`, each time from the revision this reviewer last saw (as the app does). */
async function work(desk: Desk, until: number, attempts: Attempt[], thinkMs = 0, maxSaves = Infinity, startMs = 0): Promise<void> {
  const {visitor, index, own, seen, segments} = desk
  if (startMs > 0) await new Promise((resolve) => setTimeout(resolve, startMs))
  for (let saves = 0; performance.now() < until && saves < maxSaves; saves++) {
    const n = desk.n++
    const slug = n % 3 === 0 ? shared : own
    const ids = segments[slug]!
    const id = ids[(n * 7 + index) % ids.length]!
    const known = seen.get(`${slug}/${id}`)!
    const target = `Text by reviewer ${index}, save ${n}.`
    const start = performance.now()
    const reply = await visitor.request<SaveResponse & ConflictResponse>('PUT', `/api/articles/en/${slug}/segments/${id}`, {revision: known.revision, target})
    const ms = performance.now() - start
    const attempt: Attempt = {reviewer: index, slug, id, base: known.revision, target, status: reply.status, ms}
    if (reply.status === 200) {
      attempt.revision = reply.body.segment.revision
      seen.set(`${slug}/${id}`, {revision: reply.body.segment.revision, target})
    } else if (reply.status === 409) {
      // As the app does: the reviewer sees their version and goes on from it.
      seen.set(`${slug}/${id}`, {revision: reply.body.theirs.revision, target: reply.body.theirs.target ?? ''})
    } else {
      throw new Error(`reviewer ${index}: HTTP ${reply.status} ${reply.text.slice(0, 200)}`)
    }
    attempts.push(attempt)
    // A paced reviewer reads and edits between saves: 0.5–1.5 × thinkMs, spread deterministically.
    if (thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + ((n * 7919 + index * 104729) % 1000) / 1000)))
  }
}

/** User + system CPU seconds of a process and of its live children (Linux /proc, 10 ms ticks); 0 when it is gone. */
function processTreeCpuSeconds(pid: number): number {
  const stat = (id: string | number) => {
    try {
      return readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1]!.split(' ')
    } catch {
      return undefined
    }
  }
  const own = stat(pid)
  if (!own) return 0
  // utime, stime, and cutime, cstime (children already reaped: backends that ended).
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const fields = stat(entry)
    if (fields && Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / 100
}

/** The postmaster of a throwaway cluster. */
function postmasterPid(clusterDir: string): number {
  return Number(readFileSync(join(clusterDir, 'db', 'postmaster.pid'), 'utf8').split('\n')[0])
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits))
}

/** Same-segment collisions: saves made from the same revision of one segment. At most one may be accepted. */
function collisions(attempts: readonly Attempt[]) {
  const groups = new Map<string, Attempt[]>()
  for (const attempt of attempts) groups.set(`${attempt.slug}/${attempt.id}@${attempt.base}`, [...(groups.get(`${attempt.slug}/${attempt.id}@${attempt.base}`) ?? []), attempt])
  let colliding = 0
  let reportedAsConflict = 0
  let doubleAccepted = 0
  for (const group of groups.values()) {
    if (group.length < 2) continue
    const accepted = group.filter((attempt) => attempt.status === 200).length
    if (accepted > 1) doubleAccepted++
    colliding += group.length - Math.min(1, accepted)
    reportedAsConflict += group.filter((attempt) => attempt.status === 409).length
  }
  return {colliding, reportedAsConflict, doubleAccepted}
}

function summary(attempts: readonly Attempt[], seconds: number, cpu: {process: number; database?: number}) {
  const saved = attempts.filter((attempt) => attempt.status === 200)
  const total = cpu.process + (cpu.database ?? 0)
  return {
    seconds,
    /** CPU seconds while this mode's rounds ran: this process (server and the simulated reviewers) and, in team mode, PostgreSQL. */
    cpuSeconds: {process: round(cpu.process, 2), ...(cpu.database === undefined ? {} : {database: round(cpu.database, 2)}), total: round(total, 2)},
    cpuMsPerSave: round((total * 1000) / Math.max(1, attempts.length), 2),
    attempts: attempts.length,
    saved: saved.length,
    conflicts: attempts.filter((attempt) => attempt.status === 409).length,
    savesPerSecond: round(attempts.length / seconds),
    saveMs: {p50: round(quantile(attempts.map((attempt) => attempt.ms), 0.5)), p95: round(quantile(attempts.map((attempt) => attempt.ms), 0.95)), max: round(Math.max(...attempts.map((attempt) => attempt.ms)))},
    collisions: collisions(attempts)
  }
}

/** Every acknowledged save is an audit row, and each segment holds its last acknowledged text. */
async function lostEdits(url: string, attempts: readonly Attempt[]): Promise<{checked: number; lost: number; segmentsChecked: number; wrongFinal: number}> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    const {rows} = await client.query<{key: string; target: string; revision: number}>(
      "SELECT entity_key AS key, after->>'target' AS target, (after->>'revision')::int AS revision FROM audit WHERE entity = 'segment' AND action = 'edit'"
    )
    const audited = new Set(rows.map((row) => `en/${row.key.slice(3)}#${row.revision}#${row.target}`))
    const saved = attempts.filter((attempt) => attempt.status === 200)
    const lost = saved.filter((attempt) => !audited.has(`en/${attempt.slug}/${attempt.id}#${attempt.revision}#${attempt.target}`)).length
    const last = new Map<string, Attempt>()
    for (const attempt of saved) {
      const key = `${attempt.slug}/${attempt.id}`
      if ((last.get(key)?.revision ?? -1) < attempt.revision!) last.set(key, attempt)
    }
    let wrongFinal = 0
    for (const [key, attempt] of last) {
      const [slug, id] = key.split('/')
      const {rows: now} = await client.query<{target: string; revision: number}>("SELECT target, revision FROM segments WHERE locale = 'en' AND article = $1 AND id = $2 AND list = 'segments'", [slug, id])
      if (now[0]?.target !== attempt.target || now[0]?.revision !== attempt.revision) wrongFinal++
    }
    return {checked: saved.length, lost, segmentsChecked: last.size, wrongFinal}
  } finally {
    await client.end()
  }
}

/** The same check on the files, for the peer. */
async function lostEditsInFiles(dir: string, attempts: readonly Attempt[]): Promise<{lost: number; wrongFinal: number}> {
  const saved = attempts.filter((attempt) => attempt.status === 200)
  const history = new Map<string, Set<string>>()
  const final = new Map<string, Bundle>()
  for (const slug of new Set(saved.map((attempt) => attempt.slug))) {
    const text = await readFile(join(dir, 'locales', 'en', `${slug}.history.jsonl`), 'utf8').catch(() => '')
    history.set(slug, new Set(text.split('\n').filter(Boolean).map((line) => {
      const event = JSON.parse(line) as {segment: string; revision: number; to: {target?: string}}
      return `${event.segment}#${event.revision}#${event.to.target}`
    })))
    final.set(slug, JSON.parse(await readFile(join(dir, 'locales', 'en', `${slug}.json`), 'utf8')) as Bundle)
  }
  const lost = saved.filter((attempt) => !history.get(attempt.slug)!.has(`${attempt.id}#${attempt.revision}#${attempt.target}`)).length
  const last = new Map<string, Attempt>()
  for (const attempt of saved) if ((last.get(`${attempt.slug}/${attempt.id}`)?.revision ?? -1) < attempt.revision!) last.set(`${attempt.slug}/${attempt.id}`, attempt)
  let wrongFinal = 0
  for (const [key, attempt] of last) {
    const [slug, id] = key.split('/')
    const segment = final.get(slug!)!.segments.find((item) => item.id === id)!
    if (segment.target !== attempt.target || segment.revision !== attempt.revision) wrongFinal++
  }
  return {lost, wrongFinal}
}

/**
 * `thinkMs` 0 (the default): every reviewer saves again as soon as the last save answers, which
 * saturates server, database and clients on one machine. With `thinkMs`, each reviewer pauses
 * about that long between saves, as people do (still far more often than a post-editor saves).
 */
export async function benchTeamLoad(options: {reviewers?: number; articles?: number; seconds?: number; rounds?: number; thinkMs?: number} = {}) {
  const thinkMs = options.thinkMs ?? 0
  const reviewers = options.reviewers ?? 20
  const articles = options.articles ?? 200
  const seconds = options.seconds ?? 20
  const rounds = options.rounds ?? 2
  const cluster = await startCluster()
  const team = await makeProject(articles)
  const files = await makeProject(articles)
  try {
    const url = await cluster.createDatabase('load')
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, team.project)
      for (let i = 0; i < reviewers; i++) await addUser(db, {email: `reviewer${i}@example.org`, role: 'reviewer', password})
    })
    // One pool connection per simulated reviewer: the server is not the bottleneck under test, the store is.
    const teamServer = await startTeamServer(team.project, {database: url, port: 0, connections: reviewers})
    const fileServer = await startReviewServer(files.project, {port: 0})
    let firstSaves: {database: number; files: number} | undefined
    const cpu = {files: {process: 0} as {process: number; database?: number}, database: {process: 0, database: 0} as {process: number; database?: number}}
    const loadBefore = loadavg()
    const teamAttempts: Attempt[] = []
    const fileAttempts: Attempt[] = []
    try {
      const teamDesks = await Promise.all(
        Array.from({length: reviewers}, async (_, i) => {
          const visitor = new Visitor(teamServer.url.replace(/\/$/, ''), `10.50.0.${i + 1}`)
          if ((await visitor.signIn(`reviewer${i}@example.org`)) !== 303) throw new Error(`reviewer${i} could not sign in`)
          return open(visitor, i, articles)
        })
      )
      const fileDesks = await Promise.all(
        Array.from({length: reviewers}, async (_, i) => {
          const visitor = new Visitor(fileServer.url.replace(/\/$/, ''))
          await visitor.loadPage()
          return open(visitor, i, articles)
        })
      )
      // Warm-up, not in the figures but reported: each reviewer's first save also builds the server's
      // translation-memory cache (every bundle read once), a one-time cost of a server's first minutes.
      const warmup: {files: Attempt[]; database: Attempt[]} = {files: [], database: []}
      for (const [desks, attempts] of [
        [fileDesks, warmup.files],
        [teamDesks, warmup.database]
      ] as const) {
        await Promise.all(desks.map((desk) => work(desk, Infinity, attempts, 0, 1)))
      }
      firstSaves = {database: round(Math.max(...warmup.database.map((a) => a.ms))), files: round(Math.max(...warmup.files.map((a) => a.ms)))}
      // Interleaved: file, team, file, team… so that both see the same machine load.
      const postmaster = postmasterPid(cluster.dir)
      for (let round = 0; round < rounds; round++) {
        for (const [desks, attempts, spent] of [
          [fileDesks, fileAttempts, cpu.files],
          [teamDesks, teamAttempts, cpu.database]
        ] as const) {
          const until = performance.now() + (seconds * 1000) / rounds
          const [processStart, databaseStart] = [process.cpuUsage(), processTreeCpuSeconds(postmaster)]
          // allSettled: one reviewer's failure must not close the server under the others.
          const settled = await Promise.allSettled(desks.map((desk, i) => work(desk, until, attempts, thinkMs, Infinity, (thinkMs * i) / desks.length)))
          const used = process.cpuUsage(processStart)
          spent.process += (used.user + used.system) / 1e6
          if (desks === teamDesks) spent.database! += processTreeCpuSeconds(postmaster) - databaseStart
          const failed = settled.find((result) => result.status === 'rejected')
          if (failed) throw (failed as PromiseRejectedResult).reason
        }
      }
    } finally {
      await teamServer.close()
      await fileServer.close()
    }
    const loadAfter = loadavg()
    const database = summary(teamAttempts, seconds, cpu.database)
    const peer = summary(fileAttempts, seconds, cpu.files)
    return {
      reviewers,
      articles,
      thinkMs,
      /** 1-minute load average before and after the measured rounds (the machine has os.cpus().length cores). */
      loadAverage: {before: round(loadBefore[0]!, 2), after: round(loadAfter[0]!, 2)},
      /** Slowest first save per mode (warm-up, not in the figures below). */
      firstSaveMaxMs: firstSaves,
      database: {...database, integrity: await lostEdits(url, teamAttempts)},
      filesPeer: {...peer, integrity: await lostEditsInFiles(files.dir, fileAttempts)},
      ratio: {
        p95SaveDatabaseOverFiles: round(database.saveMs.p95 / peer.saveMs.p95, 2),
        savesPerSecondDatabaseOverFiles: round(database.savesPerSecond / peer.savesPerSecond, 2),
        cpuPerSaveDatabaseOverFiles: round(database.cpuMsPerSave / peer.cpuMsPerSave, 2)
      }
    }
  } finally {
    await cluster.stop()
    await rm(team.dir, {recursive: true, force: true})
    await rm(files.dir, {recursive: true, force: true})
  }
}
