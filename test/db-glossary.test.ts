// The termbase as rows in PostgreSQL: import reads the same termbase as the
// file loader, export gives back the files byte for byte when nothing
// changed, an edit in the database rewrites only that concept in its file
// and is audited, and a concurrent change is refused by the revision check.
import {existsSync} from 'node:fs'
import {readFile, readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'
import fc from 'fast-check'
import pg from 'pg'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {exportProject, importProject, migrate, withDatabase} from '../src/db/index.ts'
import {conceptHistory, databaseTermbaseStore, loadDatabaseTermbase} from '../src/db/glossary.ts'
import {loadTermbase} from '../src/glossary/index.ts'
import {createReviewApp} from '../src/review/index.ts'
import type {Concept} from '../src/glossary/types.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {tempProject, type TempProject} from './helpers/project.ts'
import {sharedDir} from './helpers/shared.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-glossary: ${missing}`)

async function glossaryFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const dir = join(root, 'glossary')
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(dir.length + 1), await readFile(join(entry.parentPath, entry.name), 'utf8'))
  }
  return files
}

/** The lines of a canonical glossary file that belong to concept `id` (from its `- id:` line to the next one). */
function conceptLines(text: string, id: string): {start: number; end: number} {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line === `  - id: ${id}`)
  let end = start + 1
  while (end < lines.length && !/^ {2}- id: /.test(lines[end]!) && !/^\S/.test(lines[end]!)) end += 1
  return {start, end}
}

let databases = 0
const temps: TempProject[] = []

describe.skipIf(missing !== undefined)('glossary in the team database', () => {
  let cluster: TestCluster
  const database = async () => {
    const url = await cluster.createDatabase(`glossary${++databases}`)
    await withDatabase(url, (db) => migrate(db))
    return url
  }
  const project = async (files: Record<string, string> = {}, glossary = true) => {
    const temp = await tempProject(files, {glossary})
    temps.push(temp)
    return temp
  }
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(async () => {
    await cluster?.stop()
  })
  afterEach(async () => {
    for (const temp of temps.splice(0)) await temp.cleanup()
  })

  it("holds the repository's termbase as rows, the same as the file loader reads, and exports it byte for byte", async () => {
    const url = await database()
    const source = await project()
    const imported = await withDatabase(url, (db) => importProject(db, source.project))
    const fromFiles = await loadTermbase(source.project.glossaryDir)
    expect(imported.concepts).toBe(fromFiles.termbase.concepts.length)
    expect(imported.concepts).toBeGreaterThan(50)
    const fromRows = await withDatabase(url, (db) => loadDatabaseTermbase(db))
    expect(fromRows.termbase).toEqual(fromFiles.termbase)
    const {rows} = await withDatabase(url, (db) => db.query<{n: string}>("SELECT count(*) AS n FROM glossary_terms WHERE language = 'en' AND status = 'forbidden'"))
    expect(Number(rows[0]!.n)).toBeGreaterThan(0)

    const target = await project({}, false)
    await withDatabase(url, (db) => exportProject(db, target.project))
    expect(await glossaryFiles(target.root)).toEqual(await glossaryFiles(source.root))
  })

  it('rewrites only the edited concept in its file, keeps every other file as it was, and audits the edit', async () => {
    const url = await database()
    const source = await project()
    await withDatabase(url, (db) => importProject(db, source.project))
    const before = await glossaryFiles(source.root)

    const edited = await withDatabase(url, (db) =>
      databaseTermbaseStore(db).update(
        ({termbase}) => {
          const concepts = termbase.concepts.map((concept): Concept =>
            concept.id === 'smuggling-of-migrants' ? {...concept, note: 'Edited in the database.', terms: {...concept.terms, ca: [{text: 'tràfic il·lícit de migrants', status: 'preferred'}]}} : concept
          )
          return {termbase: {...termbase, concepts}, value: concepts.find((concept) => concept.id === 'smuggling-of-migrants')!}
        },
        {name: 'terminologist@example.org'}
      )
    )
    expect(edited.note).toBe('Edited in the database.')

    const target = await project({}, false)
    const result = await withDatabase(url, (db) => exportProject(db, target.project))
    expect(result.written.filter((path) => path.startsWith('glossary/'))).toContain('glossary/migration.yaml')
    const after = await glossaryFiles(target.root)
    for (const [path, text] of before) if (path !== 'migration.yaml') expect(after.get(path), path).toBe(text)

    // Outside the concept's lines the file is the same, line for line.
    const old = before.get('migration.yaml')!.split('\n')
    const now = after.get('migration.yaml')!.split('\n')
    const oldSpan = conceptLines(before.get('migration.yaml')!, 'smuggling-of-migrants')
    const newSpan = conceptLines(after.get('migration.yaml')!, 'smuggling-of-migrants')
    expect(oldSpan.start).toBeGreaterThan(0)
    expect(now.slice(0, newSpan.start)).toEqual(old.slice(0, oldSpan.start))
    expect(now.slice(newSpan.end)).toEqual(old.slice(oldSpan.end))
    expect(now.slice(newSpan.start, newSpan.end)).toContain('    note: Edited in the database.')
    expect(now.slice(newSpan.start, newSpan.end)).toContain('        - {text: tràfic il·lícit de migrants, status: preferred}')

    // What translate and QA read from the exported files is the edited termbase.
    const reread = await loadTermbase(join(target.root, 'glossary'))
    expect(reread.termbase.concepts.find((concept) => concept.id === 'smuggling-of-migrants')).toEqual(edited)

    const history = await withDatabase(url, (db) => conceptHistory(db, 'smuggling-of-migrants'))
    expect(history.map((entry) => [entry.action, entry.actor])).toEqual([
      ['create', 'cli'],
      ['update', 'terminologist@example.org']
    ])
    expect(history[1]!.before).toMatchObject({id: 'smuggling-of-migrants'})
    expect((history[1]!.before as Concept).note).not.toBe('Edited in the database.')
    expect((history[1]!.after as Concept).note).toBe('Edited in the database.')
    const {rows} = await withDatabase(url, (db) => db.query<{revision: number}>("SELECT revision FROM glossary_concepts WHERE id = 'smuggling-of-migrants'"))
    expect(rows[0]!.revision).toBe(2)
  })

  it('creates a concept in the file of its domain and deletes one, each with an audit row', async () => {
    const url = await database()
    const source = await project()
    await withDatabase(url, (db) => importProject(db, source.project))
    const store = (db: pg.ClientBase) => databaseTermbaseStore(db)
    const created: Concept = {id: 'border-management', domain: 'migration', terms: {fr: [{text: 'gestion des frontières', status: 'preferred'}], en: [{text: 'border management', status: 'preferred'}]}}
    await withDatabase(url, (db) =>
      store(db).update(({termbase}) => ({
        termbase: {...termbase, concepts: [...termbase.concepts.filter((concept) => concept.id !== 'human-mobility'), created]},
        value: undefined
      }))
    )
    const target = await project({}, false)
    await withDatabase(url, (db) => exportProject(db, target.project))
    const text = await readFile(join(target.root, 'glossary', 'migration.yaml'), 'utf8')
    expect(text).toContain('  - id: border-management\n    domain: migration\n')
    expect(text).not.toContain('id: human-mobility')
    const reread = await loadTermbase(join(target.root, 'glossary'))
    expect(reread.problems.map((problem) => problem.toLine())).toEqual([])
    expect(reread.termbase.concepts.map((concept) => concept.id)).toContain('border-management')
    const deleted = await withDatabase(url, (db) => conceptHistory(db, 'human-mobility'))
    expect(deleted.at(-1)).toMatchObject({action: 'delete', after: null})
    expect(await withDatabase(url, (db) => conceptHistory(db, 'border-management'))).toMatchObject([{action: 'create', before: null}])
  })

  it('refuses an edit when the concept changed after it was read, and keeps the other change', async () => {
    const url = await database()
    const source = await project()
    await withDatabase(url, (db) => importProject(db, source.project))
    const attempt = withDatabase(url, (db) =>
      databaseTermbaseStore(db).update(async ({termbase}) => {
        // Another writer that does not take the termbase lock commits in between.
        await withDatabase(url, (other) => other.query("UPDATE glossary_concepts SET note = 'theirs', revision = revision + 1 WHERE id = 'human-rights'"))
        return {termbase: {...termbase, concepts: termbase.concepts.map((concept) => (concept.id === 'human-rights' ? {...concept, note: 'mine'} : concept))}, value: undefined}
      })
    )
    await expect(attempt).rejects.toMatchObject({code: 'E_CONFLICT'})
    const {termbase} = await withDatabase(url, (db) => loadDatabaseTermbase(db))
    expect(termbase.concepts.find((concept) => concept.id === 'human-rights')!.note).toBe('theirs')
    expect(await withDatabase(url, (db) => conceptHistory(db, 'human-rights'))).toHaveLength(1)
  })

  it('keeps invalid entries, comments and odd formatting of untouched files, and reports problems as the loader does', async () => {
    const url = await database()
    const handwritten = [
      '# Hand-written, with comments and its own indentation.',
      'concepts:',
      '- id: tidy',
      '  terms: {fr: [{text: propre, status: preferred}], en: [{text: tidy, status: preferred}]}',
      '- id: Bad Id   # invalid: kept as written, reported',
      '  terms: {fr: [{text: mauvais, status: preferred}]}',
      ''
    ].join('\r\n')
    const source = await project({'glossary/a-hand.yaml': '\uFEFF' + handwritten}, false)
    const imported = await withDatabase(url, (db) => importProject(db, source.project))
    expect(imported.concepts).toBe(1)
    const fromFiles = await loadTermbase(source.project.glossaryDir)
    const fromRows = await withDatabase(url, (db) => loadDatabaseTermbase(db))
    expect(fromRows.termbase).toEqual(fromFiles.termbase)
    expect(fromRows.problems.map((problem) => problem.message)).toEqual(fromFiles.problems.map((problem) => problem.message))
    expect(fromRows.problems[0]!.toLine()).toContain('glossary/a-hand.yaml')

    const target = await project({}, false)
    await withDatabase(url, (db) => exportProject(db, target.project))
    expect(await readFile(join(target.root, 'glossary', 'a-hand.yaml'), 'utf8')).toBe('\uFEFF' + handwritten)
  })

  it('property: any set of valid glossary files comes back byte for byte, and an edit touches one file only', async () => {
    const url = await database()
    const word = fc.stringMatching(/^[a-z]{3,10}$/)
    const conceptArb = fc.record({
      id: word,
      domain: fc.option(fc.constantFrom('migration', 'office'), {nil: undefined}),
      fr: word,
      en: word,
      status: fc.constantFrom('preferred', 'admitted', 'forbidden'),
      // Written by hand (block style, two-space list indent) or in the writer's canonical form.
      style: fc.constantFrom('flow', 'block')
    })
    const render = (concepts: Array<{id: string; domain: string | undefined; fr: string; en: string; status: string; style: string}>) =>
      'concepts:\n' +
      concepts
        .map((c) =>
          c.style === 'flow'
            ? `  - id: ${c.id}\n${c.domain ? `    domain: ${c.domain}\n` : ''}    terms:\n      fr:\n        - {text: ${c.fr}, status: preferred}\n      en:\n        - {text: ${c.en}, status: ${c.status}}\n`
            : `- id: ${c.id}\n${c.domain ? `  domain: ${c.domain}\n` : ''}  terms:\n    fr:\n    - text: ${c.fr}\n      status: preferred\n    en:\n    - text: ${c.en}\n      status: ${c.status}\n`
        )
        .join('')
    let round = 0
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(conceptArb, {minLength: 2, maxLength: 8, selector: (c) => c.id}), fc.integer({min: 1, max: 3}), async (concepts, split) => {
        round += 1
        const files: Record<string, string> = {}
        const cut = Math.min(split, concepts.length - 1)
        files['glossary/one.yaml'] = render(concepts.slice(0, cut))
        files['glossary/two.yaml'] = render(concepts.slice(cut))
        const source = await project(files, false)
        const roundUrl = await cluster.createDatabase(`prop${databases}_${round}`)
        await withDatabase(roundUrl, async (db) => {
          await migrate(db)
          await importProject(db, source.project)
          const same = await project({}, false)
          await exportProject(db, same.project)
          expect(await glossaryFiles(same.root)).toEqual(await glossaryFiles(source.root))
          // Edit the first concept of two.yaml: one.yaml stays as written.
          const id = concepts[cut]!.id
          await databaseTermbaseStore(db).update(({termbase}) => ({
            termbase: {...termbase, concepts: termbase.concepts.map((concept) => (concept.id === id ? {...concept, note: 'edited'} : concept))},
            value: undefined
          }))
          const edited = await project({}, false)
          await exportProject(db, edited.project)
          const out = await glossaryFiles(edited.root)
          expect(out.get('one.yaml')).toBe(files['glossary/one.yaml'])
          const reread = await loadTermbase(join(edited.root, 'glossary'))
          const original = await loadTermbase(source.project.glossaryDir)
          expect(reread.termbase.concepts).toEqual(original.termbase.concepts.map((concept) => (concept.id === id ? {...concept, note: 'edited'} : concept)))
        })
        await rm(source.root, {recursive: true, force: true})
      }),
      {numRuns: 8}
    )
    expect(url).toBeTruthy()
  })

  it('lets the review app edit concepts in the database, with their history, and leaves the glossary folder alone', async () => {
    const url = await database()
    const source = await project()
    await withDatabase(url, (db) => importProject(db, source.project))
    const before = await glossaryFiles(source.root)
    const pool = new pg.Pool({connectionString: url, max: 2})
    try {
      const secret = 'x'.repeat(32)
      const app = createReviewApp(source.project, {csrfSecret: secret, reviewer: 'Ana', termbase: databaseTermbaseStore(pool), conceptHistory: (id) => conceptHistory(pool, id)})
      const headers = {'content-type': 'application/json', 'x-passerelle-csrf': secret, host: 'localhost'}
      const read = await (await app.request('/api/glossary/human-mobility', {headers: {host: 'localhost'}})).json()
      const concept = {...read.concept, note: 'From the app.'}
      const put = await app.request('/api/glossary/human-mobility', {method: 'PUT', headers, body: JSON.stringify({concept, version: read.version})})
      expect(put.status).toBe(200)
      // The same version again is a conflict: the concept changed since it was read.
      const stale = await app.request('/api/glossary/human-mobility', {method: 'PUT', headers, body: JSON.stringify({concept: {...concept, note: 'Lost?'}, version: read.version})})
      expect(stale.status).toBe(409)
      const history = await (await app.request('/api/glossary/human-mobility/history', {headers: {host: 'localhost'}})).json()
      expect(history.entries.map((entry: {action: string; actor: string}) => `${entry.action} by ${entry.actor}`)).toEqual(['update by Ana', 'create by cli'])
      expect(history.entries[0].after.note).toBe('From the app.')
      expect((await (await app.request('/api/glossary/human-mobility', {headers: {host: 'localhost'}})).json()).concept.note).toBe('From the app.')
      expect(await glossaryFiles(source.root)).toEqual(before)
      // Without a history source (file mode) the route says where history lives.
      const files = createReviewApp(source.project, {csrfSecret: secret})
      expect((await files.request('/api/glossary/human-mobility/history', {headers: {host: 'localhost'}})).status).toBe(404)
    } finally {
      await pool.end()
    }
  })

  const seedGlossary = join(sharedDir, 'seeds', 'glossary')
  it.runIf(existsSync(seedGlossary))("round-trips the shared seeds' glossary byte for byte", async () => {
    const url = await database()
    const source = await project({}, false)
    await import('node:fs/promises').then(({cp}) => cp(seedGlossary, join(source.root, 'glossary'), {recursive: true}))
    await withDatabase(url, (db) => importProject(db, source.project))
    const target = await project({}, false)
    await withDatabase(url, (db) => exportProject(db, target.project))
    expect(await glossaryFiles(target.root)).toEqual(await glossaryFiles(source.root))
  })
  if (!existsSync(seedGlossary)) console.log("SKIP db-glossary seeds round trip: ../shared/seeds has no glossary/ folder (the seeds are scraped pages only)")
})
