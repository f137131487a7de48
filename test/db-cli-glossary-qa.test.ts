// `qa`, `glossary export|check|import` with --database: in team mode they read
// (and import writes) the database's rows, not the files. The repository's
// project is imported with `db import`; each command then prints, from the
// rows of a project folder that holds no bundles and no glossary, exactly what
// it prints from the files. An import is credited to a team user in the audit
// and refused, in one line, when a concept changed under it.
import {execFile, type ExecFileException} from 'node:child_process'
import {cp, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import pg from 'pg'
import {describe, expect, it} from 'vitest'
import {withDatabase} from '../src/db/index.ts'
import {readAudit} from '../src/db/audit.ts'
import {addUser} from '../src/team/users.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-cli-glossary-qa: ${missing}`)

const bin = join(repoRoot, 'bin', 'passerelle.js')

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Run the CLI; a non-zero exit is a result, not a throw. */
function cli(root: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '-C', root, ...args], {encoding: 'utf8'}, (error: ExecFileException | null, stdout, stderr) => {
      resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr})
    })
  })
}

/** A TBX-free import: one new concept, and human-rights gains an admitted English term. */
const importCsv = [
  'concept,domain,locale,term,status',
  "test-new-concept,migration,fr,passerelle d'essai,preferred",
  'test-new-concept,migration,en,test gateway,preferred',
  "human-rights,migration,fr,droits de l'homme,preferred",
  'human-rights,migration,en,human rights,preferred',
  'human-rights,migration,en,rights of the human person,admitted',
  ''
].join('\n')

describe.skipIf(missing !== undefined)('qa and glossary commands with --database', () => {
  const pg15 = useCluster()
  const track = pg15.track
  let databases = 0

  /** The repository's project as files (content, glossary, locales). */
  const filesProject = async (): Promise<TempProject> => {
    const temp = track(await tempProject({}, {glossary: true, content: true}))
    await cp(join(repoRoot, 'locales'), join(temp.root, 'locales'), {recursive: true})
    return temp
  }
  /** A database holding the repository's project, and a project folder with neither bundles nor glossary. */
  const teamProject = async (): Promise<{url: string; files: TempProject; empty: TempProject}> => {
    const files = await filesProject()
    const url = await pg15.cluster.createDatabase(`cliglossary${++databases}`)
    // As an organisation would: `db migrate`, then `db import` of the project's files.
    expect((await cli(files.root, ['db', 'migrate', '--database', url])).code).toBe(0)
    const imported = await cli(files.root, ['db', 'import', '--database', url])
    expect(imported.stderr).toBe('')
    expect(imported.stdout).toMatch(/^db: imported .* 12 bundles/)
    const empty = track(await tempProject({}, {glossary: false}))
    return {url, files, empty}
  }

  it('qa --database reports exactly what qa reports on the files', async () => {
    const {url, files, empty} = await teamProject()
    const fromFiles = await cli(files.root, ['qa'])
    const fromRows = await cli(empty.root, ['qa', '--database', url])
    expect(fromFiles.stdout).toMatch(/\d+ errors?, \d+ warnings? in \d+ segments of 12 bundles\n/)
    expect(fromRows.stderr).toBe(fromFiles.stderr)
    expect(fromRows.stdout).toBe(fromFiles.stdout)
    expect(fromRows.code).toBe(fromFiles.code)

    // One locale, and a locale without bundles refused alike (named as the database's, not a folder).
    const es = await cli(empty.root, ['qa', '--to', 'es', '--database', url])
    expect(es.stdout).toBe((await cli(files.root, ['qa', '--to', 'es'])).stdout)
    const none = await cli(empty.root, ['qa', '--to', 'de', '--database', url])
    expect(none.stderr).toMatch(/^passerelle: locales \(database\)\/de\/: no bundles for 'de'/)
  }, 120_000)

  it('qa --database sees a concept added in the database, which the files do not hold', async () => {
    const {url, empty} = await teamProject()
    const before = await cli(empty.root, ['qa', '--json', '--database', url])
    const pool = new pg.Pool({connectionString: url, max: 2})
    try {
      // A forbidden English term the machine output uses: qa flags it only if it reads the rows.
      const {databaseTermbaseStore} = await import('../src/db/glossary.ts')
      await databaseTermbaseStore(pool).update(({termbase}) => ({
        termbase: {
          ...termbase,
          concepts: [
            ...termbase.concepts,
            {id: 'test-forbidden', terms: {fr: [{text: 'solution', status: 'preferred'}], en: [{text: 'answer', status: 'preferred'}, {text: 'solution', status: 'forbidden'}]}}
          ]
        },
        value: undefined
      }))
    } finally {
      await pool.end()
    }
    const after = await cli(empty.root, ['qa', '--json', '--database', url])
    const rules = (run: Run) =>
      (JSON.parse(run.stdout) as {bundles: {segments: {findings: {rule: string; message: string}[]}[]}[]}).bundles.flatMap((bundle) =>
        bundle.segments.flatMap((segment) => segment.findings.filter((finding) => finding.message.includes("'answer'") || finding.message.includes("forbidden term 'solution'")).map((finding) => finding.rule))
      )
    expect(rules(before)).toEqual([])
    expect(rules(after).length).toBeGreaterThan(0)
  }, 120_000)

  it('glossary export and check --database print what they print from the files', async () => {
    const {url, files, empty} = await teamProject()
    for (const format of ['tbx', 'csv']) {
      const fromFiles = await cli(files.root, ['glossary', 'export', '--format', format, '-'])
      const fromRows = await cli(empty.root, ['glossary', 'export', '--format', format, '--database', url, '-'])
      expect(fromFiles.stdout.length).toBeGreaterThan(1000)
      expect(fromRows).toEqual(fromFiles)
    }
    // A word after --database that is no URL is said to be none (commander takes it for the optional URL).
    const env = await new Promise<Run>((resolve) =>
      execFile(process.execPath, [bin, '-C', empty.root, 'glossary', 'check', '--database', 'out.csv'], {encoding: 'utf8', env: {...process.env, PASSERELLE_DATABASE_URL: url}}, (error, stdout, stderr) =>
        resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr})
      )
    )
    expect(env.code).toBe(1)
    expect(env.stderr).toMatch(/^passerelle: --database out\.csv is not a PostgreSQL URL .*put the file before --database\)?\n$/)
    const fromEnv = await new Promise<Run>((resolve) =>
      execFile(process.execPath, [bin, '-C', empty.root, 'glossary', 'export', '--format', 'csv', '-', '--database'], {encoding: 'utf8', env: {...process.env, PASSERELLE_DATABASE_URL: url}}, (error, stdout, stderr) =>
        resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr})
      )
    )
    expect(fromEnv.stdout).toBe((await cli(files.root, ['glossary', 'export', '--format', 'csv', '-'])).stdout)
    const checked = await cli(empty.root, ['glossary', 'check', '--database', url])
    expect(checked.stdout).toMatch(/^\d+ concept\(s\): 0 shared source term\(s\), 0 other problem\(s\)\n$/)
    expect(checked).toEqual(await cli(files.root, ['glossary', 'check']))
  }, 120_000)

  it('glossary import --database merges like the file import, into rows, with an audit row per changed concept credited to --as', async () => {
    const {url, files, empty} = await teamProject()
    const csv = join(empty.root, 'import.csv')
    await writeFile(csv, importCsv)
    await withDatabase(url, async (db) => {
      await addUser(db, {email: 'terms@example.org', role: 'terminologist'})
      await addUser(db, {email: 'tr@example.org', role: 'translator'})
    })

    // Refused in one line: no user named, a user whose role may not edit the glossary.
    const anonymous = await cli(empty.root, ['glossary', 'import', '--database', url, csv])
    expect(anonymous.code).toBe(1)
    expect(anonymous.stderr).toMatch(/^passerelle: glossary import --database needs --as <email>.*\n$/)
    const translator = await cli(empty.root, ['glossary', 'import', '--database', url, '--as', 'tr@example.org', csv])
    expect(translator.code).toBe(1)
    expect(translator.stderr).toMatch(/^passerelle: user tr@example\.org \(translator\) may not do glossary\.import.*\n$/)

    const dry = await cli(empty.root, ['glossary', 'import', '--dry-run', '--database', url, csv])
    expect(dry.stdout).toBe('new test-new-concept\nchanged human-rights: terms.en\n1 new, 1 changed, 0 unchanged, 0 conflict(s) (dry run: nothing written)\n')

    const glossaryBefore = await readFile(join(files.root, 'glossary', 'migration.yaml'), 'utf8')
    const fromFiles = await cli(files.root, ['glossary', 'import', csv])
    const fromRows = await cli(empty.root, ['glossary', 'import', '--database', url, '--as', 'terms@example.org', csv])
    expect(fromRows.code).toBe(0)
    expect(fromRows.stderr).toBe('')
    // The same report; the files say which file was written, the database whom the change is credited to.
    expect(fromFiles.stdout).toBe('new test-new-concept\nchanged human-rights: terms.en\nwrote glossary/migration.yaml\n1 new, 1 changed, 0 unchanged, 0 conflict(s)\n')
    expect(fromRows.stdout).toBe('new test-new-concept\nchanged human-rights: terms.en\ndatabase: 2 concept(s) saved, credited to terms@example.org\n1 new, 1 changed, 0 unchanged, 0 conflict(s)\n')
    expect(await readFile(join(files.root, 'glossary', 'migration.yaml'), 'utf8')).not.toBe(glossaryBefore)

    // The rows now hold what the files hold: the termbase exports alike.
    const exported = await cli(empty.root, ['glossary', 'export', '--format', 'csv', '--database', url, '-'])
    expect(exported.stdout).toBe((await cli(files.root, ['glossary', 'export', '--format', 'csv', '-'])).stdout)

    const audit = await withDatabase(url, (db) => readAudit(db, {entity: 'concept'}))
    const byUser = audit.filter((row) => row.actor === 'terms@example.org')
    expect(byUser.map((row) => [row.key, row.action])).toEqual([
      ['human-rights', 'update'],
      ['test-new-concept', 'create']
    ])
    const update = byUser[0]!
    expect(JSON.stringify(update.before)).not.toContain('rights of the human person')
    expect(JSON.stringify(update.after)).toContain('rights of the human person')
    expect(update.actorId).toBeGreaterThan(0)

    // A second run changes nothing and writes no audit row.
    const again = await cli(empty.root, ['glossary', 'import', '--database', url, '--as', 'terms@example.org', csv])
    expect(again.stdout).toBe('0 new, 0 changed, 2 unchanged, 0 conflict(s)\n')
    expect((await withDatabase(url, (db) => readAudit(db, {entity: 'concept'}))).length).toBe(audit.length)
  }, 120_000)

  it('glossary import --database refuses, in one line and writing nothing, a concept whose revision changed under it', async () => {
    const {url, empty} = await teamProject()
    const csv = join(empty.root, 'import.csv')
    await writeFile(csv, importCsv)
    await withDatabase(url, (db) => addUser(db, {email: 'terms@example.org', role: 'terminologist'}))
    const other = new pg.Client({connectionString: url})
    await other.connect()
    try {
      // Another writer (one that does not take Passerelle's termbase lock: a script, an older server) holds
      // human-rights mid-change; the import reads the old revision, then its update waits on the row.
      await other.query('BEGIN')
      await other.query("UPDATE glossary_concepts SET note = 'changed elsewhere', revision = revision + 1 WHERE id = 'human-rights'")
      let finished: Run | undefined
      const running = cli(empty.root, ['glossary', 'import', '--database', url, '--as', 'terms@example.org', csv]).then((result) => (finished = result))
      const deadline = Date.now() + 60_000
      for (;;) {
        if (finished) throw new Error(`the import ended before its update waited: ${JSON.stringify(finished)}`)
        // Statistics are a snapshot per transaction: cleared, so that each look sees the import as it is now.
        await other.query('SELECT pg_stat_clear_snapshot()')
        const {rows} = await other.query<{waiting: number}>(
          "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE glossary_concepts%'"
        )
        if (rows[0]!.waiting > 0) break
        if (Date.now() > deadline) throw new Error('the import never reached its update')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      await other.query('COMMIT')
      const result = await running
      expect(result.code).toBe(1)
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
      expect(result.stderr).toMatch(/^passerelle: .*import\.csv.*concept "human-rights" changed since it was read: nothing was imported.*run the import again/)
    } finally {
      await other.end()
    }
    await withDatabase(url, async (db) => {
      const {rows} = await db.query<{id: string}>("SELECT id FROM glossary_concepts WHERE id = 'test-new-concept'")
      expect(rows).toEqual([])
      const {rows: kept} = await db.query<{note: string}>("SELECT note FROM glossary_concepts WHERE id = 'human-rights'")
      expect(kept[0]!.note).toBe('changed elsewhere')
      expect((await readAudit(db, {entity: 'concept'})).filter((row) => row.actor === 'terms@example.org')).toEqual([])
    })
  }, 120_000)

  it("the review app's glossary upload on the database store merges with the same importer, into rows", async () => {
    const {url, files} = await teamProject()
    const pool = new pg.Pool({connectionString: url, max: 3})
    try {
      const {databaseTermbaseStore} = await import('../src/db/glossary.ts')
      const {createReviewApp} = await import('../src/review/index.ts')
      const secret = 'c0ffee'.repeat(8)
      const app = createReviewApp(files.project, {csrfSecret: secret, reviewer: 'Terminologist', termbase: databaseTermbaseStore(pool)})
      const glossaryBefore = await readFile(join(files.root, 'glossary', 'migration.yaml'), 'utf8')
      const response = await app.request('/api/glossary/import', {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-passerelle-csrf': secret},
        body: JSON.stringify({name: 'import.csv', text: importCsv, apply: true})
      })
      expect(response.status).toBe(200)
      const body = (await response.json()) as {report: {added: string[]; changed: {concept: string}[]}; written: string[]}
      expect(body.report.added).toEqual(['test-new-concept'])
      expect(body.report.changed.map((entry) => entry.concept)).toEqual(['human-rights'])
      expect(body.written).toEqual([])
      // The rows changed, credited to the app's user; the files did not.
      expect(await readFile(join(files.root, 'glossary', 'migration.yaml'), 'utf8')).toBe(glossaryBefore)
      const audit = (await readAudit(pool, {entity: 'concept'})).filter((row) => row.actor === 'Terminologist')
      expect(audit.map((row) => [row.key, row.action])).toEqual([
        ['human-rights', 'update'],
        ['test-new-concept', 'create']
      ])
      const exported = await app.request('/api/glossary/export?format=csv')
      expect(await exported.text()).toContain('test-new-concept')
    } finally {
      await pool.end()
    }
  }, 120_000)

  it('glossary import --as without --database is a usage mistake, said in one line', async () => {
    const files = await filesProject()
    const csv = join(files.root, 'import.csv')
    await writeFile(csv, importCsv)
    const result = await cli(files.root, ['glossary', 'import', '--as', 'terms@example.org', csv])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^passerelle: --as names the team user of a --database import.*\n$/)
    await rm(csv)
  })
})
