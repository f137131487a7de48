// Schema migrations against a real, throwaway PostgreSQL cluster.
import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {migrate, migrations, withDatabase, type Database} from '../src/db/index.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot} from './helpers/project.ts'

const run = promisify(execFile)
// Every released migration, in order: the test follows new ones without edits.
const versions = migrations.map((migration) => migration.version).sort((a, b) => a - b)
const latest = versions.at(-1)!
const missing = postgresMissing()
if (missing) console.log(`SKIP db-migrate: ${missing}`)

async function tables(db: Database): Promise<string[]> {
  const {rows} = await db.query<{name: string}>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
  )
  return rows.map((row) => row.name)
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (error) {
    return (error as {code?: string}).code
  }
  return undefined
}

describe.skipIf(missing !== undefined)('db migrate', () => {
  let cluster: TestCluster
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(async () => {
    await cluster?.stop()
  })

  it('creates every table once, records the versions, and does nothing on a re-run', async () => {
    const url = await cluster.createDatabase('fresh')
    await withDatabase(url, async (db) => {
      expect(await migrate(db)).toEqual({applied: versions, version: latest})
      expect(await tables(db)).toEqual(['articles', 'audit', 'bundles', 'glossary_concepts', 'glossary_files', 'glossary_patterns', 'glossary_terms', 'invitations', 'postedit_rule_sets', 'postedit_rules', 'schema_migrations', 'segments', 'sessions', 'signin_attempts', 'tm_files', 'translate_jobs', 'users'])
      expect(await migrate(db)).toEqual({applied: [], version: latest})
      const {rows} = await db.query<{version: number}>('SELECT version FROM schema_migrations ORDER BY version')
      expect(rows.map((row) => row.version)).toEqual(versions)
    })
  })

  it('applies only the migrations a database lacks', async () => {
    const url = await cluster.createDatabase('older')
    await withDatabase(url, async (db) => {
      expect(await migrate(db, migrations.slice(0, 1))).toEqual({applied: [1], version: 1})
      expect(await tables(db)).not.toContain('users')
      expect(await migrate(db)).toEqual({applied: versions.slice(1), version: latest})
      expect(await tables(db)).toContain('users')
    })
  })

  it('refuses a database whose applied migration changed, or that is newer than this code', async () => {
    const url = await cluster.createDatabase('drifted')
    await withDatabase(url, async (db) => {
      await migrate(db)
      const edited = migrations.map((migration) => (migration.version === 1 ? {...migration, sql: migration.sql + '\n-- edited'} : migration))
      expect(await errorCode(migrate(db, edited))).toBe('E_DATABASE')
      expect(await errorCode(migrate(db, migrations.slice(0, 1)))).toBe('E_DATABASE')
    })
  })

  it('lets two migrators race without applying anything twice', async () => {
    const url = await cluster.createDatabase('raced')
    const results = await Promise.all([withDatabase(url, (db) => migrate(db)), withDatabase(url, (db) => migrate(db))])
    expect(results.map((result) => result.applied).sort()).toEqual([[], versions])
  })

  it('keeps audit rows append-only', async () => {
    const url = await cluster.createDatabase('audited')
    await withDatabase(url, async (db) => {
      await migrate(db)
      await db.query("INSERT INTO audit (actor, entity, entity_key, action) VALUES ('cli', 'user', 'a@example.org', 'add')")
      expect(await errorCode(db.query("UPDATE audit SET actor = 'someone else'"))).toBe('P0001')
      expect(await errorCode(db.query('DELETE FROM audit'))).toBe('P0001')
      const {rows} = await db.query<{actor: string}>('SELECT actor FROM audit')
      expect(rows).toEqual([{actor: 'cli'}])
    })
  })

  it('runs from the command line, and a bad URL is one E_DATABASE line', async () => {
    const url = await cluster.createDatabase('cli')
    const bin = join(repoRoot, 'bin', 'passerelle.js')
    const first = await run(process.execPath, [bin, 'db', 'migrate', '--database', url], {encoding: 'utf8'})
    expect(first.stdout).toBe(`db: applied migrations ${versions.join(', ')}; schema at version ${latest}\n`)
    const second = await run(process.execPath, [bin, 'db', 'migrate', '--database', url], {encoding: 'utf8'})
    expect(second.stdout).toBe(`db: schema up to date (version ${latest})\n`)
    const bad = await run(process.execPath, [bin, 'db', 'migrate', '--database', cluster.urlFor('no_such_db')], {encoding: 'utf8'}).catch(
      (error: {code: number; stderr: string}) => error
    )
    expect('code' in bad ? bad.code : 0).toBe(1)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toContain('(E_DATABASE)')
  })
})
