// The review app as a translator's workbench, in Debian's Chromium: filters
// that hide rows, stale context, suggestions, concordance, history, comments,
// narrow screens and accessibility. Assertions are about what a person sees
// (rows on screen, their text and position), and about the files on disk.
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Browser, BrowserContext} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {translateProject} from '../src/translate/run.ts'
import {launchChromium, openPage, poll, visibleIds, visibleSources} from './helpers/browser.ts'
import type {TempProject} from './helpers/project.ts'
import {applyEnglish, readBundle, reviewProject, segmentBySource} from './fixtures/review/project.ts'

let project: TempProject
let server: ReviewServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  project = await reviewProject(['en'])
  await applyEnglish(project)
  // The author rewrites a sentence under a human translation: the next run marks it stale, the old pair kept as `previous`.
  const file = join(project.root, 'content/fr/visite.md')
  await writeFile(file, (await readFile(file, 'utf8')).replace('une force positive', 'une force très positive'))
  await translateProject(project.project, {locales: ['en'], engine: createPseudoEngine(), now: () => '2017-03-05T09:00:00.000Z'})
  server = await startReviewServer(project.project, {port: 0, reviewer: 'Server Default', machine: async () => [createPseudoEngine()]})
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

const open = (path: string, options: Parameters<typeof openPage>[3] = {}) => openPage(browser, contexts, new URL(path, server.url).href, options)

describe('segment filters', () => {
  it('each filter shows exactly the rows it should, and the counter agrees with the screen', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    const idsWhere = (keep: (state: string) => boolean) => bundle.segments.filter((segment) => keep(segment.state)).map((segment) => segment.id)
    const page = await open('/#/a/en/visite')
    await page.waitForSelector('.seg')
    expect(await visibleSources(page)).toHaveLength(bundle.segments.length)

    await page.selectOption('#filter-state', 'approved')
    const approved = idsWhere((state) => state === 'approved')
    expect(approved.length).toBeGreaterThan(0)
    expect(approved.length).toBeLessThan(bundle.segments.length)
    await poll(() => visibleIds(page)).toEqual(approved)
    expect(await page.locator('#shown-count').textContent()).toBe(`${approved.length} of ${bundle.segments.length} segments`)

    await page.selectOption('#filter-state', 'todo')
    await poll(() => visibleIds(page)).toEqual(idsWhere((state) => state !== 'approved'))

    await page.selectOption('#filter-state', 'machine')
    await poll(() => visibleIds(page)).toEqual(idsWhere((state) => state === 'machine'))

    await page.selectOption('#filter-state', '')
    await page.check('#filter-stale')
    const stale = bundle.segments.filter((segment) => segment.stale).map((segment) => segment.id)
    expect(stale).toHaveLength(1)
    await poll(() => visibleIds(page)).toEqual(stale)
    await poll(() => page.locator('#shown-count').textContent()).toBe(`1 of ${bundle.segments.length} segments`)
    await page.uncheck('#filter-stale')

    await page.fill('#filter-text', 'très positive')
    await poll(() => visibleSources(page)).toEqual(['Les migrants sont une force très positive pour le développement.'])
    // Search covers the target too.
    await page.fill('#filter-text', 'Global Pact')
    await poll(() => visibleSources(page)).toEqual(['Le Pacte mondial sera adopté en 2018.'])
    await page.fill('#filter-text', '')
    await poll(() => visibleSources(page)).toHaveLength(bundle.segments.length)
    expect(page.problems).toEqual([])
  })
})

describe('stale context and suggestions', () => {
  it('shows what changed in the source, the previous target and the applied TM match; accepting the edited target settles it', async () => {
    const page = await open('/#/a/en/visite')
    const row = page.locator('.seg', {has: page.locator('.seg-source', {hasText: 'très positive'})})
    await row.locator('.editor').click()
    const stalePanel = row.locator('[data-panel="stale"]')
    await stalePanel.waitFor()
    expect(await stalePanel.isVisible()).toBe(true)
    // Word diff of the old and new source: only "très" came in.
    expect((await stalePanel.locator('[data-role="source-diff"] ins').allTextContents()).join('').trim()).toBe('très')
    expect(await stalePanel.locator('[data-role="source-diff"] del').count()).toBe(0)
    expect(await stalePanel.locator('[data-role="previous-target"]').textContent()).toBe('Migrants are a positive force for development.')

    // The TM match that filled the row is shown as applied, with its score: no "No match" beside "TM 90 %".
    const applied = row.locator('.suggestion-applied')
    await applied.waitFor()
    expect(await applied.locator('.score').textContent()).toMatch(/^\d+ %$/)
    expect(await row.locator('.origin').textContent()).toContain('TM')
    expect(await row.getByText('No translation-memory match').count()).toBe(0)
    // The match's source beside this one, as a diff.
    expect((await applied.locator('[data-role="match-diff"] ins').allTextContents()).join('').trim()).toBe('très')

    // Machine translation on demand: shown, not saved.
    const before = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    await row.locator('[data-role="machine"]').click()
    const machine = row.locator('[data-role="machine-list"] .suggestion')
    await machine.first().waitFor()
    expect(await machine.first().textContent()).toContain('⟦')
    expect(segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')).toEqual(before)

    // Edit, then accept: saved as translated, no longer stale, on screen and on disk.
    await row.locator('.editor').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Migrants are a very positive force for development.')
    await stalePanel.locator('[data-role="accept-stale"]').click()
    await poll(() => row.locator('[data-role="state"]').textContent()).toBe('translated')
    expect(await row.locator('.badge-stale').count()).toBe(0)
    const after = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    expect(after).toMatchObject({target: 'Migrants are a very positive force for development.', state: 'translated', origin: {kind: 'human', by: 'Zoé Martin'}})
    expect(after.stale).toBeUndefined()
    expect(page.problems).toEqual([])
  })
})
