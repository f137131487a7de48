// Accounts in the team database, through the command line a person uses.
import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {migrate, withDatabase} from '../src/db/index.ts'
import {verifyPassword} from '../src/team/index.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot} from './helpers/project.ts'
import {runCli} from './helpers/cli.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP team-users: ${missing}`)
const bin = join(repoRoot, 'bin', 'passerelle.js')
const run = promisify(execFile)

const passerelle = (args: string[], input = '') => runCli(repoRoot, args, input)

describe.skipIf(missing !== undefined)('passerelle users', () => {
  let cluster: TestCluster
  let url: string
  beforeAll(async () => {
    cluster = await startCluster()
    url = await cluster.createDatabase('team')
    await withDatabase(url, (db) => migrate(db))
  })
  afterAll(async () => {
    await cluster?.stop()
  })

  it('adds users with an argon2id hash of the stdin password, lists them, and disables them with their sessions', async () => {
    const added = await passerelle(['users', 'add', 'Ana@example.org', '--role', 'translator', '--locales', 'es,en', '--database', url], 'correct horse battery\n')
    expect(added.stderr).toBe('')
    expect(added.stdout).toBe('users: added Ana@example.org (translator, es,en)\n')
    expect((await passerelle(['users', 'add', 'rev@example.org', '--role', 'reviewer', '--database', url], 'another long secret')).code).toBe(0)

    const stored = await withDatabase(url, (db) => db.query<{id: string; password_hash: string}>("SELECT id, password_hash FROM users WHERE email = 'Ana@example.org'"))
    const hash = stored.rows[0]!.password_hash
    expect(hash).toMatch(/^\$argon2id\$v=19\$/)
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true)
    expect(await verifyPassword(hash, 'correct horse battery\n')).toBe(false)

    const listed = await passerelle(['users', 'list', '--database', url])
    expect(listed.stdout).toBe('Ana@example.org\ttranslator\tes,en\tactive\nrev@example.org\treviewer\tall locales\tactive\n')

    await withDatabase(url, (db) =>
      db.query("INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ('h1', $1, 'c1', now() + interval '1 day')", [stored.rows[0]!.id])
    )
    const disabled = await passerelle(['users', 'disable', 'ana@example.org', '--database', url])
    expect(disabled.stdout).toBe('users: Ana@example.org is disabled\n')
    const after = await passerelle(['users', 'list', '--json', '--database', url])
    expect((JSON.parse(after.stdout) as {email: string; disabled: boolean}[]).map((user) => [user.email, user.disabled])).toEqual([
      ['Ana@example.org', true],
      ['rev@example.org', false]
    ])
    const sessions = await withDatabase(url, (db) => db.query<{revoked: boolean}>('SELECT revoked_at IS NOT NULL AS revoked FROM sessions'))
    expect(sessions.rows).toEqual([{revoked: true}])
    const audit = await withDatabase(url, (db) => db.query<{action: string; entity_key: string}>("SELECT action, entity_key FROM audit WHERE entity = 'user' ORDER BY id"))
    expect(audit.rows).toEqual([
      {action: 'add', entity_key: 'ana@example.org'},
      {action: 'add', entity_key: 'rev@example.org'},
      {action: 'disable', entity_key: 'ana@example.org'}
    ])
  })

  it('refuses, on one line each, a duplicate address, an unknown role or locale, a short password, an unknown user', async () => {
    await passerelle(['users', 'add', 'dup@example.org', '--role', 'publisher', '--database', url], 'a long enough password')
    const cases: [string[], string, string][] = [
      [['users', 'add', 'DUP@example.org', '--role', 'admin'], 'a long enough password', 'E_INPUT'],
      [['users', 'add', 'x@example.org', '--role', 'owner'], 'a long enough password', 'E_INPUT'],
      [['users', 'add', 'y@example.org', '--role', 'translator', '--locales', 'xx'], 'a long enough password', 'E_LOCALE'],
      [['users', 'add', 'z@example.org', '--role', 'translator'], 'short', 'E_INPUT'],
      [['users', 'disable', 'nobody@example.org'], '', 'E_NOT_FOUND']
    ]
    for (const [args, input, code] of cases) {
      const result = await passerelle([...args, '--database', url], input)
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(result.stderr, args.join(' ')).toContain(`(${code})`)
    }
    const {stdout} = await run(process.execPath, [bin, 'users', 'list', '--json', '--database', url], {encoding: 'utf8'})
    expect((JSON.parse(stdout) as {email: string}[]).map((user) => user.email)).not.toContain('x@example.org')
  })
})
