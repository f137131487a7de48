// A translate job reads the termbase and the imported TMX from their rows: a
// concept a terminologist adds in the app counts for the next job at once,
// not only after `db export` rewrote the glossary files.
import {randomUUID} from 'node:crypto'
import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {importProject} from '../src/db/sync.ts'
import {withDatabase} from '../src/db/connect.ts'
import {migrate} from '../src/db/migrate.ts'
import {databaseTermbaseStore} from '../src/db/glossary.ts'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {runTranslateJob} from '../src/jobs/run-job.ts'
import type {Concept} from '../src/glossary/types.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP jobs-termbase: ${missing}`)

describe.skipIf(missing !== undefined)('translate jobs and the termbase rows', () => {
  let cluster: TestCluster
  let temp: TempProject
  beforeAll(async () => {
    cluster = await startCluster()
    temp = await tempProject({}, {content: true})
  }, 120_000)
  afterAll(async () => {
    await temp?.cleanup()
    await cluster?.stop()
  })

  it('finds a concept added in the database, which the imported glossary files do not hold', async () => {
    const url = await cluster.createDatabase('jobterms')
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, temp.project)
    })
    const added: Concept = {
      id: 'engagement-test',
      domain: 'general',
      terms: {fr: [{text: 'Engagez-vous', status: 'preferred'}], es: [{text: 'Comprométase', status: 'preferred'}]}
    }
    await withDatabase(url, (db) => databaseTermbaseStore(db).update(({termbase}) => ({termbase: {...termbase, concepts: [...termbase.concepts, added]}, value: undefined})))
    const pool = new pg.Pool({connectionString: url, max: 4})
    try {
      const config = {...temp.project.config} as Record<string, unknown>
      await runTranslateJob({pool, worker: 'test:1', engine: async () => createPseudoEngine()}, randomUUID(), {request: randomUUID(), locale: 'es', articles: ['_site'], engine: 'pseudo', config})
      const {rows} = await pool.query<{data: {source: string; glossary?: Array<{concept: string}>}}>("SELECT data FROM segments WHERE locale = 'es' AND article = '_site' AND list = 'segments'")
      const segment = rows.find((row) => row.data.source.includes('Engagez-vous'))
      expect(segment, 'the _site article has an "Engagez-vous" segment').toBeDefined()
      expect(segment!.data.glossary?.map((hit) => hit.concept)).toContain('engagement-test')
    } finally {
      await pool.end()
    }
  }, 120_000)
})
