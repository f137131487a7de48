// The fake must refuse what DeepL would refuse, or the engine tests prove nothing.
import {describe, expect, it} from 'vitest'
import {fakeKey, startFakeDeepl, type FakeDeepl} from './helpers/deepl-server.ts'

const auth = {authorization: `DeepL-Auth-Key ${fakeKey}`}

async function form(fake: FakeDeepl, fields: Array<[string, string]>, headers: Record<string, string> = auth, path = '/v2/translate') {
  const response = await fetch(fake.url + path, {
    method: 'POST',
    headers: {...headers, 'content-type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(fields).toString()
  })
  return {status: response.status, body: await response.text()}
}

describe('fake DeepL server', () => {
  it('answers a valid form request and a valid JSON request', async () => {
    const fake = await startFakeDeepl()
    const ok = await form(fake, [['text', 'Bonjour'], ['text', 'Salut'], ['target_lang', 'DE'], ['source_lang', 'FR'], ['show_billed_characters', '1']])
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toEqual({
      translations: [
        {detected_source_language: 'FR', text: '[DE] Bonjour', billed_characters: 7},
        {detected_source_language: 'FR', text: '[DE] Salut', billed_characters: 5}
      ]
    })
    const json = await fetch(`${fake.url}/v2/translate`, {
      method: 'POST',
      headers: {...auth, 'content-type': 'application/json'},
      body: JSON.stringify({text: ['<x i="1">a</x>'], target_lang: 'EN-US', tag_handling: 'xml', show_billed_characters: true})
    })
    expect(json.status).toBe(200)
    expect(await json.json()).toEqual({translations: [{detected_source_language: 'FR', text: '[EN-US] <x i="1">a</x>', billed_characters: 1}]})
  })

  it('refuses bad or missing keys with 403, keys in the body too', async () => {
    const fake = await startFakeDeepl({forbiddenKeys: ['blocked']})
    const fields: Array<[string, string]> = [['text', 'a'], ['target_lang', 'de']]
    expect((await form(fake, fields, {})).status).toBe(403)
    expect((await form(fake, fields, {authorization: 'Bearer x'})).status).toBe(403)
    expect((await form(fake, fields, {authorization: 'DeepL-Auth-Key wrong'})).status).toBe(403)
    expect((await form(fake, [...fields, ['auth_key', fakeKey]])).status).toBe(403)
    const blocked = await startFakeDeepl({authKey: 'blocked', forbiddenKeys: ['blocked']})
    expect((await form(blocked, fields, {authorization: 'DeepL-Auth-Key blocked'})).status).toBe(403)
  })

  it('refuses unknown paths, wrong methods and unsupported bodies', async () => {
    const fake = await startFakeDeepl()
    expect((await fetch(`${fake.url}/v2/translat`, {headers: auth})).status).toBe(404)
    expect((await fetch(`${fake.url}/v2/translate`, {headers: auth})).status).toBe(405)
    const text = await fetch(`${fake.url}/v2/translate`, {method: 'POST', headers: {...auth, 'content-type': 'text/plain'}, body: 'text=a'})
    expect(text.status).toBe(415)
    const jsonText = await fetch(`${fake.url}/v2/translate`, {
      method: 'POST',
      headers: {...auth, 'content-type': 'application/json'},
      body: JSON.stringify({text: 'not an array', target_lang: 'de'})
    })
    expect(jsonText.status).toBe(400)
  })

  it('validates translate parameters as documented', async () => {
    const fake = await startFakeDeepl()
    const cases: Array<[string, Array<[string, string]>, number]> = [
      ['no text', [['target_lang', 'de']], 400],
      ['empty text', [['text', ''], ['target_lang', 'de']], 400],
      ['no target', [['text', 'a']], 400],
      ['bare EN target', [['text', 'a'], ['target_lang', 'EN']], 400],
      ['unknown target', [['text', 'a'], ['target_lang', 'xx']], 400],
      ['variant source', [['text', 'a'], ['target_lang', 'de'], ['source_lang', 'en-GB']], 400],
      ['repeated target', [['text', 'a'], ['target_lang', 'de'], ['target_lang', 'es']], 400],
      ['unknown parameter', [['text', 'a'], ['target_lang', 'de'], ['tag_handlin', 'xml']], 400],
      ['bad tag_handling', [['text', 'a'], ['target_lang', 'de'], ['tag_handling', 'markdown']], 400],
      ['bad split_sentences', [['text', 'a'], ['target_lang', 'de'], ['split_sentences', 'yes']], 400],
      ['formality without support', [['text', 'a'], ['target_lang', 'en-GB'], ['formality', 'more']], 400],
      ['prefer_ formality is fine', [['text', 'a'], ['target_lang', 'en-GB'], ['formality', 'prefer_more']], 200],
      ['malformed XML', [['text', '<x i="1">a'], ['target_lang', 'de'], ['tag_handling', 'xml']], 400],
      ['bare ampersand', [['text', 'R&D'], ['target_lang', 'de'], ['tag_handling', 'xml']], 400],
      ['numbered tags are not XML', [['text', '<1>a</1>'], ['target_lang', 'de'], ['tag_handling', 'xml']], 400],
      ['bad ignore tag', [['text', 'a'], ['target_lang', 'de'], ['tag_handling', 'xml'], ['ignore_tags', 'k,1x']], 400],
      ['unknown glossary', [['text', 'a'], ['target_lang', 'de'], ['source_lang', 'fr'], ['glossary_id', 'nope']], 404],
      ['51 texts', [...Array.from({length: 51}, (): [string, string] => ['text', 'a']), ['target_lang', 'de']], 400],
      ['50 texts', [...Array.from({length: 50}, (): [string, string] => ['text', 'a']), ['target_lang', 'de']], 200],
      ['over 128 KiB', [['text', 'a'.repeat(128 * 1024)], ['target_lang', 'de']], 413]
    ]
    for (const [name, fields, status] of cases) {
      expect([name, (await form(fake, fields)).status]).toEqual([name, status])
    }
  })

  it('checks that a glossary matches the request pair', async () => {
    const fake = await startFakeDeepl()
    const created = await form(
      fake,
      [['name', 'g'], ['source_lang', 'fr'], ['target_lang', 'en'], ['entries', 'OIM\tIOM'], ['entries_format', 'tsv']],
      auth,
      '/v2/glossaries'
    )
    expect(created.status).toBe(201)
    const id = (JSON.parse(created.body) as {glossary_id: string}).glossary_id
    expect((await form(fake, [['text', 'OIM'], ['target_lang', 'en-GB'], ['glossary_id', id]])).status).toBe(400)
    expect((await form(fake, [['text', 'OIM'], ['target_lang', 'de'], ['source_lang', 'fr'], ['glossary_id', id]])).status).toBe(400)
    const used = await form(fake, [['text', 'OIM'], ['target_lang', 'en-GB'], ['source_lang', 'fr'], ['glossary_id', id]])
    expect(JSON.parse(used.body)).toMatchObject({translations: [{text: '[EN-GB] IOM'}]})
    const entries = await fetch(`${fake.url}/v2/glossaries/${id}/entries`, {headers: {...auth, accept: 'text/tab-separated-values'}})
    expect(await entries.text()).toBe('OIM\tIOM')
  })

  it('refuses malformed glossaries and unsupported glossary pairs', async () => {
    const fake = await startFakeDeepl()
    const create = (entries: string, target = 'en') =>
      form(fake, [['name', 'g'], ['source_lang', 'fr'], ['target_lang', target], ['entries', entries], ['entries_format', 'tsv']], auth, '/v2/glossaries')
    expect((await create('a\tb\nc')).status).toBe(400)
    expect((await create('a\tb\tc')).status).toBe(400)
    expect((await create('a\tb\na\tc')).status).toBe(400)
    expect((await create('a\tb', 'ca')).status).toBe(400)
    expect(fake.glossaries.size).toBe(0)
  })

  it('bills tags as free, answers 456 past the limit, and counts requests', async () => {
    const fake = await startFakeDeepl({characterLimit: 10})
    const ok = await form(fake, [['text', '<x i="1">abc</x>&amp;'], ['target_lang', 'de'], ['tag_handling', 'xml']])
    expect(ok.status).toBe(200)
    expect(fake.stats.billedCharacters).toBe(4)
    expect((await form(fake, [['text', 'abcdefg'], ['target_lang', 'de']])).status).toBe(456)
    expect(fake.stats.billedCharacters).toBe(4)
    expect(fake.requests.map((request) => request.status)).toEqual([200, 456])
  })

  it('stays bounded', async () => {
    const fake = await startFakeDeepl({maxRequests: 2})
    for (let index = 0; index < 3; index++) await fetch(`${fake.url}/v2/usage`, {headers: auth})
    expect(fake.requests).toHaveLength(2)
    expect(fake.stats.overflow).toBe(true)
  })
})
