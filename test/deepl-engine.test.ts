import {describe, expect, it} from 'vitest'
import {estimateBilledCharacters} from '../src/engines/deepl/index.ts'
import {engineFor, hit, segment, sentTexts, startFakeDeepl} from './helpers/deepl-server.ts'

const fr = (to: string) => ({from: 'fr', to})

describe('DeepL engine: requests and results', () => {
  it('translates a batch in one request with the documented parameters', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    await engine.check('fr', 'en')
    const out = await engine.translate([segment('a', 'Bonjour le monde.'), segment('b', 'Au revoir.')], fr('en'))
    expect(out).toEqual([
      {id: 'a', text: '[EN-GB] Bonjour le monde.', unknown: []},
      {id: 'b', text: '[EN-GB] Au revoir.', unknown: []}
    ])
    const [request] = fake.succeeded()
    expect(request!.contentType).toMatch(/^application\/x-www-form-urlencoded/)
    expect(request!.params).toMatchObject({
      text: ['Bonjour le monde.', 'Au revoir.'],
      source_lang: ['fr'],
      target_lang: ['en-GB'],
      tag_handling: ['xml'],
      ignore_tags: ['k'],
      split_sentences: ['nonewlines'],
      preserve_formatting: ['1']
    })
    expect(request!.params.formality).toBeUndefined()
    expect(request!.params.glossary_id).toBeUndefined()
    expect(engine.calls).toBe(1)
    expect(engine.maxBatch.segments).toBe(50)
    expect(engine.billedCharacters).toBe('Bonjour le monde.Au revoir.'.length)
  })

  it('round-trips nested, self-closing and escaped markup, whatever DeepL does with tag spacing', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    const text = 'Voir <1>le <2>site</2> et <3/></1> : a &lt; b &amp; c > d « e ».'
    const [out] = await engine.translate([segment('a', text)], fr('es'))
    expect(fake.succeeded()[0]!.params.text).toEqual(['Voir <x i="1">le <x i="2">site</x> et <x i="3"/></x> : a &lt; b &amp; c > d « e ».'])
    expect(out!.text).toBe(`[ES] ${text}`)
  })

  it('keeps do-not-translate spans in ignored tags', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    await engine.prepare(loadTermbaseFor(), fr('en'))
    const text = 'Le tableau OIM-Watch de l’OIM.'
    const hits = [hit(text, 'OIM-Watch', 'oim-watch', {dnt: true, kind: 'pattern'}), hit(text, 'OIM', 'oim', {expected: ['IOM']})]
    hits[1]!.start = text.lastIndexOf('OIM')
    hits[1]!.end = hits[1]!.start + 3
    const [out] = await engine.translate([segment('a', text, hits)], fr('en'))
    expect(fake.succeeded()[0]!.params.text).toEqual(['Le tableau <k>OIM-Watch</k> de l’OIM.'])
    // The glossary turned OIM into IOM, but not inside the do-not-translate span.
    expect(out!.text).toBe('[EN-GB] Le tableau OIM-Watch de l’IOM.')
  })

  it('sends neighbouring segments as context', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    await engine.translate([segment('a', 'Il est parti.', [], 'Le directeur est arrivé.'), segment('b', 'Rien.')], fr('en'))
    expect(fake.succeeded()[0]!.params.context).toEqual(['Le directeur est arrivé.'])
    // Context is free: billing counts the texts only.
    expect(fake.stats.billedCharacters).toBe('Il est parti.Rien.'.length)
  })

  it('sends formality only to targets that support it', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake, {formality: {es: 'more', en: 'more', ca: 'prefer_less'}})
    const [es] = await engine.translate([segment('a', 'Vous êtes prêt ?')], fr('es'))
    const [en] = await engine.translate([segment('a', 'Vous êtes prêt ?')], fr('en'))
    const [ca] = await engine.translate([segment('a', 'Vous êtes prêt ?')], fr('ca'))
    expect(fake.succeeded().map((request) => request.params.formality)).toEqual([['more'], undefined, undefined])
    expect([es!.text, en!.text, ca!.text]).toEqual(['[ES:more] Vous êtes prêt ?', '[EN-GB] Vous êtes prêt ?', '[CA] Vous êtes prêt ?'])
  })

  it('uses configured target codes', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake, {targets: {en: 'en-US'}})
    await engine.translate([segment('a', 'Couleur.')], fr('en'))
    expect(fake.succeeded()[0]!.params.target_lang).toEqual(['en-US'])
    expect(engine.route('fr', 'en')).toBe('fr>en-US placeholders')
    await expect(engine.check('fr', 'tlh')).rejects.toMatchObject({code: 'E_LOCALE'})
  })
})

describe('DeepL engine: batching', () => {
  it('splits 120 segments into 3 requests of at most 50 texts', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake, {concurrency: 3})
    const batch = Array.from({length: 120}, (_, index) => segment(`s${index}`, `Phrase numéro ${index}.`))
    const out = await engine.translate(batch, fr('en'))
    expect(out.map((item) => item.id)).toEqual(batch.map((item) => item.id))
    expect(out[119]!.text).toBe('[EN-GB] Phrase numéro 119.')
    expect(fake.succeeded().map((request) => request.params.text!.length)).toEqual([50, 50, 20])
    expect(engine.calls).toBe(3)
  })

  it('splits by request size and never sends more than 128 KiB', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    // 8 000 × "é" is 48 000 bytes form-encoded: two such texts per request.
    const batch = Array.from({length: 7}, (_, index) => segment(`s${index}`, `${index} ${'é'.repeat(8000)}`))
    const out = await engine.translate(batch, fr('en'))
    expect(out).toHaveLength(7)
    const requests = fake.succeeded()
    expect(requests.map((request) => request.params.text!.length)).toEqual([2, 2, 2, 1])
    for (const request of requests) expect(request.bodyBytes).toBeLessThanOrEqual(128 * 1024)
    expect(fake.requests.every((request) => request.status === 200)).toBe(true)
  })

  it('sends each distinct text once and answers every id', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    const out = await engine.translate(
      [segment('a', 'Même phrase.'), segment('b', 'Autre.'), segment('c', 'Même phrase.'), segment('d', '  ')],
      fr('en')
    )
    expect(sentTexts(fake)).toEqual(['Même phrase.', 'Autre.'])
    expect(out.map((item) => [item.id, item.text])).toEqual([
      ['a', '[EN-GB] Même phrase.'],
      ['b', '[EN-GB] Autre.'],
      ['c', '[EN-GB] Même phrase.'],
      ['d', '  ']
    ])
  })

  it('makes no request for an empty batch', async () => {
    const fake = await startFakeDeepl()
    const engine = engineFor(fake)
    expect(await engine.translate([], fr('en'))).toEqual([])
    expect(fake.requests).toHaveLength(0)
  })
})

describe('DeepL engine: usage and estimate', () => {
  it('reports usage, and the estimate matches what DeepL bills', async () => {
    const fake = await startFakeDeepl({characterLimit: 500_000})
    const engine = engineFor(fake)
    expect(await engine.usage()).toEqual({used: 0, limit: 500_000})
    const texts = ['Voir <1>le site</1> de l’<2/>OIM.', 'a &lt; b &amp; c', 'Déjà vu — 深圳 😀']
    await engine.translate(
      texts.map((text, index) => segment(`s${index}`, text)),
      fr('en')
    )
    const usage = await engine.usage()
    expect(usage.used).toBe(estimateBilledCharacters(texts))
    expect(engine.billedCharacters).toBe(usage.used)
  })

  it('leaves the limit out when the account has none', async () => {
    const fake = await startFakeDeepl()
    expect(await engineFor(fake).usage()).toEqual({used: 0})
  })
})

function loadTermbaseFor() {
  return {
    patterns: [],
    concepts: [
      {
        id: 'oim',
        terms: {
          fr: [{text: 'OIM', status: 'preferred' as const, type: 'acronym' as const}],
          en: [{text: 'IOM', status: 'preferred' as const, type: 'acronym' as const}]
        }
      }
    ]
  }
}
