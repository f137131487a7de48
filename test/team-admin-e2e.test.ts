// The admin page of the team server in Debian's Chromium: an admin invites
// someone, the link signs them up, a role change reaches their open page on
// its next request, and disabling them sends that page back to sign-in; the
// last admin cannot disable themselves; a non-admin has no Users link and the
// API refuses them. What is asserted is what a person sees.
import {mkdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import type {ArticleData} from '../src/review/wire.ts'
import {launchChromium, openPage, poll, screenshotPath} from './helpers/browser.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot} from './helpers/project.ts'
import {password, signedInVisitor, startTeam, type TeamFixture} from './helpers/team.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP team-admin-e2e: ${missing}`)

const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'
const newcomer = 'nadia@example.org'
const newPassword = 'a passphrase Nadia chose herself'

describe.skipIf(missing !== undefined)('the admin page in a browser', () => {
  let cluster: TestCluster
  let team: TeamFixture
  let browser: Browser
  const contexts: BrowserContext[] = []
  /** A segment of the Spanish article with a target, not yet reviewed, among the first rows. */
  let segmentId = ''

  beforeAll(async () => {
    cluster = await startCluster()
    team = await startTeam(cluster, 'teamadmine2e')
    browser = await launchChromium()
    const admin = await signedInVisitor(team.url, 'admin@example.org', '10.40.0.1')
    const article = (await admin.request<ArticleData>('GET', `/api/articles/es/${slug}`)).body
    segmentId = article.segments.slice(0, 8).find((segment) => segment.target && ['machine', 'fuzzy', 'translated'].includes(segment.state))!.id
  }, 120_000)
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
  })
  afterAll(async () => {
    await browser?.close()
    await team?.close()
    await cluster?.stop()
  })

  async function signIn(email: string, secret: string, path: string): Promise<Page & {problems: string[]}> {
    const page = await openPage(browser, contexts, team.url + '/signin')
    await page.fill('input[name="email"]', email)
    await page.fill('input[name="password"]', secret)
    await page.click('button[type="submit"]')
    await page.waitForSelector('.topbar')
    await page.goto(team.url + path)
    return page
  }
  const userRow = (page: Page, email: string) => page.locator(`.users-table tr[data-email="${email}"]`)

  it('invite → sign-up → role change seen on the next request → disable sends the open page to sign-in', async () => {
    const admin = await signIn('admin@example.org', password, '/#/users')
    const link = admin.locator('.nav a', {hasText: 'Users'})
    expect(await link.isVisible()).toBe(true)
    expect(await link.evaluate((element) => element.classList.contains('current'))).toBe(true)
    await userRow(admin, 'translator@example.org').waitFor()
    const emails = await admin.locator('.users-table tbody tr [data-role="email"]').allTextContents()
    expect(emails).toEqual(['admin@example.orgyou', 'publisher@example.org', 'reviewer@example.org', 'terminologist@example.org', 'translator@example.org'])
    expect(await userRow(admin, 'translator@example.org').locator('[data-role="state"]').textContent()).toBe('active')
    expect(await userRow(admin, 'admin@example.org').locator('[data-role="last-signin"]').textContent()).not.toBe('never')

    // Invite a translator for Spanish: the link is shown once, the row says invited.
    await admin.fill('#invite-email', newcomer)
    await admin.selectOption('#invite-role', 'translator')
    await admin.check('#invite-locale-es')
    await admin.click('#invite-submit')
    const shown = admin.locator('[data-role="invitation-link"]')
    await shown.waitFor()
    expect(await shown.isVisible()).toBe(true)
    const invitation = await shown.inputValue()
    expect(invitation).toMatch(new RegExp(`^${team.url}/invite/[A-Za-z0-9_-]{43}$`))
    expect(await admin.locator('#invitation').textContent()).toContain('it is not shown again')
    await userRow(admin, newcomer).waitFor()
    expect(await userRow(admin, newcomer).locator('[data-role="state"]').textContent()).toMatch(/^invited until /)
    expect(await userRow(admin, newcomer).locator('[data-role="last-signin"]').textContent()).toBe('never')
    expect(await userRow(admin, newcomer).locator('input[value="es"]').isChecked()).toBe(true)
    expect(await userRow(admin, newcomer).locator('input[value="en"]').isChecked()).toBe(false)
    // No serious or critical accessibility violation (axe-core, evaluated through the debugging protocol: the CSP stays).
    await admin.evaluate(await readFile(join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8'))
    const violations = await admin.evaluate(async () => {
      const axe = (window as unknown as {axe: {run: (context: Document, options: object) => Promise<{violations: {id: string; impact: string; nodes: {target: string[]}[]}[]}>}}).axe
      const {violations} = await axe.run(document, {resultTypes: ['violations']})
      return violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => `${item.impact} ${item.id}: ${item.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`)
    })
    expect(violations).toEqual([])
    // The README's picture of the page.
    await mkdir(`${repoRoot}docs`, {recursive: true})
    await admin.screenshot({path: await screenshotPath(repoRoot, 'team-users.png')})

    // The newcomer follows the link, sets a password, signs in and opens the Spanish article.
    const nadia = await openPage(browser, contexts, invitation)
    expect(await nadia.locator('h2').textContent()).toBe('Set your password')
    expect(await nadia.locator('main strong').textContent()).toBe(newcomer)
    await nadia.fill('input[name="password"]', newPassword)
    await nadia.fill('input[name="confirm"]', newPassword)
    await nadia.click('button[type="submit"]')
    await nadia.waitForURL(/\/signin\?welcome=1/)
    expect(await nadia.locator('[role="status"]').textContent()).toBe('Your password is set: sign in.')
    await nadia.fill('input[name="email"]', newcomer)
    await nadia.fill('input[name="password"]', newPassword)
    await nadia.click('button[type="submit"]')
    await nadia.waitForSelector('.topbar')
    // No Users tab for a translator.
    expect(await nadia.locator('.nav a', {hasText: 'Users'}).count()).toBe(0)
    await nadia.goto(`${team.url}/#/a/es/${slug}`)
    const row = nadia.locator(`.seg[data-id="${segmentId}"]`)
    await row.waitFor()
    await row.locator('.editor').click()
    await row.getByRole('button', {name: 'Reviewed', exact: true}).click()
    const refusal = row.locator('.note-error')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('your role (translator) may not segment.review in es')
    expect(await row.locator('[data-role="state"]').textContent()).not.toBe('reviewed')

    // The admin makes them a reviewer; the page they have open is allowed on its next request.
    await admin.reload()
    await userRow(admin, newcomer).waitFor()
    expect(await userRow(admin, newcomer).locator('[data-role="state"]').textContent()).toBe('active')
    expect(await userRow(admin, newcomer).locator('[data-role="last-signin"]').textContent()).not.toBe('never')
    await userRow(admin, newcomer).locator('[data-role="role"]').selectOption('reviewer')
    await userRow(admin, newcomer).locator('[data-role="save"]').click()
    await poll(() => admin.locator('#users-status').textContent()).toBe(`${newcomer} is now reviewer (es).`)
    expect(await userRow(admin, newcomer).locator('[data-role="role"]').inputValue()).toBe('reviewer')

    await row.getByRole('button', {name: 'Reviewed', exact: true}).click()
    await poll(() => row.locator('[data-role="state"]').textContent()).toBe('reviewed')

    // Disabled: the newcomer's open page is sent to sign-in on its next request.
    await userRow(admin, newcomer).locator('[data-role="disable"]').click()
    await poll(() => userRow(admin, newcomer).locator('[data-role="state"]').textContent()).toBe('disabled')
    expect(await userRow(admin, newcomer).locator('[data-role="enable"]').isVisible()).toBe(true)
    // (No unsaved edit on the page: with one, the browser would first ask before leaving it.) The page's own
    // live-update stream may meet the 401 first and go to sign-in by itself; otherwise the next click does.
    if (!/\/signin$/.test(nadia.url())) await nadia.locator('.nav a', {hasText: 'Dashboard'}).click({timeout: 10_000}).catch(() => undefined)
    await nadia.waitForURL(/\/signin$/)
    expect(await nadia.locator('h2').textContent()).toBe('Sign in')
    expect(await nadia.locator('h2').isVisible()).toBe(true)

    // The only admin cannot disable themselves: the page says why, and nothing changes.
    await userRow(admin, 'admin@example.org').locator('[data-role="disable"]').click()
    const alert = admin.locator('#users-status [role="alert"]')
    await alert.waitFor()
    expect(await alert.isVisible()).toBe(true)
    expect(await alert.textContent()).toContain('admin@example.org is the last active admin')
    expect(await alert.textContent()).toContain('make another user admin')
    expect(await userRow(admin, 'admin@example.org').locator('[data-role="state"]').textContent()).toBe('active')
    // The status line sits above the table, where the admin looks.
    const [status, table] = [await alert.boundingBox(), await admin.locator('.users-table').boundingBox()]
    expect(status!.y).toBeLessThan(table!.y)
    expect(admin.problems).toEqual([])
  })

  it('a non-admin sees no Users link, cannot open the page, and the API answers 403', async () => {
    const page = await signIn('reviewer@example.org', password, '/#/users')
    await page.waitForSelector('.nav')
    expect(await page.locator('.nav a').allTextContents()).not.toContain('Users')
    // #/users falls back to the dashboard.
    await page.locator('.locale-card').first().waitFor()
    expect(await page.locator('.users-table').count()).toBe(0)
    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/users', {headers: {accept: 'application/json'}})
      return {status: response.status, body: (await response.json()) as {error: {code: string}}}
    })
    expect([answer.status, answer.body.error.code]).toEqual([403, 'E_FORBIDDEN'])
    const invite = await page.evaluate(async () => {
      const csrf = document.querySelector('meta[name="passerelle-csrf"]')!.getAttribute('content')!
      const response = await fetch('/api/users', {method: 'POST', headers: {'content-type': 'application/json', 'x-passerelle-csrf': csrf}, body: JSON.stringify({email: 'mallory@example.org', role: 'admin', locales: []})})
      return response.status
    })
    expect(invite).toBe(403)
    expect(page.problems).toEqual([])
  })
})
