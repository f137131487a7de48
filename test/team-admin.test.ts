// Account administration on the team server, over HTTP as the admin page and
// an attacker reach it: every accounts route tried by every role (only admins
// pass, with the session's CSRF token), invitations renewed and revoked, role
// changes seen on the user's next request, disabling that ends sessions at
// once, the last active admin kept, and an audit row for every change. The
// CLI goes through the same user store.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openPool, withDatabase} from '../src/db/index.ts'
import type {UserResponse, UsersData} from '../src/review/team-users.ts'
import {addUser, disableUser, enableUser, setUserRole} from '../src/team/users.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {password, signedInVisitor, startTeam, Visitor, type TeamFixture} from './helpers/team.ts'
import {runCli} from './helpers/cli.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP team-admin: ${missing}`)

const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'
const roles = ['translator', 'reviewer', 'terminologist', 'publisher', 'admin'] as const

const passerelle = (root: string, args: string[]) => runCli(root, args)

/** The token of an invitation link, and the page's form posted with a password. */
async function acceptLink(base: string, link: string, address: string): Promise<number> {
  const visitor = new Visitor(base, address)
  const path = new URL(link).pathname
  const page = await visitor.fetch(path)
  const html = await page.text()
  if (page.status !== 200) return page.status
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(html)?.[1] ?? ''
  const response = await visitor.fetch(path, {method: 'POST', body: new URLSearchParams({csrf, password, confirm: password})})
  await response.text()
  return response.status
}

describe.skipIf(missing !== undefined)('account administration', () => {
  let cluster: TestCluster
  let team: TeamFixture
  let admin: Visitor
  beforeAll(async () => {
    cluster = await startCluster()
    team = await startTeam(cluster, 'teamadmin')
    admin = await signedInVisitor(team.url, 'admin@example.org', '10.9.0.1')
  }, 120_000)
  afterAll(async () => {
    await team?.close()
    await cluster?.stop()
  })

  const signedIn = (email: string, address: string) => signedInVisitor(team.url, email, address)
  const listed = async () => (await admin.request<UsersData>('GET', '/api/users')).body.users
  const userAudit = (key: string) =>
    withDatabase(team.database, async (db) => (await db.query<{actor: string; action: string}>("SELECT actor, action FROM audit WHERE entity = 'user' AND entity_key = $1 ORDER BY id", [key])).rows)

  it('lets only admins use the accounts routes (403 for every other role, each route), and needs the CSRF token', async () => {
    await withDatabase(team.database, async (db) => {
      for (const email of ['t-role@example.org', 't-disable@example.org', 't-enable@example.org', 't-invite@example.org', 't-revoke@example.org']) {
        await addUser(db, {email, role: 'translator', ...(email === 't-invite@example.org' || email === 't-revoke@example.org' ? {} : {password})})
      }
      await disableUser(db, 't-enable@example.org')
    })
    const routes: [string, string, string, unknown?][] = [
      ['list users', 'GET', '/api/users'],
      ['invite', 'POST', '/api/users', {email: 'someone@example.org', role: 'translator', locales: []}],
      ['change a role', 'PUT', '/api/users/t-role%40example.org', {role: 'reviewer'}],
      ['disable', 'POST', '/api/users/t-disable%40example.org/disable', {}],
      ['enable', 'POST', '/api/users/t-enable%40example.org/enable', {}],
      ['new invitation link', 'POST', '/api/users/t-invite%40example.org/invitation', {}],
      ['revoke an invitation', 'POST', '/api/users/t-revoke%40example.org/invitation/revoke', {}]
    ]
    const seen: string[] = []
    for (const role of roles) {
      const visitor = role === 'admin' ? admin : await signedIn(`${role}@example.org`, `10.9.1.${roles.indexOf(role)}`)
      for (const [name, method, path, body] of routes) {
        // Without the session's CSRF token first: refused whoever asks, and nothing changes.
        if (method !== 'GET') {
          const forged = await visitor.request<{error: {code: string}}>(method, path, body, {'x-passerelle-csrf': ''})
          seen.push(`${role} ${name} without csrf: ${forged.status} ${forged.body.error.code}`)
        }
        const reply = await visitor.request<{error?: {code: string}}>(method, path, body)
        seen.push(`${role} ${name}: ${reply.status}${reply.body.error ? ` ${reply.body.error.code}` : ''}`)
      }
    }
    const expected: string[] = []
    for (const role of roles) {
      for (const [name, method] of routes) {
        if (method !== 'GET') expected.push(`${role} ${name} without csrf: 403 E_CSRF`)
        expected.push(`${role} ${name}: ${role !== 'admin' ? '403 E_FORBIDDEN' : name === 'invite' ? 201 : 200}`)
      }
    }
    expect(seen).toEqual(expected)
    const users = new Map((await listed()).map((user) => [user.email, user]))
    expect(users.get('t-role@example.org')?.role).toBe('reviewer')
    expect(users.get('t-disable@example.org')?.state).toBe('disabled')
    expect(users.get('t-enable@example.org')?.state).toBe('active')
    expect(users.get('t-invite@example.org')?.state).toBe('invited')
    expect(users.get('t-revoke@example.org')?.state).toBe('no-password')
    expect(users.get('someone@example.org')?.state).toBe('invited')
    // Each change once, by the admin who made it.
    expect(await userAudit('t-role@example.org')).toEqual([{actor: 'cli', action: 'add'}, {actor: 'admin@example.org', action: 'role'}])
    expect(await userAudit('t-disable@example.org')).toEqual([{actor: 'cli', action: 'add'}, {actor: 'admin@example.org', action: 'disable'}])
    expect(await userAudit('t-revoke@example.org')).toEqual([{actor: 'cli', action: 'add'}, {actor: 'admin@example.org', action: 'revoke-invitation'}])
    expect(await userAudit('someone@example.org')).toEqual([{actor: 'admin@example.org', action: 'add'}])
  })

  it('invites with a one-time link; the new user signs up and in; a role change shows on their next request; disabling ends their session at once', async () => {
    const invited = await admin.request<UserResponse>('POST', '/api/users', {email: 'Nadia@example.org', role: 'translator', locales: ['es']})
    expect(invited.status).toBe(201)
    const link = invited.body.invitation!.link
    expect(link).toMatch(new RegExp(`^${team.url}/invite/[A-Za-z0-9_-]{43}$`))
    expect(invited.body.user).toMatchObject({email: 'Nadia@example.org', role: 'translator', locales: ['es'], state: 'invited', lastSignIn: null})
    // Only the hash of the token is stored.
    const token = link.split('/').at(-1)!
    const stored = await withDatabase(team.database, (db) => db.query<{n: string}>('SELECT count(*) AS n FROM invitations WHERE token_hash = $1', [token]))
    expect(stored.rows[0]!.n).toBe('0')

    expect(await acceptLink(team.url, link, '10.9.2.1')).toBe(303)
    expect(await acceptLink(team.url, link, '10.9.2.1')).toBe(404)
    const nadia = await signedIn('nadia@example.org', '10.9.2.2')
    const me = (await listed()).find((user) => user.email === 'Nadia@example.org')!
    expect(me.state).toBe('active')
    expect(Date.now() - Date.parse(me.lastSignIn!)).toBeLessThan(60_000)

    const segment = (await nadia.request<{segments: {id: string; revision: number; target?: string}[]}>('GET', `/api/articles/en/${slug}`)).body.segments.find((item) => item.target)!
    const save = () => nadia.request<{error?: {code: string}}>('PUT', `/api/articles/en/${slug}/segments/${segment.id}`, {revision: segment.revision, target: 'Saved by Nadia.'})
    expect((await save()).status).toBe(403)
    const changed = await admin.request<UserResponse>('PUT', '/api/users/nadia%40example.org', {role: 'reviewer', locales: ['en', 'es']})
    expect(changed.body.user).toMatchObject({role: 'reviewer', locales: ['en', 'es']})
    // The same session, the next request: the new rights.
    expect((await save()).status).toBe(200)
    expect((await nadia.request('GET', '/api/users')).status).toBe(403)

    expect((await admin.request('POST', '/api/users/nadia%40example.org/disable', {})).status).toBe(200)
    const after = await nadia.request<{error: {code: string}}>('GET', '/api/project')
    expect([after.status, after.body.error.code]).toEqual([401, 'E_SESSION'])
    const sessions = await withDatabase(team.database, (db) =>
      db.query<{live: string}>("SELECT count(*) FILTER (WHERE s.revoked_at IS NULL) AS live FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'Nadia@example.org'")
    )
    expect(sessions.rows[0]!.live).toBe('0')
    expect(await new Visitor(team.url, '10.9.2.3').signIn('nadia@example.org')).toBe(401)

    // Enabled again: a new sign-in works; the old session stays dead.
    expect((await admin.request<UserResponse>('POST', '/api/users/nadia%40example.org/enable', {})).body.user.state).toBe('active')
    expect((await nadia.request('GET', '/api/project')).status).toBe(401)
    expect(await new Visitor(team.url, '10.9.2.4').signIn('nadia@example.org')).toBe(303)
    expect((await userAudit('nadia@example.org')).map((row) => row.action)).toEqual(['add', 'set-password', 'role', 'disable', 'enable'])
  })

  it('a revoked invitation link stops working; a new link replaces the old one', async () => {
    const first = (await admin.request<UserResponse>('POST', '/api/users', {email: 'omar@example.org', role: 'reviewer', locales: []})).body.invitation!.link
    const second = (await admin.request<UserResponse>('POST', '/api/users/omar%40example.org/invitation', {})).body.invitation!.link
    expect(second).not.toBe(first)
    expect(await acceptLink(team.url, first, '10.9.3.1')).toBe(404)
    const revoked = await admin.request<UserResponse>('POST', '/api/users/omar%40example.org/invitation/revoke', {})
    expect(revoked.body.user.state).toBe('no-password')
    expect(await acceptLink(team.url, second, '10.9.3.1')).toBe(404)
    const again = await admin.request<{error: {code: string}}>('POST', '/api/users/omar%40example.org/invitation/revoke', {})
    expect([again.status, again.body.error.code]).toEqual([404, 'E_NOT_FOUND'])
    const third = (await admin.request<UserResponse>('POST', '/api/users/omar%40example.org/invitation', {})).body.invitation!.link
    expect(await acceptLink(team.url, third, '10.9.3.1')).toBe(303)
    // An active user gets no invitation, and bad input is refused with the store's codes.
    const active = await admin.request<{error: {code: string}}>('POST', '/api/users/omar%40example.org/invitation', {})
    expect([active.status, active.body.error.code]).toEqual([409, 'E_CONFLICT'])
    const bad: [unknown, number][] = [
      [{email: 'not an address', role: 'translator', locales: []}, 422],
      [{email: 'x@example.org', role: 'owner', locales: []}, 400],
      [{email: 'x@example.org', role: 'translator', locales: ['fr']}, 400],
      [{email: 'OMAR@example.org', role: 'translator', locales: []}, 422]
    ]
    for (const [body, status] of bad) expect([JSON.stringify(body), (await admin.request('POST', '/api/users', body)).status]).toEqual([JSON.stringify(body), status])
    expect((await listed()).map((user) => user.email)).not.toContain('x@example.org')
  })

  it('never leaves the project without an active admin, even when two admins disable each other at once', async () => {
    const only = await admin.request<{error: {code: string; message: string}}>('POST', '/api/users/admin%40example.org/disable', {})
    expect([only.status, only.body.error.code]).toEqual([409, 'E_CONFLICT'])
    expect(only.body.error.message).toContain('last active admin')
    const demote = await admin.request<{error: {code: string}}>('PUT', '/api/users/admin%40example.org', {role: 'reviewer'})
    expect([demote.status, demote.body.error.code]).toEqual([409, 'E_CONFLICT'])
    // An invited admin who never set a password does not count.
    await admin.request('POST', '/api/users', {email: 'pending-admin@example.org', role: 'admin', locales: []})
    expect((await admin.request('POST', '/api/users/admin%40example.org/disable', {})).status).toBe(409)
    // The CLI is held to the same rule.
    const cli = await passerelle(team.temp.root, ['users', 'role', 'admin@example.org', '--role', 'publisher', '--database', team.database])
    expect(cli.code).toBe(1)
    expect(cli.stderr).toContain('(E_CONFLICT)')
    expect((await listed()).find((user) => user.email === 'admin@example.org')).toMatchObject({role: 'admin', state: 'active'})

    // With a second active admin, one may disable the other (here over HTTP)…
    await withDatabase(team.database, (db) => addUser(db, {email: 'second-admin@example.org', role: 'admin', password}))
    const second = await signedIn('second-admin@example.org', '10.9.4.1')
    expect((await second.request('POST', '/api/users/admin%40example.org/disable', {})).status).toBe(200)
    expect((await admin.request('GET', '/api/users')).status).toBe(401)
    expect((await second.request('POST', '/api/users/admin%40example.org/enable', {})).status).toBe(200)
    admin = await signedIn('admin@example.org', '10.9.0.2')
    // …but two admins disabling each other at the same moment cannot both succeed (the store locks the admins' rows).
    // Two connections opened beforehand, so that both transactions run side by side.
    const pool = await openPool(team.database, {max: 2})
    const [one, two] = [await pool.connect(), await pool.connect()]
    const settled = await Promise.allSettled([
      disableUser(one, 'second-admin@example.org', {name: 'admin@example.org'}),
      disableUser(two, 'admin@example.org', {name: 'second-admin@example.org'})
    ])
    one.release()
    two.release()
    await pool.end()
    expect(settled.map((result) => (result.status === 'fulfilled' ? 'disabled' : (result.reason as {code?: string}).code)).sort()).toEqual(['E_CONFLICT', 'disabled'])
    const admins = (await withDatabase(team.database, (db) => db.query<{n: string}>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND password_hash IS NOT NULL"))).rows[0]!.n
    expect(admins).toBe('1')
    // Put things back for the later tests.
    await withDatabase(team.database, async (db) => {
      for (const email of ['admin@example.org', 'second-admin@example.org']) await enableUser(db, email)
      await setUserRole(db, 'second-admin@example.org', {role: 'publisher'})
    })
    admin = await signedIn('admin@example.org', '10.9.0.3')
  })

  it('the CLI enables, renews and revokes invitations through the same store', async () => {
    const root = team.temp.root
    const db = ['--database', team.database]
    expect((await passerelle(root, ['users', 'add', 'cli-user@example.org', '--role', 'translator', ...db])).code).toBe(0)
    const invite = await passerelle(root, ['users', 'invite', 'cli-user@example.org', '--public-url', 'https://translate.example.org/', ...db])
    expect(invite.stdout).toMatch(/^users: invitation for cli-user@example\.org \(one use, expires in 7 days\): https:\/\/translate\.example\.org\/invite\/[A-Za-z0-9_-]{43}\n$/)
    expect((await passerelle(root, ['users', 'revoke-invitation', 'cli-user@example.org', ...db])).stdout).toBe('users: the invitation of cli-user@example.org is revoked\n')
    expect((await passerelle(root, ['users', 'disable', 'cli-user@example.org', ...db])).code).toBe(0)
    expect((await passerelle(root, ['users', 'enable', 'cli-user@example.org', ...db])).stdout).toBe('users: cli-user@example.org is enabled\n')
    const list = await passerelle(root, ['users', 'list', ...db])
    expect(list.stdout).toContain('cli-user@example.org\ttranslator\tall locales\tno-password\n')
    expect((await userAudit('cli-user@example.org')).map((row) => `${row.actor} ${row.action}`)).toEqual(['cli add', 'cli invite', 'cli revoke-invitation', 'cli disable', 'cli enable'])
  })
})
