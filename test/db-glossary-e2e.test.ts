// The concept view in team mode, in Chromium: the history card lists who
// changed the concept and what, newest first, and a save adds its row; in
// file mode (no audit) the card is not shown.
import pg from 'pg'
import type {Browser, BrowserContext} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {importProject, migrate, withDatabase} from '../src/db/index.ts'
import {conceptHistory, databaseTermbaseStore} from '../src/db/glossary.ts'
import {startReviewServer, type ReviewServer} from '../src/review/index.ts'
import {launchChromium, openPage, poll} from './helpers/browser.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-glossary-e2e: ${missing}`)

describe.skipIf(missing !== undefined)('concept history in the review app (team mode)', () => {
  let cluster: TestCluster
  let browser: Browser
  let pool: pg.Pool
  let project: TempProject
  const servers: ReviewServer[] = []
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    cluster = await startCluster()
    const url = await cluster.createDatabase('e2e')
    project = await tempProject({}, {glossary: true})
    await withDatabase(url, async (db) => {
      await migrate(db)
      await importProject(db, project.project)
    })
    pool = new pg.Pool({connectionString: url, max: 3})
    browser = await launchChromium()
  })
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
    for (const server of servers.splice(0)) await server.close()
  })
  afterAll(async () => {
    await browser?.close()
    await pool?.end()
    await project?.cleanup()
    await cluster?.stop()
  })

  it('lists the concept’s changes and adds the one just saved', async () => {
    const server = await startReviewServer(project.project, {port: 0, termbase: databaseTermbaseStore(pool), conceptHistory: (id) => conceptHistory(pool, id)})
    servers.push(server)
    const page = await openPage(browser, contexts, `${server.url}#/glossary/c/human-mobility`, {reviewer: 'Zoé Martin'})
    const card = page.locator('#concept-history')
    await card.waitFor({state: 'visible'})
    const items = card.locator('.history-item')
    await poll(() => items.allInnerTexts()).toEqual([expect.stringContaining('created by cli')])

    await page.fill('#concept-note', 'Checked by the terminology team.')
    await page.click('#concept-save')
    await poll(() => items.count()).toBe(2)
    const first = items.first()
    expect(await first.isVisible()).toBe(true)
    expect(await first.innerText()).toContain('edited by Zoé Martin')
    expect(await first.innerText()).toContain('changed: note')
    // Newest first: the edit sits above the creation.
    const [top, bottom] = await Promise.all([first.boundingBox(), items.nth(1).boundingBox()])
    expect(top!.y).toBeLessThan(bottom!.y)
    const {termbase} = await databaseTermbaseStore(pool).load()
    expect(termbase.concepts.find((concept) => concept.id === 'human-mobility')?.note).toBe('Checked by the terminology team.')
    expect(page.problems).toEqual([])
  })

  it('hides the history card in file mode', async () => {
    const server = await startReviewServer(project.project, {port: 0})
    servers.push(server)
    const page = await openPage(browser, contexts, `${server.url}#/glossary/c/human-mobility`)
    await page.locator('#concept-save').waitFor({state: 'visible'})
    await page.locator('.usage').waitFor({state: 'visible'})
    expect(await page.locator('#concept-history').isVisible()).toBe(false)
    expect(page.problems).toEqual([])
  })
})
