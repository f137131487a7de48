import {createServer} from 'node:net'
import {inspect} from 'node:util'
import {describe, expect, it} from 'vitest'
import {DeeplBatchError, deeplEngineFromEnv} from '../src/engines/deepl/index.ts'
import {partialResults as partialOutputs} from '../src/engines/types.ts'
import type {EngineOutput, EngineSegment} from '../src/engines/types.ts'
import {isPasserelleError, PasserelleError} from '../src/errors.ts'
import {engineFor, fakeKey, loadTermbase, segment, sentTexts, startFakeDeepl} from './helpers/deepl-server.ts'

const toEn = {from: 'fr', to: 'en'}
const sentences = (count: number) => Array.from({length: count}, (_, index) => segment(`s${index}`, `Phrase numéro ${index}.`))

async function failure(promise: Promise<unknown>): Promise<PasserelleError> {
  try {
    await promise
  } catch (error) {
    expect(isPasserelleError(error)).toBe(true)
    return error as PasserelleError
  }
  throw new Error('expected a failure')
}

function expectNoKey(error: unknown, key = fakeKey) {
  const views = [
    (error as Error).message,
    (error as PasserelleError).toLine(),
    inspect(error, {depth: 8, showHidden: true}),
    JSON.stringify(error)
  ]
  for (const view of views) {
    expect(view).not.toContain(key)
    expect(view).not.toMatch(/DeepL-Auth-Key\s+(?!\[redacted\])\S/)
  }
  expect((error as PasserelleError).toLine()).not.toContain('\n')
}

describe('DeepL engine: retries', () => {
  it('retries 429 with back-off, then succeeds', async () => {
    const fake = await startFakeDeepl()
    fake.inject({status: 429, times: 2})
    const engine = engineFor(fake)
    const [out] = await engine.translate([segment('a', 'Bonjour.')], toEn)
    expect(out!.text).toBe('[EN-GB] Bonjour.')
    expect(engine.delays).toEqual([5000, 10000])
    expect(engine.calls).toBe(3)
    expect(fake.requests.map((request) => request.status)).toEqual([429, 429, 200])
  })

  it('lets deepl-node retry on its own first (its maxRetries counts attempts)', async () => {
    const fake = await startFakeDeepl()
    fake.inject({status: 429, times: 1})
    const engine = engineFor(fake, {translatorOptions: {maxRetries: 2}, maxRetries: 0})
    const [out] = await engine.translate([segment('a', 'Bonjour.')], toEn)
    expect(out!.text).toBe('[EN-GB] Bonjour.')
    expect(engine.delays).toEqual([])
    expect(engine.calls).toBe(1)
    expect(fake.requests.map((request) => request.status)).toEqual([429, 200])
  })

  it('lets deepl-node retry 5xx (its own back-off), then succeeds', async () => {
    const fake = await startFakeDeepl()
    fake.inject({status: 503, times: 1})
    fake.inject({status: 500, times: 1})
    const engine = engineFor(fake, {translatorOptions: {maxRetries: 3, minTimeout: 10_000}})
    const [out] = await engine.translate([segment('a', 'Bonjour.')], toEn)
    expect(out!.text).toBe('[EN-GB] Bonjour.')
    expect(fake.requests.map((request) => request.status)).toEqual([503, 500, 200])
    expect(engine.calls).toBe(1)
  }, 30_000)

  it('gives up with E_RATE_LIMIT when 429 lasts, and E_ENGINE when DeepL stays unavailable', async () => {
    const fake = await startFakeDeepl()
    fake.inject({status: 429, times: 100})
    const limited = await failure(engineFor(fake, {maxRetries: 2}).translate([segment('a', 'Bonjour.')], toEn))
    expect(limited.code).toBe('E_RATE_LIMIT')
    expect(limited.message).toBe('DeepL is rate-limiting requests (HTTP 429) after 3 attempts')

    // deepl-node gives a 5xx after its retries as a plain DeepLError, with no status: not retried again.
    const down = await startFakeDeepl()
    down.inject({status: 503, times: 100})
    const unavailable = await failure(engineFor(down, {maxRetries: 1}).translate([segment('a', 'Bonjour.')], toEn))
    expect(unavailable.code).toBe('E_ENGINE')
    expect(down.requests).toHaveLength(1)
  })
})

describe('DeepL engine: faults that stop the run', () => {
  it('456 mid-run: E_QUOTA, earlier batches kept, the next run sends only the rest', async () => {
    const fake = await startFakeDeepl()
    const all = sentences(120)
    const perBatch = all.slice(0, 50).reduce((sum, item) => sum + item.text.length, 0)
    fake.characterLimit = perBatch + 10
    const saved = new Map<string, EngineOutput>()

    // A run as the orchestrator makes it: batches of maxBatch, saving after each.
    const run = async (engine: ReturnType<typeof engineFor>) => {
      const pending = all.filter((item) => !saved.has(item.id))
      for (let start = 0; start < pending.length; start += engine.maxBatch.segments) {
        const batch = pending.slice(start, start + engine.maxBatch.segments)
        for (const output of await engine.translate(batch, toEn)) saved.set(output.id, output)
      }
    }

    const stopped = await failure(run(engineFor(fake)))
    expect(stopped.code).toBe('E_QUOTA')
    expect(stopped.hint).toContain('saved')
    expect(stopped).toBeInstanceOf(DeeplBatchError)
    expect((stopped as DeeplBatchError).pending).toEqual(all.slice(50, 100).map((item) => item.id))
    expect(saved.size).toBe(50)
    expectNoKey(stopped)

    fake.characterLimit = undefined
    await run(engineFor(fake))
    expect(saved.size).toBe(120)
    // Every sentence was accepted (billed) exactly once over the two runs.
    expect(sentTexts(fake).sort()).toEqual(all.map((item) => item.text).sort())
    expect(saved.get('s119')!.text).toBe('[EN-GB] Phrase numéro 119.')
  })

  it('456 inside one large batch: the error carries what was translated and what was not', async () => {
    const fake = await startFakeDeepl()
    const all = sentences(120)
    fake.characterLimit = all.slice(0, 60).reduce((sum, item) => sum + item.text.length, 0)
    const error = await failure(engineFor(fake, {concurrency: 1}).translate(all, toEn))
    expect(error.code).toBe('E_QUOTA')
    const done = partialOutputs(error)
    expect(done.map((item) => item.id)).toEqual(all.slice(0, 50).map((item) => item.id))
    expect(done[0]!.text).toBe('[EN-GB] Phrase numéro 0.')
    expect((error as DeeplBatchError).pending).toEqual(all.slice(50).map((item) => item.id))
    expect(partialOutputs(new Error('other'))).toEqual([])
  })

  it('403: E_AUTH, from translate and from prepare, without the key in any message', async () => {
    const revoked = 'revoked-key-0123456789'
    const fake = await startFakeDeepl({forbiddenKeys: [revoked]})
    const engine = engineFor(fake, {authKey: revoked})
    const fromTranslate = await failure(engine.translate([segment('a', 'Bonjour.')], toEn))
    expect(fromTranslate.code).toBe('E_AUTH')
    expect(fromTranslate.toLine()).toMatch(/^DeepL refused the API key \(HTTP 403\) \(E_AUTH\) — check DEEPL_AUTH_KEY/)
    expectNoKey(fromTranslate, revoked)
    const fromPrepare = await failure(engine.prepare(loadTermbase(), toEn))
    expect(fromPrepare.code).toBe('E_AUTH')
    expectNoKey(fromPrepare, revoked)
    expect(inspect(engine, {depth: 10, showHidden: true, getters: true})).not.toContain(revoked)
  })

  it('keeps the key out even when the server quotes it back', async () => {
    const fake = await startFakeDeepl()
    fake.inject({status: 400, times: 1, body: JSON.stringify({message: `bad request from DeepL-Auth-Key ${fakeKey}`, detail: fakeKey})})
    const error = await failure(engineFor(fake).translate([segment('a', 'Bonjour.')], toEn))
    expect(error.code).toBe('E_ENGINE')
    expect(error.message).toContain('[redacted]')
    expectNoKey(error)
  })

  it('network errors: E_NETWORK, for a dropped connection and for a closed port', async () => {
    const fake = await startFakeDeepl()
    fake.inject({drop: true, times: 1})
    const dropped = await failure(engineFor(fake).translate([segment('a', 'Bonjour.')], toEn))
    expect(dropped.code).toBe('E_NETWORK')
    expect(dropped.message).toMatch(/^cannot reach DeepL at http:\/\/127\.0\.0\.1:\d+: /)
    expectNoKey(dropped)

    const port = await freePort()
    const refused = await failure(
      deeplEngineFromEnv({DEEPL_AUTH_KEY: fakeKey, DEEPL_SERVER_URL: `http://127.0.0.1:${port}/v2/`}, {translatorOptions: {maxRetries: 1}}).translate(
        [segment('a', 'Bonjour.')],
        toEn
      )
    )
    expect(refused.code).toBe('E_NETWORK')
    expect(refused.message).toContain(`http://127.0.0.1:${port}`)
    expectNoKey(refused)
  })
})

describe('deeplEngineFromEnv', () => {
  it('needs DEEPL_AUTH_KEY and says how to set it', () => {
    let error: unknown
    try {
      deeplEngineFromEnv({DEEPL_AUTH_KEY: '  '})
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({code: 'E_AUTH'})
    expect((error as PasserelleError).toLine()).toContain('export DEEPL_AUTH_KEY=')
  })

  it('refuses a server URL that is not http(s), and works against the fake', async () => {
    expect(() => deeplEngineFromEnv({DEEPL_AUTH_KEY: fakeKey, DEEPL_SERVER_URL: 'ftp://example.org'})).toThrow(
      expect.objectContaining({code: 'E_CONFIG'})
    )
    const fake = await startFakeDeepl()
    const engine = deeplEngineFromEnv({DEEPL_AUTH_KEY: fakeKey, DEEPL_SERVER_URL: fake.url}, {targets: {en: 'en-US'}, formality: {en: 'more'}})
    const batch: EngineSegment[] = [segment('a', 'Bonjour.')]
    expect(await engine.translate(batch, toEn)).toEqual([{id: 'a', text: '[EN-US] Bonjour.', unknown: []}])
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
