// A 5,000-segment article in Debian's Chromium: windowed rendering keeps the
// DOM small while filters, navigation and links to a segment still reach every
// row. Assertions are about what a person sees: rows on screen, their text,
// their position.
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {bigArticleProject, type BigArticle} from './helpers/big-article.ts'
import {launchChromium, openPage, poll, visibleIds} from './helpers/browser.ts'

const size = 5000
let big: BigArticle
let server: ReviewServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  big = await bigArticleProject(size)
  server = await startReviewServer(big.project, {port: 0, reviewer: 'Bench'})
  browser = await launchChromium()
}, 600_000)

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await big?.cleanup()
})

const open = (path: string) => openPage(browser, contexts, new URL(path, server.url).href)
const rowsInDom = (page: Page) => page.locator('.seg').count()

/** Scroll from the top to the bottom a screen at a time, collecting the ids of the rows a person sees, in order. */
async function idsSeenScrolling(page: Page): Promise<string[]> {
  await page.evaluate(() => window.scrollTo(0, 0))
  const seen: string[] = []
  for (let step = 0; step < 2000; step++) {
    await page.evaluate(() => new Promise(requestAnimationFrame))
    for (const id of await visibleIds(page)) if (!seen.includes(id)) seen.push(id)
    const atEnd = await page.evaluate(() => {
      const end = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1
      window.scrollBy(0, Math.floor(window.innerHeight * 0.7))
      return end
    })
    if (atEnd) break
  }
  return seen
}

// A loaded machine (2 shared cores) makes a 5,000-segment page slow to drive: the bounds only end a hung test.
describe(`an article of ${size} segments`, {timeout: 300_000}, () => {
  it('opens with far fewer rows in the DOM, and scrolling to the end shows the last segment in place', async () => {
    const page = await open(`/#/a/en/${big.slug}`)
    await page.locator('.seg').first().waitFor()
    expect(await page.locator('#shown-count').textContent()).toBe(`${size} of ${size} segments`)
    expect(await rowsInDom(page)).toBeLessThan(100)

    const ids = big.bundle.segments.map((segment) => segment.id)
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await poll(async () => (await visibleIds(page)).at(-1)).toBe(ids.at(-1))
    // Still a window after the whole way down.
    expect(await rowsInDom(page)).toBeLessThan(100)
    const last = page.locator(`.seg[data-id="${ids.at(-1)}"]`)
    const before = page.locator(`.seg[data-id="${ids.at(-2)}"]`)
    await poll(async () => {
      const [a, b] = [await before.boundingBox(), await last.boundingBox()]
      return a && b ? Math.abs(a.y + a.height - b.y) : Infinity
    }).toBeLessThanOrEqual(1)
    const box = (await last.boundingBox())!
    expect(box.y + box.height).toBeLessThanOrEqual(900)
    expect(box.y).toBeGreaterThan(0)
    expect((await last.locator('.seg-num .num').textContent())?.trim()).toBe(String(size))
    expect(await last.locator('.seg-source').textContent()).toContain(marker(big.bundle.segments.at(-1)!.source))
    // The page ends with the table: no blank space left below the last row.
    const gap = await page.evaluate(() => document.documentElement.scrollHeight - (document.querySelector('.segments')!.getBoundingClientRect().bottom + window.scrollY))
    expect(gap).toBeLessThan(200)
    expect(page.problems).toEqual([])
  })

  it('a filter shows exactly its rows, all the way through the article', async () => {
    const page = await open(`/#/a/en/${big.slug}`)
    await page.locator('.seg').first().waitFor()
    await page.check('#filter-stale')
    const stale = big.bundle.segments.filter((segment) => segment.stale).map((segment) => segment.id)
    expect(stale.length).toBeGreaterThan(20)
    expect(await page.locator('#shown-count').textContent()).toBe(`${stale.length} of ${size} segments`)
    expect(await idsSeenScrolling(page)).toEqual(stale)

    await page.uncheck('#filter-stale')
    const wanted = big.bundle.segments[3210]!
    await page.fill('#filter-text', marker(wanted.source).slice(1))
    await poll(() => visibleIds(page)).toEqual([wanted.id])
    expect(page.problems).toEqual([])
  })

  it('keyboard navigation and a concordance link reach a far segment and bring it on screen', async () => {
    const page = await open(`/#/a/en/${big.slug}`)
    await page.locator('.seg.active').waitFor()
    const far = size - 150
    const target = big.bundle.segments[far]!
    await page.fill('#concordance-input', marker(target.source).slice(1))
    await page.locator('.concordance-form button').click()
    await page.locator(`#concordance-box a.concordance-link[href$="seg=${target.id}"]`).click()
    const row = page.locator(`.seg[data-id="${target.id}"]`)
    await poll(() => row.evaluate((element) => element.classList.contains('active')).catch(() => false)).toBe(true)
    await expectOnScreen(page, target.id)
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(100_000)

    // Alt+↓ goes on to the next segment of the article, on screen too.
    const next = big.bundle.segments[far + 1]!
    await page.keyboard.press('Alt+ArrowDown')
    await poll(() => page.locator('.seg.active').getAttribute('data-id')).toBe(next.id)
    await expectOnScreen(page, next.id)
    expect(await rowsInDom(page)).toBeLessThan(100)
    expect(page.problems).toEqual([])
  })
})

describe(`live checks of an article of ${size} segments opened as recorded`, {timeout: 300_000}, () => {
  // A server of its own: its view cache is cold, as after a restart, whatever the tests above checked.
  let cold: ReviewServer
  beforeAll(async () => {
    cold = await startReviewServer(big.project, {port: 0, reviewer: 'Bench'})
  })
  afterAll(async () => {
    await cold?.close()
  })

  it('asks for the live view of every row exactly once: the rows on screen first, then the rest in batches', async () => {
    const requested: string[][] = []
    // The rows the server opened as recorded are the ones to check; a row it already had checked opens live
    // and must not be asked for again.
    let recorded: Set<string> | undefined
    // A page of the server first (its origin has the storage the profile's script writes), listening before the app loads.
    const page = await openPage(browser, contexts, new URL('/assets/styles.css', cold.url).href)
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith(`/${big.slug}/views`)) requested.push((request.postDataJSON() as {ids: string[]}).ids)
    })
    page.on('response', async (response) => {
      if (response.request().method() === 'GET' && response.url().includes(`/${big.slug}?rows=recorded`)) {
        const body = (await response.json()) as {segments: {id: string; recorded?: boolean}[]}
        recorded = new Set(body.segments.filter((segment) => segment.recorded).map((segment) => segment.id))
      }
    })
    await page.goto(new URL(`/#/a/en/${big.slug}`, cold.url).href)
    await page.locator('.seg').first().waitFor()
    await poll(() => recorded !== undefined).toBe(true)
    const expected = recorded!
    // A cold cache: the article opens as recorded, all but the rows whose check came back before this read.
    expect(expected.size).toBeGreaterThan(size - 200)
    const onScreen = (await visibleIds(page)).filter((id) => expected.has(id))
    // Scrolling meanwhile changes nothing to the total: each row once.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2))
    // Checking thousands of segments takes a while on a loaded machine: the bound only ends a hung test.
    await expect.poll(() => requested.flat().length, {timeout: 240_000, interval: 200}).toBe(expected.size)
    expect(new Set(requested.flat())).toEqual(expected)
    expect(onScreen.every((id) => requested.slice(0, 2).flat().includes(id))).toBe(true)
    expect(Math.max(...requested.map((ids) => ids.length))).toBeLessThanOrEqual(100)
    expect(page.problems).toEqual([])
  })
})

async function expectOnScreen(page: Page, id: string): Promise<void> {
  await poll(() => visibleIds(page)).toContain(id)
  const box = (await page.locator(`.seg[data-id="${id}"]`).boundingBox())!
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.y + Math.min(box.height, 200)).toBeLessThanOrEqual(900)
}

/** The `(paragraphe N)` that makes each generated sentence unique. */
function marker(source: string): string {
  const found = /\(paragraphe \d+\)/.exec(source)
  if (!found) throw new Error(`no marker in ${source}`)
  return found[0]
}
