// Team mode's translation memory: the review app's TM cache fed by the
// database (human work in `segments`, imported TMX in `tm_files`) holds the
// same memory, and gives the same suggestions, as the one fed by the files
// exported from that database; a TMX removed from the database leaves it.
import {cp} from 'node:fs/promises'
import {join} from 'node:path'
import pg from 'pg'
import {describe, expect, it} from 'vitest'
import {databaseBundleStore, exportProject, importProject, migrate, withDatabase} from '../src/db/index.ts'
import {databaseTmxSource} from '../src/db/tm.ts'
import {TmCache} from '../src/review/suggestions.ts'
import {loadLocaleBundles} from '../src/workflow/store.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-tm: ${missing}`)
describe.skipIf(missing !== undefined)('translation memory from the team database', () => {
  const setup = useCluster()

  it('builds the same memory from the database as from the files, with human work and imported TMX', async () => {
    const url = await setup.cluster.createDatabase('tm')
    await withDatabase(url, (db) => migrate(db))
    const tmx = await import('node:fs/promises').then(({readFile}) => readFile(join(repoRoot, 'test/fixtures/tm/po2tmx-fr-en.tmx'), 'utf8'))
    const source = await tempProject({'tm/un.tmx': tmx}, {glossary: false, content: true})
    setup.track(source)
    await cp(join(repoRoot, 'locales'), join(source.root, 'locales'), {recursive: true})
    await withDatabase(url, async (db) => {
      await importProject(db, source.project)
      // Human work done in the team database: the first five segments of each Spanish article.
      await db.query("UPDATE segments SET state = 'translated' WHERE locale = 'es' AND list = 'segments' AND position < 5 AND target IS NOT NULL AND target <> ''")
    })
    const files = await tempProject({}, {glossary: false})
    setup.track(files)
    await withDatabase(url, (db) => exportProject(db, files.project))

    const pool = new pg.Pool({connectionString: url, max: 2})
    try {
      const fromDatabase = new TmCache(files.project, databaseBundleStore(pool), databaseTmxSource(pool))
      const fromFiles = new TmCache(files.project)
      const a = (await fromFiles.memory())!
      const b = (await fromDatabase.memory())!
      expect(a.size).toBeGreaterThan(5)
      expect(b.size).toBe(a.size)

      const {bundles} = await loadLocaleBundles(files.project.localesDir, 'es')
      const queries = bundles.flatMap((bundle) => bundle.segments.slice(0, 8).map((segment) => ({source: segment.source, sourceLocale: 'fr', targetLocale: 'es', hash: segment.hash})))
      expect(queries.length).toBeGreaterThan(10)
      const lookups = (memory: typeof a) => queries.map((query) => memory.lookup(query, {limit: 3}).map((match) => [match.unit.target, match.score]))
      const viaDatabase = lookups(b)
      expect(viaDatabase).toEqual(lookups(a))
      expect(viaDatabase.filter((matches) => matches.length > 0).length).toBeGreaterThan(5)
      const tmxQuery = {source: 'Les États Membres ont adopté le Pacte.', sourceLocale: 'fr', targetLocale: 'en'}
      expect(b.lookup(tmxQuery)[0]?.unit.target).toBe('Member States adopted the Compact.')

      // The imported TMX leaves the database: the memory follows without a restart.
      await pool.query("DELETE FROM tm_files WHERE path = 'un.tmx'")
      expect((await fromDatabase.memory())!.lookup(tmxQuery)).toEqual([])
    } finally {
      await pool.end()
    }
  })
})
