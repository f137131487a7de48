import {readFileSync} from 'node:fs'
import {AuthorizationError, ConnectionError, DeepLError, GlossaryNotFoundError, QuotaExceededError, TooManyRequestsError} from 'deepl-node'
import {describe, expect, it} from 'vitest'
import * as deepl from '../src/engines/deepl/index.ts'
import {planRequests, runPool, formFieldBytes} from '../src/engines/deepl/batch.ts'
import {estimateBilledCharacters} from '../src/engines/deepl/billing.ts'
import {isRetryable, redact, statusOf, toPasserelleError} from '../src/engines/deepl/errors.ts'
import {glossaryEntries, glossaryHash, glossaryName, isOwnGlossaryName} from '../src/engines/deepl/glossary.ts'
import {formalityFor, resolveSource, resolveTarget} from '../src/engines/deepl/languages.ts'
import {backoffDelay, defaultBackoff, RetryExhausted, withRetry} from '../src/engines/deepl/retry.ts'
import type {Termbase} from '../src/glossary/types.ts'

const termbase = JSON.parse(readFileSync(new URL('./fixtures/deepl/termbase.json', import.meta.url), 'utf8')) as Termbase

describe('public api', () => {
  it('should expose the public api', () => {
    expect(Object.keys(deepl).sort()).toEqual([
      'DeeplBatchError',
      'createDeeplEngine',
      'deeplEngineFromEnv',
      'defaultFormalityTargets',
      'defaultTargets',
      'estimateBilledCharacters',
      'glossaryEntries',
      'glossaryHash',
      'glossaryName',
      'quotaWarning',
      'resolveTarget'
    ])
  })
})

describe('languages', () => {
  it('maps locales to DeepL target codes', () => {
    expect(resolveTarget('en')).toBe('en-GB')
    expect(resolveTarget('en-US')).toBe('en-US')
    expect(resolveTarget('pt')).toBe('pt-PT')
    expect(resolveTarget('zh')).toBe('zh-HANS')
    expect(resolveTarget('es')).toBe('es')
    expect(resolveTarget('ca')).toBe('ca')
    expect(resolveTarget('ar')).toBe('ar')
    expect(resolveTarget('ru')).toBe('ru')
    expect(resolveTarget('es-MX')).toBe('es')
    expect(resolveTarget('en', {en: 'EN-us'})).toBe('en-US')
    expect(resolveSource('fr')).toBe('fr')
  })

  it('refuses unknown locales and variant-less en/pt in the configuration', () => {
    expect(() => resolveTarget('tlh')).toThrow(expect.objectContaining({code: 'E_LOCALE'}))
    expect(() => resolveTarget('en', {en: 'en'})).toThrow(expect.objectContaining({code: 'E_CONFIG'}))
    expect(() => resolveTarget('en', {en: 'english!'})).toThrow(expect.objectContaining({code: 'E_CONFIG'}))
    expect(() => resolveSource('tlh')).toThrow(expect.objectContaining({code: 'E_LOCALE'}))
  })

  it('sends formality only to targets that support it', () => {
    expect(formalityFor('es', 'more')).toBe('more')
    expect(formalityFor('pt-PT', 'less')).toBe('less')
    expect(formalityFor('en-GB', 'more')).toBeUndefined()
    expect(formalityFor('en-GB', 'prefer_more')).toBeUndefined()
    expect(formalityFor('es', 'default')).toBeUndefined()
    expect(formalityFor('ca', 'more', ['ca'])).toBe('more')
  })
})

describe('glossary entries', () => {
  it('maps preferred and admitted source terms to the preferred target term of the same type', () => {
    expect(glossaryEntries(termbase, 'fr', 'en')).toEqual([
      {source: 'Missing Migrants Project', target: 'Missing Migrants Project'},
      {source: 'ODD', target: 'SDGs'},
      {source: 'OIM', target: 'IOM'},
      {source: 'Organisation internationale pour les migrations', target: 'International Organization for Migration'},
      {source: 'migrant en situation irrégulière', target: 'migrant in an irregular situation'},
      {source: 'migrant irrégulier', target: 'migrant in an irregular situation'},
      {source: 'objectifs de développement durable', target: 'Sustainable Development Goals'}
    ])
  })

  it('skips retired concepts, deprecated and forbidden terms, concepts without target, and invalid terms', () => {
    const entries = glossaryEntries(termbase, 'fr', 'ca')
    expect(entries.map((entry) => entry.source)).toEqual(['Missing Migrants Project', 'OIM', 'Organisation internationale pour les migrations'])
    const withTab: Termbase = {
      patterns: [],
      concepts: [{id: 'x', terms: {fr: [{text: 'a\tb', status: 'preferred'}], en: [{text: 'ab', status: 'preferred'}]}}]
    }
    expect(glossaryEntries(withTab, 'fr', 'en')).toEqual([])
  })

  it('keeps the first concept when two claim the same source term, and falls back from en-GB to en', () => {
    const clash: Termbase = {
      patterns: [],
      concepts: [
        {id: 'b', terms: {fr: [{text: 'OIM', status: 'preferred'}], en: [{text: 'second', status: 'preferred'}]}},
        {id: 'a', terms: {fr: [{text: 'OIM', status: 'preferred'}], en: [{text: 'first', status: 'preferred'}]}}
      ]
    }
    expect(glossaryEntries(clash, 'fr', 'en-GB')).toEqual([{source: 'OIM', target: 'first'}])
  })

  it('agrees in number, as the matcher ranks targets, and covers both apostrophes', () => {
    const rights: Termbase = {
      patterns: [],
      concepts: [
        {
          id: 'human-rights',
          terms: {
            fr: [
              {text: "droits de l'homme", status: 'preferred', type: 'fullForm', number: 'plural'},
              {text: "droit de l'homme", status: 'preferred', type: 'fullForm', number: 'singular'}
            ],
            en: [
              {text: 'human rights', status: 'preferred', type: 'fullForm', number: 'plural'},
              {text: 'human right', status: 'preferred', type: 'fullForm', number: 'singular'}
            ]
          }
        }
      ]
    }
    expect(glossaryEntries(rights, 'fr', 'en')).toEqual([
      {source: "droit de l'homme", target: 'human right'},
      {source: 'droit de l’homme', target: 'human right'},
      {source: "droits de l'homme", target: 'human rights'},
      {source: 'droits de l’homme', target: 'human rights'}
    ])
  })

  it('hashes the content: same entries same name, any change a new name', () => {
    const entries = glossaryEntries(termbase, 'fr', 'en')
    const hash = glossaryHash(entries, 'fr', 'en')
    expect(hash).toMatch(/^[0-9a-f]{12}$/)
    expect(glossaryHash([...entries], 'fr', 'en')).toBe(hash)
    expect(glossaryHash(entries.slice(1), 'fr', 'en')).not.toBe(hash)
    expect(glossaryHash(entries, 'fr', 'es')).not.toBe(hash)
    const name = glossaryName('passerelle', 'fr', 'en', hash)
    expect(name).toBe(`passerelle-fr-en-${hash}`)
    expect(isOwnGlossaryName(name, 'passerelle', 'fr', 'en')).toBe(true)
    expect(isOwnGlossaryName(`passerelle-fr-en-US-${hash}`, 'passerelle', 'fr', 'en')).toBe(false)
    expect(isOwnGlossaryName(`other-fr-en-${hash}`, 'passerelle', 'fr', 'en')).toBe(false)
  })
})

describe('billing estimate', () => {
  it('counts code points, not tags, an entity as one character', () => {
    expect(estimateBilledCharacters(['Voir <1>le site</1> et <2/>.'])).toBe('Voir le site et .'.length)
    expect(estimateBilledCharacters(['a &lt; b &amp; c'])).toBe(9)
    expect(estimateBilledCharacters(['深圳', '😀'])).toBe(3)
    expect(estimateBilledCharacters([])).toBe(0)
  })
})

describe('request planning', () => {
  const limits = {texts: 50, bytes: 128 * 1024, baseBytes: 300, contextChars: 100}

  it('splits by text count', () => {
    const items = Array.from({length: 120}, (_, index) => ({text: `phrase ${index}`}))
    expect(planRequests(items, limits).map((request) => request.items.length)).toEqual([50, 50, 20])
  })

  it('splits by encoded size and keeps every request under the limit', () => {
    const items = Array.from({length: 10}, () => ({text: 'é'.repeat(5000)}))
    const requests = planRequests(items, limits)
    expect(requests.length).toBeGreaterThan(1)
    for (const request of requests) {
      const size = limits.baseBytes + request.items.reduce((sum, index) => sum + formFieldBytes('text', items[index]!.text), 0)
      expect(size).toBeLessThanOrEqual(limits.bytes)
    }
    expect(requests.flatMap((request) => request.items)).toEqual([...items.keys()])
  })

  it('merges distinct contexts within the budget, starting a new request when full', () => {
    const items = [
      {text: 'a', context: 'x'.repeat(40)},
      {text: 'b', context: 'x'.repeat(40)},
      {text: 'c', context: 'y'.repeat(40)},
      {text: 'd', context: 'z'.repeat(40)},
      {text: 'e'}
    ]
    const requests = planRequests(items, limits)
    expect(requests).toEqual([
      {items: [0, 1, 2], context: `${'x'.repeat(40)}\n${'y'.repeat(40)}`},
      {items: [3, 4], context: 'z'.repeat(40)}
    ])
  })

  it('runs a bounded pool and stops starting tasks after a failure', async () => {
    let running = 0
    let most = 0
    const started: number[] = []
    const {done, error} = await runPool([0, 1, 2, 3, 4, 5], 2, async (task) => {
      started.push(task)
      running++
      most = Math.max(most, running)
      await new Promise((resolve) => setImmediate(resolve))
      running--
      if (task === 2) throw new Error('boom')
      return task * 10
    })
    expect(most).toBe(2)
    expect((error as Error).message).toBe('boom')
    expect(started).not.toContain(5)
    expect(done.get(0)).toBe(0)
    expect(done.has(2)).toBe(false)
  })
})

describe('retry', () => {
  it('backs off exponentially with bounded jitter and a cap', () => {
    const policy = {...defaultBackoff, initialMs: 1000, multiplier: 2, maxMs: 5000, jitter: 0.2}
    expect(backoffDelay(0, policy, () => 0.5)).toBe(1000)
    expect(backoffDelay(1, policy, () => 0.5)).toBe(2000)
    expect(backoffDelay(5, policy, () => 0.5)).toBe(5000)
    expect(backoffDelay(0, policy, () => 0)).toBe(800)
    expect(backoffDelay(0, policy, () => 0.999999)).toBe(1200)
  })

  it('retries only what is retryable, up to the limit', async () => {
    const delays: number[] = []
    let attempts = 0
    const failing = withRetry(
      async () => {
        attempts++
        throw new TooManyRequestsError('Too many requests')
      },
      {policy: {...defaultBackoff, retries: 2}, isRetryable, sleep: async (ms) => void delays.push(ms), random: () => 0.5}
    )
    await expect(failing).rejects.toBeInstanceOf(RetryExhausted)
    expect(attempts).toBe(3)
    expect(delays).toEqual([5000, 10000])

    attempts = 0
    await expect(
      withRetry(
        async () => {
          attempts++
          throw new QuotaExceededError('Quota')
        },
        {policy: defaultBackoff, isRetryable, sleep: async () => {}}
      )
    ).rejects.toMatchObject({attempts: 1})
    expect(attempts).toBe(1)
  })
})

describe('error mapping', () => {
  const context = {secrets: ['secret-key-123:fx'], serverUrl: 'http://user:pw@127.0.0.1:9'}

  it('maps deepl-node errors to codes by their classes, never by their text', () => {
    expect(toPasserelleError(new AuthorizationError('Authorization failure'), context).code).toBe('E_AUTH')
    expect(toPasserelleError(new QuotaExceededError('Quota'), context).code).toBe('E_QUOTA')
    expect(toPasserelleError(new TooManyRequestsError('Too many'), context).code).toBe('E_RATE_LIMIT')
    expect(toPasserelleError(new ConnectionError('Connection failure: connect ECONNREFUSED'), context).code).toBe('E_NETWORK')
    // A plain DeepLError carries no status: whatever its text says, it is the engine's failure.
    for (const text of ['Service unavailable', 'Unexpected status code: 529 Unknown', 'Unexpected status code: 500 Internal Server Error', 'Bad request, message: nope']) {
      expect(toPasserelleError(new DeepLError(text), context).code, text).toBe('E_ENGINE')
    }
    // The class decides even when the text suggests otherwise.
    expect(toPasserelleError(new QuotaExceededError('Unexpected status code: 500'), context).code).toBe('E_QUOTA')
    expect(toPasserelleError(new DeepLError('Authorization failure, check auth_key'), context).code).toBe('E_ENGINE')
    expect(toPasserelleError(new Error('other'), context).code).toBe('E_ENGINE')
    expect(statusOf(new GlossaryNotFoundError('x'))).toBe(404)
    expect(statusOf(new DeepLError('Unexpected status code: 502 Bad Gateway'))).toBeUndefined()
    expect(isRetryable(new TooManyRequestsError('x'))).toBe(true)
    expect(isRetryable(new DeepLError('Unexpected status code: 500 Internal Server Error'))).toBe(false)
    expect(isRetryable(new AuthorizationError('x'))).toBe(false)
    expect(isRetryable(new ConnectionError('x', true))).toBe(false)
  })

  it('never lets the key or URL credentials into a one-line message', () => {
    const error = toPasserelleError(new DeepLError('Bad request, message: key secret-key-123:fx\nDeepL-Auth-Key other'), context)
    expect(error.toLine()).not.toContain('secret-key-123')
    expect(error.toLine()).not.toContain('other')
    expect(error.toLine()).not.toContain('\n')
    const network = toPasserelleError(new ConnectionError('Connection failure: boom'), context)
    expect(network.message).toBe('cannot reach DeepL at http://127.0.0.1:9: Connection failure: boom')
    expect(redact('a secret-key-123:fx b', ['secret-key-123:fx'])).toBe('a [redacted] b')
  })
})
