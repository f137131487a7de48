// Backup and restore as the README gives them: `pg_dump -Fc` of a team
// database, `pg_restore` into an empty one, and the restored database exports
// the same files (glossary rows, bundles, sources) and keeps the audit trail.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {cp, readFile, readdir} from 'node:fs/promises'
import {userInfo} from 'node:os'
import {join, relative, sep} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'
import {exportProject, importProject, migrate, withDatabase} from '../src/db/index.ts'
import {databaseTermbaseStore} from '../src/db/glossary.ts'
import {readAudit} from '../src/db/audit.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject} from './helpers/project.ts'

const run = promisify(execFile)
const binDir = process.env.PASSERELLE_PG_BIN ?? '/usr/lib/postgresql/15/bin'
const missing = postgresMissing() ?? (existsSync(join(binDir, 'pg_dump')) ? undefined : `pg_dump not found in ${binDir}`)
if (missing) console.log(`SKIP db-backup: ${missing}`)

async function tree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const folder of ['content', 'glossary', 'locales', 'tm']) {
    for (const entry of await readdir(join(root, folder), {recursive: true, withFileTypes: true}).catch(() => [])) {
      if (entry.isFile()) files.set(relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'), await readFile(join(entry.parentPath, entry.name)))
    }
  }
  return files
}

describe.skipIf(missing !== undefined)('backup and restore with pg_dump', () => {
  const setup = useCluster()

  it('restores a dump that exports the same files and keeps the audit trail', async () => {
    const url = await setup.cluster.createDatabase('live')
    const source = await tempProject({}, {glossary: true, content: true})
    setup.track(source)
    await cp(join(repoRoot, 'locales'), join(source.root, 'locales'), {recursive: true})
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, source.project)
      await databaseTermbaseStore(db).update(
        ({termbase}) => ({termbase: {...termbase, concepts: termbase.concepts.map((c) => (c.id === 'human-rights' ? {...c, note: 'before the backup'} : c))}, value: undefined}),
        {name: 'terminologist@example.org'}
      )
    })
    const original = await tempProject({}, {glossary: false})
    setup.track(original)
    await withDatabase(url, (db) => exportProject(db, original.project))

    const dump = join(setup.cluster.dir, 'passerelle.dump')
    // As the README says: pg_dump -Fc, then pg_restore into an empty database (run as the cluster's owner, over its socket).
    const asOwner = (tool: string, args: string[]) => (userInfo().uid === 0 ? run('runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]) : run(join(binDir, tool), args))
    await asOwner('pg_dump', ['-Fc', '-h', setup.cluster.dir, '-U', 'postgres', '-f', dump, 'live'])
    const restoredUrl = await setup.cluster.createDatabase('restored')
    await asOwner('pg_restore', ['-h', setup.cluster.dir, '-U', 'postgres', '-d', 'restored', '--no-owner', dump])

    const restored = await tempProject({}, {glossary: false})
    setup.track(restored)
    const result = await withDatabase(restoredUrl, (db) => exportProject(db, restored.project))
    expect(result.problems).toEqual([])
    const a = await tree(original.root)
    const b = await tree(restored.root)
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort())
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true)
    expect((await readFile(join(restored.root, 'glossary', 'migration.yaml'), 'utf8'))).toContain('note: before the backup')

    const audit = await withDatabase(restoredUrl, (db) => readAudit(db, {entity: 'concept', key: 'human-rights'}))
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
      ['create', 'cli'],
      ['update', 'terminologist@example.org']
    ])
    // The append-only trigger came back with the schema.
    await expect(withDatabase(restoredUrl, (db) => db.query('DELETE FROM audit'))).rejects.toThrow(/append-only/)
  })
})
