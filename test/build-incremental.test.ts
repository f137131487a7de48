// `build` renders only what changed (.passerelle/cache/build/) and keeps the
// unchanged files of the previous dist/; whatever changed — a bundle, a
// source, a template, the configuration, the publish state — the dist/ it
// leaves must be byte for byte what a build without any cache writes.
import {cp, mkdtemp, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {loadProject, type Project} from '../src/config.ts'
import {listFiles} from '../src/publish/output.ts'
import {buildProject, type BuildOptions} from '../src/publish/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const config = {publish: {baseUrl: 'https://news.example.org/', siteName: 'OIM', variants: {en: 'en-GB'}}}
const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'
const options: BuildOptions = {locales: ['en', 'es'], strict: false, minState: 'machine'}

let temp: TempProject
let scratchRoot: string | undefined
afterEach(async () => {
  await temp?.cleanup()
  if (scratchRoot) await rm(scratchRoot, {recursive: true, force: true})
})

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const path of await listFiles(dir)) files[path] = await readFile(join(dir, path), 'utf8')
  return files
}

/** dist/ as a build of the same project without a cache or an earlier dist/ writes it. */
async function scratchBuild(build: BuildOptions = options): Promise<Record<string, string>> {
  scratchRoot = await mkdtemp(join(tmpdir(), 'passerelle-scratch-'))
  await rm(scratchRoot, {recursive: true, force: true})
  await cp(temp.root, scratchRoot, {recursive: true, filter: (path) => !path.startsWith(join(temp.root, '.passerelle')) && !path.startsWith(join(temp.root, 'dist'))})
  const report = await buildProject(await loadProject(scratchRoot), build)
  expect(report.published).toBe(true)
  return snapshot(join(scratchRoot, 'dist'))
}

async function incremental(build: BuildOptions = options): Promise<{project: Project; written: string[]}> {
  const project = await loadProject(temp.root)
  const report = await buildProject(project, build)
  expect(report.failures).toEqual([])
  return {project, written: report.written}
}

async function inodes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const path of await listFiles(dir)) out[path] = (await stat(join(dir, path))).ino
  return out
}

async function editBundle(locale: string, edit: (segment: {target?: string; kind: string; revision: number}) => void) {
  const file = join(temp.root, 'locales', locale, `${slug}.json`)
  const bundle = JSON.parse(await readFile(file, 'utf8'))
  const segment = bundle.segments.find((item: {kind: string}) => item.kind === 'paragraph')
  edit(segment)
  segment.revision++
  await writeFile(file, JSON.stringify(bundle, null, 2) + '\n')
}

describe('incremental build', () => {
  it('with nothing changed keeps every file of dist/ (same inode, not rewritten) and writes what a build from scratch writes', async () => {
    temp = await tempProject({'passerelle.json': JSON.stringify(config)}, {content: true})
    await translateProject(temp.project, {locales: ['en', 'es'], engine: faultEngine()})
    await incremental()
    const dist = join(temp.root, 'dist')
    const before = await inodes(dist)

    const again = await incremental()
    expect(again.written).toEqual([])
    const after = await inodes(dist)
    // Every page, Markdown file and runtime bundle is the previous build's file, linked into the new dist/.
    const pages = Object.keys(before).filter((path) => /\.(html|md|json)$/.test(path) && !path.endsWith('report.json'))
    expect(pages.length).toBeGreaterThan(30)
    for (const path of pages) expect(after[path], path).toBe(before[path])
    expect(await snapshot(dist)).toEqual(await scratchBuild())
  })

  it('publishes a changed bundle, source, template and configuration exactly as a build from scratch does', async () => {
    temp = await tempProject({'passerelle.json': JSON.stringify(config)}, {content: true})
    await translateProject(temp.project, {locales: ['en', 'es'], engine: faultEngine()})
    await incremental()
    const dist = join(temp.root, 'dist')

    // A reviewer's edit in one bundle.
    await editBundle('es', (segment) => {
      segment.target = 'Texto revisado por una persona.'
    })
    const afterBundle = await incremental()
    expect(afterBundle.written).toContain(`es/${slug}.html`)
    expect(await readFile(join(dist, 'es', `${slug}.html`), 'utf8')).toContain('Texto revisado por una persona.')
    expect(await snapshot(dist)).toEqual(await scratchBuild())

    // A changed source sentence (its bundles do not know it yet: French fallback).
    const source = join(temp.root, 'content', 'fr', `${slug}.md`)
    await writeFile(source, (await readFile(source, 'utf8')).replace(/\n\n([^\n#-][^\n]*)\n/, '\n\n$1 Une phrase ajoutée.\n'))
    await incremental()
    expect(await readFile(join(dist, 'en', `${slug}.html`), 'utf8')).toContain('Une phrase ajoutée.')
    expect(await snapshot(dist)).toEqual(await scratchBuild())

    // A template of the project's own.
    const article = await readFile(join(repoRoot, 'src', 'publish', 'templates', 'article.mustache'), 'utf8')
    await temp.write('templates/article.mustache', article.replace('</main>', '<p class="house">Maison</p></main>'))
    expect(article).toContain('</main>')
    await incremental()
    expect(await readFile(join(dist, 'fr', `${slug}.html`), 'utf8')).toContain('<p class="house">Maison</p>')
    expect(await snapshot(dist)).toEqual(await scratchBuild())

    // The configuration: another variant, another site name.
    await temp.write('passerelle.json', JSON.stringify({publish: {...config.publish, siteName: 'IOM', variants: {es: 'es-419'}}}))
    await incremental()
    expect(await readFile(join(dist, 'es', `${slug}.html`), 'utf8')).toContain('<html lang="es-419"')
    expect(await snapshot(dist)).toEqual(await scratchBuild())
  })

  it('renders article bodies again when the publish state or the fallback marker changes', async () => {
    temp = await tempProject({'passerelle.json': JSON.stringify(config)}, {content: true})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    await editBundle('es', (segment) => {
      ;(segment as {state?: string}).state = 'reviewed'
    })
    const build: BuildOptions = {locales: ['es'], strict: false, minState: 'machine'}
    await incremental(build)

    // Above machine output: everything but the reviewed segment falls back to French, marked.
    const reviewed: BuildOptions = {...build, minState: 'reviewed'}
    await incremental(reviewed)
    const page = await readFile(join(temp.root, 'dist', 'es', `${slug}.html`), 'utf8')
    expect(page).toContain('class="fallback fallback-marked"')
    expect(await snapshot(join(temp.root, 'dist'))).toEqual(await scratchBuild(reviewed))

    await temp.write('passerelle.json', JSON.stringify({publish: {...config.publish, fallbackMarker: false}}))
    await incremental(reviewed)
    const unmarked = await readFile(join(temp.root, 'dist', 'es', `${slug}.html`), 'utf8')
    expect(unmarked).toContain('class="fallback"')
    expect(unmarked).not.toContain('fallback-marked')
    expect(await snapshot(join(temp.root, 'dist'))).toEqual(await scratchBuild(reviewed))
  })

  it('drops the pages of a deleted article and its cached render', async () => {
    temp = await tempProject({'passerelle.json': JSON.stringify(config)}, {content: true})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    await incremental({...options, locales: ['es']})
    await rm(join(temp.root, 'content', 'fr', `${slug}.md`))
    await incremental({...options, locales: ['es']})
    expect(await listFiles(join(temp.root, 'dist'))).not.toContain(`es/${slug}.html`)
    const cached = await readdir(join(temp.root, '.passerelle', 'cache', 'build', 'es'))
    expect(cached).not.toContain(`${slug}.json`)
    expect(await snapshot(join(temp.root, 'dist'))).toEqual(await scratchBuild({...options, locales: ['es']}))
  })
})
