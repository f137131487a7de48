// Debian's Chromium through playwright-core, for the review app's browser
// tests: one launcher, pages that record page errors and dialogs, and what a
// person sees of the segment table (rows on screen, not attributes).
import {chromium, type Browser, type BrowserContext, type Locator, type Page} from 'playwright-core'
import {expect} from 'vitest'

export const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchChromium(): Promise<Browser> {
  return chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: launchArgs})
}

export interface OpenedPage extends Page {
  problems: string[]
}

/** A fresh profile with a reviewer name; page errors and dialogs are collected in `problems`. */
export async function openPage(
  browser: Browser,
  contexts: BrowserContext[],
  url: string,
  options: {reviewer?: string; width?: number; height?: number; acceptDialogs?: boolean} = {}
): Promise<OpenedPage> {
  const context = await browser.newContext({viewport: {width: options.width ?? 1440, height: options.height ?? 900}, locale: 'en-GB'})
  contexts.push(context)
  await context.addInitScript((name) => localStorage.setItem('passerelle.reviewer', name), options.reviewer ?? 'Zoé Martin')
  const page = (await context.newPage()) as OpenedPage
  page.problems = []
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`))
  page.on('dialog', (dialog) => {
    page.problems.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await page.goto(url)
  return page
}

/** Retry until the value matches: waits for the page, never asserts on time (the bound only ends a hung test). */
export function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, {timeout: 30_000, interval: 50})
}

/** Something read from each segment row a person can see: rendered with a size, not `hidden`, not `display: none`. */
async function visibleRows(page: Page, read: (row: Locator) => Promise<string>): Promise<string[]> {
  const rows = page.locator('.seg')
  const out: string[] = []
  for (let index = 0; index < (await rows.count()); index++) {
    const row = rows.nth(index)
    const box = await row.boundingBox()
    if (!box || box.height === 0 || !(await row.isVisible())) continue
    out.push(await read(row))
  }
  return out
}

/** Source texts (start) of the segment rows a person can see. */
export function visibleSources(page: Page): Promise<string[]> {
  return visibleRows(page, async (row) => ((await row.locator('.seg-source').textContent()) ?? '').trim())
}

/** `data-id`s of the segment rows a person can see. */
export function visibleIds(page: Page): Promise<string[]> {
  return visibleRows(page, async (row) => (await row.getAttribute('data-id')) ?? '')
}

/**
 * Where a README screenshot goes. A test run must not rewrite tracked files (a clean clone stays clean after
 * `npm test`), so the shot lands in a temporary folder unless `PASSERELLE_SCREENSHOTS=1` asks to refresh docs/.
 */
export async function screenshotPath(repoRoot: string, name: string): Promise<string> {
  const {mkdir, mkdtemp} = await import('node:fs/promises')
  const {tmpdir} = await import('node:os')
  const {join} = await import('node:path')
  if (process.env.PASSERELLE_SCREENSHOTS === '1') {
    await mkdir(join(repoRoot, 'docs'), {recursive: true})
    return join(repoRoot, 'docs', name)
  }
  return join(await mkdtemp(join(tmpdir(), 'passerelle-shot-')), name)
}
