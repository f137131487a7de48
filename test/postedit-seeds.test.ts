// The "done when", on a real Apertium translation of the five seed
// articles (content/fr) plus a test article with the recurrent mistranslations
// the rules fix (test/fixtures/postedit/article.md), through the translate and
// build stages as `passerelle translate` and `passerelle build` run them.
import {execFileSync} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Bundle} from '../src/workflow/types.ts'
import {loadLocaleBundles} from '../src/workflow/store.ts'
import {buildProject} from '../src/publish/run.ts'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {runLtProc, spanishDictionaries} from '../src/postedit/ltproc.ts'
import {withPostEdit} from '../src/postedit/index.ts'
import {parseStream, toStream} from '../src/postedit/register.ts'
import {translateProject} from '../src/translate/run.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const installed = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'})
  } catch {
    return ''
  }
})()
if (!installed.includes('fr-es') && !process.env.CI) console.log('postedit-seeds.test: skipping (apertium-fr-es not installed)')

const firstLetter = (text: string) => text.replace(/^(?:<\/?\d+\/?>|[\s"'“‘«¿¡(\[—–-])*/u, '')[0] ?? ''
const isUpper = (c: string) => c !== c.toLowerCase()
const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase()

describe.runIf(installed.includes('fr-es') || process.env.CI)('machine output of the seeds, post-edited', () => {
  let temp: TempProject
  const bundles: Record<string, Bundle[]> = {}
  const dist: Record<string, string> = {}

  beforeAll(async () => {
    const article = await readFile(new URL('fixtures/postedit/article.md', import.meta.url), 'utf8')
    temp = await tempProject({'content/fr/test-article.md': article}, {content: true})
    const engine = withPostEdit(createApertiumEngine(), {glossaryDir: temp.project.glossaryDir, settings: temp.project.config.postEdit})
    const report = await translateProject(temp.project, {locales: ['en', 'es'], engine})
    expect(report.failures).toEqual([])
    await buildProject(temp.project, {locales: ['en', 'es'], strict: false, minState: 'machine'})
    for (const locale of ['en', 'es']) {
      bundles[locale] = (await loadLocaleBundles(temp.project.localesDir, locale)).bundles
      const dir = join(temp.project.distDir, locale)
      const files = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort()
      dist[locale] = (await Promise.all(files.map((name) => readFile(join(dir, name), 'utf8')))).join('\n')
    }
  }, 180_000)

  afterAll(() => temp?.cleanup())

  const segments = (locale: string) => bundles[locale]!.flatMap((bundle) => bundle.segments)

  it.each(['en', 'es'])('%s: no sentence, heading, list item or cell starts lower case where the French starts with a capital', (locale) => {
    const lowered = segments(locale)
      .filter((segment) => segment.kind !== 'attribute' && isUpper(firstLetter(segment.source)) && isLower(firstLetter(segment.target ?? '')))
      .map((segment) => `${segment.source} → ${segment.target}`)
    expect(lowered).toEqual([])
    expect(dist[locale]).toMatch(/^- Labour migration$|^- Migración laboral$/m)
    if (locale === 'en') expect(dist.en!.match(/.{0,30}\p{Ll} Of .{0,10}/gu) ?? []).toEqual([])
  })

  it('es: no vosotros form left (Apertium’s own analyser finds no second-person plural)', async () => {
    const targets = segments('es').map((segment) => segment.target ?? '')
    const analysed = await runLtProc([spanishDictionaries.analyser], targets.map(toStream))
    const vosotros = analysed.flatMap((stream) =>
      parseStream(stream).filter((piece) => typeof piece !== 'string' && piece.readings.some((reading) => /<p2>.*<pl>|^vuestro</.test(reading)))
    )
    expect(vosotros).toEqual([])
    expect(dist.es).toContain('Pueden consultar')
    expect(dist.es).toMatch(/Consulten .* o escriban|Consulten .* o escriben/)
  })

  it('en: no « » and no space before : ; ? !', () => {
    const body = dist.en!.replace(/^---[\s\S]*?^---$/gm, '')
    expect(body).not.toMatch(/[«»]/)
    expect(body.split('\n').filter((line) => /[^\s|]\s+[:;?!](?=\s|$)/.test(line))).toEqual([])
  })

  it.each([
    ['en', ['Such:', 'postigo', 'shutter', 'Tomadores', 'boss of mission', 'people in scrolling', 'executives']],
    ['es', ['Tal:', 'postigo', 'Tomadores', 'tomadores', 'ejecutivos']]
  ])('%s: the rules fix each recurrent mistranslation', (locale, wrong) => {
    for (const text of wrong) expect(dist[locale], text).not.toContain(text)
    const fired = segments(locale).flatMap((segment) => segment.origin?.postEdits ?? [])
    expect(fired).toEqual(expect.arrayContaining(['rule:tel-colon', 'rule:volets-components', 'rule:beneficiaries']))
  })

  it.each(['en', 'es'])('%s: term adherence stays 100 percent', (locale) => {
    const missed = segments(locale).flatMap((segment) => segment.glossary.filter((check) => !check.found).map((check) => `${check.source} in ${segment.target}`))
    expect(missed).toEqual([])
    expect(segments(locale).some((segment) => segment.glossary.length > 0)).toBe(true)
  })
})
