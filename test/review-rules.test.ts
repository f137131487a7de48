// The rules editor: its API (read, save checked like `translate` loads the
// file, conflicts) and, in Chromium, the Rules tab and the post-edits shown
// on a machine-translated segment.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Hono} from 'hono'
import {chromium, type Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadRules} from '../src/postedit/rules.ts'
import {createReviewApp, startReviewServer, type ReviewServer} from '../src/review/index.ts'
import type {RulesData} from '../src/review/rules.ts'
import type {TempProject} from './helpers/project.ts'
import {readBundle, reviewProject, writeBundle} from './fixtures/review/project.ts'

const secret = 'c0ffee'.repeat(8)
const json = {'content-type': 'application/json', 'x-passerelle-csrf': secret}
const tel = {id: 'tel-colon', stage: 'target', match: 'Such:', replace: 'Tel:', note: 'Tel read as tel (such).', example: {input: 'Such: 1', expected: 'Tel: 1'}}

let project: TempProject
let app: Hono

beforeAll(async () => {
  project = await reviewProject(['en', 'es'])
  app = createReviewApp(project.project, {csrfSecret: secret})
})
afterAll(() => project?.cleanup())

async function call<T>(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{status: number; body: T}> {
  const response = await app.request(path, method === 'GET' ? {} : {method, headers: json, body: JSON.stringify(body)})
  return {status: response.status, body: (await response.json()) as T}
}

describe('rules API', () => {
  it('reads an absent file as no rules, saves a checked rule, and translate loads what was saved', async () => {
    const empty = await call<RulesData>('GET', '/api/rules/en')
    expect(empty.status).toBe(200)
    expect(empty.body.rules).toEqual([])
    expect(empty.body.file).toBe(join('glossary', 'rules', 'en.yaml'))

    const saved = await call<RulesData>('PUT', '/api/rules/en', {version: empty.body.version, rules: [tel]})
    expect(saved.status).toBe(200)
    expect(saved.body.rules.map((rule) => [rule.id, rule.line])).toEqual([['tel-colon', 5]])
    const loaded = await loadRules(project.project.glossaryDir, 'en')
    expect(loaded.problems).toEqual([])
    expect(loaded.rules.map((rule) => rule.replace)).toEqual(['Tel:'])
  })

  it('refuses a rule whose example does not give its expected text, and leaves the file as it was', async () => {
    const before = await call<RulesData>('GET', '/api/rules/en')
    const file = join(project.project.glossaryDir, 'rules', 'en.yaml')
    const text = await readFile(file, 'utf8')
    const wrong = {...tel, id: 'boss', match: 'boss', replace: 'head', example: {input: 'the boss', expected: 'the chief'}}
    const refused = await call<{error: {code: string; message: string}}>('PUT', '/api/rules/en', {version: before.body.version, rules: [tel, wrong]})
    expect(refused.status).toBe(422)
    expect(refused.body.error.message).toContain("rule 'boss'")
    expect(refused.body.error.message).toContain("gives 'the head', not the expected 'the chief'")
    expect(await readFile(file, 'utf8')).toBe(text)
  })

  it('refuses a save over a change made meanwhile', async () => {
    const stale = await call<{error: {code: string}}>('PUT', '/api/rules/en', {version: 'old', rules: []})
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('E_CONFLICT')
  })

  it('refuses the source locale and unknown locales', async () => {
    expect((await call('GET', '/api/rules/fr')).status).toBe(400)
    expect((await call('GET', '/api/rules/xx')).status).toBe(400)
  })
})

describe('rules in the review app (Chromium)', () => {
  let server: ReviewServer
  let browser: Browser
  beforeAll(async () => {
    server = await startReviewServer(project.project, {port: 0, reviewer: 'Terminologist'})
    browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run']})
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('lists, adds and saves rules in the Rules tab; a bad example is shown and not saved', async () => {
    const page = await browser.newPage()
    await page.goto(new URL('/#/rules?locale=en', server.url).href)
    await page.waitForSelector('.rules-table tbody tr')
    expect(await page.locator('.rules-table tbody tr input[name="id"]').first().inputValue()).toBe('tel-colon')
    await page.click('#rules-add')
    const added = page.locator('.rules-table tbody tr').last()
    await added.locator('input[name="id"]').fill('head-of-mission')
    await added.locator('select[name="kind"]').selectOption('pattern')
    await added.locator('input[name="find"]').fill('boss of *')
    await added.locator('input[name="replace"]').fill('head of $1')
    await added.locator('input[name="note"]').fill('Chef de mission is head of mission.')
    await added.locator('input[name="input"]').fill('the boss of mission')
    await added.locator('input[name="expected"]').fill('the chief of mission')
    await page.click('#rules-save')
    await expect.poll(() => page.locator('.rules-status [role="alert"]').textContent(), {timeout: 30_000}).toContain("gives 'the head of mission', not the expected 'the chief of mission'")
    expect((await loadRules(project.project.glossaryDir, 'en')).rules.map((rule) => rule.id)).toEqual(['tel-colon'])

    await added.locator('input[name="expected"]').fill('the head of mission')
    await page.click('#rules-save')
    await expect.poll(async () => (await loadRules(project.project.glossaryDir, 'en')).rules.map((rule) => rule.id), {timeout: 30_000}).toEqual(['tel-colon', 'head-of-mission'])
    expect(await page.locator('.rules-table tbody tr').count()).toBe(2)
    expect(await page.locator('a[data-nav="rules"]').getAttribute('class')).toContain('current')
    await page.close()
  })

  it('shows on a machine-translated segment the post-edits that changed it', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    const first = bundle.segments[0]!
    bundle.segments[0] = {...first, target: 'Tel: 1', state: 'machine', origin: {kind: 'engine', engine: 'apertium', detail: 'fr-es|spa-eng', postEdits: ['rule:tel-colon', 'spacing']}, revision: first.revision + 1}
    await writeBundle(project, bundle)
    const page = await browser.newPage()
    await page.goto(new URL('/#/a/en/visite', server.url).href)
    await page.waitForSelector('.seg')
    const origin = page.locator('.seg').first().locator('.origin')
    await expect.poll(() => origin.textContent(), {timeout: 30_000}).toContain('post-edited: rule:tel-colon, spacing')
    expect(await origin.isVisible()).toBe(true)
    await page.close()
  })
})
