// The review app's HTTP API, called in process with `app.request(…)`: each
// endpoint, and each refusal (paths, revisions, tags, workflow, QA, CSRF,
// size, host and token).
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {Command} from 'commander'
import type {Hono} from 'hono'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import type {CliContext} from '../src/cli-context.ts'
import {isPasserelleError} from '../src/errors.ts'
import {loadTermbase} from '../src/glossary/index.ts'
import * as review from '../src/review/index.ts'
import {registerReviewCommand} from '../src/review/cli.ts'
import {createReviewApp, startReviewServer} from '../src/review/index.ts'
import type {ArticleData, ConceptView, ConflictResponse, DashboardData, GlossaryData, SaveResponse, UsageData} from '../src/review/index.ts'
import type {TempProject} from './helpers/project.ts'
import {readBundle, reviewProject, segmentBySource, writeBundle, writeXssBundle, xssSlug, xssSource} from './fixtures/review/project.ts'

const secret = 'c0ffee'.repeat(8)
const json = {'content-type': 'application/json', 'x-passerelle-csrf': secret}
const now = '2017-03-04T12:00:00.000Z'

let project: TempProject
let app: Hono

async function fresh(): Promise<void> {
  await project?.cleanup()
  project = await reviewProject(['en', 'es'])
  app = createReviewApp(project.project, {csrfSecret: secret, reviewer: 'Default Reviewer', now: () => now})
}

async function get<T>(path: string, init: RequestInit = {}): Promise<{status: number; body: T; headers: Headers}> {
  const response = await app.request(path, init)
  const text = await response.text()
  return {status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T, headers: response.headers}
}

function send<T>(method: 'PUT' | 'POST', path: string, body: unknown, headers: Record<string, string> = {}) {
  return get<T>(path, {method, headers: {...json, ...headers}, body: typeof body === 'string' ? body : JSON.stringify(body)})
}

const segmentUrl = (id: string, slug = 'visite', locale = 'en') => `/api/articles/${locale}/${slug}/segments/${id}`

afterAll(async () => {
  await project?.cleanup()
})

describe('public api', () => {
  it('exposes the documented names', () => {
    expect(Object.keys(review).sort()).toEqual(
      [
        'ApprovalError',
        'applyAcknowledge',
        'ConflictError',
        'applyEdit',
        'assertSameTags',
        'createReviewApp',
        'csrfHeader',
        'isLoopbackHost',
        'maxBodyBytes',
        'minTokenLength',
        'reviewerHeader',
        'startReviewServer',
        'targetLocales'
      ].sort()
    )
  })
})

describe('page and read endpoints', () => {
  beforeAll(fresh)

  it('serves the page with the CSRF secret, a strict CSP and no inline script', async () => {
    const {status, body, headers} = await get<string>('/')
    expect(status).toBe(200)
    expect(body).toContain(`<meta name="passerelle-csrf" content="${secret}">`)
    expect(body).not.toMatch(/<script>(?!<\/script>)/)
    expect(headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(headers.get('content-security-policy')).not.toContain('unsafe-inline')
    expect(headers.get('x-frame-options')).toBe('DENY')
  })

  it('bundles the browser code from TypeScript on demand', async () => {
    const script = await app.request('/assets/app.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/)
    const code = await script.text()
    expect(code).toContain('passerelle-csrf')
    expect(code).not.toMatch(/\binnerHTML\b|insertAdjacentHTML|outerHTML|document\.write/)
    const css = await app.request('/assets/styles.css')
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    expect(await css.text()).toContain('.chip')
  })

  it('describes the project', async () => {
    const {status, body} = await get<{sourceLocale: string; locales: string[]; reviewer: string}>('/api/project')
    expect(status).toBe(200)
    expect(body).toEqual({sourceLocale: 'fr', locales: ['en', 'es'], reviewer: 'Default Reviewer'})
  })

  it('gives the dashboard: counts per locale and article', async () => {
    const {status, body} = await get<DashboardData>('/api/status')
    expect(status).toBe(200)
    expect(body.locales.map((locale) => locale.locale)).toEqual(['en', 'es'])
    const en = body.locales[0]!
    expect(en.articles.map((article) => article.article)).toEqual(['visite'])
    expect(en.segments).toBe(7)
    expect(en.states.machine).toBe(7)
  })

  it('gives an article with live glossary hits and QA findings per segment', async () => {
    const {status, body} = await get<ArticleData>('/api/articles/en/visite')
    expect(status).toBe(200)
    expect(body.segments).toHaveLength(7)
    const meeting = body.segments.find((segment) => segment.source.startsWith('Le 3 mars'))!
    expect(meeting.tags).toEqual({'1': {type: 'strong'}})
    const iom = meeting.hits.find((hit) => hit.concept === 'iom')!
    expect(iom.text).toBe('OIM')
    expect(iom.expected[0]).toBe('IOM')
    expect(iom.found).toBe(true)
    expect(meeting.source.slice(iom.start, iom.end)).toBe('OIM')
    expect(Array.isArray(meeting.qa)).toBe(true)
    expect(body.problems).toEqual([])
  })

  it('refuses bad slugs, path traversal, unknown locales and bad segment ids', async () => {
    for (const path of [
      '/api/articles/en/..%2F..%2Fpasserelle',
      '/api/articles/en/..%2Fen%2Fvisite',
      '/api/articles/en/Visite',
      '/api/articles/en/%2Fetc%2Fpasswd',
      '/api/articles/xx/visite',
      '/api/articles/fr/visite',
      '/api/articles/..%2Fcontent/visite',
      `/api/articles/en/visite/segments/${'0'.repeat(11)}/suggestions`,
      '/api/articles/en/visite/segments/..%2F..%2Fx/suggestions',
      '/api/glossary/..%2Fterms',
      '/api/glossary/IOM'
    ]) {
      const {status, body} = await get<{error: {code: string}}>(path)
      expect(status, path).toBe(400)
      expect(body.error.code, path).toBe('E_INPUT')
    }
    expect((await get('/api/articles/en/nope')).status).toBe(404)
    expect((await get(`/api/articles/en/visite/segments/${'a'.repeat(12)}/suggestions`)).status).toBe(404)
    expect((await get('/api/glossary/nope')).status).toBe(404)
  })
})

describe('saving segments', () => {
  beforeEach(fresh)

  it('saves an edited target as translated, by the named reviewer, and writes it to the bundle', async () => {
    const before = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le 3 mars')
    const target = 'On 3 March 2017, the IOM Director General met United Nations representatives in <1>Geneva</1>.'
    const {status, body} = await send<SaveResponse>('PUT', segmentUrl(before.id), {revision: before.revision, target}, {'x-passerelle-reviewer': encodeURIComponent('Zoé Martin')})
    expect(status).toBe(200)
    expect(body.changed).toBe(true)
    expect(body.segment).toMatchObject({target, state: 'translated', revision: before.revision + 1, origin: {kind: 'human', by: 'Zoé Martin'}, updated: now})
    const after = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le 3 mars')
    expect(after).toMatchObject({target, state: 'translated', revision: before.revision + 1, origin: {kind: 'human', by: 'Zoé Martin'}, unknown: []})
    // Glossary records are recomputed the way `translate` records them.
    expect(after.glossary.find((check) => check.concept === 'united-nations')).toMatchObject({found: true})
    expect(after.glossary.find((check) => check.concept === 'iom')).toMatchObject({found: true})
  })

  it('records the server default reviewer when the browser names none', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    const {body} = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'Migrants are a positive force for development.'})
    expect(body.segment.origin).toEqual({kind: 'human', by: 'Default Reviewer'})
  })

  it('moves states forward only; editing an approved target drops it back to translated', async () => {
    let segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    // machine → reviewed without an edit: the engine's output, now answered for.
    let result = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, state: 'reviewed'})
    expect(result.status).toBe(200)
    expect(result.body.segment).toMatchObject({state: 'reviewed', target: segment.target, origin: {kind: 'engine', engine: 'pseudo', by: 'Default Reviewer'}})
    segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    const back = await send<{error: {code: string; message: string}}>('PUT', segmentUrl(segment.id), {revision: segment.revision, state: 'translated'})
    expect(back.status).toBe(422)
    expect(back.body.error.message).toMatch(/forward/)

    result = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'Migrants are a positive force for development.', state: 'approved'})
    expect(result.status).toBe(200)
    expect(result.body.segment.state).toBe('approved')
    segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    expect(segment.state).toBe('approved')

    result = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'Migrants are a force for good in development.'})
    expect(result.body.segment.state).toBe('translated')
    expect((await readBundle(project, 'en', 'visite')).segments.find((item) => item.id === segment.id)?.state).toBe('translated')
  })

  it('refuses approval while QA errors remain, with the findings, and leaves the file alone', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Visite')
    const before = await readFile(join(project.project.localesDir, 'en', 'visite.json'), 'utf8')
    const target = 'Visit of the International Organisation for Migration to Geneva'
    const refused = await send<{error: {code: string; message: string}; findings: {rule: string; severity: string}[]}>('PUT', segmentUrl(segment.id), {
      revision: segment.revision,
      target,
      state: 'approved'
    })
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('E_QA')
    expect(refused.body.findings).toContainEqual(expect.objectContaining({rule: 'glossary-forbidden', severity: 'error'}))
    expect(refused.body.error.message).toContain('International Organisation for Migration')
    expect(await readFile(join(project.project.localesDir, 'en', 'visite.json'), 'utf8')).toBe(before)

    // The same target can be saved (translated) with its error shown, but not approved.
    const saved = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target})
    expect(saved.status).toBe(200)
    expect(saved.body.segment.qa).toContainEqual(expect.objectContaining({rule: 'glossary-forbidden', severity: 'error'}))
    expect(saved.body.segment.hits.find((hit) => hit.concept === 'iom')?.forbiddenUsed).toEqual(['International Organisation for Migration'])
    const again = await send<{error: {code: string}}>('PUT', segmentUrl(segment.id), {revision: saved.body.segment.revision, state: 'approved'})
    expect(again.status).toBe(422)
    expect(again.body.error.code).toBe('E_QA')
    const stored = segmentBySource(await readBundle(project, 'en', 'visite'), 'Visite')
    expect(stored.state).toBe('translated')
    expect(stored.qa).toContainEqual(expect.objectContaining({rule: 'glossary-forbidden'}))
  })

  it('answers a stale revision with 409 and both versions, and writes nothing', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    const first = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'Migrants are a positive force for development.'}, {'x-passerelle-reviewer': 'Alice'})
    expect(first.status).toBe(200)
    const path = join(project.project.localesDir, 'en', 'visite.json')
    const before = await readFile(path, 'utf8')
    const second = await send<ConflictResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'Migrants drive development.'}, {'x-passerelle-reviewer': 'Bob'})
    expect(second.status).toBe(409)
    expect(second.body.error.code).toBe('E_CONFLICT')
    expect(second.body.yours).toEqual({revision: segment.revision, target: 'Migrants drive development.'})
    expect(second.body.theirs).toMatchObject({target: 'Migrants are a positive force for development.', revision: segment.revision + 1, origin: {by: 'Alice'}})
    expect(await readFile(path, 'utf8')).toBe(before)
  })

  it('lets exactly one of two simultaneous saves of the same revision through', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    const results = await Promise.all(
      ['Migrants are a positive force.', 'Migrants strengthen development.'].map((target) => send('PUT', segmentUrl(segment.id), {revision: segment.revision, target}))
    )
    expect(results.map((result) => result.status).sort()).toEqual([200, 409])
    expect(segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants').revision).toBe(segment.revision + 1)
  })

  it('refuses targets whose tags do not match the source, naming the problem', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le 3 mars')
    const cases: [string, RegExp][] = [
      ['On 3 March 2017 the IOM Director General met UN representatives in Geneva.', /<1>…<\/1> is missing/],
      ['On 3 March 2017 <2/> the IOM Director General met UN representatives in <1>Geneva</1>.', /<2\/> is not in the source/],
      ['On 3 March 2017 the IOM Director General met UN representatives in <1>Geneva.', /broken tags.*not closed/],
      ['On 3 March 2017 the IOM <b>Director</b> met UN representatives in <1>Geneva</1>.', /broken tags/],
      ['On <1>3 March</1> 2017 the IOM met UN representatives in <1>Geneva</1>.', /not used as often/],
      ['   ', /empty/]
    ]
    for (const [target, reason] of cases) {
      const {status, body} = await send<{error: {code: string; message: string}}>('PUT', segmentUrl(segment.id), {revision: segment.revision, target})
      expect(status, target).toBe(422)
      expect(body.error.code).toBe('E_INPUT')
      expect(body.error.message, target).toMatch(reason)
    }
    expect(segmentBySource(await readBundle(project, 'en', 'visite'), 'Le 3 mars').revision).toBe(segment.revision)
  })

  it('settles a stale segment when a reviewer saves it', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    const segment = segmentBySource(bundle, 'Les migrants')
    Object.assign(segment, {stale: true, state: 'translated', previous: {source: 'Les migrants sont une force.', target: 'Migrants are a force.'}})
    await writeBundle(project, bundle)
    const {body} = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'Migrants are a positive force for development.'})
    expect(body.segment.stale).toBeUndefined()
    expect(segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants').stale).toBeUndefined()
  })

  it('offers TM suggestions: a repeated sentence gets the approved translation', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    const [first, repeat] = bundle.segments.filter((segment) => segment.source === 'Visite de l’OIM à Genève')
    expect(repeat?.id).toBe(`${first!.id}-2`)
    const before = await get<{suggestions: unknown[]}>(`${segmentUrl(repeat!.id)}/suggestions`)
    expect(before.body.suggestions).toEqual([])
    await send('PUT', segmentUrl(first!.id), {revision: first!.revision, target: 'IOM visit to Geneva', state: 'approved'})
    const after = await get<{suggestions: {target: string; score: number; kind: string}[]}>(`${segmentUrl(repeat!.id)}/suggestions`)
    expect(after.body.suggestions[0]).toMatchObject({target: 'IOM visit to Geneva', kind: 'exact', score: 100})
  })

  it('offers fuzzy matches from imported TMX files', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Pour en savoir')
    const {body} = await get<{suggestions: {target: string; score: number; kind: string; origin: {kind: string}}[]}>(`${segmentUrl(segment.id)}/suggestions`)
    expect(body.suggestions).toHaveLength(1)
    expect(body.suggestions[0]).toMatchObject({target: 'For more information, visit <1>the IOM website</1>.', kind: 'fuzzy', origin: {kind: 'import'}})
    expect(body.suggestions[0]!.score).toBeGreaterThanOrEqual(75)
    expect(body.suggestions[0]!.score).toBeLessThan(100)
  })
})

describe('acknowledging findings', () => {
  beforeEach(fresh)

  const forbidden = 'Visit of the International Organisation for Migration to Geneva'
  const ackUrl = (id: string) => `${segmentUrl(id)}/acknowledge`

  /** The `Visite` heading saved with a forbidden term: one glossary-forbidden error. */
  async function withError(): Promise<{id: string; revision: number; rule: string; message: string}> {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Visite')
    const saved = await send<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: forbidden})
    const error = saved.body.segment.qa.find((finding) => finding.severity === 'error')!
    expect(error.rule).toBe('glossary-forbidden')
    return {id: segment.id, revision: saved.body.segment.revision, rule: error.rule, message: error.message}
  }

  it('acknowledges an error (revision bumped, written to the bundle), after which approval succeeds', async () => {
    const {id, revision, rule, message} = await withError()
    const acked = await send<SaveResponse>('POST', ackUrl(id), {revision, rule, message}, {'x-passerelle-reviewer': 'Alice'})
    expect(acked.status).toBe(200)
    expect(acked.body.changed).toBe(true)
    expect(acked.body.segment.revision).toBe(revision + 1)
    expect(acked.body.segment.qa).toContainEqual({rule, severity: 'info', message})
    expect(acked.body.segment.acknowledged).toEqual([{rule, message, by: 'Alice', at: now}])
    let stored = (await readBundle(project, 'en', 'visite')).segments.find((item) => item.id === id)!
    expect(stored).toMatchObject({revision: revision + 1, state: 'translated', acknowledged: [{rule, message, by: 'Alice', at: now}]})
    // Twice is once.
    const again = await send<SaveResponse>('POST', ackUrl(id), {revision: revision + 1, rule, message})
    expect(again.body.changed).toBe(false)

    const approved = await send<SaveResponse>('PUT', segmentUrl(id), {revision: revision + 1, state: 'approved'})
    expect(approved.status).toBe(200)
    stored = (await readBundle(project, 'en', 'visite')).segments.find((item) => item.id === id)!
    expect(stored.state).toBe('approved')
    expect(stored.acknowledged).toHaveLength(1)

    // Editing the target clears the acknowledgement: the same error blocks again.
    const edited = await send<SaveResponse>('PUT', segmentUrl(id), {revision: stored.revision, target: `${forbidden}.`})
    expect(edited.body.segment.acknowledged).toBeUndefined()
    expect(edited.body.segment.qa).toContainEqual(expect.objectContaining({rule, severity: 'error'}))
    expect('acknowledged' in (await readBundle(project, 'en', 'visite')).segments.find((item) => item.id === id)!).toBe(false)
    const refused = await send<{error: {code: string}}>('PUT', segmentUrl(id), {revision: edited.body.segment.revision, state: 'approved'})
    expect(refused.body.error.code).toBe('E_QA')
  })

  it('answers a stale revision with 409 and writes nothing', async () => {
    const {id, revision, rule, message} = await withError()
    const path = join(project.project.localesDir, 'en', 'visite.json')
    const before = await readFile(path, 'utf8')
    const stale = await send<ConflictResponse>('POST', ackUrl(id), {revision: revision - 1, rule, message})
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('E_CONFLICT')
    expect(stale.body.theirs.revision).toBe(revision)
    expect(await readFile(path, 'utf8')).toBe(before)
  })

  it('refuses a finding the target does not have (unknown rule, other message) with 422', async () => {
    const {id, revision, message} = await withError()
    for (const body of [{revision, rule: 'no-such-rule', message}, {revision, rule: 'glossary-forbidden', message: 'something else'}]) {
      const {status, body: answer} = await send<{error: {code: string}}>('POST', ackUrl(id), body)
      expect(status, JSON.stringify(body)).toBe(422)
      expect(answer.error.code).toBe('E_INPUT')
    }
    // Malformed bodies are 400, as for saves.
    for (const body of [{revision, rule: 'numbers'}, {revision, rule: '', message}, {revision, rule: 'numbers', message, extra: 1}]) {
      expect((await send('POST', ackUrl(id), body)).status, JSON.stringify(body)).toBe(400)
    }
    expect((await send('POST', ackUrl('a'.repeat(12)), {revision, rule: 'numbers', message})).status).toBe(404)
  })

  it('requires the CSRF header', async () => {
    const {id, revision, rule, message} = await withError()
    const body = JSON.stringify({revision, rule, message})
    const attempts: Record<string, string>[] = [{'content-type': 'application/json'}, {'content-type': 'application/json', 'x-passerelle-csrf': 'nope'}]
    for (const headers of attempts) {
      const response = await app.request(ackUrl(id), {method: 'POST', headers, body})
      expect(response.status).toBe(403)
      expect(((await response.json()) as {error: {code: string}}).error.code).toBe('E_CSRF')
    }
    expect((await readBundle(project, 'en', 'visite')).segments.find((item) => item.id === id)?.acknowledged).toBeUndefined()
  })
})

describe('request safety', () => {
  beforeAll(fresh)

  it('refuses state-changing requests without the CSRF header, with a wrong one, or from another origin', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    const body = JSON.stringify({revision: segment.revision, target: 'Migrants.'})
    const attempts: Record<string, string>[] = [
      {'content-type': 'application/json'},
      {'content-type': 'application/json', 'x-passerelle-csrf': 'nope'},
      {...json, origin: 'http://evil.example'},
      {...json, 'sec-fetch-site': 'cross-site'}
    ]
    for (const headers of attempts) {
      const response = await app.request(segmentUrl(segment.id), {method: 'PUT', headers, body})
      expect(response.status, JSON.stringify(headers)).toBe(403)
      expect(((await response.json()) as {error: {code: string}}).error.code).toBe('E_CSRF')
    }
    for (const headers of [attempts[0]!, attempts[2]!]) {
      const response = await app.request('/api/glossary', {method: 'POST', headers, body: JSON.stringify({concept: {id: 'x', terms: {fr: [{text: 'x', status: 'preferred'}]}}})})
      expect(response.status).toBe(403)
    }
    // Same origin, right secret: accepted.
    const ok = await app.request(segmentUrl(segment.id), {method: 'PUT', headers: {...json, origin: 'http://localhost', 'sec-fetch-site': 'same-origin'}, body})
    expect(ok.status).toBe(200)
  })

  it('accepts JSON bodies only, schema-validated', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le Pacte')
    const url = segmentUrl(segment.id)
    const form = await app.request(url, {method: 'PUT', headers: {'x-passerelle-csrf': secret, 'content-type': 'application/x-www-form-urlencoded'}, body: 'revision=1'})
    expect(form.status).toBe(415)
    for (const body of ['{not json', JSON.stringify({revision: -1}), JSON.stringify({revision: 1, state: 'new'}), JSON.stringify({revision: 1, extra: true}), JSON.stringify({target: 'x'}), '[]']) {
      const {status, body: answer} = await send<{error: {code: string}}>('PUT', url, body)
      expect(status, body).toBe(400)
      expect(answer.error.code).toBe('E_INPUT')
    }
  })

  it('refuses bodies over the size limit, whatever Content-Length says', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le Pacte')
    const big = JSON.stringify({revision: segment.revision, target: 'x'.repeat(review.maxBodyBytes)})
    const declared = await app.request(segmentUrl(segment.id), {method: 'PUT', headers: {...json, 'content-length': String(big.length)}, body: big})
    expect(declared.status).toBe(413)
    const undeclared = await app.request(segmentUrl(segment.id), {method: 'PUT', headers: json, body: big})
    expect(undeclared.status).toBe(413)
    expect(((await undeclared.json()) as {error: {code: string}}).error.code).toBe('E_TOO_LARGE')
  })

  it('answers loopback host names only (DNS rebinding)', async () => {
    expect((await app.request('/api/project', {headers: {host: 'evil.example:4173'}})).status).toBe(403)
    expect((await app.request('/', {headers: {host: 'attacker.test'}})).status).toBe(403)
    for (const host of ['127.0.0.1:4173', 'localhost:4173', '[::1]:4173']) {
      expect((await app.request('/api/project', {headers: {host}})).status, host).toBe(200)
    }
  })

  it('keeps script payloads as data in the API (rendering is checked in the browser test)', async () => {
    await writeXssBundle(project)
    const {status, body} = await get<ArticleData>(`/api/articles/en/${xssSlug}`)
    expect(status).toBe(200)
    expect(body.segments[0]?.source).toBe(xssSource)
  })
})

describe('token', () => {
  const token = 'a-long-enough-token-123'
  let guarded: Hono
  beforeAll(async () => {
    if (!project) await fresh()
    guarded = createReviewApp(project.project, {csrfSecret: secret, token})
  })

  it('requires the token on every request when one is set', async () => {
    expect((await guarded.request('/')).status).toBe(401)
    expect((await guarded.request('/api/project')).status).toBe(401)
    expect((await guarded.request('/api/project', {headers: {authorization: 'Bearer wrong-token-wrong-token'}})).status).toBe(401)
    expect((await guarded.request('/api/project', {headers: {authorization: `Bearer ${token}`}})).status).toBe(200)
    expect((await guarded.request('/?token=wrong')).status).toBe(401)
  })

  it('trades the token in the address for an HttpOnly, SameSite=Strict cookie', async () => {
    const response = await guarded.request(`/?token=${token}`)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await guarded.request('/', {headers: {cookie: cookie.split(';')[0]!, host: '192.168.1.20:4173'}})
    expect(page.status).toBe(200)
  })

  it('refuses a non-loopback host without a token, and short tokens', async () => {
    for (const host of ['0.0.0.0', '192.168.1.20', '::']) {
      const error = await startReviewServer(project.project, {host, port: 0}).catch((caught: unknown) => caught)
      expect(isPasserelleError(error, 'E_CONFIG'), host).toBe(true)
    }
    const short = await startReviewServer(project.project, {host: '0.0.0.0', port: 0, token: 'short'}).catch((caught: unknown) => caught)
    expect(isPasserelleError(short, 'E_CONFIG')).toBe(true)
    expect(review.isLoopbackHost('127.0.0.1')).toBe(true)
    expect(review.isLoopbackHost('[::1]')).toBe(true)
    expect(review.isLoopbackHost('localhost')).toBe(true)
    expect(review.isLoopbackHost('0.0.0.0')).toBe(false)
  })

  it('serves on loopback, on a free port, and closes', async () => {
    const server = await startReviewServer(project.project, {port: 0})
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const response = await fetch(`${server.url}api/project`)
      expect(response.status).toBe(200)
    } finally {
      await server.close()
    }
    await expect(fetch(`${server.url}api/project`)).rejects.toThrow()
  })
})

describe('glossary', () => {
  beforeEach(fresh)

  const newConcept = {
    id: 'positive-force',
    domain: 'migration',
    note: 'Key message of the campaign.',
    terms: {fr: [{text: 'force positive', status: 'preferred'}], en: [{text: 'positive force', status: 'preferred'}, {text: 'force for good', status: 'admitted'}]}
  }

  it('lists, searches and filters concepts by term status', async () => {
    const all = await get<GlossaryData>('/api/glossary')
    expect(all.status).toBe(200)
    expect(all.body.total).toBe(4)
    expect(all.body.concepts.map((view) => view.concept.id)).toEqual(['iom', 'united-nations', 'global-compact', 'migration-governance'])
    expect(all.body.languages.slice(0, 3)).toEqual(['fr', 'en', 'es'])
    expect((await get<GlossaryData>('/api/glossary?q=organisation')).body.concepts.map((view) => view.concept.id)).toEqual(['iom'])
    expect((await get<GlossaryData>('/api/glossary?q=GOUVERNANCE')).body.concepts.map((view) => view.concept.id)).toEqual(['migration-governance'])
    expect((await get<GlossaryData>('/api/glossary?status=forbidden')).body.concepts.map((view) => view.concept.id)).toEqual(['iom'])
    expect((await get<GlossaryData>('/api/glossary?status=admitted')).body.concepts.map((view) => view.concept.id)).toEqual(['migration-governance'])
    expect((await get('/api/glossary?status=nonsense')).status).toBe(400)
  })

  it('creates a concept in the format the pipeline reads, and the article highlights it at once', async () => {
    const created = await send<ConceptView>('POST', '/api/glossary', {concept: newConcept})
    expect(created.status).toBe(201)
    expect(created.body.concept.id).toBe('positive-force')
    const {termbase, problems} = await loadTermbase(project.project.glossaryDir)
    expect(problems).toEqual([])
    expect(termbase.concepts.find((concept) => concept.id === 'positive-force')).toEqual(newConcept)
    const article = await get<ArticleData>('/api/articles/en/visite')
    const segment = article.body.segments.find((item) => item.source.startsWith('Les migrants'))!
    expect(segment.hits.find((hit) => hit.concept === 'positive-force')).toMatchObject({text: 'force positive', expected: ['positive force', 'force for good']})

    const duplicate = await send<{error: {code: string}}>('POST', '/api/glossary', {concept: newConcept})
    expect(duplicate.status).toBe(409)
  })

  it('refuses a concept whose source term already belongs to another concept, on create and on edit', async () => {
    const before = await loadTermbase(project.project.glossaryDir)
    const iom = before.termbase.concepts.find((concept) => concept.id === 'iom')!
    const copy = {id: 'iom-copy', terms: {fr: [{text: iom.terms.fr![0]!.text, status: 'preferred'}], en: [{text: 'IOM', status: 'preferred'}]}}
    const refused = await send<{error: {code: string; message: string}}>('POST', '/api/glossary', {concept: copy})
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({code: 'E_CONFLICT', message: expect.stringMatching(/belongs to concept "iom"/)})
    const other = before.termbase.concepts.find((concept) => concept.id !== 'iom' && !concept.retired)!
    const view = await get<ConceptView>(`/api/glossary/${other.id}`)
    const edited = {...other, terms: {...other.terms, fr: [...(other.terms.fr ?? []), {text: iom.terms.fr![0]!.text, status: 'admitted'}]}}
    const refusedEdit = await send<{error: {code: string}}>('PUT', `/api/glossary/${other.id}`, {concept: edited, version: view.body.version})
    expect(refusedEdit.status).toBe(409)
    expect((await loadTermbase(project.project.glossaryDir)).termbase).toEqual(before.termbase)
  })

  it('validates concepts with the glossary schema', async () => {
    for (const concept of [
      {id: 'Bad Id', terms: {fr: [{text: 'x', status: 'preferred'}]}},
      {id: 'no-terms', terms: {}},
      {id: 'bad-status', terms: {fr: [{text: 'x', status: 'great'}]}},
      {id: 'two-lines', terms: {fr: [{text: 'a\nb', status: 'preferred'}]}},
      {id: 'extra', terms: {fr: [{text: 'x', status: 'preferred'}]}, owner: 'me'}
    ]) {
      const {status, body} = await send<{error: {code: string}}>('POST', '/api/glossary', {concept})
      expect(status, concept.id).toBe(422)
      expect(body.error.code).toBe('E_INPUT')
    }
    expect((await send('POST', '/api/glossary', {concept: newConcept, owner: 'me'})).status).toBe(400)
  })

  it('edits a concept with optimistic concurrency, and retires it', async () => {
    const {body: view} = await get<ConceptView>('/api/glossary/global-compact')
    const edited = {...view.concept, terms: {...view.concept.terms, en: [{text: 'Global Compact', status: 'preferred' as const}, {text: 'Global Pact', status: 'forbidden' as const}]}}
    const saved = await send<ConceptView>('PUT', '/api/glossary/global-compact', {concept: edited, version: view.version})
    expect(saved.status).toBe(200)
    expect(saved.body.version).not.toBe(view.version)
    const stale = await send<{error: {code: string}}>('PUT', '/api/glossary/global-compact', {concept: {...edited, note: 'late'}, version: view.version})
    expect(stale.status).toBe(409)
    expect(stale.body.error.code).toBe('E_CONFLICT')
    // An edit that does not say which version it started from is a conflict too, never a blind overwrite.
    const blind = await send<{error: {code: string}}>('PUT', '/api/glossary/global-compact', {concept: {...edited, note: 'blind'}})
    expect(blind.status).toBe(409)
    expect((await loadTermbase(project.project.glossaryDir)).termbase.concepts.find((concept) => concept.id === 'global-compact')?.note).not.toBe('blind')
    const renamed = await send('PUT', '/api/glossary/global-compact', {concept: {...edited, id: 'other'}, version: saved.body.version})
    expect(renamed.status).toBe(422)

    const retired = await send<ConceptView>('PUT', '/api/glossary/global-compact', {concept: {...edited, retired: true}, version: saved.body.version})
    expect(retired.body.concept.retired).toBe(true)
    const {termbase} = await loadTermbase(project.project.glossaryDir)
    expect(termbase.concepts.find((concept) => concept.id === 'global-compact')?.retired).toBe(true)
    expect((await get<GlossaryData>('/api/glossary')).body.concepts.map((item) => item.concept.id)).not.toContain('global-compact')
    expect((await get<GlossaryData>('/api/glossary?retired=1')).body.concepts.map((item) => item.concept.id)).toContain('global-compact')
    const article = await get<ArticleData>('/api/articles/en/visite')
    expect(article.body.segments.flatMap((segment) => segment.hits).some((hit) => hit.concept === 'global-compact')).toBe(false)
    expect((await send('PUT', '/api/glossary/nope', {concept: {...newConcept, id: 'nope'}})).status).toBe(404)
  })

  it('reports term usage: every segment with the concept, and the violations', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    segmentBySource(bundle, 'Le 3 mars').target = 'On 3 March 2017, the Director General met UN representatives in <1>Geneva</1>.'
    segmentBySource(bundle, 'Pour en savoir').target = 'See <1>the International Organisation for Migration website</1>.'
    await writeBundle(project, bundle)
    const {status, body} = await get<UsageData>('/api/glossary/iom/usage?locale=en')
    expect(status).toBe(200)
    expect(body.entries).toHaveLength(4)
    expect(body.violations).toBe(2)
    const byStart = (start: string) => body.entries.find((entry) => entry.source.startsWith(start))!
    expect(byStart('Le 3 mars')).toMatchObject({violation: 'missing', slug: 'visite', expected: expect.arrayContaining(['IOM'])})
    expect(byStart('Pour en savoir')).toMatchObject({violation: 'forbidden', forbiddenUsed: ['International Organisation for Migration']})
    expect(byStart('Visite').violation).toBeUndefined()
    expect(byStart('Le 3 mars').source.slice(byStart('Le 3 mars').start, byStart('Le 3 mars').end)).toBe('OIM')
    expect(body.entries.slice(0, 2).every((entry) => entry.violation)).toBe(true)
    expect((await get('/api/glossary/iom/usage?locale=xx')).status).toBe(400)
    expect(body.problems).toEqual([])
    // An unreadable bundle is reported, not silently left out.
    await writeFile(join(project.project.localesDir, 'en', 'broken.json'), '{not json')
    const withBroken = await get<UsageData>('/api/glossary/iom/usage?locale=en')
    expect(withBroken.body.problems).toHaveLength(1)
    expect(withBroken.body.problems[0]).toMatch(/^locales\/en\/broken\.json: bundle is not valid JSON/)
    expect(withBroken.body.entries).toHaveLength(4)
  })
})

describe('cli', () => {
  it('registers `review` with --host, --port, --token, --open, and refuses a public host without a token', async () => {
    if (!project) await fresh()
    const program = new Command().exitOverride()
    const failures: unknown[] = []
    const context: CliContext = {project: async () => project.project, report: (list) => failures.push(...list), fail: () => undefined}
    registerReviewCommand(program, context)
    const command = program.commands.find((item) => item.name() === 'review')!
    expect(command.options.map((option) => option.long)).toEqual(expect.arrayContaining(['--host', '--port', '--token', '--open']))
    const previous = process.env.PASSERELLE_REVIEW_TOKEN
    delete process.env.PASSERELLE_REVIEW_TOKEN
    try {
      const error = await program.parseAsync(['node', 'passerelle', 'review', '--host', '0.0.0.0', '--port', '0']).catch((caught: unknown) => caught)
      expect(isPasserelleError(error, 'E_CONFIG')).toBe(true)
    } finally {
      if (previous !== undefined) process.env.PASSERELLE_REVIEW_TOKEN = previous
    }
  })
})
