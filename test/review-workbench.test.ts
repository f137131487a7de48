// The review app as a translator's workbench, in Debian's Chromium: filters
// that hide rows, stale context, suggestions, concordance, history, comments,
// narrow screens and accessibility. Assertions are about what a person sees
// (rows on screen, their text and position), and about the files on disk.
import type {Browser, BrowserContext} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {launchChromium, openPage, poll, visibleIds, visibleSources} from './helpers/browser.ts'
import type {TempProject} from './helpers/project.ts'
import {applyEnglish, readBundle, reviewProject} from './fixtures/review/project.ts'

let project: TempProject
let server: ReviewServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  project = await reviewProject(['en'])
  await applyEnglish(project)
  server = await startReviewServer(project.project, {port: 0, reviewer: 'Server Default'})
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
    await poll(() => visibleSources(page)).toEqual([])
    await poll(() => page.locator('#shown-count').textContent()).toBe(`0 of ${bundle.segments.length} segments`)
    await page.uncheck('#filter-stale')

    await page.fill('#filter-text', 'force positive')
    await poll(() => visibleSources(page)).toEqual(['Les migrants sont une force positive pour le développement.'])
    // Search covers the target too.
    await page.fill('#filter-text', 'Global Pact')
    await poll(() => visibleSources(page)).toEqual(['Le Pacte mondial sera adopté en 2018.'])
    await page.fill('#filter-text', '')
    await poll(() => visibleSources(page)).toHaveLength(bundle.segments.length)
    expect(page.problems).toEqual([])
  })
})
