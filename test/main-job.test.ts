// The "done when", on a copy of the committed content and glossary,
// with real Apertium processes: every article in dist/en and dist/es, the
// institutional terms in their English form, e-mails untouched, term
// adherence ≥ 95 %, and a second run that calls the engine zero times.
import {execFileSync} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildProject} from '../src/publish/run.ts'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {projectStatus} from '../src/status/index.ts'
import {translateProject, type TranslateReport} from '../src/translate/run.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const hasApertium = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'}).includes('spa-eng')
  } catch {
    return false
  }
})()

describe.runIf(hasApertium || process.env.CI)('main job on the seeds (Apertium)', () => {
  let temp: TempProject
  let first: TranslateReport
  let articles: string[]

  beforeAll(async () => {
    temp = await tempProject({}, {content: true})
    articles = (await readdir(join(temp.root, 'content', 'fr'))).filter((name) => name.endsWith('.md') && !name.startsWith('_'))
    first = await translateProject(temp.project, {locales: ['en', 'es'], engine: createApertiumEngine()})
    await buildProject(temp.project, {locales: ['en', 'es'], strict: true, minState: 'machine'})
  }, 300_000)
  afterAll(() => temp?.cleanup())

  it('translates everything without failures, batching (few engine processes)', () => {
    expect(first.failures).toEqual([])
    expect(articles.length).toBe(5)
    // en goes through two stages; a handful of batches at most, never one per segment.
    const segments = first.locales.reduce((sum, locale) => sum + locale.machineTranslated, 0)
    expect(segments).toBeGreaterThan(100)
    expect(first.engineCalls).toBeLessThanOrEqual(6)
  })

  it('builds every article in dist/en and dist/es', async () => {
    for (const locale of ['en', 'es']) {
      const files = await readdir(join(temp.root, 'dist', locale))
      for (const article of articles) {
        expect(files).toContain(article)
        expect(files).toContain(article.replace(/\.md$/, '.html'))
      }
      expect(files).toContain('index.html')
    }
  })

  it('uses IOM, SDG(s) and UNDP in English and keeps e-mail addresses', async () => {
    const english = (await Promise.all(articles.map((name) => readFile(join(temp.root, 'dist', 'en', name), 'utf8')))).join('\n')
    const french = (await Promise.all(articles.map((name) => readFile(join(temp.root, 'content', 'fr', name), 'utf8')))).join('\n')
    expect(english).toMatch(/\bIOM\b/)
    expect(english).toMatch(/\bSDGs?\b/)
    expect(english).toMatch(/\bUNDP\b/)
    expect(english).not.toMatch(/\bPNUD\b/)
    expect(english).not.toMatch(/\bODD\b/)
    for (const email of french.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []) expect(english).toContain(email)
  })

  it('reaches term adherence ≥ 95 % for en and es', async () => {
    const {locales} = await projectStatus(temp.project, ['en', 'es'])
    for (const locale of locales) {
      expect(locale.termHits).toBeGreaterThan(20)
      expect(locale.termAdherence).toBeGreaterThanOrEqual(0.95)
    }
  })

  it('makes zero engine calls when run again', async () => {
    const engine = createApertiumEngine()
    const again = await translateProject(temp.project, {locales: ['en', 'es'], engine})
    expect(again.engineCalls).toBe(0)
    expect(engine.calls).toBe(0)
  })
})
