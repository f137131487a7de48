// The run cache of `translate`: an unchanged article is skipped entirely, and
// each input it depends on (source, glossary, imported TMX, human work in any
// bundle of the locale) invalidates exactly what it must.
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {translateProject} from '../src/translate/run.ts'
import {serializeBundle} from '../src/workflow/store.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'
import {readBundle} from './fixtures/review/project.ts'

const articleA = `---
title: Les villes
---

L'OIM et le PNUD soutiennent les villes. La gouvernance locale compte.

Une phrase sur le climat.
`

const articleB = `---
title: Un autre article
---

L'OIM et le PNUD soutiennent les villes. Une phrase propre à cet article.
`

let temp: TempProject
afterEach(() => temp?.cleanup())

const bundle = (locale: string, slug: string) => readBundle(temp, locale, slug)

async function run(locale = 'en') {
  const engine = faultEngine()
  const report = await translateProject(temp.project, {locales: [locale], engine})
  return {report, locale: report.locales[0]!, sent: engine.sent.map((item) => item.text)}
}

describe('translate, incremental', () => {
  it('skips every unchanged article on a second run: no engine call, no segment planned, files untouched', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    await run()
    const before = await readFile(join(temp.root, 'locales', 'en', 'a.json'), 'utf8')
    const second = await run()
    expect(second.locale).toMatchObject({unchanged: 2, segments: 0, machineTranslated: 0})
    expect(second.sent).toEqual([])
    expect(await readFile(join(temp.root, 'locales', 'en', 'a.json'), 'utf8')).toBe(before)
  })

  it('a changed source sentence costs that sentence: only its article is processed', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    await run()
    await temp.write('content/fr/a.md', articleA.replace('Une phrase sur le climat.', 'Une phrase sur la mer.'))
    const second = await run()
    expect(second.locale.unchanged).toBe(1)
    expect(second.sent).toEqual(['Une phrase sur la mer.'])
    const a = await bundle('en', 'a')
    expect(a.segments.find((segment) => segment.source === 'Une phrase sur la mer.')?.target).toBeDefined()
    expect(a.segments.some((segment) => segment.source === 'Une phrase sur le climat.')).toBe(false)
  })

  it('a changed glossary re-checks every article against it', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await run()
    expect((await bundle('en', 'a')).segments.flatMap((segment) => segment.glossary.map((check) => check.concept))).not.toContain('climate-test')
    const glossary = await readFile(join(temp.root, 'glossary', 'migration.yaml'), 'utf8')
    await temp.write(
      'glossary/migration.yaml',
      glossary.replace(
        'concepts:\n',
        'concepts:\n  - id: climate-test\n    terms:\n      fr:\n        - {text: climat, status: preferred}\n      en:\n        - {text: climate, status: preferred}\n'
      )
    )
    const second = await run()
    expect(second.locale.unchanged).toBe(0)
    const climate = (await bundle('en', 'a')).segments.find((segment) => segment.source === 'Une phrase sur le climat.')!
    expect(climate.glossary.map((check) => check.concept)).toContain('climate-test')
  })

  it('an imported TMX reaches articles that were already translated', async () => {
    temp = await tempProject({'content/fr/b.md': articleB})
    await run()
    const {exportTmx} = await import('../src/tm/index.ts')
    await temp.write(
      'tm/client.tmx',
      exportTmx(
        [{source: 'Une phrase propre à cet article.', target: 'Approved by the client.', sourceLocale: 'fr', targetLocale: 'en', state: 'approved', origin: {kind: 'import'}}],
        {sourceLocale: 'fr'}
      )
    )
    const second = await run()
    expect(second.locale.unchanged).toBe(0)
    const own = (await bundle('en', 'b')).segments.find((segment) => segment.source === 'Une phrase propre à cet article.')!
    expect(own).toMatchObject({target: 'Approved by the client.', state: 'translated'})
  })

  it('human work saved in one bundle reaches the unchanged other articles, and is itself kept', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    await run()
    const reviewed = await bundle('en', 'a')
    const shared = reviewed.segments.find((segment) => segment.source.startsWith("L'OIM et le PNUD"))!
    shared.target = 'IOM and UNDP back cities.'
    shared.state = 'approved'
    shared.revision++
    await temp.write('locales/en/a.json', serializeBundle(reviewed))
    const second = await run()
    expect(second.sent).toEqual([])
    expect((await bundle('en', 'a')).segments.find((segment) => segment.id === shared.id)).toMatchObject({target: 'IOM and UNDP back cities.', state: 'approved'})
    // b did not change, but the approved work for its sentence must reach it.
    const b = (await bundle('en', 'b')).segments.find((segment) => segment.source.startsWith("L'OIM et le PNUD"))!
    expect(b).toMatchObject({target: 'IOM and UNDP back cities.', state: 'translated'})
  })

  it('a bundle deleted or a cache deleted is rebuilt, never trusted blindly', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await run()
    await rm(join(temp.root, 'locales', 'en', 'a.json'))
    const second = await run()
    expect(second.locale.unchanged).toBe(0)
    expect((await bundle('en', 'a')).segments.every((segment) => segment.target !== undefined)).toBe(true)
    await rm(join(temp.root, '.passerelle'), {recursive: true})
    const third = await run()
    expect(third.locale).toMatchObject({unchanged: 0, machineTranslated: 0})
  })
})
