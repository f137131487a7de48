// The workbench's server side, in process: history and comments in the
// journal beside the bundle (crash and concurrency across processes),
// revert, bulk approval, concordance, machine translation on demand, live QA,
// the incremental translation memory, and comments through an XLIFF round trip.
import {spawn} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import type {Hono} from 'hono'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {journalPath, readJournal} from '../src/workflow/journal.ts'
import {createPseudoEngine} from '../src/engines/pseudo.ts'
import {xliffExportProject, xliffImportProject} from '../src/exchange/run.ts'
import {translateProject} from '../src/translate/run.ts'
import {createReviewApp} from '../src/review/index.ts'
import {TmCache} from '../src/review/suggestions.ts'
import type {BulkApproveResponse, CheckResponse, ConcordanceData, MachineData, SaveResponse, SegmentHistoryData, Suggestion} from '../src/review/index.ts'
import {repoRoot, type TempProject} from './helpers/project.ts'
import {readBundle, reviewProject, segmentBySource, writeBundle} from './fixtures/review/project.ts'

const secret = 'c0ffee'.repeat(8)
const json = {'content-type': 'application/json', 'x-passerelle-csrf': secret}
let clock = 0
const now = () => `2017-03-04T12:00:${String(clock++ % 60).padStart(2, '0')}.000Z`

let project: TempProject
let app: Hono
let tm: TmCache

beforeAll(async () => {
  project = await reviewProject(['en', 'es'])
  tm = new TmCache(project.project)
  app = createReviewApp(project.project, {csrfSecret: secret, reviewer: 'Default Reviewer', now, machine: async () => [createPseudoEngine()], tm})
})
afterAll(() => project?.cleanup())

async function call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, reviewer?: string): Promise<{status: number; body: T}> {
  const response = await app.request(path, method === 'GET' ? {} : {method, headers: {...json, ...(reviewer ? {'x-passerelle-reviewer': encodeURIComponent(reviewer)} : {})}, body: JSON.stringify(body)})
  return {status: response.status, body: (await response.json()) as T}
}
const segmentUrl = (id: string, locale = 'en', slug = 'visite') => `/api/articles/${locale}/${slug}/segments/${id}`

describe('history and revert', () => {
  it('records who changed what, from which state to which, and reverts to an earlier target', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Le Pacte')
    const first = await call<SaveResponse>('PUT', segmentUrl(segment.id), {revision: segment.revision, target: 'The Global Compact will be adopted in 2018.'}, 'Alice')
    expect(first.status).toBe(200)
    const second = await call<SaveResponse>('PUT', segmentUrl(segment.id), {revision: first.body.segment.revision, target: 'The Global Pact is adopted in 2018.', state: 'reviewed'}, 'Bob')
    expect(second.status).toBe(200)

    const history = await call<SegmentHistoryData>('GET', `${segmentUrl(segment.id)}/history`)
    expect(history.body.edits.map((edit) => [edit.by, edit.from.state, edit.to.state, edit.to.target])).toEqual([
      ['Bob', 'translated', 'reviewed', 'The Global Pact is adopted in 2018.'],
      ['Alice', 'machine', 'translated', 'The Global Compact will be adopted in 2018.']
    ])
    expect(history.body.edits[1]!.from.target).toBe(segment.target)

    // Revert to Alice's target: a save like any other, recorded as a revert.
    const reverted = await call<SaveResponse>('PUT', `${segmentUrl(segment.id)}?via=revert`, {revision: second.body.segment.revision, target: 'The Global Compact will be adopted in 2018.'}, 'Carla')
    expect(reverted.body.segment).toMatchObject({target: 'The Global Compact will be adopted in 2018.', state: 'translated'})
    const after = await call<SegmentHistoryData>('GET', `${segmentUrl(segment.id)}/history`)
    expect(after.body.edits[0]).toMatchObject({by: 'Carla', via: 'revert', to: {target: 'The Global Compact will be adopted in 2018.'}})

    // The log is JSON Lines beside the bundle, one event a line.
    const text = await readFile(journalPath(project.project.localesDir, 'en', 'visite'), 'utf8')
    expect(text.trim().split('\n').map((line) => JSON.parse(line).type)).toEqual(['edit', 'edit', 'edit'])
  })

  it('keeps reading a log whose last line was cut short, and says so', async () => {
    const path = journalPath(project.project.localesDir, 'es', 'visite')
    await writeFile(path, '{"type":"comment","segment":"abcdefabcdef","comment":"aaaaaaaaaaaa","at":"2017-01-01T00:00:00Z","text":"ok"}\n{"type":"comm')
    const journal = await readJournal(path, 'locales/es/visite.history.jsonl')
    expect(journal.events).toHaveLength(1)
    expect(journal.problems).toEqual([expect.stringContaining('locales/es/visite.history.jsonl:2')])
  })
})

describe('the journal across processes', () => {
  const tsx = join(repoRoot, 'node_modules/.bin/tsx')
  // Detached: its own process group, so a kill reaches the node process tsx starts as well.
  const writer = (file: string, name: string, count: number) => spawn(tsx, [join(repoRoot, 'test/helpers/append-journal.ts'), file, name, String(count)], {stdio: 'ignore', detached: true})
  const exit = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

  it('loses no event when three processes append at once', async () => {
    const file = join(project.root, 'locales/en/concurrent.history.jsonl')
    const codes = await Promise.all(['a', 'b', 'c'].map((name) => exit(writer(file, name, 10))))
    expect(codes).toEqual([0, 0, 0])
    const journal = await readJournal(file)
    expect(journal.problems).toEqual([])
    expect(journal.events).toHaveLength(30)
    for (const name of ['a', 'b', 'c']) expect(journal.events.filter((event) => event.type === 'comment' && event.by === name)).toHaveLength(10)
  })

  it('leaves a whole file when a writer is killed mid-append', async () => {
    const file = join(project.root, 'locales/en/crash.history.jsonl')
    const child = writer(file, 'k', 100_000)
    // Kill it once it has written a few events (whatever it was doing at that moment).
    for (let tries = 0; tries < 600; tries++) {
      const text = await readFile(file, 'utf8').catch(() => '')
      if (text.split('\n').length > 20) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const exited = exit(child)
    process.kill(-child.pid!, 'SIGKILL')
    await exited
    const journal = await readJournal(file)
    expect(journal.problems).toEqual([])
    expect(journal.events.length).toBeGreaterThanOrEqual(20)
  })
})

describe('comments', () => {
  it('keeps a thread per segment, with replies, resolvable and reopenable', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'La réunion')
    const posted = await call<{comments: SegmentHistoryData['comments']}>('POST', `${segmentUrl(segment.id)}/comments`, {text: '“governance of migration”, not “of the migrations”'}, 'Alice')
    expect(posted.status).toBe(201)
    const thread = posted.body.comments[0]!
    expect(thread).toMatchObject({by: 'Alice', text: '“governance of migration”, not “of the migrations”', resolved: false})
    await call('POST', `${segmentUrl(segment.id)}/comments`, {text: 'Agreed, glossary term.', replyTo: thread.id}, 'Bob')
    const resolved = await call<{comments: SegmentHistoryData['comments']}>('POST', `${segmentUrl(segment.id)}/comments/${thread.id}/resolve`, {resolved: true}, 'Alice')
    expect(resolved.body.comments).toEqual([expect.objectContaining({id: thread.id, resolved: true, resolvedBy: 'Alice', replies: [expect.objectContaining({by: 'Bob', text: 'Agreed, glossary term.'})]})])
    const reopened = await call<{comments: SegmentHistoryData['comments']}>('POST', `${segmentUrl(segment.id)}/comments/${thread.id}/resolve`, {resolved: false})
    expect(reopened.body.comments[0]!.resolved).toBe(false)
    expect((await call('POST', `${segmentUrl(segment.id)}/comments`, {text: '   '})).status).toBe(400)
    expect((await call('POST', `${segmentUrl(segment.id)}/comments/${'f'.repeat(12)}/resolve`, {resolved: true})).status).toBe(404)
  })

  it('survives an XLIFF round trip; a note added in a CAT tool comes back as a new comment', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    const segment = segmentBySource(bundle, 'Pour en savoir')
    await call('POST', `${segmentUrl(segment.id)}/comments`, {text: 'Link to the English site?'}, 'Zoé')
    const exported = await xliffExportProject(project.project, {locale: 'en'})
    expect(exported.text).toMatch(/<note id="c-[0-9a-f]{12}" category="passerelle:comment">Zoé: Link to the English site\?<\/note>/)
    const file = join(project.root, 'visite.en.xlf')
    await writeFile(file, exported.text)
    const back = await xliffImportProject(project.project, file, {now: '2017-03-06T00:00:00.000Z', by: 'Vendor'})
    expect(back.comments).toBe(0)
    const threads = async () => (await call<SegmentHistoryData>('GET', `${segmentUrl(segment.id)}/history`)).body.comments
    expect((await threads()).map((thread) => [thread.by, thread.text])).toEqual([['Zoé', 'Link to the English site?']])

    // The vendor adds a note in their CAT tool, on the same unit.
    const withNote = exported.text.replace(/(<note id="c-[0-9a-f]{12}" category="passerelle:comment">Zoé: Link to the English site\?<\/note>)/, '$1<note>Client asked for the French site.</note>')
    expect(withNote).not.toBe(exported.text)
    await writeFile(file, withNote)
    const again = await xliffImportProject(project.project, file, {now: '2017-03-06T00:00:00.000Z', by: 'Vendor'})
    expect(again.comments).toBe(1)
    expect((await threads()).map((thread) => [thread.by, thread.text])).toEqual([
      ['Zoé', 'Link to the English site?'],
      ['Vendor', 'Client asked for the French site.']
    ])
    // Importing the same file twice adds nothing more.
    expect((await xliffImportProject(project.project, file, {now: '2017-03-06T00:00:00.000Z', by: 'Vendor'})).comments).toBe(0)
  })

  it('imports the notes of a CAT tool that drops segment ids (MateCat, Weblate shape) on the right sentences', async () => {
    await project.write('content/fr/reunion.md', '---\ntitle: Réunion\n---\n\nLa réunion a eu lieu à Genève. Le Pacte mondial sera adopté en 2018.\n')
    const report = await translateProject(project.project, {locales: ['es'], engine: createPseudoEngine(), now: () => '2017-03-03T09:00:00.000Z'})
    expect(report.failures).toEqual([])
    const bundle = await readBundle(project, 'es', 'reunion')
    const units = new Map<string, typeof bundle.segments>()
    for (const segment of bundle.segments) units.set(segment.unit, [...(units.get(segment.unit) ?? []), segment])
    const [unit, sentences] = [...units].find(([, list]) => list.length >= 2)!
    const [first, second] = sentences as [(typeof sentences)[number], (typeof sentences)[number]]
    const exported = await xliffExportProject(project.project, {locale: 'es', articles: ['reunion']})
    // What such a tool sends back: no segment ids, no metadata, a unit note, a note the second sentence points to, an inline comment.
    let text = exported.text.replace(/<mda:metadata>.*?<\/mda:metadata>/gs, '').replace(/<segment id="[^"]*"/g, '<segment')
    const unitStart = new RegExp(`(<unit id="${unit}"[^>]*>)(?:<notes>.*?</notes>)?`, 's')
    expect(text).toMatch(unitStart)
    text = text.replace(unitStart, '$1<notes><note id="n1">Whole paragraph: check the register.</note><note id="n2" category="translator">Second sentence: keep “Pacte”.</note></notes>')
    const segments = [...text.matchAll(/<segment[ >]/g)].map((match) => match.index!)
    const unitAt = text.search(unitStart)
    const secondAt = segments.filter((at) => at > unitAt)[1]!
    const targetAt = text.indexOf('<target', secondAt)
    const contentAt = text.indexOf('>', targetAt) + 1
    const endAt = text.indexOf('</target>', contentAt)
    text = `${text.slice(0, contentAt)}<mrk id="m1" type="comment" ref="#n=n2">${text.slice(contentAt, endAt)}</mrk><mrk id="m2" type="comment" value="Inline: ok for the client."/>${text.slice(endAt)}`
    const file = join(project.root, 'reunion.es.matecat.xlf')
    await writeFile(file, text)
    const result = await xliffImportProject(project.project, file, {now: '2017-03-07T00:00:00.000Z', by: 'Vendor'})
    expect(result.comments).toBe(3)
    const threads = async (id: string) => (await call<SegmentHistoryData>('GET', segmentUrl(id, 'es', 'reunion') + '/history')).body.comments.map((thread) => [thread.by, thread.text])
    expect(await threads(first.id)).toEqual([['Vendor', 'Whole paragraph: check the register.']])
    expect(await threads(second.id)).toEqual([
      ['Vendor', 'Second sentence: keep “Pacte”.'],
      ['Vendor', 'Inline: ok for the client.']
    ])
    // Nothing else changed, and a second import adds nothing.
    expect(result.written).toEqual([])
    expect((await xliffImportProject(project.project, file, {now: '2017-03-07T00:00:00.000Z', by: 'Vendor'})).comments).toBe(0)
  })
})

describe('workbench lookups', () => {
  it('finds a phrase in every article and locale and in imported TMX (concordance)', async () => {
    const other = await readBundle(project, 'es', 'visite')
    await writeBundle(project, {...other, article: 'informe', segments: other.segments.map((segment, index) => (index === 3 ? {...segment, target: 'Los Estados Miembros aprobaron el informe.', state: 'approved' as const} : segment))})
    const {body} = await call<ConcordanceData>('GET', `/api/concordance?q=${encodeURIComponent('estados miembros')}`)
    expect(body.entries).toEqual([expect.objectContaining({locale: 'es', slug: 'informe', target: 'Los Estados Miembros aprobaron el informe.', targetMatch: [4, 20]})])
    const fromTmx = await call<ConcordanceData>('GET', `/api/concordance?q=${encodeURIComponent('IOM website')}&locale=en`)
    expect(fromTmx.body.entries).toContainEqual(expect.objectContaining({tmx: true, target: 'For more information, visit the IOM website.'}))
    expect((await call('GET', '/api/concordance?q=x&locale=xx')).status).toBe(400)
  })

  it('translates one segment on demand with the configured engines and saves nothing', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Les migrants')
    const before = await readFile(join(project.root, 'locales/en/visite.json'), 'utf8')
    const {body} = await call<MachineData>('POST', `${segmentUrl(segment.id)}/mt`, {})
    expect(body.suggestions).toEqual([expect.objectContaining({engine: 'pseudo', target: expect.stringContaining('⟦')})])
    expect(await readFile(join(project.root, 'locales/en/visite.json'), 'utf8')).toBe(before)
  })

  it('checks a target as typed (QA and glossary), without saving', async () => {
    const segment = segmentBySource(await readBundle(project, 'en', 'visite'), 'Visite de l’OIM')
    const {body} = await call<CheckResponse>('POST', `${segmentUrl(segment.id)}/check`, {target: 'Visit of the International Organisation for Migration to Geneva'})
    expect(body.qa).toContainEqual(expect.objectContaining({rule: 'glossary-forbidden', severity: 'error'}))
    expect(body.hits.some((hit) => hit.forbiddenUsed.length > 0)).toBe(true)
    const clean = await call<CheckResponse>('POST', `${segmentUrl(segment.id)}/check`, {target: 'IOM visit to Geneva'})
    expect(clean.body.qa.filter((finding) => finding.severity === 'error')).toEqual([])
  })

  it('updates the translation memory per saved file instead of rebuilding it', async () => {
    const bundle = await readBundle(project, 'en', 'visite')
    const [first, repeat] = bundle.segments.filter((segment) => segment.source === 'Visite de l’OIM à Genève')
    const suggestions = async () => (await call<{suggestions: Suggestion[]}>('GET', `${segmentUrl(repeat!.id)}/suggestions`)).body.suggestions
    await suggestions()
    const rebuilds = tm.rebuilds
    expect(rebuilds).toBeGreaterThan(0)
    await call('PUT', segmentUrl(first!.id), {revision: first!.revision, target: 'IOM visit to Geneva', state: 'approved'})
    expect((await suggestions())[0]).toMatchObject({target: 'IOM visit to Geneva', score: 100})
    expect(tm.rebuilds).toBe(rebuilds)
    // A change made by another process (here: a bundle written directly) is picked up per file too.
    const es = await readBundle(project, 'es', 'visite')
    await writeBundle(project, {...es, segments: es.segments.map((segment) => (segment.id === first!.id ? {...segment, target: 'Visita de la OIM a Ginebra', state: 'approved' as const} : segment))})
    const spanish = await call<{suggestions: Suggestion[]}>('GET', segmentUrl(repeat!.id, 'es') + '/suggestions')
    expect(spanish.body.suggestions[0]).toMatchObject({target: 'Visita de la OIM a Ginebra'})
    expect(tm.rebuilds).toBe(rebuilds)
  })
})

describe('bulk approval', () => {
  it('approves the given rows at their revisions and skips those with QA errors or a newer revision', async () => {
    const bundle = await readBundle(project, 'es', 'visite')
    const heading = segmentBySource(bundle, 'Le Pacte')
    const moved = segmentBySource(bundle, 'La réunion')
    // "Le Pacte" gets a wrong year (a QA error); "La réunion" is changed by someone else after the reviewer loaded it.
    const saved = await call<SaveResponse>('PUT', segmentUrl(heading.id, 'es'), {revision: heading.revision, target: 'El Pacto Mundial se adoptará en 2019.'})
    expect(saved.body.segment.qa).toContainEqual(expect.objectContaining({severity: 'error'}))
    await call('PUT', segmentUrl(moved.id, 'es'), {revision: moved.revision, target: 'La reunión trató de la gobernanza de la migración.'})
    const rows = bundle.segments.filter((segment) => segment.target !== undefined && segment.state !== 'approved')
    const request = rows.map((segment) => ({id: segment.id, revision: segment.id === heading.id ? saved.body.segment.revision : segment.revision}))
    const {body, status} = await call<BulkApproveResponse>('POST', '/api/articles/es/visite/approve', {segments: request}, 'Lead')
    expect(status).toBe(200)
    expect(body.skipped).toContainEqual(expect.objectContaining({id: heading.id, code: 'E_QA'}))
    expect(body.skipped).toContainEqual(expect.objectContaining({id: moved.id, code: 'E_CONFLICT'}))
    expect(body.approved.length).toBe(rows.length - 2)
    const after = await readBundle(project, 'es', 'visite')
    for (const id of body.approved) expect(after.segments.find((segment) => segment.id === id)).toMatchObject({state: 'approved', origin: {by: 'Lead'}})
    expect(after.segments.find((segment) => segment.id === heading.id)!.state).toBe('translated')
    expect(after.segments.find((segment) => segment.id === moved.id)!.state).toBe('translated')
    const history = await readJournal(journalPath(project.project.localesDir, 'es', 'visite'))
    expect(history.events.filter((event) => event.type === 'edit' && event.via === 'bulk-approve')).toHaveLength(body.approved.length)
  })
})
