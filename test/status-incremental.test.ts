// `status` keeps what it computed per bundle (.passerelle/cache/status/) and
// reads only the bundles that changed since; its output must be exactly what
// a run without the cache prints.
import * as fs from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {projectStatus} from '../src/status/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

// Counts the bundle files status reads (the one thing the cache is for).
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof import('node:fs/promises')>()
  return {...actual, open: vi.fn(actual.open)}
})

let temp: TempProject
afterEach(() => temp?.cleanup())

const bundleReads = () =>
  vi
    .mocked(fs.open)
    .mock.calls.map(([path]) => String(path))
    .filter((path) => path.includes(`${join(temp.root, 'locales')}/`))

/** Bundles as if written an hour ago: older than the cache's "too recent to trust" window. */
async function age(locale: string) {
  const dir = join(temp.project.localesDir, locale)
  const past = new Date(Date.now() - 3600_000)
  for (const name of await fs.readdir(dir)) await fs.utimes(join(dir, name), past, past)
}

/** What a run without any cache reports. */
async function scratch() {
  await fs.rm(join(temp.root, '.passerelle', 'cache', 'status'), {recursive: true, force: true})
  return projectStatus(temp.project)
}

describe('status cache', () => {
  it('reads only changed bundles and reports exactly what a run without the cache reports', async () => {
    temp = await tempProject({}, {content: true})
    await translateProject(temp.project, {locales: ['en', 'es'], engine: faultEngine()})
    await age('en')
    await age('es')
    const bundles = (await fs.readdir(join(temp.project.localesDir, 'es'))).length * 2

    vi.mocked(fs.open).mockClear()
    const first = await projectStatus(temp.project)
    expect(first.failures).toEqual([])
    expect(bundleReads()).toHaveLength(bundles)

    vi.mocked(fs.open).mockClear()
    const unchanged = await projectStatus(temp.project)
    expect(bundleReads()).toEqual([])
    expect(unchanged).toEqual(first)

    // A reviewer approves a segment: one bundle is rewritten.
    const file = join(temp.project.localesDir, 'es', 'les-personnes-en-deplacement-font-partie-de-la-solution.json')
    const bundle = JSON.parse(await fs.readFile(file, 'utf8'))
    bundle.segments[1].state = 'approved'
    bundle.segments[1].revision++
    await fs.writeFile(file, JSON.stringify(bundle, null, 2) + '\n')
    vi.mocked(fs.open).mockClear()
    const changed = await projectStatus(temp.project)
    expect(bundleReads()).toEqual([file])
    expect(changed.locales.find((locale) => locale.locale === 'es')!.states.approved).toBe(1)
    expect(changed).toEqual(await scratch())
  })

  it('is not fooled by an edit that keeps the size and puts the old mtime back', async () => {
    temp = await tempProject({}, {content: true})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    await age('es')
    const file = join(temp.project.localesDir, 'es', 'les-personnes-en-deplacement-font-partie-de-la-solution.json')
    const before = await fs.stat(file)
    await projectStatus(temp.project)

    const text = await fs.readFile(file, 'utf8')
    const edited = text.replace('"state": "machine"', '"state":"reviewed"')
    expect(edited.length).toBe(text.length)
    await fs.writeFile(file, edited)
    await fs.utimes(file, before.atime, before.mtime)

    const after = await projectStatus(temp.project)
    expect(after.locales[0]!.states.reviewed).toBe(1)
    expect(after).toEqual(await scratch())
  })

  it('reports a broken bundle every time, and the others from the cache', async () => {
    temp = await tempProject({}, {content: true})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    await fs.writeFile(join(temp.project.localesDir, 'es', 'les-personnes-en-deplacement-font-partie-de-la-solution.json'), '{"schema": 1,')
    await age('es')
    const first = await projectStatus(temp.project)
    const second = await projectStatus(temp.project)
    expect(first.failures.map((failure) => failure.code)).toEqual(['E_BUNDLE'])
    expect(second).toEqual(first)
  })
})
