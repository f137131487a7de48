// Live updates and MT jobs on the team server (`serve --database`), over
// HTTP as signed-in people reach them: the permission rule decides who may
// queue machine translation in which locale and who may read the stream; a
// save through the API arrives on another user's event stream.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {JobRequestResponse, JobsData} from '../src/live/routes.ts'
import type {ArticleData} from '../src/review/wire.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {signedInVisitor, startTeam, Visitor, type TeamFixture} from './helpers/team.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP team-live: ${missing}`)

const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'

describe.skipIf(missing !== undefined)('team server: MT jobs and live updates', () => {
  let cluster: TestCluster
  let team: TeamFixture
  beforeAll(async () => {
    cluster = await startCluster()
    team = await startTeam(cluster, 'teamlive', {extraUsers: [{email: 'es-only@example.org', role: 'translator', locales: ['es']}]})
  }, 120_000)
  afterAll(async () => {
    await team?.close()
    await cluster?.stop()
  })

  const signedIn = (email: string, address: string) => signedInVisitor(team.url, email, address)

  it('lets only those who may request MT in a locale queue jobs there; everyone signed in sees them', async () => {
    const anonymous = new Visitor(team.url, '10.1.0.1')
    expect((await anonymous.request('GET', '/api/jobs')).status).toBe(401)

    const esOnly = await signedIn('es-only@example.org', '10.1.0.2')
    const terminologist = await signedIn('terminologist@example.org', '10.1.0.3')
    expect((await esOnly.request('POST', '/api/jobs', {locale: 'en', articles: [slug]})).status).toBe(403)
    expect((await terminologist.request('POST', '/api/jobs', {locale: 'es', articles: [slug]})).status).toBe(403)
    const queued = await esOnly.request<JobRequestResponse>('POST', '/api/jobs', {locale: 'es', articles: [slug]})
    expect(queued.status).toBe(202)
    expect(queued.body.jobs).toHaveLength(1)

    const listed = await terminologist.request<JobsData>('GET', '/api/jobs')
    expect(listed.status).toBe(200)
    expect(listed.body.jobs.map((job) => ({id: job.id, locale: job.locale, articles: job.articles, state: job.state, by: job.requestedBy}))).toEqual([
      {id: queued.body.jobs[0], locale: 'es', articles: [slug], state: 'queued', by: 'es-only@example.org'}
    ])
  })

  it("streams a segment another user saves, to a signed-in reader's event stream", async () => {
    const anonymous = new Visitor(team.url, '10.1.0.4')
    const refused = await anonymous.fetch(`/api/events?locale=es&article=${slug}`)
    expect(refused.status).toBe(401)
    await refused.text()

    const reader = await signedIn('terminologist@example.org', '10.1.0.5')
    const writer = await signedIn('translator@example.org', '10.1.0.6')
    const abort = new AbortController()
    const stream = await reader.fetch(`/api/events?locale=es&article=${slug}`, {signal: abort.signal, headers: {accept: 'text/event-stream'}})
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    const reader_ = stream.body!.getReader()
    let received = ''
    const arrived = (async () => {
      const decoder = new TextDecoder()
      while (!received.includes('event: segment')) {
        const {value, done} = await reader_.read()
        if (done) break
        received += decoder.decode(value, {stream: true})
      }
    })()

    const article = (await writer.request<ArticleData>('GET', `/api/articles/es/${slug}`)).body
    const segment = article.segments.find((item) => item.target !== undefined && item.state === 'machine') ?? article.segments[0]!
    const saved = await writer.request('PUT', `/api/articles/es/${slug}/segments/${segment.id}`, {revision: segment.revision, target: 'Texto guardado por otra persona.'})
    expect(saved.status).toBe(200)
    await arrived
    abort.abort()
    expect(received).toContain('event: segment')
    const data = JSON.parse(/event: segment\ndata: (.*)\n/.exec(received)![1]!) as {id: string; revision: number}
    expect(data).toMatchObject({id: segment.id, revision: segment.revision + 1})
  })
})
