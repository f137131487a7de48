// Sign-in hardening of the team server against a real PostgreSQL cluster:
// the lockout holds under concurrent wrong passwords (no more than the limit
// are ever checked against the hash), and dead sessions and old sign-in
// attempts are pruned, by `passerelle db prune` and by the server itself,
// without loosening the lockout.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {withDatabase} from '../src/db/index.ts'
import {startTeamServer} from '../src/review/team-serve.ts'
import {accountLimit, addressLimit, tokenHash, windowMinutes} from '../src/team/sessions.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {poll} from './helpers/browser.ts'
import {password, startTeam, Visitor, type TeamFixture} from './helpers/team.ts'
import {runCli} from './helpers/cli.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP team-signin: ${missing}`)

const passerelle = (root: string, args: string[]) => runCli(root, args)

/** A visitor that has loaded the sign-in form (its CSRF cookie and field), ready to post. */
async function ready(base: string, address: string): Promise<(email: string, secret: string) => Promise<number>> {
  const visitor = new Visitor(base, address)
  const form = await visitor.fetch('/signin')
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await form.text())![1]!
  return async (email, secret) => {
    const response = await visitor.fetch('/signin', {method: 'POST', body: new URLSearchParams({csrf, email, password: secret})})
    await response.text()
    return response.status
  }
}

const tally = (statuses: number[]) => Object.fromEntries([...new Set(statuses)].sort().map((status) => [status, statuses.filter((item) => item === status).length]))

describe.skipIf(missing !== undefined)('sign-in hardening', () => {
  let cluster: TestCluster
  let team: TeamFixture
  beforeAll(async () => {
    cluster = await startCluster()
    // Connections enough for every concurrent sign-in to reach the database at once.
    team = await startTeam(cluster, 'teamsignin', {connections: 40})
  }, 120_000)
  afterAll(async () => {
    await team?.close()
    await cluster?.stop()
  })

  it(`30 concurrent wrong passwords for one account: only ${accountLimit} are checked, the rest are locked out, and so is the right password`, async () => {
    // From 30 addresses, so that only the account's limit applies.
    const posts = await Promise.all(Array.from({length: 30}, (_, i) => ready(team.url, `10.30.0.${i + 1}`)))
    const statuses = await Promise.all(posts.map((post, i) => post('translator@example.org', `wrong guess ${i}`)))
    // 401 answers only after the hash was verified; 429 before it.
    expect(tally(statuses)).toEqual({401: accountLimit, 429: 30 - accountLimit})
    expect(await (await ready(team.url, '10.30.1.1'))('translator@example.org', password)).toBe(429)
  })

  it(`30 concurrent wrong sign-ins from one address across accounts: only ${addressLimit} are checked`, async () => {
    const posts = await Promise.all(Array.from({length: 30}, () => ready(team.url, '10.31.0.1')))
    const statuses = await Promise.all(posts.map((post, i) => post(`sprayed${i}@example.org`, 'Password123!')))
    expect(tally(statuses)).toEqual({401: addressLimit, 429: 30 - addressLimit})
    expect(await (await ready(team.url, '10.31.0.1'))('reviewer@example.org', password)).toBe(429)
    expect(await (await ready(team.url, '10.31.0.2'))('reviewer@example.org', password)).toBe(303)
  })

  it('`db prune` deletes expired and revoked sessions and attempts older than the window; live ones stay, and the lockout still holds', async () => {
    const live = new Visitor(team.url, '10.32.0.1')
    expect(await live.signIn('publisher@example.org')).toBe(303)
    // A lockout under way: 5 failures within the window.
    const post = await ready(team.url, '10.32.0.2')
    for (let i = 0; i < accountLimit; i++) expect(await post('terminologist@example.org', `wrong ${i}`)).toBe(401)
    await withDatabase(team.database, async (db) => {
      const {rows} = await db.query<{id: string}>("SELECT id FROM users WHERE email = 'publisher@example.org'")
      const user = rows[0]!.id
      await db.query(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, revoked_at) VALUES
         ($1, $4, 'c', now() - interval '13 hours', now() - interval '1 hour', NULL),
         ($2, $4, 'c', now() - interval '1 hour', now() + interval '11 hours', now() - interval '30 minutes'),
         ($3, $4, 'c', now() - interval '1 hour', now() + interval '11 hours', NULL)`,
        [tokenHash('expired'), tokenHash('revoked'), tokenHash('alive'), user]
      )
      await db.query(
        `INSERT INTO signin_attempts (email, address, success, at) VALUES
         ('old@example.org', '10.32.9.9', false, now() - make_interval(mins => $1 + 1)),
         ('old@example.org', '10.32.9.9', true, now() - interval '2 days'),
         ('recent@example.org', '10.32.9.9', false, now() - make_interval(mins => $1 - 1))`,
        [windowMinutes]
      )
    })
    const before = await withDatabase(team.database, async (db) => ({
      sessions: Number((await db.query<{n: string}>('SELECT count(*) AS n FROM sessions WHERE expires_at <= now() OR revoked_at IS NOT NULL')).rows[0]!.n),
      attempts: Number((await db.query<{n: string}>('SELECT count(*) AS n FROM signin_attempts WHERE at < now() - make_interval(mins => $1)', [windowMinutes])).rows[0]!.n)
    }))
    expect(before.sessions).toBeGreaterThanOrEqual(2)
    expect(before.attempts).toBe(2)

    const pruned = await passerelle(team.temp.root, ['db', 'prune', '--database', team.database])
    expect(pruned.stderr).toBe('')
    expect(pruned.stdout).toBe(`db: pruned ${before.sessions} sessions and ${before.attempts} sign-in attempts\n`)
    const left = await withDatabase(team.database, async (db) => ({
      sessions: (await db.query<{token_hash: string}>('SELECT token_hash FROM sessions WHERE token_hash = ANY($1)', [[tokenHash('expired'), tokenHash('revoked'), tokenHash('alive')]])).rows.map((row) => row.token_hash),
      dead: Number((await db.query<{n: string}>('SELECT count(*) AS n FROM sessions WHERE expires_at <= now() OR revoked_at IS NOT NULL')).rows[0]!.n),
      attempts: (await db.query<{email: string}>("SELECT email FROM signin_attempts WHERE address = '10.32.9.9'")).rows.map((row) => row.email)
    }))
    expect(left).toEqual({sessions: [tokenHash('alive')], dead: 0, attempts: ['recent@example.org']})
    // The signed-in visitor's session lives on; the locked account is still locked, even with its password.
    expect((await live.request('GET', '/api/project')).status).toBe(200)
    expect(await post('terminologist@example.org', password)).toBe(429)
    // Nothing left to prune: a second run says so.
    expect((await passerelle(team.temp.root, ['db', 'prune', '--database', team.database])).stdout).toBe('db: pruned 0 sessions and 0 sign-in attempts\n')
  })

  it('the server prunes on its own, on a timer', async () => {
    await withDatabase(team.database, (db) =>
      db.query("INSERT INTO signin_attempts (email, address, success, at) VALUES ('timer@example.org', '10.33.0.1', false, now() - interval '1 day')")
    )
    const server = await startTeamServer(team.temp.project, {database: team.database, port: 0, pruneEvery: 200})
    try {
      await poll(async () =>
        Number((await withDatabase(team.database, (db) => db.query<{n: string}>("SELECT count(*) AS n FROM signin_attempts WHERE email = 'timer@example.org'"))).rows[0]!.n)
      ).toBe(0)
    } finally {
      await server.close()
    }
  })

  it('a fresh database takes every migration in order, migration 7 among them', async () => {
    const url = await cluster.createDatabase('fresh')
    const {migrate, migrations} = await import('../src/db/index.ts')
    const result = await withDatabase(url, (db) => migrate(db))
    const versions = migrations.map((migration) => migration.version).sort((a, b) => a - b)
    expect(result.applied).toEqual(versions)
    expect(versions).toContain(7)
    const columns = await withDatabase(url, (db) =>
      db.query<{name: string}>("SELECT table_name || '.' || column_name AS name FROM information_schema.columns WHERE column_name IN ('last_signin_at', 'revoked_at') AND table_name IN ('users', 'invitations') ORDER BY 1")
    )
    expect(columns.rows.map((row) => row.name)).toEqual(['invitations.revoked_at', 'users.last_signin_at'])
  })
})
