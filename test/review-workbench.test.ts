// The review app as a translator's workbench, in Debian's Chromium: filters
// that hide rows, stale context, suggestions, concordance, history, comments,
// narrow screens and accessibility. Assertions are about what a person sees
// (rows on screen, their text and position), and about the files on disk.
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Browser, BrowserContext} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {loadTermbase} from '../src/glossary/index.ts'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {translateProject} from '../src/translate/run.ts'
import {launchChromium, openPage, poll, screenshotPath, visibleIds, visibleSources} from './helpers/browser.ts'
import {repoRoot, type TempProject} from './helpers/project.ts'
import {applyEnglish, readBundle, reviewProject, segmentBySource, writeBundle} from './fixtures/review/project.ts'
import type {Page} from 'playwright-core'

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
  // A second article whose approved translation holds the phrase the concordance test looks up.
  const visite = await readBundle(project, 'en', 'visite')
  const pacte = segmentBySource(visite, 'Le Pacte')
  await writeBundle(project, {
    ...visite,
    article: 'rapport',
    segments: [{...pacte, id: 'aaaaaaaaaaaa', hash: 'aaaaaaaaaaaa', source: 'Les États membres ont adopté le Pacte mondial.', target: 'The Member States adopted the Global Compact.', state: 'approved', origin: {kind: 'human', by: 'Ana Ruiz'}}],
    retired: []
  })
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

function segmentRow(page: Page, source: string) {
  return page.locator('.seg', {has: page.locator('.seg-source', {hasText: source})}).first()
}

describe('concordance', () => {
  it('finds a selected phrase in another article, highlighted, and links to its segment', async () => {
    const page = await open('/#/a/en/visite')
    await page.waitForSelector('.seg')
    await page.fill('#concordance-input', 'Pacte mondial')
    await page.locator('.concordance-form button').click()
    const box = page.locator('#concordance-box')
    await box.locator('.concordance-entry').first().waitFor()
    const other = box.locator('.concordance-entry', {has: page.locator('a.concordance-link', {hasText: 'rapport'})})
    expect(await other.isVisible()).toBe(true)
    expect(await other.locator('.concordance-source mark.hit').textContent()).toBe('Pacte mondial')
    expect(await other.locator('.concordance-target').textContent()).toBe('The Member States adopted the Global Compact.')

    // Alt+K looks up the selected words.
    const source = segmentRow(page, 'Le Pacte').locator('.seg-source')
    // Select "Pacte" in the source text, wherever its text node is.
    await source.evaluate((element) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf('Pacte')
        if (at === -1) continue
        const range = document.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + 5)
        window.getSelection()!.removeAllRanges()
        window.getSelection()!.addRange(range)
        return
      }
    })
    await page.keyboard.press('Alt+k')
    await poll(() => page.locator('#concordance-input').inputValue()).toBe('Pacte')
    await poll(() => box.locator('.concordance-head').textContent()).toContain('“Pacte”')

    await other.locator('a.concordance-link').click()
    await page.waitForURL(/#\/a\/en\/rapport\?seg=aaaaaaaaaaaa$/)
    await poll(() => segmentRow(page, 'Les États membres').getAttribute('class')).toContain('active')
    expect(page.problems).toEqual([])
  })
})

describe('history, comments, glossary panel, live QA', () => {
  it('shows an edit in the history with its diff and reverts it; a comment thread is added and resolved', async () => {
    const page = await open('/#/a/en/visite')
    const row = segmentRow(page, 'La réunion')
    const editor = row.locator('.editor')
    await editor.click()
    const original = (await readBundle(project, 'en', 'visite')).segments.find((segment) => segment.source.startsWith('La réunion'))!.target!
    await page.keyboard.press('Control+A')
    await page.keyboard.type('The meeting was about migration governance and the role of local authorities.')
    await page.keyboard.press('Control+s')
    await poll(() => row.locator('[data-role="state"]').textContent()).toBe('translated')

    await row.locator('[data-role="history-toggle"] > summary').click()
    const entry = row.locator('.history-entry').first()
    await entry.waitFor()
    expect(await entry.locator('.history-who').textContent()).toBe('Zoé Martin')
    expect(await entry.locator('.history-states').textContent()).toBe('machine → translated')
    expect((await entry.locator('[data-role="target-diff"] ins').allTextContents()).join('')).toContain('migration')
    expect((await entry.locator('[data-role="target-diff"] del').allTextContents()).join('')).toContain('migrations')

    await entry.locator('[data-role="revert"]').click()
    await poll(async () => segmentBySource(await readBundle(project, 'en', 'visite'), 'La réunion').target).toBe(original)
    await poll(() => editor.textContent()).toBe(original)
    await poll(() => row.locator('.history-entry').first().locator('.pill').textContent()).toBe('revert')

    await row.locator('.comment-input').fill('Should “local authorities” be “local governments” here?')
    await row.locator('[data-role="add-comment"]').click()
    const thread = row.locator('.comment-thread').first()
    await thread.waitFor()
    expect(await thread.locator('.comment-text').textContent()).toBe('Should “local authorities” be “local governments” here?')
    expect(await thread.locator('.comment-by').textContent()).toBe('Zoé Martin')
    await thread.locator('[data-role="resolve"]').click()
    await poll(() => row.locator('.comment-thread [data-role="resolved"]').textContent()).toBe('resolved by Zoé Martin')
    expect(page.problems).toEqual([])
  })

  it('lists the glossary terms of the segment, inserts one on click, and re-checks QA while typing', async () => {
    const page = await open('/#/a/en/visite')
    const row = segmentRow(page, 'Le 3 mars')
    await row.locator('.editor').click()
    const terms = row.locator('[data-panel="glossary"]')
    await terms.waitFor()
    const iom = terms.locator('.term-entry[data-concept="iom"]')
    expect(await iom.locator('[data-role="forbidden"]').first().textContent()).toBe('International Organisation for Migration')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('On 3 March 2017 the ')
    await iom.locator('[data-role="insert-term"]').first().click()
    await poll(() => row.locator('.editor').textContent()).toBe('On 3 March 2017 the IOM')
    // QA as typed: a forbidden term shows as an error before anything is saved.
    await page.keyboard.type(' — International Organisation for Migration — met')
    await poll(() => row.locator('.seg-meta [data-role="live-qa"]').isVisible()).toBe(true)
    await poll(() => row.locator('.seg-meta .finding-error[data-rule="glossary-forbidden"]').count()).toBe(1)
    await poll(() => iom.locator('.pill-error').isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await poll(() => row.locator('.seg-meta [data-role="live-qa"]').count()).toBe(0)
    expect(page.problems).toEqual([])
  })
})

describe('bulk approval', () => {
  it('approves the filtered rows without QA errors after a confirmation', async () => {
    const page = await open('/#/a/en/visite')
    await page.waitForSelector('.seg')
    await page.selectOption('#filter-state', 'reviewed')
    const reviewed = (await readBundle(project, 'en', 'visite')).segments.filter((segment) => segment.state === 'reviewed' && !segment.qa.some((finding) => finding.severity === 'error'))
    expect(reviewed.length).toBeGreaterThan(0)
    await poll(() => visibleIds(page)).toEqual(reviewed.map((segment) => segment.id))
    await page.click('#bulk-approve')
    const confirm = page.locator('#bulk-confirm')
    await poll(() => confirm.isVisible()).toBe(true)
    expect(await confirm.textContent()).toContain(`Approve ${reviewed.length} shown segment`)
    // Nothing happens before the confirmation.
    expect((await readBundle(project, 'en', 'visite')).segments.filter((segment) => segment.state === 'reviewed')).toHaveLength(reviewed.length)
    await confirm.locator('[data-role="bulk-confirm"]').click()
    await poll(() => confirm.locator('[data-role="bulk-result"]').textContent()).toContain(`Approved ${reviewed.length}`)
    const after = await readBundle(project, 'en', 'visite')
    for (const segment of reviewed) expect(after.segments.find((item) => item.id === segment.id)).toMatchObject({state: 'approved', origin: {by: 'Zoé Martin'}})
    // The reviewed filter now shows nothing.
    await poll(() => visibleIds(page)).toEqual([])
    expect(page.problems).toEqual([])
  })
})

/** Widest horizontal overflow of the page, in CSS pixels (0: no horizontal scroll). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

describe('narrow screens', () => {
  for (const [name, path, ready] of [
    ['dashboard', '/#/', '.locale-card'],
    ['segment view', '/#/a/en/visite', '.seg.active'],
    ['glossary', '/#/glossary', 'tr[data-concept]'],
    ['concept editor', '/#/glossary/c/iom', '.term-row'],
    ['concordance', '/#/concordance?q=OIM', '.concordance-entry']
  ] as const) {
    it(`has no horizontal scroll at 390 px: ${name}`, async () => {
      const page = await open(path, {width: 390, height: 844})
      await page.locator(ready).first().waitFor()
      expect(await overflow(page)).toBe(0)
      if (name === 'segment view') {
        // Source and target are stacked, both within the screen; the shortcut help does not cover the rows.
        const row = page.locator('.seg.active')
        const source = (await row.locator('.seg-source').boundingBox())!
        const target = (await row.locator('.seg-target').boundingBox())!
        expect(source.x + source.width).toBeLessThanOrEqual(390)
        expect(target.y).toBeGreaterThanOrEqual(source.y + source.height - 1)
        const help = (await page.locator('.help').boundingBox())!
        expect(help.height).toBeLessThan(844 / 10)
        await page.screenshot({path: await screenshotPath(repoRoot, 'review-narrow.png')})
      }
      expect(page.problems).toEqual([])
    })
  }
})

describe('accessibility (axe-core)', () => {
  const axeSource = readFile(join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8')
  for (const [name, path, ready, shot] of [
    ['dashboard', '/#/', '.locale-card', 'review-dashboard.png'],
    ['segment view', '/#/a/en/visite', '.seg.active .panel-suggestions .suggestion, .seg.active [data-role="no-tm"]', undefined],
    ['glossary', '/#/glossary', 'tr[data-concept]', 'review-glossary.png']
  ] as const) {
    it(`has no serious or critical violations: ${name}`, async () => {
      const page = await open(path)
      await page.locator(ready).first().waitFor()
      // Evaluated through the debugging protocol: the page's CSP (no inline script) stays as it is.
      await page.evaluate(await axeSource)
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as {axe: {run: (context: Document, options: object) => Promise<{violations: {id: string; impact: string; nodes: {target: string[]}[]}[]}>}}).axe
        const {violations} = await axe.run(document, {resultTypes: ['violations']})
        return violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => `${item.impact} ${item.id}: ${item.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`)
      })
      expect(result).toEqual([])
      if (shot) {
        await page.screenshot({path: await screenshotPath(repoRoot, shot)})
      }
      expect(page.problems).toEqual([])
    })
  }
})

describe('concept editor', () => {
  it('records part of speech, gender and number per language', async () => {
    const page = await open('/#/glossary/c/iom')
    const spanish = page.locator('fieldset[data-language="es"] .term-row').first()
    await spanish.waitFor()
    await spanish.locator('.term-gender').selectOption('feminine')
    await spanish.locator('.term-number').selectOption('singular')
    await page.click('#concept-save')
    await poll(() => page.locator('.form-message').textContent()).toBe('Saved iom.')
    const {termbase} = await loadTermbase(project.project.glossaryDir)
    expect(termbase.concepts.find((concept) => concept.id === 'iom')!.terms.es![0]).toMatchObject({text: 'OIM', partOfSpeech: 'properNoun', gender: 'feminine', number: 'singular'})
    expect(page.problems).toEqual([])
  })
})
