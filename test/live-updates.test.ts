// Live updates in Chromium, on the team database: two people on the same
// article; a segment one saves appears on the other's screen without a
// reload (PostgreSQL NOTIFY from the segments trigger → LISTEN → server-sent
// events); when both edit the same segment, the second sees that it changed
// underneath, and saving shows the conflict with both versions. The jobs
// panel on the dashboard shows a queued job with its progress.
import type {Browser, BrowserContext, Page} from 'playwright-core'
import pg from 'pg'
import type PgBoss from 'pg-boss'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {databaseBundleStore} from '../src/db/bundle-store.ts'
import {importProject, migrate, withDatabase} from '../src/db/index.ts'
import {markRunning, recordProgress} from '../src/jobs/progress.ts'
import {openBoss, queueName} from '../src/jobs/queue.ts'
import {SegmentHub} from '../src/live/hub.ts'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {launchChromium, openPage, poll, type OpenedPage} from './helpers/browser.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import type {TempProject} from './helpers/project.ts'
import {reviewProject} from './fixtures/review/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP live-updates: ${missing}`)

describe.skipIf(missing !== undefined)('live updates and the jobs panel in Chromium (team database)', () => {
  let cluster: TestCluster
  let project: TempProject
  let pool: pg.Pool
  let hub: SegmentHub
  let boss: PgBoss
  let server: ReviewServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    cluster = await startCluster()
    const url = await cluster.createDatabase('live')
    project = await reviewProject(['en'])
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, project.project)
    })
    pool = new pg.Pool({connectionString: url, max: 4})
    hub = await SegmentHub.start(url)
    boss = await openBoss(url)
    server = await startReviewServer(project.project, {port: 0, store: databaseBundleStore(pool), live: {hub, jobs: {pool, boss}}})
    browser = await launchChromium()
  }, 120_000)
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await boss?.stop({graceful: false, wait: true})
    await hub?.close()
    await pool?.end()
    await project?.cleanup()
    await cluster?.stop()
  })

  const open = (path: string, reviewer: string) => openPage(browser, contexts, new URL(path, server.url).href, {reviewer})
  const row = (page: Page, source: string) => page.locator('.seg', {has: page.locator('.seg-source', {hasText: source})}).first()
  const editorOf = (page: Page, source: string) => row(page, source).locator('.editor')

  /** Wait until the page is subscribed (its first connection re-reads, so a save before that would still arrive). */
  const watching = async (count: number) => poll(() => hub.watchers).toBe(count)

  async function replaceTarget(page: OpenedPage, source: string, text: string): Promise<void> {
    await editorOf(page, source).click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type(text)
  }

  it("shows a segment saved by one person on the other's screen without a reload", async () => {
    const alice = await open('/#/a/en/visite', 'Alice')
    const bob = await open('/#/a/en/visite', 'Bob')
    await bob.waitForSelector('.seg')
    await watching(2)
    // Anything a reload would reset.
    await bob.evaluate(() => ((window as unknown as {notReloaded: boolean}).notReloaded = true))
    const before = await editorOf(bob, 'Les migrants').textContent()

    await replaceTarget(alice, 'Les migrants', 'Migrants are a positive force for development, live.')
    await alice.keyboard.press('Control+s')
    await poll(() => row(alice, 'Les migrants').locator('[data-role="state"]').textContent()).toBe('translated')

    await poll(() => editorOf(bob, 'Les migrants').textContent()).toBe('Migrants are a positive force for development, live.')
    expect(before).not.toBe('Migrants are a positive force for development, live.')
    expect(await editorOf(bob, 'Les migrants').isVisible()).toBe(true)
    expect(await row(bob, 'Les migrants').locator('[data-role="state"]').textContent()).toBe('translated')
    expect(await bob.evaluate(() => (window as unknown as {notReloaded?: boolean}).notReloaded)).toBe(true)
    expect(alice.problems).toEqual([])
    expect(bob.problems).toEqual([])
  })

  it('tells the one editing the same segment that it changed underneath, and saving shows the conflict', async () => {
    const alice = await open('/#/a/en/visite', 'Alice')
    const bob = await open('/#/a/en/visite', 'Bob')
    await bob.waitForSelector('.seg')
    await watching(2)
    await replaceTarget(bob, 'Le Pacte', 'The Global Compact is to be adopted in 2018.')
    await replaceTarget(alice, 'Le Pacte', 'The Global Compact will be adopted in 2018.')
    await alice.keyboard.press('Control+s')
    await poll(() => row(alice, 'Le Pacte').locator('[data-role="state"]').textContent()).toBe('translated')

    // Bob's typing is kept, and he sees that Alice's version arrived.
    const notice = row(bob, 'Le Pacte').locator('[data-role="changed-underneath"]')
    await notice.waitFor()
    expect(await notice.isVisible()).toBe(true)
    expect(await notice.textContent()).toContain('The Global Compact will be adopted in 2018.')
    expect(await notice.textContent()).toContain('by Alice')
    expect(await editorOf(bob, 'Le Pacte').textContent()).toBe('The Global Compact is to be adopted in 2018.')

    await bob.keyboard.press('Control+s')
    const conflict = row(bob, 'Le Pacte').locator('[data-role="conflict"]')
    await conflict.waitFor()
    expect(await conflict.isVisible()).toBe(true)
    expect(await conflict.locator('.version-theirs').textContent()).toContain('The Global Compact will be adopted in 2018.')
    expect(await conflict.locator('.version-yours').textContent()).toContain('The Global Compact is to be adopted in 2018.')
    expect(alice.problems).toEqual([])
    expect(bob.problems).toEqual([])
  })

  it('shows a queued MT job with its progress on the dashboard', async () => {
    const page = await open('/', 'Alice')
    const panel = page.locator('#jobs-panel')
    await panel.waitFor()
    expect(await panel.isVisible()).toBe(true)
    await page.locator('#jobs-request').click()
    const job = panel.locator('tr[data-job]').first()
    await job.waitFor()
    expect(await job.locator('[data-role="job-state"]').textContent()).toBe('queued')
    expect(await job.locator('[data-role="job-progress"]').textContent()).toBe('waiting')
    // A worker's progress (written after each batch) appears without a reload.
    const id = await job.getAttribute('data-job')
    // What a worker does: take the job from the queue, then record progress after a batch.
    const [taken] = await boss.fetch(queueName)
    expect(taken?.id).toBe(id)
    await markRunning(pool, id!, 'test:1')
    await recordProgress(pool, id!, {done: 10, total: 40, characters: 1234})
    await poll(() => job.locator('[data-role="job-progress"]').textContent()).toBe('10 / 40')
    expect(await job.locator('[data-role="job-state"]').textContent()).toBe('running')
    expect(await job.locator('[role="progressbar"]').isVisible()).toBe(true)
    expect(page.problems).toEqual([])
  })
})
