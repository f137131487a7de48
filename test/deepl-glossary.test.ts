import {describe, expect, it} from 'vitest'
import {glossaryEntries} from '../src/engines/deepl/index.ts'
import type {Termbase} from '../src/glossary/types.ts'
import {engineFor, hit, loadTermbase, segment, startFakeDeepl} from './helpers/deepl-server.ts'

const toEn = {from: 'fr', to: 'en'}

describe('DeepL glossary sync', () => {
  it('creates the glossary once, uses it, and re-uses it while the termbase is unchanged', async () => {
    const fake = await startFakeDeepl()
    const termbase = loadTermbase()
    const first = engineFor(fake)
    await first.prepare(termbase, toEn)
    const state = first.glossaryState('fr', 'en')!
    expect(state).toMatchObject({mode: 'glossary', created: true, deleted: 0, entries: 7})
    expect(state.name).toBe(`passerelle-fr-en-${state.hash}`)
    expect(fake.stats.glossariesCreated).toBe(1)
    const stored = fake.glossaries.get(state.glossaryId!)!
    expect(stored).toMatchObject({source_lang: 'fr', target_lang: 'en', entry_count: 7})
    expect(stored.entries).toContainEqual(['OIM', 'IOM'])
    expect(first.route('fr', 'en')).toBe(`fr>en-GB glossary:${state.hash}`)

    const text = 'L’OIM soutient les objectifs de développement durable.'
    const [out] = await first.translate([segment('a', text, [hit(text, 'OIM', 'oim', {expected: ['IOM']})])], toEn)
    expect(fake.succeeded().at(-1)!.params.glossary_id).toEqual([state.glossaryId])
    expect(out!.text).toBe('[EN-GB] L’IOM soutient les Sustainable Development Goals.')

    // Next run, same termbase: found by name, nothing uploaded.
    const second = engineFor(fake)
    await second.prepare(loadTermbase(), toEn)
    expect(second.glossaryState('fr', 'en')).toMatchObject({created: false, deleted: 0, glossaryId: state.glossaryId})
    expect(fake.stats.glossariesCreated).toBe(1)
    expect(fake.succeeded('/v2/glossaries').filter((request) => request.method === 'POST')).toHaveLength(1)
  })

  it('replaces the glossary when the termbase changes, and leaves other prefixes and pairs alone', async () => {
    const fake = await startFakeDeepl()
    const termbase = loadTermbase()
    await engineFor(fake).prepare(termbase, toEn)
    await engineFor(fake).prepare(termbase, {from: 'fr', to: 'es'})
    await engineFor(fake, {glossaryPrefix: 'other'}).prepare(termbase, toEn)
    expect(fake.glossaries.size).toBe(3)

    const changed: Termbase = structuredClone(termbase)
    changed.concepts[0]!.terms.en![1]!.text = 'I.O.M.'
    const engine = engineFor(fake)
    await engine.prepare(changed, toEn)
    const state = engine.glossaryState('fr', 'en')!
    expect(state).toMatchObject({created: true, deleted: 1})
    expect(fake.stats).toMatchObject({glossariesCreated: 4, glossariesDeleted: 1})
    const names = [...fake.glossaries.values()].map((glossary) => glossary.name).sort()
    expect(names).toHaveLength(3)
    expect(names).toContain(state.name)
    expect(names.filter((name) => name.startsWith('passerelle-fr-es-'))).toHaveLength(1)
    expect(names.filter((name) => name.startsWith('other-fr-en-'))).toHaveLength(1)
    expect(fake.glossaries.get(state.glossaryId!)!.entries).toContainEqual(['OIM', 'I.O.M.'])
  })

  it('keeps the new glossary when a stale one is already gone or cannot be deleted', async () => {
    const fake = await startFakeDeepl()
    await engineFor(fake).prepare(loadTermbase(), toEn)
    const changed: Termbase = structuredClone(loadTermbase())
    changed.concepts[0]!.terms.en![1]!.text = 'I.O.M.'
    fake.inject({path: /^\/v2\/glossaries\/[^/]+$/, method: 'DELETE', status: 404, times: 1, body: JSON.stringify({message: 'Glossary not found'})})
    const gone = engineFor(fake)
    await gone.prepare(changed, toEn)
    expect(gone.glossaryState('fr', 'en')).toMatchObject({mode: 'glossary', created: true, deleted: 1})

    changed.concepts[0]!.terms.en![1]!.text = 'OIM-EN'
    fake.inject({path: /^\/v2\/glossaries\/[^/]+$/, method: 'DELETE', status: 400, times: 1})
    const stuck = engineFor(fake)
    await stuck.prepare(changed, toEn)
    // Two stale glossaries now (the 404 above was faked): one refuses deletion, one goes.
    expect(stuck.glossaryState('fr', 'en')).toMatchObject({mode: 'glossary', created: true, deleted: 1})
    expect(fake.glossaries.size).toBe(2)
    expect(fake.glossaries.has(stuck.glossaryState('fr', 'en')!.glossaryId!)).toBe(true)
  })

  it('waits for a new glossary to be ready', async () => {
    const fake = await startFakeDeepl({glossaryNotReadyPolls: 2})
    const engine = engineFor(fake)
    await engine.prepare(loadTermbase(), toEn)
    expect(engine.glossaryState('fr', 'en')).toMatchObject({mode: 'glossary'})
    expect(engine.delays).toEqual([1000, 1000])
  })

  it('falls back to placeholders for pairs DeepL has no glossaries for', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    await engine.prepare(loadTermbase(), {from: 'fr', to: 'ca'})
    expect(engine.glossaryState('fr', 'ca')).toMatchObject({mode: 'placeholders', created: false})
    expect(fake.stats.glossariesCreated).toBe(0)
    expect(engine.route('fr', 'ca')).toBe('fr>ca placeholders')

    const text = 'Le rapport de l’<1>OIM</1> et du Missing Migrants Project.'
    const hits = [
      hit(text, 'OIM', 'oim', {expected: ['Organització Internacional per a les Migracions', 'OIM']}),
      hit(text, 'Missing Migrants Project', 'mmp', {dnt: true})
    ]
    const [out] = await engine.translate([segment('a', text, hits)], {from: 'fr', to: 'ca'})
    const request = fake.succeeded().at(-1)!
    expect(request.params.glossary_id).toBeUndefined()
    expect(request.params.text).toEqual(['Le rapport de l’<x i="1"><k>Zqxa</k></x> et du <k>Zqxb</k>.'])
    expect(out!.text).toBe('[CA] Le rapport de l’<1>Organització Internacional per a les Migracions</1> et du Missing Migrants Project.')
  })

  it('uses placeholders when prepare was not called', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    const text = 'L’OIM.'
    const [out] = await engine.translate([segment('a', text, [hit(text, 'OIM', 'oim', {expected: ['IOM']})])], toEn)
    expect(fake.succeeded()[0]!.params.text).toEqual(['L’<k>Zqxa</k>.'])
    expect(out!.text).toBe('[EN-GB] L’IOM.')
  })

  it('makes no glossary for a pair without entries, but still deletes stale ones', async () => {
    const fake = await startFakeDeepl()
    await engineFor(fake).prepare(loadTermbase(), toEn)
    const engine = engineFor(fake)
    await engine.prepare({concepts: [], patterns: []}, toEn)
    expect(engine.glossaryState('fr', 'en')).toMatchObject({mode: 'glossary', entries: 0, deleted: 1})
    expect(engine.glossaryState('fr', 'en')!.glossaryId).toBeUndefined()
    expect(fake.glossaries.size).toBe(0)
    expect(glossaryEntries({concepts: [], patterns: []}, 'fr', 'en')).toEqual([])
  })

  it('carries on with placeholders when DeepL rejects the glossary', async () => {
    const fake = await startFakeDeepl()
    fake.inject({path: '/v2/glossaries', method: 'POST', status: 400, times: 1, body: JSON.stringify({message: 'Invalid glossary entries provided'})})
    const engine = engineFor(fake)
    await engine.prepare(loadTermbase(), toEn)
    expect(fake.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      'GET /v2/glossary-language-pairs 200',
      'GET /v2/glossaries 200',
      'POST /v2/glossaries 400'
    ])
    expect(engine.glossaryState('fr', 'en')).toMatchObject({mode: 'placeholders'})
    expect(engine.glossaryState('fr', 'en')!.reason).toContain('Invalid glossary entries provided')
  })
})
