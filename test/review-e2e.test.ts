// The review app in Debian's Chromium, driven by playwright-core: a real
// server on a temp project, real clicks and keys, and the bundle and
// glossary files on disk checked after each action.
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {loadTermbase} from '../src/glossary/index.ts'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {launchChromium, screenshotPath, visibleSources} from './helpers/browser.ts'
import {repoRoot, type TempProject} from './helpers/project.ts'
import {applyEnglish, readBundle, reviewProject, segmentBySource, writeXssBundle, xssSlug} from './fixtures/review/project.ts'

let project: TempProject
let server: ReviewServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  project = await reviewProject(['en'])
  await writeXssBundle(project)
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

/** A fresh browser profile with a reviewer name, failing the test on any page error or dialog. */
async function open(path: string, reviewer = 'Zoé Martin'): Promise<Page> {
  const context = await browser.newContext({viewport: {width: 1440, height: 900}, locale: 'en-GB'})
  contexts.push(context)
  await context.addInitScript((name) => localStorage.setItem('passerelle.reviewer', name), reviewer)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  ;(page as Page & {problems: string[]}).problems = problems
  await page.goto(new URL(path, server.url).href)
  return page
}

/** Retry until the value matches: waits for the page, never asserts on time (the bound only ends a hung test). */
function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, {timeout: 30_000, interval: 50})
}

function problemsOf(page: Page): string[] {
  return (page as Page & {problems: string[]}).problems
}

function row(page: Page, source: string) {
  return page.locator('.seg', {has: page.locator('.seg-source', {hasText: source})}).first()
}

describe('review app in Chromium', () => {
  it('opens the dashboard, edits a segment with its tag chips, saves, approves, and the bundle on disk has it', async () => {
    const page = await open('/')
    const card = page.locator('.locale-card[data-locale="en"]')
    await poll(() => card.locator('tr[data-article="visite"]').count()).toBe(1)
    expect(await card.locator('h2').textContent()).toContain('English')
    await card.locator('a.article-link', {hasText: 'visite'}).click()
    await page.waitForSelector('.seg')
    expect(page.url()).toContain('#/a/en/visite')
    expect(await page.locator('.seg').count()).toBe(7)

    const meeting = row(page, 'Le 3 mars')
    // Source: tags as chips, glossary terms highlighted with the expected English term.
    expect(await meeting.locator('.seg-source .chip').count()).toBe(2)
    expect(await meeting.locator('.seg-source mark[data-concept="iom"]').getAttribute('data-expected')).toContain('IOM')

    const editor = meeting.locator('.editor')
    await editor.click()
    await poll(() => meeting.getAttribute('class')).toContain('active')
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Delete')
    await page.keyboard.type('On 3 March 2017, the IOM Director General met United Nations representatives in ')
    // The source's tags are offered as chips to insert; typed text never breaks them.
    await meeting.locator('.missing-tags .chip-button').first().click()
    await page.keyboard.type('Geneva')
    await meeting.locator('.missing-tags .chip-button').first().click()
    await page.keyboard.type('.')
    expect(await meeting.locator('.missing-tags .chip-button').count()).toBe(0)
    expect(await editor.locator('.chip').count()).toBe(2)

    await page.keyboard.press('Control+Enter')
    await poll(() => meeting.locator('[data-role="state"]').textContent()).toBe('translated')
    // Save-and-next moved on to the next segment.
    await poll(() => row(page, 'Pour en savoir').getAttribute('class')).toContain('active')
    const target = 'On 3 March 2017, the IOM Director General met United Nations representatives in <1>Geneva</1>.'
    let stored = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le 3 mars')
    expect(stored).toMatchObject({target, state: 'translated', origin: {kind: 'human', by: 'Zoé Martin'}})

    await page.keyboard.press('Alt+ArrowUp')
    await poll(() => meeting.getAttribute('class')).toContain('active')
    await page.keyboard.press('Control+Shift+Enter')
    await poll(() => meeting.locator('[data-role="state"]').textContent()).toBe('approved')
    stored = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le 3 mars')
    expect(stored).toMatchObject({target, state: 'approved', origin: {kind: 'human', by: 'Zoé Martin'}})
    expect(problemsOf(page)).toEqual([])
  })

  it('refuses to approve while QA errors remain, and shows why; acknowledging the error lets it through', async () => {
    const page = await open('/#/a/en/visite')
    // By id: filtered rows leave the DOM (windowed table), so a position would name another row.
    const heading = page.locator(`.seg[data-id="${await page.locator('.seg').nth(1).getAttribute('data-id')}"]`)
    await heading.locator('.editor').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Visit of the International Organisation for Migration to Geneva')
    await heading.locator('button', {hasText: 'Approve'}).click()
    const refusal = heading.locator('[data-role="refusal"]')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('glossary-forbidden')
    expect(await refusal.textContent()).toContain('International Organisation for Migration')
    expect(await heading.locator('[data-role="state"]').textContent()).toBe('machine')
    const id = await heading.getAttribute('data-id')
    expect((await readBundle(project, 'en', 'visite')).segments.find((segment) => segment.id === id)?.state).toBe('machine')
    // Filters: QA errors only is empty until the edit is saved; then it shows that row.
    await page.keyboard.press('Control+s')
    await poll(() => heading.locator('[data-role="state"]').textContent()).toBe('translated')
    // What a person sees: rows on screen, not the `hidden` attribute (CSS once overrode it).
    await page.selectOption('#filter-qa', 'error')
    await poll(() => visibleSources(page)).toEqual([expect.stringContaining('Visite de l’OIM')])
    expect(await heading.isVisible()).toBe(true)
    await page.selectOption('#filter-qa', '')
    await page.fill('#filter-text', 'pacte mondial')
    await poll(() => visibleSources(page)).toEqual(['Le Pacte mondial sera adopté en 2018.'])
    expect(await heading.isVisible()).toBe(false)

    // The reviewer acknowledges the error (say the check is wrong here): then Approve works.
    await page.fill('#filter-text', '')
    await poll(() => heading.isVisible()).toBe(true)
    const acknowledge = heading.locator('.seg-meta .finding-error [data-role="acknowledge"]')
    expect(await acknowledge.count()).toBe(1)
    await acknowledge.click()
    await poll(() => heading.locator('.seg-meta .finding-acknowledged').count()).toBe(1)
    expect(await heading.locator('.seg-meta .finding-acknowledged').getAttribute('class')).toContain('finding-info')
    expect(await heading.locator('.seg-meta .finding-acknowledged').textContent()).toContain('acknowledged by Zoé Martin')
    expect(await heading.locator('[data-role="acknowledge"]').count()).toBe(0)
    let stored = (await readBundle(project, 'en', 'visite')).segments.find((segment) => segment.id === id)!
    expect(stored.acknowledged).toEqual([expect.objectContaining({rule: 'glossary-forbidden', by: 'Zoé Martin'})])
    await heading.locator('.editor').click()
    await heading.locator('button', {hasText: 'Approve'}).click()
    await poll(() => heading.locator('[data-role="state"]').textContent()).toBe('approved')
    stored = (await readBundle(project, 'en', 'visite')).segments.find((segment) => segment.id === id)!
    expect(stored).toMatchObject({state: 'approved', target: 'Visit of the International Organisation for Migration to Geneva'})
    expect(stored.qa).toContainEqual(expect.objectContaining({rule: 'glossary-forbidden', severity: 'info'}))
    expect(problemsOf(page)).toEqual([])
  })

  it('inserts a translation-memory suggestion with Ctrl+Shift+1 (Ctrl+1 stays the browser tab switch)', async () => {
    const page = await open('/#/a/en/visite')
    const site = row(page, 'Pour en savoir')
    await site.locator('.editor').click()
    const suggestion = site.locator('.suggestion').first()
    await suggestion.waitFor()
    expect(await suggestion.locator('.score').textContent()).toMatch(/^\d+ %$/)
    await page.keyboard.press('Control+Shift+Digit1')
    await poll(() => site.locator('.editor').textContent()).toBe('For more information, visit 1the IOM website1.')
    expect(await site.locator('.editor .chip').count()).toBe(2)
    await page.keyboard.press('Control+Enter')
    await poll(async () => segmentBySource(await readBundle(project, 'en', 'visite'), 'Pour en savoir').target).toBe('For more information, visit <1>the IOM website</1>.')
    expect(problemsOf(page)).toEqual([])
  })

  it('adds a glossary concept in the glossary view, and the article highlights the new term', async () => {
    const page = await open('/#/glossary')
    await page.waitForSelector('tr[data-concept="iom"]')
    await page.fill('#glossary-search', 'organisation')
    await poll(() => page.locator('tbody tr').count()).toBe(1)
    await page.click('#new-concept')
    await page.fill('#concept-id', 'positive-force')
    await page.fill('#concept-domain', 'migration')
    await page.click('fieldset[data-language="fr"] .add-term')
    await page.fill('fieldset[data-language="fr"] .term-text', 'force positive')
    await page.click('fieldset[data-language="en"] .add-term')
    await page.fill('fieldset[data-language="en"] .term-text', 'positive force')
    await page.click('fieldset[data-language="en"] .add-term')
    await page.locator('fieldset[data-language="en"] .term-text').nth(1).fill('Positive Farce')
    await page.locator('fieldset[data-language="en"] .term-status').nth(1).selectOption('forbidden')
    await page.click('#concept-save')
    await page.waitForURL(/#\/glossary\/c\/positive-force$/)
    await page.locator('.usage-item').first().waitFor()

    const {termbase} = await loadTermbase(project.project.glossaryDir)
    expect(termbase.concepts.find((concept) => concept.id === 'positive-force')).toEqual({
      id: 'positive-force',
      domain: 'migration',
      terms: {fr: [{text: 'force positive', status: 'preferred'}], en: [{text: 'positive force', status: 'preferred'}, {text: 'Positive Farce', status: 'forbidden'}]}
    })

    // Usage links to the segment; the source shows the term, with the expected English term on hover.
    await page.locator('.usage-item').first().click()
    await page.waitForURL(/#\/a\/en\/visite\?seg=/)
    const mark = row(page, 'Les migrants').locator('mark[data-concept="positive-force"]')
    await mark.waitFor()
    expect(await mark.textContent()).toBe('force positive')
    await mark.hover()
    await poll(() => page.locator('#tip').textContent()).toContain('positive force')
    expect(await page.locator('#tip').isVisible()).toBe(true)
    await poll(() => row(page, 'Les migrants').getAttribute('class')).toContain('active')
    expect(problemsOf(page)).toEqual([])
  })

  it('shows a conflict with both versions when two reviewers save the same segment', async () => {
    const alice = await open('/#/a/en/visite', 'Alice')
    const bob = await open('/#/a/en/visite', 'Bob')
    for (const page of [alice, bob]) {
      await row(page, 'Le Pacte').locator('.editor').click()
      await page.keyboard.press('Control+A')
    }
    await alice.keyboard.type('The Global Compact will be adopted in 2018.')
    await bob.keyboard.type('The Global Compact is to be adopted in 2018.')
    await alice.keyboard.press('Control+s')
    await poll(() => row(alice, 'Le Pacte').locator('[data-role="state"]').textContent()).toBe('translated')

    await bob.keyboard.press('Control+s')
    const conflict = row(bob, 'Le Pacte').locator('[data-role="conflict"]')
    await conflict.waitFor()
    expect(await conflict.locator('.version-theirs').textContent()).toContain('The Global Compact will be adopted in 2018.')
    expect(await conflict.locator('.version-yours').textContent()).toContain('The Global Compact is to be adopted in 2018.')
    expect(await conflict.textContent()).toContain('by Alice')
    expect(segmentBySource(await readBundle(project, 'en', 'visite'), 'Le Pacte')).toMatchObject({target: 'The Global Compact will be adopted in 2018.', origin: {by: 'Alice'}})

    await conflict.locator('[data-role="keep-mine"]').click()
    await poll(async () => segmentBySource(await readBundle(project, 'en', 'visite'), 'Le Pacte').target).toBe('The Global Compact is to be adopted in 2018.')
    expect(segmentBySource(await readBundle(project, 'en', 'visite'), 'Le Pacte').origin?.by).toBe('Bob')
    expect(problemsOf(alice)).toEqual([])
    expect(problemsOf(bob)).toEqual([])
  })

  it('renders script payloads in sources, targets, tag labels and names as inert text', async () => {
    const page = await open(`/#/a/en/${xssSlug}`)
    const segment = page.locator('.seg').first()
    await segment.waitFor()
    expect(await segment.locator('.seg-source').textContent()).toContain('<script>window.__xss = 1</script>')
    expect(await segment.locator('.seg-source').textContent()).toContain('<img src=x onerror="window.__xss = 2">')
    expect(await segment.locator('.editor').textContent()).toContain('<img src=x onerror="window.__xss = 4">')
    expect(await page.locator('#main script, #main img').count()).toBe(0)
    await segment.locator('.seg-source .chip').first().hover()
    await poll(() => page.locator('#tip').textContent()).toContain('onerror')
    expect(await page.evaluate(() => (window as unknown as {__xss?: number}).__xss)).toBeUndefined()
    expect(problemsOf(page)).toEqual([])
  })

  it('keeps the view the person moved to when the one they left answers late', async () => {
    const context = await browser.newContext({viewport: {width: 1440, height: 900}, locale: 'en-GB'})
    contexts.push(context)
    const page = await context.newPage()
    // Hold the dashboard's status until the glossary is on screen, then let it answer.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/api/status', async (route) => {
      await held
      await route.continue()
    })
    await page.goto(new URL('/', server.url).href)
    await page.waitForSelector('.topbar')
    await page.locator('.nav a', {hasText: 'Glossary'}).click()
    const concept = page.locator('[data-concept="iom"]').first()
    await concept.waitFor({state: 'visible'})
    const answered = page.waitForResponse('**/api/status')
    release()
    await answered
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(page.url()).toContain('#/glossary')
    expect(await concept.isVisible()).toBe(true)
    expect(await page.locator('.locale-card').count()).toBe(0)
  })

  it('takes the README screenshot of the segment view', async () => {
    await applyEnglish(project)
    const page = await open('/#/a/en/visite', 'Zoé Martin')
    await page.waitForSelector('.seg')
    const active = row(page, 'Pour en savoir')
    await active.locator('.editor').click()
    await active.locator('.seg-tools .actions').waitFor()
    // A row redrawn by its live check while the pointer rests on it fires no new mouseover, so point again until
    // the term's tip shows.
    const term = row(page, 'La réunion').locator('mark[data-concept="migration-governance"]')
    await poll(async () => {
      await page.mouse.move(0, 0)
      await term.hover()
      return page.locator('#tip').isVisible()
    }).toBe(true)
    await page.screenshot({path: await screenshotPath(repoRoot, 'review-segment-view.png')})
    expect(problemsOf(page)).toEqual([])
  })
})
