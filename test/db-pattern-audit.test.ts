// Do-not-translate patterns are termbase entries like concepts: in the team
// database every change to one — through the termbase store (the app, an
// import) or by `db import` of an edited glossary file — is an audit row
// (who, when, before, after), shown in the entry's history beside the
// concepts' and exported with `db audit`.
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import pg from 'pg'
import {describe, expect, it} from 'vitest'
import {importProject, migrate, withDatabase} from '../src/db/index.ts'
import {readAudit} from '../src/db/audit.ts'
import {conceptHistory, databaseTermbaseStore} from '../src/db/glossary.ts'
import {createReviewApp} from '../src/review/index.ts'
import type {ConceptHistoryData} from '../src/review/concept-history.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {tempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-pattern-audit: ${missing}`)

describe.skipIf(missing !== undefined)('do-not-translate pattern audit', () => {
  const pg15 = useCluster()

  it('writes an audit row for each pattern created, edited or deleted, shown in its history', async () => {
    const temp = pg15.track(await tempProject({}, {glossary: true}))
    const url = await pg15.cluster.createDatabase('patterns')
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, temp.project)
    })
    const pool = new pg.Pool({connectionString: url, max: 3})
    try {
      const store = databaseTermbaseStore(pool)
      const actor = {name: 'terms@example.org'}
      const before = (await readAudit(pool, {entity: 'pattern'})).length
      await store.update(
        ({termbase}) => ({
          termbase: {
            ...termbase,
            patterns: [
              ...termbase.patterns.map((pattern) => (pattern.id === 'email' ? {...pattern, description: 'E-mail address.'} : pattern)).filter((pattern) => pattern.id !== 'phone'),
              {id: 'ticket', description: 'Ticket number.', pattern: 'TCK-\\d{4}'}
            ]
          },
          value: undefined
        }),
        actor
      )
      const rows = (await readAudit(pool, {entity: 'pattern'})).slice(before)
      expect(rows.map((row) => [row.actor, row.key, row.action])).toEqual([
        ['terms@example.org', 'email', 'update'],
        ['terms@example.org', 'ticket', 'create'],
        ['terms@example.org', 'phone', 'delete']
      ])
      expect(rows[0]!.before).toMatchObject({id: 'email', description: 'E-mail address (contact points in press releases).'})
      expect(rows[0]!.after).toMatchObject({id: 'email', description: 'E-mail address.'})
      expect(rows[2]!.after).toBeNull()

      // A save that leaves the patterns alone writes none.
      await store.update(({termbase}) => ({termbase, value: undefined}), actor)
      expect((await readAudit(pool, {entity: 'pattern'})).length).toBe(before + 3)

      // The history route the app's concept page reads shows it, as it shows a concept's.
      const app = createReviewApp(temp.project, {termbase: store, conceptHistory: (id) => conceptHistory(pool, id)})
      const response = await app.request('/api/glossary/email/history')
      expect(response.status).toBe(200)
      const history = (await response.json()) as ConceptHistoryData
      expect(history.entries.map((entry) => [entry.actor, entry.action])).toEqual([
        ['terms@example.org', 'update'],
        ['cli', 'create']
      ])
    } finally {
      await pool.end()
    }
  })

  it('db import of an edited pattern file writes the change as an audit row', async () => {
    const temp = pg15.track(await tempProject({}, {glossary: true}))
    const url = await pg15.cluster.createDatabase('patternimport')
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, temp.project)
      const file = join(temp.root, 'glossary', 'patterns.yaml')
      await writeFile(file, (await readFile(file, 'utf8')).replace('E-mail address (contact points in press releases).', 'E-mail address, edited in git.'))
      const before = (await readAudit(db, {entity: 'pattern'})).length
      await importProject(db, temp.project)
      const rows = (await readAudit(db, {entity: 'pattern'})).slice(before)
      expect(rows.map((row) => [row.actor, row.key, row.action])).toEqual([['cli', 'email', 'update']])
      expect(rows[0]!.after).toMatchObject({description: 'E-mail address, edited in git.'})
    })
  })
})
