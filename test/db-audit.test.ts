// `passerelle db audit`: every user add, role change and disable and every
// concept create/edit/delete is an append-only row, and the command writes
// them (or one entity's, or those since a date) as JSON Lines or CSV that
// another tool can read back.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {migrate, withDatabase} from '../src/db/index.ts'
import {readAudit, recordAudit} from '../src/db/audit.ts'
import {inTransaction} from '../src/db/connect.ts'
import {databaseTermbaseStore} from '../src/db/glossary.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {tempProject} from './helpers/project.ts'
import {runCli} from './helpers/cli.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-audit: ${missing}`)

const passerelle = (root: string, args: string[], input = '') => runCli(root, args, input)

describe.skipIf(missing !== undefined)('db audit', () => {
  const setup = useCluster()

  it('exports user and concept changes as JSON Lines and CSV, by entity and date', async () => {
    const url = await setup.cluster.createDatabase('audit')
    await withDatabase(url, (db) => migrate(db))
    const temp = await tempProject({}, {glossary: true})
    setup.track(temp)
    const cli = (args: string[], input = '') => passerelle(temp.root, [...args, '--database', url], input)

    expect((await cli(['db', 'import'])).code).toBe(0)
    expect((await cli(['users', 'add', 'ana@example.org', '--role', 'translator', '--locales', 'es'], 'a long enough password')).code).toBe(0)
    const role = await cli(['users', 'role', 'ana@example.org', '--role', 'reviewer'])
    expect(role).toMatchObject({code: 0, stdout: 'users: ana@example.org is reviewer (es)\n'})
    expect((await cli(['users', 'disable', 'ana@example.org'])).code).toBe(0)
    await withDatabase(url, async (db) => {
      await databaseTermbaseStore(db).update(
        ({termbase}) => ({termbase: {...termbase, concepts: termbase.concepts.map((c) => (c.id === 'human-rights' ? {...c, note: 'audited'} : c))}, value: undefined}),
        {name: 'terminologist@example.org'}
      )
      // A segment row as the team server writes it: the export is generic over entities.
      await recordAudit(db, {actor: {name: 'ana@example.org'}, entity: 'segment', key: 'es/a/s1', action: 'edit', before: {target: 'a'}, after: {target: 'b'}})
    })

    const users = join(temp.root, 'users.jsonl')
    const out = await cli(['db', 'audit', '--entity', 'user', '--out', users])
    expect(out).toMatchObject({code: 0, stdout: `db: wrote 3 audit rows to ${users} (jsonl)\n`})
    const lines = (await readFile(users, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line))
    expect(lines.map((line) => [line.entity, line.key, line.action, line.actor])).toEqual([
      ['user', 'ana@example.org', 'add', 'cli'],
      ['user', 'ana@example.org', 'role', 'cli'],
      ['user', 'ana@example.org', 'disable', 'cli']
    ])
    expect(lines[1]).toMatchObject({before: {role: 'translator', locales: ['es']}, after: {role: 'reviewer', locales: ['es']}})
    expect(new Date(lines[0].at).getTime()).toBeLessThanOrEqual(Date.now())

    const concepts = join(temp.root, 'concepts.csv')
    expect((await cli(['db', 'audit', '--entity', 'concept', '--out', concepts])).code).toBe(0)
    const records = parse(await readFile(concepts, 'utf8'), {columns: true}) as Record<string, string>[]
    expect(Object.keys(records[0]!)).toEqual(['id', 'at', 'actor', 'entity', 'key', 'action', 'before', 'after'])
    const edit = records.filter((record) => record.action === 'update')
    expect(edit).toHaveLength(1)
    expect(edit[0]).toMatchObject({actor: 'terminologist@example.org', key: 'human-rights'})
    expect(JSON.parse(edit[0]!.after!).note).toBe('audited')
    expect(records.filter((record) => record.action === 'create').length).toBeGreaterThan(50)

    const all = join(temp.root, 'all.jsonl')
    await cli(['db', 'audit', '--out', all])
    const entities = new Set((await readFile(all, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line).entity))
    expect([...entities].sort()).toEqual(['concept', 'pattern', 'rule', 'segment', 'user'])

    const none = join(temp.root, 'none.jsonl')
    expect((await cli(['db', 'audit', '--since', '2999-01-01', '--out', none])).stdout).toBe(`db: wrote 0 audit rows to ${none} (jsonl)\n`)
    expect(await readFile(none, 'utf8')).toBe('')

    // The trail stays append-only whatever the export did.
    await expect(withDatabase(url, (db) => db.query('DELETE FROM audit'))).rejects.toThrow(/append-only/)
  })

  it('refuses a bad date or an output it cannot name the format of, on one line', async () => {
    const url = await setup.cluster.createDatabase('audit_usage')
    await withDatabase(url, (db) => migrate(db))
    const temp = await tempProject({}, {glossary: false})
    setup.track(temp)
    const badDate = await passerelle(temp.root, ['db', 'audit', '--since', 'yesterday', '--out', join(temp.root, 'a.jsonl'), '--database', url])
    expect(badDate.code).not.toBe(0)
    expect(badDate.stderr.trim().split('\n')).toHaveLength(1)
    expect(badDate.stderr).toContain('--since "yesterday" is not a date')
    const badOut = await passerelle(temp.root, ['db', 'audit', '--out', join(temp.root, 'a.txt'), '--database', url])
    expect(badOut.code).not.toBe(0)
    expect(badOut.stderr).toContain('name the output file .jsonl or .csv')
  })

  it('writes many rows in one call inside the caller\'s transaction, and reads one bundle\'s rows back by key prefix', async () => {
    const url = await setup.cluster.createDatabase('audit_batch')
    await withDatabase(url, async (db) => {
      await migrate(db)
      const row = (key: string, target: string, at: string) => ({actor: {name: 'ana@example.org'}, entity: 'segment' as const, key, action: 'edit', before: {target: 'old'}, after: {target}, at})
      // Rolled back with the change it belongs to: no row is kept.
      await expect(
        inTransaction(db, async () => {
          await recordAudit(db, [row('en/a_b/s1', 'lost', '2026-12-07T05:00:00.000Z')])
          throw new Error('the change failed')
        })
      ).rejects.toThrow('the change failed')
      await inTransaction(db, () =>
        recordAudit(db, [
          row('en/a_b/s2', 'second', '2026-12-07T05:00:02.000Z'),
          row('en/a_b/s1', 'first', '2026-12-07T05:00:01.000Z'),
          // Not of en/a_b/: an underscore is not a wildcard, and a longer slug is another bundle.
          row('en/aXb/s1', 'other', '2026-12-07T05:00:03.000Z'),
          row('en/a_bc/s1', 'other', '2026-12-07T05:00:04.000Z')
        ])
      )
      await recordAudit(db, [])
      const rows = await readAudit(db, {entity: 'segment', keyPrefix: 'en/a_b/'})
      expect(rows.map((entry) => [entry.key, entry.after, entry.at, entry.actor])).toEqual([
        ['en/a_b/s2', {target: 'second'}, '2026-12-07T05:00:02.000Z', 'ana@example.org'],
        ['en/a_b/s1', {target: 'first'}, '2026-12-07T05:00:01.000Z', 'ana@example.org']
      ])
      expect(rows[0]!.id).toBeLessThan(rows[1]!.id)
      expect((await readAudit(db, {entity: 'segment'})).map((entry) => entry.key)).toEqual(['en/a_b/s2', 'en/a_b/s1', 'en/aXb/s1', 'en/a_bc/s1'])
    })
  })
})
