// files → PostgreSQL → files: `db import` then `db export` gives back every
// file of the repository's own project byte for byte, and the database, not
// the files, is what export writes.
import {execFile} from 'node:child_process'
import {cp, readFile, readdir, rm} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {exportProject, importProject, migrate, withDatabase} from '../src/db/index.ts'
import {loadBundle} from '../src/workflow/index.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const run = promisify(execFile)
const missing = postgresMissing()
if (missing) console.log(`SKIP db-sync: ${missing}`)

const folders = ['content', 'glossary', 'locales', 'tm']

/** Every file under the project's synced folders: relative path → bytes. */
async function snapshot(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const folder of folders) {
    const entries = await readdir(join(root, folder), {recursive: true, withFileTypes: true}).catch(() => [])
    for (const entry of entries) {
      if (!entry.isFile()) continue
      const path = join(entry.parentPath, entry.name)
      files.set(relative(root, path).split(sep).join('/'), await readFile(path))
    }
  }
  return files
}

let databases = 0
const temps: TempProject[] = []
async function project(files: Record<string, string | Uint8Array> = {}, copyRepo = true): Promise<TempProject> {
  const temp = await tempProject(files, {glossary: copyRepo, content: copyRepo})
  if (copyRepo) await cp(join(repoRoot, 'locales'), join(temp.root, 'locales'), {recursive: true})
  temps.push(temp)
  return temp
}

describe.skipIf(missing !== undefined)('db import / export', () => {
  let cluster: TestCluster
  const database = async () => {
    const url = await cluster.createDatabase(`sync${++databases}`)
    await withDatabase(url, (db) => migrate(db))
    return url
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

  it("gives back the repository's own project byte for byte, into an empty folder", async () => {
    const url = await database()
    const source = await project({
      // Edge cases the repository does not have: BOM and CRLF, a TM file.
      'glossary/crlf.yaml': '\uFEFFconcepts:\r\n  - id: x\r\n',
      // Post-editing rules become rows; their files come back as they were, BOM, CRLF, comments,
      // flow style and a rule that does not load (kept in the text, left out of the rows) included.
      'glossary/rules/ca.yaml':
        '\uFEFF# Catalan\r\nrules:\r\n  - {id: test, stage: target, match: prova, replace: assaig, note: n, example: {input: una prova, expected: un assaig}}\r\n' +
        '  - {id: ok, stage: target, match: prova, replace: assaig, note: n, example: {input: una prova, expected: una assaig}}\r\n',
      'tm/memory.tmx': '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header/><body/></tmx>\n'
    })
    const before = await snapshot(source.root)
    expect([...before.keys()].filter((path) => path.startsWith('locales/')).length).toBeGreaterThanOrEqual(10)
    expect([...before.keys()].filter((path) => path.startsWith('content/')).length).toBeGreaterThanOrEqual(5)

    const imported = await withDatabase(url, (db) => importProject(db, source.project))
    expect(imported.problems).toEqual([])
    expect(imported.segments).toBeGreaterThan(0)
    const ruleRows = await withDatabase(url, (db) => db.query<{name: string; id: string}>('SELECT name, id FROM postedit_rules ORDER BY name, position'))
    expect(ruleRows.rows.filter((row) => row.name === 'ca').map((row) => row.id)).toEqual(['ok'])
    expect(new Set(ruleRows.rows.map((row) => row.name))).toEqual(new Set(['ca', 'en', 'es']))

    const target = await project({}, false)
    await rm(join(target.root, 'content'), {recursive: true, force: true})
    const exported = await withDatabase(url, (db) => exportProject(db, target.project))
    expect(exported.problems).toEqual([])
    const after = await snapshot(target.root)
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [path, bytes] of before) expect(after.get(path)?.equals(bytes), path).toBe(true)

    // Over the original files, nothing changes.
    const again = await withDatabase(url, (db) => exportProject(db, source.project))
    expect(again.written).toEqual([])
  })

  it('writes what the database holds: a target changed in the database reaches the bundle file', async () => {
    const url = await database()
    const source = await project()
    await withDatabase(url, (db) => importProject(db, source.project))
    const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'
    const {rows} = await withDatabase(url, (db) =>
      db.query<{id: string}>(
        "UPDATE segments SET target = 'Changed in the database.', state = 'translated', revision = revision + 1 WHERE locale = 'en' AND article = $1 AND list = 'segments' AND position = 0 RETURNING id",
        [slug]
      )
    )
    const exported = await withDatabase(url, (db) => exportProject(db, source.project))
    expect(exported.written).toEqual([`locales/en/${slug}.json`])
    const bundle = await loadBundle(join(source.root, 'locales', 'en', `${slug}.json`))
    const segment = bundle?.segments.find((candidate) => candidate.id === rows[0]?.id)
    expect(segment?.target).toBe('Changed in the database.')
    expect(segment?.state).toBe('translated')
  })

  it('reports an unreadable file on one line, imports the rest, and drops rows of deleted files', async () => {
    const url = await database()
    const source = await project()
    await withDatabase(url, (db) => importProject(db, source.project))
    await rm(join(source.root, 'glossary', 'patterns.yaml'))
    await source.write('locales/es/_site.json', '{ not json')
    await source.write('content/fr/latin1.md', Buffer.from('caf\xe9\n', 'latin1'))
    const result = await withDatabase(url, (db) => importProject(db, source.project))
    expect(result.problems.map((problem) => [problem.code, problem.file])).toEqual([
      ['E_ENCODING', 'content/fr/latin1.md'],
      ['E_BUNDLE', 'locales/es/_site.json']
    ])
    const {rows} = await withDatabase(url, (db) => db.query<{n: number}>("SELECT count(*)::int AS n FROM glossary_files WHERE path = 'patterns.yaml'"))
    expect(rows[0]?.n).toBe(0)
    // The bundle that failed to read keeps its rows. Export will not overwrite a broken
    // file (it may hold work someone is fixing by hand); once it is removed, export restores it.
    const refused = await withDatabase(url, (db) => exportProject(db, source.project))
    expect(refused.problems.map((problem) => [problem.code, problem.file])).toEqual([['E_BUNDLE', 'locales/es/_site.json']])
    expect(refused.written).toEqual([])
    await rm(join(source.root, 'locales/es/_site.json'))
    const exported = await withDatabase(url, (db) => exportProject(db, source.project))
    expect(exported.written).toEqual(['locales/es/_site.json'])
    expect(await readFile(join(source.root, 'locales/es/_site.json'))).toEqual(await readFile(join(repoRoot, 'locales/es/_site.json')))
  })

  it('runs from the command line', async () => {
    const url = await database()
    const source = await project()
    const bin = join(repoRoot, 'bin', 'passerelle.js')
    const imported = await run(process.execPath, [bin, '-C', source.root, 'db', 'import', '--database', url], {encoding: 'utf8'})
    expect(imported.stdout).toMatch(/^db: imported 6 content, \d+ glossary, 0 tm files and 12 bundles \(\d+ segments, \d+ concepts, \d+ post-editing rules\)\n$/)
    const exported = await run(process.execPath, [bin, '-C', source.root, 'db', 'export', '--database', url], {encoding: 'utf8'})
    expect(exported.stdout).toMatch(/^db: exported \d+ files, 0 changed\n$/)
  })
})
