// The DeepL engine: deepl-node's Translator behind Passerelle's Engine
// interface. Tags travel as XML (`tag_handling=xml`), do-not-translate spans
// in ignored `<k>` tags, glossary terms through a DeepL glossary synced in
// `prepare()` (or placeholder protection for pairs DeepL has no glossaries
// for). Requests stay within DeepL's limits, run with bounded concurrency, and
// are retried with back-off on top of deepl-node's own retries.
import {estimateBilledCharacters} from './billing.ts'
import {GlossaryNotFoundError, Translator, type SourceLanguageCode, type TargetLanguageCode, type TranslateTextOptions, type TranslatorOptions} from 'deepl-node'
import {PasserelleError} from '../../errors.ts'
import type {Termbase} from '../../glossary/types.ts'
import type {Locale} from '../../types.ts'
import {protect} from '../protect.ts'
import type {Engine, EngineOutput, EngineSegment, EngineUsage, TranslateOptions} from '../types.ts'
import {deeplLimits, formFieldBytes, planRequests, runPool} from './batch.ts'
import {DeeplBatchError, isRetryable, toPasserelleError, type ErrorContext} from './errors.ts'
import {glossaryEntries, glossaryHash} from './glossary.ts'
import {baseLanguage, defaultFormalityTargets, formalityFor, resolveSource, resolveTarget, type Formality} from './languages.ts'
import {defaultBackoff, RetryExhausted, sleep as realSleep, withRetry, type BackoffPolicy, type Sleep} from './retry.ts'
import {syncGlossary, type GlossaryApi, type GlossaryState} from './sync.ts'
import {alignWhitespace, fromDeeplXml, inlineTag, keepTag, toDeeplXml, type Span} from './xml.ts'

export interface DeeplEngineOptions {
  /** DeepL API key. Never printed, logged or put in an error message. */
  authKey: string
  /** API base URL; default: api-free.deepl.com for keys ending in `:fx`, else api.deepl.com. */
  serverUrl?: string
  /** Locale → DeepL target code; defaults: en→en-GB, pt→pt-PT, zh→zh-HANS, others as themselves. */
  targets?: Readonly<Record<Locale, string>>
  /** Locale → formality; sent only to targets that support it. */
  formality?: Readonly<Record<Locale, Formality>>
  /** Target codes that support formality (lower case); default `defaultFormalityTargets`. */
  formalityTargets?: readonly string[]
  /** Requests in flight at once when a batch needs several (default 2). */
  concurrency?: number
  /** Our retries per request on 429/5xx, after deepl-node's own (default 3). */
  maxRetries?: number
  /** Back-off between our retries (default: 5 s, ×2, cap 60 s, ±20 %). */
  backoff?: Partial<Omit<BackoffPolicy, 'retries'>>
  /** Prefix of the glossary names this engine owns (default `passerelle`). */
  glossaryPrefix?: string
  /** Characters of neighbouring-segment context per request (default 4000). */
  maxContextChars?: number
  /**
   * Passed to deepl-node. Defaults: `maxRetries: 3` (deepl-node counts
   * attempts: 3 = first try + 2 retries), `minTimeout: 60000` (a slow answer
   * retried is a request paid twice), `sendPlatformInfo: false`.
   */
  translatorOptions?: Omit<TranslatorOptions, 'serverUrl'>
  /** Test seams: how to wait, and the jitter source. */
  sleep?: Sleep
  random?: () => number
}

export interface DeeplEngine extends Engine {
  readonly name: 'deepl'
  /** Sync the DeepL glossary for the pair (or choose placeholders); call once per pair before translating. */
  prepare(termbase: Termbase, options: TranslateOptions): Promise<void | {warning?: string}>
  /** Characters used and allowed in the current billing period (`getUsage`). */
  usage(): Promise<EngineUsage>
  /** What `prepare` decided for a pair; undefined before it (translate then uses placeholders). */
  glossaryState(from: Locale, to: Locale): GlossaryState | undefined
  /** Characters DeepL reported billing for, in this engine's life. */
  readonly billedCharacters: number
}

interface Prepared {
  xml: string
  restore(output: string): string
  ids: string[]
  context?: string
}

export function createDeeplEngine(options: DeeplEngineOptions): DeeplEngine {
  const authKey = options.authKey?.trim() ?? ''
  if (authKey === '') {
    throw new PasserelleError('E_AUTH', 'no DeepL API key', {hint: 'set DEEPL_AUTH_KEY to your DeepL API key'})
  }
  const serverUrl = normaliseServerUrl(options.serverUrl)
  const errorContext: ErrorContext = {
    secrets: [authKey],
    serverUrl: serverUrl ?? (authKey.endsWith(':fx') ? 'https://api-free.deepl.com' : 'https://api.deepl.com')
  }
  // Held in this closure only: nothing reachable from the engine object holds the key.
  const translator = new Translator(authKey, {
    maxRetries: 3,
    minTimeout: 60_000,
    sendPlatformInfo: false,
    appInfo: {appName: 'passerelle', appVersion: '0.1'},
    ...options.translatorOptions,
    ...(serverUrl ? {serverUrl} : {})
  })
  const policy: BackoffPolicy = {...defaultBackoff, ...options.backoff, retries: options.maxRetries ?? defaultBackoff.retries}
  const wait = options.sleep ?? realSleep
  const concurrency = Math.max(1, options.concurrency ?? 2)
  const prefix = options.glossaryPrefix ?? 'passerelle'
  const maxContextChars = options.maxContextChars ?? 4000
  const formalityTargets = options.formalityTargets ?? defaultFormalityTargets
  const states = new Map<string, GlossaryState>()
  let calls = 0
  let billed = 0
  let languagePairs: ReturnType<GlossaryApi['glossaryLanguagePairs']> | undefined

  const request = async <T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    try {
      return await withRetry(
        () => {
          calls++
          return operation()
        },
        {policy, isRetryable, sleep: wait, ...(options.random ? {random: options.random} : {}), ...(signal ? {signal} : {})}
      )
    } catch (error) {
      if (error instanceof RetryExhausted) throw toPasserelleError(error.last, {...errorContext, attempts: error.attempts})
      throw toPasserelleError(error, errorContext)
    }
  }

  const api: GlossaryApi = {
    glossaryLanguagePairs: () => {
      const pending = (languagePairs ??= request(() => translator.getGlossaryLanguagePairs()))
      pending.catch(() => (languagePairs = undefined))
      return pending
    },
    listGlossaries: () => request(() => translator.listGlossaries()),
    getGlossary: (id) => request(() => translator.getGlossary(id)),
    createGlossary: (name, sourceLang, targetLang, entries) =>
      request(() => translator.createGlossary(name, sourceLang as SourceLanguageCode, targetLang as TargetLanguageCode, entries)),
    // Already gone (another run deleted it) is as good as deleted.
    deleteGlossary: (id) =>
      request(() =>
        translator.deleteGlossary(id).catch((error: unknown) => {
          if (!(error instanceof GlossaryNotFoundError)) throw error
        })
      )
  }

  const pair = (from: Locale, to: Locale) => {
    const source = resolveSource(from)
    const target = resolveTarget(to, options.targets)
    return {source, target, glossaryLang: baseLanguage(target), key: `${from}\u0000${to}`}
  }

  const prepareSegment = (segment: EngineSegment, state: GlossaryState | undefined, to: Locale): Omit<Prepared, 'ids'> => {
    if (state?.mode === 'glossary') {
      // DeepL applies the glossary; do-not-translate spans ride in ignored tags.
      const keep: Span[] = segment.hits.filter((hit) => hit.dnt).map((hit) => ({start: hit.start, end: hit.end}))
      return {xml: toDeeplXml(segment.text, keep), restore: (output) => alignWhitespace(fromDeeplXml(output, segment.text), segment.text)}
    }
    // Placeholders, as with Apertium, each inside an ignored tag so DeepL cannot inflect it.
    const shielded = protect(segment.text, segment.hits, {locale: to})
    const keep: Span[] = shielded.placeholders
    return {
      xml: toDeeplXml(shielded.text, keep),
      restore: (output) => shielded.restore(alignWhitespace(fromDeeplXml(output, shielded.text), shielded.text)).text
    }
  }

  const engine: DeeplEngine = {
    name: 'deepl',
    maxBatch: {segments: deeplLimits.texts, characters: 30_000},
    get calls() {
      return calls
    },
    get billedCharacters() {
      return billed
    },
    estimateCharacters: estimateBilledCharacters,

    route(from, to) {
      const {source, target, key} = pair(from, to)
      const state = states.get(key)
      const how = state?.mode === 'glossary' ? (state.glossaryId ? ` glossary:${state.hash}` : '') : ' placeholders'
      return `${source}>${target}${how}`
    },

    async check(from, to) {
      pair(from, to)
    },

    glossaryState(from, to) {
      return states.get(pair(from, to).key)
    },

    async prepare(termbase, {from, to}) {
      const {source, glossaryLang, key} = pair(from, to)
      const entries = glossaryEntries(termbase, from, to)
      let state: GlossaryState
      let warning: string | undefined
      try {
        state = await syncGlossary(api, {prefix, from, to, sourceLang: source, targetLang: glossaryLang, entries, sleep: (ms) => wait(ms)})
      } catch (error) {
        // DeepL refused the glossary itself (a bad entry): carry on with placeholders.
        if (!(error instanceof PasserelleError) || error.code !== 'E_ENGINE') throw error
        warning = `DeepL refused the ${from}→${to} glossary (${error.message}): terms are protected by placeholders instead`
        state = {
          mode: 'placeholders',
          reason: error.message,
          hash: glossaryHash(entries, source, glossaryLang),
          entries: entries.length,
          created: false,
          deleted: 0
        }
      }
      states.set(key, state)
      return warning === undefined ? undefined : {warning}
    },

    async usage() {
      const usage = await request(() => translator.getUsage())
      const detail = usage.character
      if (!detail) return {used: 0}
      // DeepL reports 10^12 when no limit is set.
      return detail.limit > 0 && detail.limit < 1e12 ? {used: detail.count, limit: detail.limit} : {used: detail.count}
    },

    async translate(batch, {from, to, signal}) {
      if (batch.length === 0) return []
      const {source, target, key} = pair(from, to)
      const state = states.get(key)
      const outputs = new Map<string, EngineOutput>()
      const prepared: Prepared[] = []
      const byKey = new Map<string, Prepared>()
      for (const segment of batch) {
        if (segment.text.trim() === '') {
          outputs.set(segment.id, {id: segment.id, text: segment.text, unknown: []})
          continue
        }
        const item = prepareSegment(segment, state, to)
        const dedupeKey = `${segment.text}\u0000${item.xml}`
        const existing = byKey.get(dedupeKey)
        if (existing) {
          existing.ids.push(segment.id)
          existing.context ??= segment.context
          continue
        }
        const entry: Prepared = {...item, ids: [segment.id], ...(segment.context ? {context: segment.context} : {})}
        byKey.set(dedupeKey, entry)
        prepared.push(entry)
      }

      const formality = formalityFor(target, options.formality?.[to], formalityTargets)
      const textOptions: TranslateTextOptions = {
        tagHandling: 'xml',
        ignoreTags: [keepTag],
        nonSplittingTags: [inlineTag, keepTag],
        splitSentences: 'nonewlines',
        preserveFormatting: true,
        ...(formality ? {formality} : {}),
        ...(state?.glossaryId ? {glossary: state.glossaryId} : {})
      }
      const requests = planRequests(
        prepared.map((item) => ({text: item.xml, ...(item.context ? {context: item.context} : {})})),
        {texts: deeplLimits.texts, bytes: deeplLimits.requestBytes, baseBytes: baseBytes(source, target, textOptions), contextChars: maxContextChars}
      )

      const {error} = await runPool(requests, concurrency, async (planned) => {
        const texts = planned.items.map((index) => prepared[index]!.xml)
        const results = await request(
          () =>
            translator.translateText(texts, source as SourceLanguageCode, target as TargetLanguageCode, {
              ...textOptions,
              ...(planned.context ? {context: planned.context} : {})
            }),
          signal
        )
        if (results.length !== texts.length) {
          throw new PasserelleError('E_ENGINE', `DeepL answered ${results.length} translations for ${texts.length} texts`)
        }
        results.forEach((result, position) => {
          billed += result.billedCharacters ?? 0
          const item = prepared[planned.items[position]!]!
          const text = item.restore(result.text)
          for (const id of item.ids) outputs.set(id, {id, text, unknown: []})
        })
      })
      if (error !== undefined) {
        const done = batch.filter((segment) => outputs.has(segment.id)).map((segment) => outputs.get(segment.id)!)
        const pending = batch.filter((segment) => !outputs.has(segment.id)).map((segment) => segment.id)
        throw new DeeplBatchError(toPasserelleError(error, errorContext), dedupeOutputs(done), [...new Set(pending)])
      }
      return dedupeOutputs(batch.map((segment) => outputs.get(segment.id)!))
    }
  }
  return engine
}

/** Reads `DEEPL_AUTH_KEY` (required) and `DEEPL_SERVER_URL` (optional). */
export function deeplEngineFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: Omit<DeeplEngineOptions, 'authKey' | 'serverUrl'> = {}
): DeeplEngine {
  const authKey = env.DEEPL_AUTH_KEY?.trim()
  if (!authKey) {
    throw new PasserelleError('E_AUTH', 'DEEPL_AUTH_KEY is not set', {
      hint: 'export DEEPL_AUTH_KEY=<your DeepL API key> (DeepL account → API Keys), or use --engine apertium'
    })
  }
  const serverUrl = env.DEEPL_SERVER_URL?.trim()
  return createDeeplEngine({...options, authKey, ...(serverUrl ? {serverUrl} : {})})
}

function normaliseServerUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new PasserelleError('E_CONFIG', 'DEEPL_SERVER_URL is not a URL', {hint: 'e.g. https://api.deepl.com'})
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PasserelleError('E_CONFIG', 'DEEPL_SERVER_URL must be an http(s) URL', {hint: 'e.g. https://api.deepl.com'})
  }
  // deepl-node appends `/v2/…` itself.
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v2$/, '')}`
}

/** Form-encoded size of the parameters sent besides `text` and `context`, plus room for what deepl-node may add. */
function baseBytes(source: string, target: string, textOptions: TranslateTextOptions): number {
  const fields: Array<[string, string]> = [
    ['target_lang', target],
    ['source_lang', source],
    ['show_billed_characters', '1'],
    ['split_sentences', 'nonewlines'],
    ['preserve_formatting', '1'],
    ['tag_handling', 'xml'],
    ['non_splitting_tags', `${inlineTag},${keepTag}`],
    ['ignore_tags', keepTag]
  ]
  if (textOptions.formality) fields.push(['formality', textOptions.formality])
  if (typeof textOptions.glossary === 'string') fields.push(['glossary_id', textOptions.glossary])
  return fields.reduce((sum, [name, value]) => sum + formFieldBytes(name, value), 0) + 512
}

/** One output per id, first wins (a batch may name an id twice). */
function dedupeOutputs(outputs: EngineOutput[]): EngineOutput[] {
  const seen = new Set<string>()
  return outputs.filter((output) => (seen.has(output.id) ? false : (seen.add(output.id), true)))
}
