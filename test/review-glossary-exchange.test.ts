// TBX and CSV in and out of the review app's glossary view, in Debian's
// Chromium and in process: the upload is merged by the CLI's own importer and
// its report (new, changed, conflicts, a duplicate source term) is shown
// before anything is written; an export downloads a file that imports back
// with no change; the import is a write like the others (CSRF guard).
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {loadTermbase} from '../src/glossary/index.ts'
import {createReviewApp, startReviewServer, type ReviewServer} from '../src/review/index.ts'
import type {GlossaryImportResponse} from '../src/review/wire.ts'
import {launchChromium, openPage, poll} from './helpers/browser.ts'
import type {TempProject} from './helpers/project.ts'
import {needsShared, sharedDir} from './helpers/shared.ts'
import {reviewProject} from './fixtures/review/project.ts'

const fixture = new URL('./fixtures/review/import.tbx', import.meta.url).pathname
let project: TempProject
let server: ReviewServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  project = await reviewProject(['en'])
  server = await startReviewServer(project.project, {port: 0, reviewer: 'Terminologist'})
  browser = await launchChromium()
})

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await project?.cleanup()
})

const open = (path: string) => openPage(browser, contexts, new URL(path, server.url).href)

async function upload(page: Page, file: string): Promise<void> {
  await page.setInputFiles('#glossary-import-file', file)
  await page.locator('[data-role="import-preview"], [data-role="import-error"]').first().waitFor()
}

const lines = (page: Page, kind: string) => page.locator(`#glossary-import-report li[data-kind="${kind}"]`).allTextContents()

describe('glossary import and export in the app', () => {
  it('previews a TBX file with the CLI report, writes nothing until confirmed, then lists the new concept', async () => {
    const page = await open('/#/glossary')
    await page.locator('tr[data-concept]').first().waitFor()
    const before = await readFile(join(project.root, 'glossary/terms.yaml'), 'utf8')
    await upload(page, fixture)
    expect(await page.locator('[data-role="import-summary"]').textContent()).toBe('import.tbx would bring: 1 new, 0 changed, 0 unchanged, 1 conflict')
    expect(await lines(page, 'new')).toEqual(['new local-authorities'])
    // The duplicate source term, as `glossary check` and the CLI import name it.
    expect(await lines(page, 'conflict')).toEqual(['conflict iom-agency (fr, preferred): source term “OIM” already belongs to concept iom (“OIM”)'])
    expect(await readFile(join(project.root, 'glossary/terms.yaml'), 'utf8')).toBe(before)
    await expect(page.locator('tr[data-concept="local-authorities"]').count()).resolves.toBe(0)

    await page.click('[data-role="import-confirm"]')
    await page.locator('[data-role="import-result"]').waitFor()
    expect(await page.locator('[data-role="import-summary"]').textContent()).toBe('Imported import.tbx: 1 new, 0 changed, 0 unchanged, 1 conflict')
    const row = page.locator('tr[data-concept="local-authorities"]')
    await poll(() => row.isVisible()).toBe(true)
    expect(await row.textContent()).toContain('local authorities')
    const {termbase} = await loadTermbase(project.project.glossaryDir)
    expect(termbase.concepts.find((concept) => concept.id === 'local-authorities')?.terms.en?.[0]?.text).toBe('local authorities')
    expect(termbase.concepts.some((concept) => concept.id === 'iom-agency')).toBe(false)
    expect(page.problems).toEqual([])
  })

  for (const format of ['tbx', 'csv'] as const) {
    it(`exports ${format.toUpperCase()} as a download that imports back with no change`, async () => {
      const page = await open('/#/glossary')
      await page.locator('tr[data-concept]').first().waitFor()
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#export-${format}`)])
      expect(download.suggestedFilename()).toBe(`glossary.${format}`)
      const file = join(project.root, `exported.${format}`)
      await download.saveAs(file)
      const {termbase} = await loadTermbase(project.project.glossaryDir)
      await upload(page, file)
      expect(await page.locator('[data-role="import-summary"]').textContent()).toBe(`exported.${format} would bring: 0 new, 0 changed, ${termbase.concepts.length} unchanged, 0 conflicts`)
      expect(page.problems).toEqual([])
    })
  }

  it.runIf(needsShared('conformance/tbx', 'the app import of a third-party TBX file'))('imports a third-party TBX file (TBX 2008 martif) and lists its concepts', async () => {
    const page = await open('/#/glossary')
    await page.locator('tr[data-concept]').first().waitFor()
    await upload(page, join(sharedDir, 'conformance/tbx/fr-extended-metadata.tbx'))
    expect(await page.locator('[data-role="import-summary"]').textContent()).toMatch(/^fr-extended-metadata\.tbx would bring: 2 new, 0 changed, 0 unchanged, 0 conflicts$/)
    const added = (await lines(page, 'new')).map((line) => line.replace(/^new /, ''))
    await page.click('[data-role="import-confirm"]')
    await page.locator('[data-role="import-result"]').waitFor()
    for (const id of added) await poll(() => page.locator(`tr[data-concept="${id}"]`).isVisible()).toBe(true)
    expect(await page.locator(`tr[data-concept="${added[0]}"]`).textContent()).toContain('bus de données')
    expect(page.problems).toEqual([])
  })

  it('refuses an import without the CSRF header, and a file that is not TBX in one line', async () => {
    const secret = 'ab'.repeat(16)
    const app = createReviewApp(project.project, {csrfSecret: secret})
    const body = JSON.stringify({name: 'x.tbx', text: await readFile(fixture, 'utf8'), apply: true})
    const refused = await app.request('/api/glossary/import', {method: 'POST', headers: {'content-type': 'application/json'}, body})
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as {error: {code: string}}).error.code).toBe('E_CSRF')
    const bad = await app.request('/api/glossary/import', {method: 'POST', headers: {'content-type': 'application/json', 'x-passerelle-csrf': secret}, body: JSON.stringify({name: 'notes.tbx', text: 'not xml', apply: true})})
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as {error: {code: string; message: string}}).error.message).toMatch(/^notes\.tbx: /)
    const preview = await app.request('/api/glossary/import', {method: 'POST', headers: {'content-type': 'application/json', 'x-passerelle-csrf': secret}, body: JSON.stringify({name: 'x.tbx', text: await readFile(fixture, 'utf8'), apply: false})})
    expect(((await preview.json()) as GlossaryImportResponse).written).toEqual([])
  })
})
