// The bad-input corpus (test/fixtures/bad-input, issue 10), run as one batch:
// every case gets its error code, the good articles beside them are still
// translated, and human work in locales/ is not touched.
import {execFileSync} from 'node:child_process'
import {cp, mkdir, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {glossaryImportProject, xliffImportProject} from '../src/exchange/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

interface Case {
  path: string
  code: string
  why: string
  generate?: string
}

const corpus = join(import.meta.dirname, 'fixtures', 'bad-input')
const cases = JSON.parse(await readFile(join(corpus, 'cases.json'), 'utf8')) as Case[]
const front = '---\ntitle: Un titre\n---\n\n'

let temp: TempProject | undefined
let outside: string | undefined
afterEach(async () => {
  await temp?.cleanup()
  if (outside) await rm(outside, {force: true})
  temp = outside = undefined
})

async function generate(root: string, item: Case): Promise<void> {
  const path = join(root, item.path)
  switch (item.generate) {
    case 'deep-list':
      return writeFile(path, front + Array.from({length: 1500}, (_, depth) => `${'  '.repeat(depth)}- niveau ${depth}`).join('\n'))
    case 'long-sentence':
      return writeFile(path, `${front}${'mot '.repeat(10_000)}fin.\n`)
    case 'too-large':
      return writeFile(path, `${front}${'Une phrase.\n\n'.repeat(450_000)}`)
    case 'fifo':
      return void execFileSync('mkfifo', [path])
    case 'folder':
      return void (await mkdir(path))
    case 'symlink-outside':
      outside = `${root}-outside-passwd`
      await writeFile(outside, 'root:x:0:0:root:/root:/bin/bash\n')
      return symlink(outside, path)
    default:
      throw new Error(`unknown generator ${item.generate}`)
  }
}

async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name).slice(dir.length + 1)] = await readFile(join(entry.parentPath, entry.name), 'utf8')
  }
  return files
}

describe('bad-input corpus', () => {
  it('holds at least 40 cases, each with a code', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
    expect(cases.every((item) => /^E_[A-Z_]+$/.test(item.code))).toBe(true)
  })

  it('reports each case with its code, completes the good files, and leaves human work alone', async () => {
    temp = await tempProject({
      'content/fr/good-a.md': `${front}La migration est un phénomène mondial. Les villes accueillent des migrants.\n`,
      'content/fr/good-b.md': `${front}L'OIM soutient les pays.\n`
    })
    // Human work first: translate the good articles, then a reviewer approves a segment.
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const bundleA = join(temp.root, 'locales/en/good-a.json')
    const reviewed = parseBundle(await readFile(bundleA, 'utf8'), bundleA)
    Object.assign(reviewed.segments[1]!, {target: 'Migration is a worldwide phenomenon.', state: 'approved', revision: 5})
    await writeFile(bundleA, serializeBundle(reviewed))
    const human = reviewed.segments[1]!

    for (const item of cases) {
      const target = join(temp.root, item.path)
      await mkdir(join(target, '..'), {recursive: true})
      if (item.generate) await generate(temp.root, item)
      else await cp(join(corpus, item.path), target)
    }
    await writeFile(join(temp.root, 'content/fr/good-c.md'), `${front}Un nouvel article arrive avec les autres.\n`)
    const localesBefore = await tree(join(temp.root, 'locales'))

    const report = await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    expect(report.stopped).toBeUndefined()
    const seen = new Map<string, string | undefined>()
    for (const failure of report.failures) {
      // A failure's line starts with the file it is about (relative, or absolute for glossary and TMX files).
      const item = cases.find((entry) => failure.file === entry.path || failure.message.startsWith(`${entry.path}:`) || failure.message.includes(`/${entry.path}:`))
      if (item && !seen.has(item.path)) seen.set(item.path, failure.code)
    }
    for (const item of cases.filter((entry) => !entry.path.startsWith('exchange/'))) {
      expect([item.path, seen.get(item.path)]).toEqual([item.path, item.code])
    }

    // The exchange files, each refused whole.
    for (const item of cases.filter((entry) => entry.path.startsWith('exchange/'))) {
      const file = join(temp.root, item.path)
      const run = item.path.endsWith('.xlf') ? xliffImportProject(temp.project, file) : glossaryImportProject(temp.project, file)
      const error = await run.then(() => undefined, (caught: unknown) => caught)
      expect([item.path, isPasserelleError(error) ? error.code : String(error)]).toEqual([item.path, item.code])
    }

    // The good articles completed; none of the bad ones produced a bundle.
    const after = await tree(join(temp.root, 'locales'))
    expect(Object.keys(after).filter((name) => name.endsWith('.json')).sort()).toEqual(['en/good-a.json', 'en/good-b.json', 'en/good-c.json'])
    const c = parseBundle(after['en/good-c.json']!, 'good-c.json')
    expect(c.segments.every((segment) => segment.state === 'machine' && segment.target)).toBe(true)
    // Human work unchanged; every existing target, state and revision kept (checks may be
    // recomputed: the imposter glossary file takes `iom` out of the termbase).
    const kept = parseBundle(after['en/good-a.json']!, 'good-a.json').segments.find((segment) => segment.id === human.id)
    expect(kept).toMatchObject({target: human.target, state: 'approved', revision: 5})
    const work = (text: string) => parseBundle(text, 'x.json').segments.map(({id, target, state, revision}) => ({id, target, state, revision}))
    for (const name of ['en/good-a.json', 'en/good-b.json']) expect(work(after[name]!)).toEqual(work(localesBefore[name]!))
  }, 120_000)
})
