// `passerelle build --database`: the site built from the team database is the
// site built from the files it was imported from, byte for byte, and stays so
// when the project folder holds no content/, glossary/ or locales/.
import {execFile} from 'node:child_process'
import {cp, readFile, readdir, rm} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'
import {migrate, withDatabase} from '../src/db/index.ts'
import {postgresMissing, useCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject} from './helpers/project.ts'

const run = promisify(execFile)
const missing = postgresMissing()
if (missing) console.log(`SKIP db-build: ${missing}`)
const bin = join(repoRoot, 'bin', 'passerelle.js')

async function tree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'), await readFile(join(entry.parentPath, entry.name)))
  }
  return files
}

describe.skipIf(missing !== undefined)('build --database', () => {
  const setup = useCluster()

  it('gives the same dist/ as a build from the files, from a folder without content/ or locales/', async () => {
    const url = await setup.cluster.createDatabase('build')
    await withDatabase(url, (db) => migrate(db))
    const config = await readFile(join(repoRoot, 'passerelle.json'), 'utf8').catch(() => undefined)
    const files = await tempProject(config ? {'passerelle.json': config} : {}, {glossary: true, content: true})
    setup.track(files)
    await cp(join(repoRoot, 'locales'), join(files.root, 'locales'), {recursive: true})
    await run(process.execPath, [bin, '-C', files.root, 'db', 'import', '--database', url])

    const fromFiles = await run(process.execPath, [bin, '-C', files.root, 'build', '--to', 'en,es', '--min-state', 'machine'], {encoding: 'utf8'})
    const empty = await tempProject(config ? {'passerelle.json': config} : {}, {glossary: false})
    setup.track(empty)
    await rm(join(empty.root, 'content'), {recursive: true, force: true})
    const fromDatabase = await run(process.execPath, [bin, '-C', empty.root, 'build', '--to', 'en,es', '--min-state', 'machine', '--database', url], {encoding: 'utf8'})
    expect(fromDatabase.stdout).toBe(fromFiles.stdout)

    const a = await tree(join(files.root, 'dist'))
    const b = await tree(join(empty.root, 'dist'))
    expect([...a.keys()].filter((path) => path.endsWith('.html')).length).toBeGreaterThan(10)
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort())
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true)
  })

  it('builds what the database holds, not what the folder holds', async () => {
    const url = await setup.cluster.createDatabase('build_edit')
    await withDatabase(url, (db) => migrate(db))
    const files = await tempProject({}, {glossary: false, content: true})
    setup.track(files)
    await cp(join(repoRoot, 'locales'), join(files.root, 'locales'), {recursive: true})
    await run(process.execPath, [bin, '-C', files.root, 'db', 'import', '--database', url])
    // A reviewer's edit in the team database: an approved target the files do not have.
    const segment = await withDatabase(url, async (db) => {
      const {rows} = await db.query<{article: string; id: string}>("SELECT article, id FROM segments WHERE locale = 'es' AND list = 'segments' AND article <> '_site' ORDER BY article, position LIMIT 1")
      await db.query("UPDATE segments SET target = 'Texto aprobado en la base de datos.', state = 'approved' WHERE locale = 'es' AND article = $1 AND id = $2", [rows[0]!.article, rows[0]!.id])
      return rows[0]!
    })
    await run(process.execPath, [bin, '-C', files.root, 'build', '--to', 'es', '--min-state', 'machine', '--database', url])
    const page = await readFile(join(files.root, 'dist', 'es', `${segment.article}.html`), 'utf8')
    expect(page).toContain('Texto aprobado en la base de datos.')
    await run(process.execPath, [bin, '-C', files.root, 'build', '--to', 'es', '--min-state', 'machine'])
    expect(await readFile(join(files.root, 'dist', 'es', `${segment.article}.html`), 'utf8')).not.toContain('Texto aprobado en la base de datos.')
  })
})
