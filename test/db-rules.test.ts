// Post-editing rules as rows in the team database: `db import` reads the
// rule files into rows (what translate would load from the files), an edit
// is saved with a revision check (two terminologists on the same set: the
// second is told, not silently overwritten) and an audit row per changed
// rule, `db export` gives the untouched files back byte for byte and an
// edited set as the editor's writer renders it, and a translate job applies
// the rules of the rows, not of any file.
import {randomUUID} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import pg from 'pg'
import {describe, expect, it} from 'vitest'
import {exportProject, importProject, migrate, withDatabase} from '../src/db/index.ts'
import {readAudit} from '../src/db/audit.ts'
import {databaseRulesStore} from '../src/db/rules.ts'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import type {Engine, EngineSegment} from '../src/engines/types.ts'
import {runTranslateJob} from '../src/jobs/run-job.ts'
import {withPostEdit} from '../src/postedit/index.ts'
import {formatRuleFile, loadRules, type Rule} from '../src/postedit/rules.ts'
import {folderRulesStore} from '../src/postedit/store.ts'
import {createReviewApp} from '../src/review/index.ts'
import type {RulesData} from '../src/review/rules.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {tempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-rules: ${missing}`)

const engagez: Rule = {
  id: 'engagez-participez',
  stage: 'target',
  match: 'Engagez-vous',
  replace: 'Participez',
  note: 'Test rule: only the rows hold it.',
  example: {input: 'Engagez-vous maintenant', expected: 'Participez maintenant'}
}

const withoutPlace = (rules: readonly (Rule & {file?: string; line?: number})[]) => rules.map(({file: _file, line: _line, ...rule}) => rule)

describe.skipIf(missing !== undefined)('post-editing rules in the team database', () => {
  const pg15 = useCluster()
  let databases = 0
  const imported = async (options: {content?: boolean} = {}) => {
    const temp = pg15.track(await tempProject({}, {glossary: true, content: options.content ?? false}))
    const url = await pg15.cluster.createDatabase(`rules${++databases}`)
    await withDatabase(url, async (db) => {
      await migrate(db)
      const result = await importProject(db, temp.project)
      expect(result.problems).toEqual([])
      expect(result.rules).toBeGreaterThan(5)
    })
    return {temp, url}
  }

  it('imports the rule files as rows that load as the files do, and exports them byte for byte', async () => {
    const {temp, url} = await imported()
    await withDatabase(url, async (db) => {
      const store = databaseRulesStore(db)
      for (const locale of ['en', 'es', 'es-MX']) {
        const fromFiles = await loadRules(temp.project.glossaryDir, locale)
        const fromRows = await store.load(locale)
        expect(fromRows.rules.length).toBe(fromFiles.rules.length)
        expect(withoutPlace(fromRows.rules)).toEqual(withoutPlace(fromFiles.rules))
        expect(fromRows.rules.map((rule) => rule.line)).toEqual(fromFiles.rules.map((rule) => rule.line))
      }
      expect((await store.read('en')).version).toBe('1')
      // Nothing changed: the files come back as they were, byte for byte.
      const target = pg15.track(await tempProject({}, {glossary: false}))
      const exported = await exportProject(db, target.project)
      expect(exported.problems).toEqual([])
      for (const name of ['en', 'es']) {
        expect(await readFile(join(target.root, 'glossary', 'rules', `${name}.yaml`))).toEqual(await readFile(join(temp.root, 'glossary', 'rules', `${name}.yaml`)))
      }
    })
  })

  it('saves an edit with an audit row per changed rule, and refuses a second save over the same revision', async () => {
    const {url} = await imported()
    const pool = new pg.Pool({connectionString: url, max: 3})
    try {
      const store = databaseRulesStore(pool)
      const first = await store.read('en')
      const second = await store.read('en') // another terminologist opened the same set
      const [tel, ...rest] = first.rules
      expect(tel!.id).toBe('tel-colon')
      const edited = {...withoutPlace([tel!])[0]!, note: 'Edited note.'}
      const saved = await store.save('en', [edited, ...withoutPlace(rest), engagez], first.version, {name: 'anna@example.org', id: undefined})
      expect(saved.version).toBe('2')
      expect(saved.rules.map((rule) => rule.id)).toEqual([...first.rules.map((rule) => rule.id), engagez.id])

      // The second terminologist saves what they read: a visible conflict, nothing written.
      await expect(store.save('en', withoutPlace(second.rules).slice(1), second.version, {name: 'ben@example.org'})).rejects.toMatchObject({
        code: 'E_CONFLICT',
        message: 'the en rules changed since you opened them'
      })
      expect((await store.read('en')).rules.map((rule) => rule.id)).toEqual(saved.rules.map((rule) => rule.id))

      const audit = await readAudit(pool, {entity: 'rule'})
      const mine = audit.filter((row) => row.actor === 'anna@example.org')
      expect(mine.map((row) => [row.key, row.action])).toEqual([
        ['en/tel-colon', 'update'],
        ['en/engagez-participez', 'create']
      ])
      expect(mine[0]!.before).toMatchObject({id: 'tel-colon', note: tel!.note})
      expect(mine[0]!.after).toMatchObject({id: 'tel-colon', note: 'Edited note.'})
      expect(mine[1]!.before).toBeNull()
      expect(audit.filter((row) => row.actor === 'ben@example.org')).toEqual([])

      // A deletion and a reorder are changes too; a save that changes nothing is none.
      const current = await store.read('en')
      const rules = withoutPlace(current.rules)
      const deleted = await store.save('en', rules.filter((rule) => rule.id !== engagez.id), current.version, {name: 'anna@example.org'})
      const reordered = await store.save('en', withoutPlace(deleted.rules).reverse(), deleted.version, {name: 'anna@example.org'})
      const same = await store.save('en', withoutPlace(reordered.rules), reordered.version, {name: 'anna@example.org'})
      expect(same.version).toBe(reordered.version)
      const later = (await readAudit(pool, {entity: 'rule'})).slice(audit.length)
      expect(later.map((row) => [row.key, row.action])).toEqual([
        ['en/engagez-participez', 'delete'],
        ['en', 'reorder']
      ])

      // A rule whose example does not give its expected text is refused before anything is written.
      const wrong = {...engagez, id: 'wrong', example: {input: 'Engagez-vous', expected: 'nope'}}
      await expect(store.save('en', [wrong], same.version, {name: 'anna@example.org'})).rejects.toMatchObject({code: 'E_INPUT'})
      expect((await store.read('en')).version).toBe(same.version)
    } finally {
      await pool.end()
    }
  })

  it('the team app saves through the rows: a stale version is a 409, the audit names the user', async () => {
    const {temp, url} = await imported()
    const pool = new pg.Pool({connectionString: url, max: 3})
    try {
      const secret = 'c0ffee'.repeat(8)
      const app = createReviewApp(temp.project, {csrfSecret: secret, reviewer: 'Terminologist', rules: databaseRulesStore(pool)})
      const headers = {'content-type': 'application/json', 'x-passerelle-csrf': secret}
      const read = (await (await app.request('/api/rules/es')).json()) as RulesData
      expect(read.file).toBe('glossary/rules/es.yaml')
      const put = (version: string) =>
        app.request('/api/rules/es', {method: 'PUT', headers, body: JSON.stringify({version, rules: [...withoutPlace(read.rules), {...engagez}]})})
      const saved = await put(read.version)
      expect(saved.status).toBe(200)
      const stale = await put(read.version)
      expect(stale.status).toBe(409)
      expect(((await stale.json()) as {error: {code: string}}).error.code).toBe('E_CONFLICT')
      const audit = await readAudit(pool, {entity: 'rule', key: 'es/engagez-participez'})
      expect(audit.map((row) => [row.actor, row.action])).toEqual([['Terminologist', 'create']])
      // The rule file on disk is untouched: the rows are the truth until `db export`.
      expect(await readFile(join(temp.root, 'glossary', 'rules', 'es.yaml'), 'utf8')).not.toContain(engagez.id)
    } finally {
      await pool.end()
    }
  })

  it('db export writes an edited set as the rules writer renders it, and a re-import of it changes nothing', async () => {
    const {url} = await imported()
    await withDatabase(url, async (db) => {
      const store = databaseRulesStore(db)
      const es = await store.read('es')
      await store.save('es', [...withoutPlace(es.rules), engagez], es.version, {name: 'anna@example.org'})
      // A set that did not exist: created by the save, exported as a new file.
      await store.save('es-MX', [engagez], '0', {name: 'anna@example.org'})
      const target = pg15.track(await tempProject({}, {glossary: false}))
      await exportProject(db, target.project)
      const text = await readFile(join(target.root, 'glossary', 'rules', 'es.yaml'), 'utf8')
      expect(text).toBe(formatRuleFile([...withoutPlace(es.rules), engagez]))
      expect(await readFile(join(target.root, 'glossary', 'rules', 'es-MX.yaml'), 'utf8')).toBe(formatRuleFile([engagez]))
      // The exported files load as the rows do.
      const fromFiles = await folderRulesStore(target.project.glossaryDir).load('es-MX')
      expect(withoutPlace(fromFiles.rules)).toEqual(withoutPlace((await store.load('es-MX')).rules))
      expect(fromFiles.rules.map((rule) => rule.line)).toEqual((await store.load('es-MX')).rules.map((rule) => rule.line))

      const auditBefore = (await readAudit(db, {entity: 'rule'})).length
      const again = await importProject(db, target.project)
      expect(again.problems).toEqual([])
      expect((await readAudit(db, {entity: 'rule'})).length).toBe(auditBefore)
      const reexported = pg15.track(await tempProject({}, {glossary: false}))
      await exportProject(db, reexported.project)
      expect(await readFile(join(reexported.root, 'glossary', 'rules', 'es.yaml'), 'utf8')).toBe(text)
    })
  })

  it('a translate job applies the rules of the rows, which the files do not hold', async () => {
    const {temp, url} = await imported({content: true})
    const pool = new pg.Pool({connectionString: url, max: 4})
    try {
      const store = databaseRulesStore(pool)
      const es = await store.read('es')
      await store.save('es', [...withoutPlace(es.rules), engagez], es.version, {name: 'anna@example.org'})
      // An engine that gives back its input: what the target holds beyond it, the post-edit did.
      const echo: Engine = Object.create(createPseudoEngine(), {
        name: {value: 'echo'},
        translate: {value: async (batch: EngineSegment[]) => batch.map((segment) => ({id: segment.id, text: segment.text, unknown: []}))}
      })
      const config = {...temp.project.config} as Record<string, unknown>
      await runTranslateJob(
        {pool, worker: 'test:1', engine: async (_name, project, rules) => withPostEdit(echo, {glossaryDir: project.glossaryDir, rules})},
        randomUUID(),
        {request: randomUUID(), locale: 'es', articles: ['_site'], engine: 'echo', config}
      )
      const {rows} = await pool.query<{target: string; data: {source: string; origin?: {postEdits?: string[]}}}>(
        "SELECT target, data FROM segments WHERE locale = 'es' AND article = '_site' AND list = 'segments'"
      )
      const segment = rows.find((row) => row.data.source.includes('Engagez-vous'))
      expect(segment, 'the _site article has an "Engagez-vous" segment').toBeDefined()
      expect(segment!.target).toContain('Participez')
      expect(segment!.data.origin?.postEdits).toContain(`rule:${engagez.id}`)
    } finally {
      await pool.end()
    }
  }, 120_000)
})
