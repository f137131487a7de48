// The team server in Debian's Chromium: a person is sent to the sign-in page,
// signs in, edits a segment, and the history names them (from their account,
// not from anything the browser says); two people saving the same segment see
// a conflict with both versions. What is asserted is what a person sees.
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {databaseBundleStore, openPool} from '../src/db/index.ts'
import type {ArticleData} from '../src/review/wire.ts'
import {launchChromium, openPage, poll} from './helpers/browser.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {password, signedInVisitor, startTeam, type TeamFixture} from './helpers/team.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP team-e2e: ${missing}`)

const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'

function row(page: Page, source: string) {
  return page.locator('.seg', {has: page.locator('.seg-source', {hasText: source})}).first()
}

describe.skipIf(missing !== undefined)('team server in a browser', () => {
  let cluster: TestCluster
  let team: TeamFixture
  let browser: Browser
  const contexts: BrowserContext[] = []
  let sources: string[] = []

  beforeAll(async () => {
    cluster = await startCluster()
    team = await startTeam(cluster, 'teame2e')
    browser = await launchChromium()
    const admin = await signedInVisitor(team.url, 'admin@example.org', '10.20.0.1')
    const article = (await admin.request<ArticleData>('GET', `/api/articles/en/${slug}`)).body
    // Sources (their start) of editable rows with a target, distinct enough to find the row by.
    sources = article.segments.filter((segment) => segment.target && segment.state !== 'approved').map((segment) => segment.source.replace(/<[^>]*>/g, '').slice(0, 40))
  }, 120_000)
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
  })
  afterAll(async () => {
    await browser?.close()
    await team?.close()
    await cluster?.stop()
  })

  /** Open the app, land on the sign-in page, and sign in as a person would. */
  async function signIn(email: string, path = `/#/a/en/${slug}`) {
    // A reviewer name in the browser's storage must not matter in team mode.
    const page = await openPage(browser, contexts, team.url + path, {reviewer: 'Mallory'})
    await page.waitForURL(/\/signin(#.*)?$/)
    expect(await page.locator('h2').textContent()).toBe('Sign in')
    await page.fill('input[name="email"]', email)
    await page.fill('input[name="password"]', password)
    await page.click('button[type="submit"]')
    await page.waitForSelector('.topbar')
    await page.goto(team.url + path)
    await page.waitForSelector('.seg')
    return page
  }

  it('signs in, saves a segment, and the history shows the signed-in user', async () => {
    const page = await signIn('reviewer@example.org')
    expect(await page.locator('.topbar .user-name').textContent()).toBe('reviewer@example.org')
    expect(await page.locator('#reviewer').count()).toBe(0)
    const source = sources[0]!
    const target = row(page, source)
    await target.locator('.editor').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('A translation saved by a signed-in reviewer.')
    await page.keyboard.press('Control+s')
    await poll(() => target.locator('[data-role="state"]').textContent()).toBe('translated')

    await target.locator('[data-role="history-toggle"] > summary').click()
    const entry = target.locator('.history-entry').first()
    await entry.waitFor()
    expect(await entry.isVisible()).toBe(true)
    expect(await entry.locator('.history-who').textContent()).toBe('reviewer@example.org')

    // The database holds it, with the user on the segment and in the audit trail.
    const pool = await openPool(team.database, {max: 1})
    try {
      const bundle = (await databaseBundleStore(pool).read('en', slug))!
      const saved = bundle.segments.find((segment) => segment.target === 'A translation saved by a signed-in reviewer.')!
      expect(saved.origin?.by).toBe('reviewer@example.org')
      const audit = await pool.query<{actor: string}>("SELECT actor FROM audit WHERE entity = 'segment' AND after->>'target' = $1", ['A translation saved by a signed-in reviewer.'])
      expect(audit.rows).toEqual([{actor: 'reviewer@example.org'}])
    } finally {
      await pool.end()
    }
    expect(page.problems).toEqual([])

    // Sign out: back to the sign-in page, and the app no longer opens.
    await page.click('.sign-out')
    await page.waitForURL(/\/signin\?out=1(#.*)?$/)
    await page.goto(team.url + '/')
    await page.waitForURL(/\/signin(#.*)?$/)
  })

  it('shows a conflict with both versions when two signed-in people save the same segment', async () => {
    const alice = await signIn('reviewer@example.org')
    const bob = await signIn('translator@example.org')
    const source = sources[1]!
    for (const page of [alice, bob]) {
      await row(page, source).locator('.editor').click()
      await page.keyboard.press('Control+A')
    }
    await alice.keyboard.type('The reviewer’s version.')
    await bob.keyboard.type('The translator’s version.')
    await alice.keyboard.press('Control+s')
    await poll(() => row(alice, source).locator('[data-role="state"]').textContent()).toBe('translated')

    await bob.keyboard.press('Control+s')
    const conflict = row(bob, source).locator('[data-role="conflict"]')
    await conflict.waitFor()
    expect(await conflict.isVisible()).toBe(true)
    expect(await conflict.locator('.version-theirs').textContent()).toContain('The reviewer’s version.')
    expect(await conflict.locator('.version-yours').textContent()).toContain('The translator’s version.')
    expect(await conflict.textContent()).toContain('by reviewer@example.org')
  })
})
