// The team server over HTTP, as people and attackers reach it: every API
// action tried by every role (allowed or refused, read from the responses),
// sign-in abuse (throttle, lockout, fixation, cookie flags, CSRF, a disabled
// user's session), invitations, the name on edits, conflicts between two
// users, and the audit trail with its export.
import {execFile, spawn} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {withDatabase} from '../src/db/index.ts'
import {addUser, disableUser} from '../src/team/users.ts'
import type {ArticleData, SegmentHistoryData} from '../src/review/wire.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot} from './helpers/project.ts'
import {password, signedInVisitor, startTeam, Visitor, type TeamFixture} from './helpers/team.ts'

const run = promisify(execFile)
const missing = postgresMissing()
if (missing) console.log(`SKIP team-server: ${missing}`)

const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'
const roles = ['translator', 'reviewer', 'terminologist', 'publisher', 'admin'] as const
type RoleName = (typeof roles)[number]

describe.skipIf(missing !== undefined)('team server', () => {
  let cluster: TestCluster
  let team: TeamFixture
  beforeAll(async () => {
    cluster = await startCluster()
    team = await startTeam(cluster, 'teamserver', {extraUsers: [
        {email: 'es-only@example.org', role: 'translator', locales: ['es']},
        {email: 'target@example.org', role: 'translator', locales: []}
      ]})
  }, 120_000)
  afterAll(async () => {
    await team?.close()
    await cluster?.stop()
  })

  const signedIn = (role: string, address = `10.0.0.${roles.indexOf(role as RoleName) + 10}`) => signedInVisitor(team.url, `${role}@example.org`, address)
  const article = async (visitor: Visitor, locale = 'en') => (await visitor.request<ArticleData>('GET', `/api/articles/${locale}/${slug}`)).body

  describe('every API action by every role', () => {
    // Who may do what, written out by hand from the roles' descriptions (README, "Team server"), not computed from can().
    const expected: Record<string, readonly RoleName[]> = {
      'read project': roles,
      'read status': roles,
      'read article': roles,
      'read suggestions': roles,
      'read history': roles,
      'check a target': roles,
      concordance: roles,
      'read glossary': roles,
      'read rules': roles,
      'edit a target': ['translator', 'reviewer', 'admin'],
      'mark translated': ['translator', 'reviewer', 'admin'],
      'mark reviewed': ['reviewer', 'admin'],
      approve: ['reviewer', 'admin'],
      'bulk approve': ['reviewer', 'admin'],
      'acknowledge a finding': ['reviewer', 'admin'],
      comment: ['translator', 'reviewer', 'terminologist', 'admin'],
      'machine translation': ['translator', 'reviewer', 'admin'],
      'create a concept': ['terminologist', 'admin'],
      'save rules': ['terminologist', 'admin'],
      'export the audit trail': ['publisher', 'admin'],
      'list users': ['admin']
    }

    it('allows exactly what each role holds and refuses the rest with 403 (5 roles × 21 actions)', async () => {
      const initial = await article(await signedIn('admin'))
      const withTarget = initial.segments.filter((segment) => segment.target !== undefined && segment.target !== '')
      const clean = withTarget.filter((segment) => segment.qa.every((finding) => finding.severity !== 'error'))
      const withFinding = withTarget.filter((segment) => segment.qa.some((finding) => finding.severity !== 'info'))
      expect(clean.length).toBeGreaterThan(6)
      const [editSeg, translatedSeg, reviewedSeg, approveSeg, bulkSeg, commentSeg] = clean.map((segment) => segment.id)
      const segmentPath = (id: string) => `/api/articles/en/${slug}/segments/${id}`

      const actions: Record<string, (visitor: Visitor, role: RoleName) => Promise<{status: number}>> = {
        'read project': (v) => v.request('GET', '/api/project'),
        'read status': (v) => v.request('GET', '/api/status'),
        'read article': (v) => v.request('GET', `/api/articles/en/${slug}`),
        'read suggestions': (v) => v.request('GET', `${segmentPath(editSeg!)}/suggestions`),
        'read history': (v) => v.request('GET', `${segmentPath(editSeg!)}/history`),
        'check a target': (v) => v.request('POST', `${segmentPath(editSeg!)}/check`, {target: 'Some text.'}),
        concordance: (v) => v.request('GET', '/api/concordance?q=migration'),
        'read glossary': (v) => v.request('GET', '/api/glossary'),
        'read rules': (v) => v.request('GET', '/api/rules/en'),
        'edit a target': async (v, role) => {
          const current = (await article(v)).segments.find((segment) => segment.id === editSeg)!
          return v.request('PUT', segmentPath(editSeg!), {revision: current.revision, target: `${current.target} (${role})`})
        },
        'mark translated': async (v) => {
          const current = (await article(v)).segments.find((segment) => segment.id === translatedSeg)!
          return v.request('PUT', segmentPath(translatedSeg!), {revision: current.revision, state: 'translated'})
        },
        'mark reviewed': async (v) => {
          const current = (await article(v)).segments.find((segment) => segment.id === reviewedSeg)!
          return v.request('PUT', segmentPath(reviewedSeg!), {revision: current.revision, state: 'reviewed'})
        },
        approve: async (v) => {
          const current = (await article(v)).segments.find((segment) => segment.id === approveSeg)!
          return v.request('PUT', segmentPath(approveSeg!), {revision: current.revision, state: 'approved'})
        },
        'bulk approve': async (v) => {
          const current = (await article(v)).segments.find((segment) => segment.id === bulkSeg)!
          return v.request('POST', `/api/articles/en/${slug}/approve`, {segments: [{id: bulkSeg, revision: current.revision}]})
        },
        'acknowledge a finding': async (v) => {
          // A finding nobody acknowledged yet (an acknowledged one shows as info).
          const current = (await article(v)).segments.find((segment) => segment.target && segment.qa.some((item) => item.severity !== 'info'))!
          const finding = current.qa.find((item) => item.severity !== 'info')!
          return v.request('POST', `${segmentPath(current.id)}/acknowledge`, {revision: current.revision, rule: finding.rule, message: finding.message})
        },
        comment: (v, role) => v.request('POST', `${segmentPath(commentSeg!)}/comments`, {text: `A remark from the ${role}.`}),
        'machine translation': (v) => v.request('POST', `${segmentPath(editSeg!)}/mt`, {}),
        'create a concept': (v, role) =>
          v.request('POST', '/api/glossary', {concept: {id: `concept-by-${role}`, terms: {fr: [{text: `terme du ${role}`, status: 'preferred'}]}}}),
        'save rules': async (v) => {
          const rules = await v.request<{version: string}>('GET', '/api/rules/en')
          return v.request('PUT', '/api/rules/en', {version: rules.body.version, rules: []})
        },
        'export the audit trail': (v) => v.request('GET', '/api/audit?format=csv'),
        'list users': (v) => v.request('GET', '/api/users')
      }
      expect(Object.keys(actions).sort()).toEqual(Object.keys(expected).sort())
      expect(withFinding.length).toBeGreaterThan(1)

      const seen: Record<string, Record<string, number>> = {}
      for (const role of roles) {
        const visitor = await signedIn(role)
        for (const [name, act] of Object.entries(actions)) {
          const {status} = await act(visitor, role)
          ;(seen[name] ??= {})[role] = status
        }
      }
      const verdicts = Object.fromEntries(Object.entries(seen).map(([name, byRole]) => [name, roles.filter((role) => byRole[role]! < 300)]))
      expect(verdicts).toEqual(expected)
      // Every refusal is a 403 (not a crash, not a 404), and every success a 2xx.
      for (const [name, byRole] of Object.entries(seen)) {
        for (const role of roles) expect([name, role, byRole[role]]).toEqual([name, role, expected[name]!.includes(role) ? byRole[role] : 403])
      }
    }, 120_000)

    it('refuses every API route without a session (401) and sends the page to sign-in', async () => {
      const stranger = new Visitor(team.url, '10.9.9.9')
      for (const path of ['/api/project', '/api/status', `/api/articles/en/${slug}`, '/api/glossary', '/api/audit', '/api/users']) {
        const reply = await stranger.request<{error: {code: string}}>('GET', path)
        expect([path, reply.status, reply.body.error.code]).toEqual([path, 401, 'E_SESSION'])
      }
      const page = await stranger.fetch('/')
      expect(page.status).toBe(303)
      expect(page.headers.get('location')).toBe('/signin')
    })

    it('binds locale-bound actions to the user’s locales', async () => {
      const visitor = new Visitor(team.url, '10.0.1.1')
      expect(await visitor.signIn('es-only@example.org')).toBe(303)
      const es = (await article(visitor, 'es')).segments.find((segment) => segment.target)!
      const en = (await article(visitor, 'en')).segments.find((segment) => segment.target)!
      expect((await visitor.request('PUT', `/api/articles/es/${slug}/segments/${es.id}`, {revision: es.revision, target: 'Texto nuevo.'})).status).toBe(200)
      const refused = await visitor.request<{error: {code: string}}>('PUT', `/api/articles/en/${slug}/segments/${en.id}`, {revision: en.revision, target: 'New text.'})
      expect([refused.status, refused.body.error.code]).toEqual([403, 'E_FORBIDDEN'])
      expect((await article(visitor, 'en')).segments.find((segment) => segment.id === en.id)!.target).toBe(en.target)
    })
  })

  describe('sign-in abuse', () => {
    it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, without Secure on plain http', async () => {
      const visitor = new Visitor(team.url, '10.1.0.1')
      const form = await visitor.fetch('/signin')
      const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await form.text())![1]!
      const response = await visitor.fetch('/signin', {method: 'POST', body: new URLSearchParams({csrf, email: 'reviewer@example.org', password})})
      expect(response.status).toBe(303)
      const cookie = visitor.setCookies.find((line) => line.startsWith('passerelle_session='))!
      expect(cookie).toMatch(/; HttpOnly/)
      expect(cookie).toMatch(/; SameSite=Strict/)
      expect(cookie).toMatch(/; Path=\//)
      expect(cookie).not.toMatch(/Secure/)
      // Only a hash of the token is in the database.
      const token = cookie.split(';')[0]!.split('=')[1]!
      const stored = await withDatabase(team.database, (db) => db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [token]))
      expect(stored.rowCount).toBe(0)
    })

    it('behind an https public URL the cookie is __Host- and Secure', async () => {
      const secure = await startTeam(cluster, 'teamsecure', {publicUrl: 'https://translate.example.org/'})
      try {
        const visitor = new Visitor(secure.url, '10.1.0.2')
        expect(await visitor.signIn('admin@example.org')).toBe(303)
        // Signed in behind the https URL, the app opens instead of the sign-in form.
        expect(await visitor.loadPage()).not.toContain('name="password"')
        // The visitor's last response was the page, not the sign-in: look at a fresh sign-in's cookies.
        const again = new Visitor(secure.url, '10.1.0.3')
        const form = await again.fetch('/signin')
        const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await form.text())![1]!
        expect(again.setCookies.join('\n')).toMatch(/__Host-passerelle_form=[0-9a-f]+;.*Secure/)
        await again.fetch('/signin', {method: 'POST', body: new URLSearchParams({csrf, email: 'admin@example.org', password})})
        const session = again.setCookies.find((line) => line.startsWith('__Host-passerelle_session='))!
        expect(session).toMatch(/; Secure/)
        expect(session).toMatch(/; HttpOnly/)
        expect(session).toMatch(/; SameSite=Strict/)
      } finally {
        await secure.close()
      }
    })

    it('locks an account after 5 failures (even with the right password then), and not its neighbours', async () => {
      const attacker = new Visitor(team.url, '10.2.0.1')
      for (let i = 0; i < 5; i++) expect(await attacker.signIn('target@example.org', `wrong guess ${i}`)).toBe(401)
      const locked = new Visitor(team.url, '10.2.0.2')
      const form = await locked.fetch('/signin')
      const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(await form.text())![1]!
      const response = await locked.fetch('/signin', {method: 'POST', body: new URLSearchParams({csrf, email: 'TARGET@example.org', password})})
      expect(response.status).toBe(429)
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(60)
      expect(await response.text()).toContain('Too many failed sign-ins')
      expect(locked.cookies.has('passerelle_session')).toBe(false)
      // Another account from the attacker's own address still signs in (per-account lockout).
      expect(await attacker.signIn('terminologist@example.org')).toBe(303)
      // An unknown account locks the same way (no way to tell which accounts exist).
      for (let i = 0; i < 5; i++) expect(await attacker.signIn('nobody@example.org', 'guess')).toBe(401)
      expect(await attacker.signIn('nobody@example.org', 'guess')).toBe(429)
      const attempts = await withDatabase(team.database, (db) => db.query<{n: string}>("SELECT count(*) AS n FROM signin_attempts WHERE email = 'target@example.org' AND NOT success"))
      expect(Number(attempts.rows[0]!.n)).toBe(6)
    })

    it('locks out an address after 20 failures across accounts', async () => {
      const spray = new Visitor(team.url, '10.3.0.1')
      for (let i = 0; i < 20; i++) expect(await spray.signIn(`user${i}@example.org`, 'Password123!')).toBe(401)
      expect(await spray.signIn('publisher@example.org')).toBe(429)
      expect(await new Visitor(team.url, '10.3.0.2').signIn('publisher@example.org')).toBe(303)
    })

    it('never adopts a session id the visitor brings (fixation), and revokes it', async () => {
      const victim = new Visitor(team.url, '10.4.0.1')
      victim.cookies.set('passerelle_session', 'attacker-chosen-value')
      expect(await victim.signIn('reviewer@example.org')).toBe(303)
      expect(victim.cookies.get('passerelle_session')).not.toBe('attacker-chosen-value')
      const attacker = new Visitor(team.url, '10.4.0.2')
      attacker.cookies.set('passerelle_session', 'attacker-chosen-value')
      expect((await attacker.request('GET', '/api/project')).status).toBe(401)
      // A real earlier session carried into a new sign-in is revoked, and the new id differs.
      const before = victim.cookies.get('passerelle_session')!
      expect(await victim.signIn('reviewer@example.org')).toBe(303)
      expect(victim.cookies.get('passerelle_session')).not.toBe(before)
      const stale = new Visitor(team.url, '10.4.0.3')
      stale.cookies.set('passerelle_session', before)
      expect((await stale.request('GET', '/api/project')).status).toBe(401)
      expect((await victim.request('GET', '/api/project')).status).toBe(200)
    })

    it('refuses a state change without the session’s CSRF token, with another session’s, or from another origin', async () => {
      const ana = await signedIn('reviewer', '10.5.0.1')
      const bob = await signedIn('translator', '10.5.0.2')
      const segment = (await article(ana)).segments.find((item) => item.target)!
      const put = (visitor: Visitor, headers: Record<string, string>) =>
        visitor.request<{error: {code: string}}>('PUT', `/api/articles/en/${slug}/segments/${segment.id}`, {revision: segment.revision, target: 'CSRF attempt.'}, headers)
      const attempts: Record<string, string>[] = [{'x-passerelle-csrf': ''}, {'x-passerelle-csrf': bob.csrf}, {origin: 'https://evil.example'}, {'sec-fetch-site': 'cross-site'}]
      for (const headers of attempts) {
        const reply = await put(ana, headers)
        expect([JSON.stringify(headers), reply.status, reply.body.error.code]).toEqual([JSON.stringify(headers), 403, 'E_CSRF'])
      }
      expect((await article(ana)).segments.find((item) => item.id === segment.id)!.target).toBe(segment.target)
      // The sign-in form needs its own token too.
      const stranger = new Visitor(team.url, '10.5.0.3')
      await stranger.fetch('/signin')
      expect((await stranger.fetch('/signin', {method: 'POST', body: new URLSearchParams({email: 'admin@example.org', password})})).status).toBe(403)
    })

    it('a disabled user’s session gets 401 on the very next request; sign-out ends a session', async () => {
      await withDatabase(team.database, (db) => addUser(db, {email: 'leaving@example.org', role: 'reviewer', password}))
      const leaving = new Visitor(team.url, '10.6.0.1')
      expect(await leaving.signIn('leaving@example.org')).toBe(303)
      expect((await leaving.request('GET', '/api/project')).status).toBe(200)
      await withDatabase(team.database, (db) => disableUser(db, 'leaving@example.org'))
      const after = await leaving.request<{error: {code: string}}>('GET', '/api/project')
      expect([after.status, after.body.error.code]).toEqual([401, 'E_SESSION'])
      expect(await leaving.signIn('leaving@example.org')).toBe(401)

      const visitor = await signedIn('publisher', '10.6.0.2')
      const token = visitor.cookies.get('passerelle_session')!
      expect((await visitor.request('POST', '/api/signout')).status).toBe(200)
      const replay = new Visitor(team.url, '10.6.0.3')
      replay.cookies.set('passerelle_session', token)
      expect((await replay.request('GET', '/api/project')).status).toBe(401)
    })
  })

  it('an invitation sets a password once; the CLI prints the link when no password is piped', async () => {
    // Nothing on stdin: no password, so an invitation.
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'passerelle.js'), '-C', team.temp.root, 'users', 'add', 'new@example.org', '--role', 'translator', '--database', team.database, '--public-url', team.url + '/'], {
      stdio: ['pipe', 'pipe', 'inherit']
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stdin.end('')
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0)
    const link = /invitation \(one use, expires in 7 days\): (\S+)/.exec(stdout)?.[1]
    expect(link).toMatch(new RegExp(`^${team.url}/invite/[A-Za-z0-9_-]{43}$`))
    const token = link!.split('/').at(-1)!
    const stored = await withDatabase(team.database, (db) => db.query('SELECT 1 FROM invitations WHERE token_hash = $1', [token]))
    expect(stored.rowCount).toBe(0)
    const path = new URL(link!).pathname
    const visitor = new Visitor(team.url, '10.7.0.1')
    expect(await visitor.signIn('new@example.org', 'anything at all')).toBe(401)
    const form = await visitor.fetch(path)
    const html = await form.text()
    expect(form.status).toBe(200)
    expect(html).toContain('new@example.org')
    const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(html)![1]!
    const short = await visitor.fetch(path, {method: 'POST', body: new URLSearchParams({csrf, password: 'short', confirm: 'short'})})
    expect(short.status).toBe(422)
    const set = await visitor.fetch(path, {method: 'POST', body: new URLSearchParams({csrf, password: 'my own long passphrase', confirm: 'my own long passphrase'})})
    expect([set.status, set.headers.get('location')]).toEqual([303, '/signin?welcome=1'])
    expect(await visitor.signIn('new@example.org', 'my own long passphrase')).toBe(303)
    const reuse = await new Visitor(team.url, '10.7.0.2').fetch(path)
    expect(reuse.status).toBe(404)
  })

  it('records the signed-in user on edits (a name the browser sends is ignored), and the history shows it', async () => {
    const visitor = await signedIn('reviewer', '10.8.0.1')
    const segment = (await article(visitor)).segments.find((item) => item.target)!
    const reply = await visitor.request('PUT', `/api/articles/en/${slug}/segments/${segment.id}`, {revision: segment.revision, target: 'Signed edit.'}, {'x-passerelle-reviewer': 'Mallory'})
    expect(reply.status).toBe(200)
    const history = await visitor.request<SegmentHistoryData>('GET', `/api/articles/en/${slug}/segments/${segment.id}/history`)
    expect(history.body.edits[0]).toMatchObject({by: 'reviewer@example.org', to: {target: 'Signed edit.'}, from: {target: segment.target}})
    expect(JSON.stringify(history.body)).not.toContain('Mallory')
    const project = await visitor.request<{reviewer: string; user: {email: string; role: string}}>('GET', '/api/project')
    expect(project.body.user).toMatchObject({email: 'reviewer@example.org', role: 'reviewer'})
  })

  it('two users saving the same segment from the same revision: the second gets a conflict showing the first’s text', async () => {
    const ana = await signedIn('reviewer', '10.8.1.1')
    const bob = await signedIn('translator', '10.8.1.2')
    const segment = (await article(ana)).segments.filter((item) => item.target)[3]!
    const first = await ana.request('PUT', `/api/articles/en/${slug}/segments/${segment.id}`, {revision: segment.revision, target: 'Ana’s version.'})
    const second = await bob.request<{error: {code: string}; theirs: {target: string}; yours: {target: string}}>('PUT', `/api/articles/en/${slug}/segments/${segment.id}`, {
      revision: segment.revision,
      target: 'Bob’s version.'
    })
    expect(first.status).toBe(200)
    expect(second.status).toBe(409)
    expect(second.body.error.code).toBe('E_CONFLICT')
    expect(second.body.theirs.target).toBe('Ana’s version.')
    expect(second.body.yours.target).toBe('Bob’s version.')
    expect((await article(bob)).segments.find((item) => item.id === segment.id)!.target).toBe('Ana’s version.')
  })

  it('exports every segment change as an append-only audit row (API as CSV, CLI as JSON Lines)', async () => {
    const publisher = await signedIn('publisher', '10.9.0.1')
    const csv = await publisher.request('GET', '/api/audit?format=csv&entity=segment')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = csv.text.trim().split('\r\n')
    expect(lines[0]).toBe('id,at,actor,entity,key,action,before,after')
    expect(lines.some((line) => line.includes('reviewer@example.org') && line.includes('Signed edit.'))).toBe(true)

    const file = join(team.temp.root, 'audit.jsonl')
    await run(process.execPath, [join(repoRoot, 'bin', 'passerelle.js'), '-C', team.temp.root, 'db', 'audit', '--export', file, '--entity', 'segment', '--database', team.database])
    const records = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as {actor: string; key: string; action: string; before: {target?: string}; after: {target?: string}})
    const signed = records.find((record) => record.after?.target === 'Signed edit.')!
    expect(signed).toMatchObject({actor: 'reviewer@example.org', action: 'edit', key: expect.stringMatching(new RegExp(`^en/${slug}/`))})
    expect(signed.before.target).toBeDefined()
    // One row per acknowledged change: the conflict loser left none.
    expect(records.filter((record) => record.after?.target === 'Bob’s version.')).toEqual([])
    expect(records.filter((record) => record.after?.target === 'Ana’s version.')).toHaveLength(1)
  })
})
