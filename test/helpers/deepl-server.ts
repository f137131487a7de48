// A local stand-in for the DeepL API v2, for tests: a real node:http server on
// 127.0.0.1 that validates requests the way DeepL documents them (auth header,
// form or JSON bodies, parameters and their values, ≤ 50 texts, ≤ 128 KiB,
// well-formed XML with tag_handling=xml, glossary ids and pairs) and answers
// deterministically: each text is "translated" by applying the glossary to
// its text nodes (ignored tags left alone) and prefixing `[TARGET] `, with
// `[TARGET:formality] ` when formality applies. Tags come back re-serialised
// (`<x i="2" />`, `&gt;`), as a real service may, to exercise tolerant parsing.
// Faults can be injected: a status N times, a dropped socket N times, 456
// once a character limit is reached, 403 for given keys. At the end of the
// file, small builders the DeepL tests share (engine, segments, hits).
import {once} from 'node:events'
import {readFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {XMLValidator} from 'fast-xml-parser'
import {onTestFinished} from 'vitest'
import {createDeeplEngine, type DeeplEngine, type DeeplEngineOptions} from '../../src/engines/deepl/index.ts'
import type {EngineSegment} from '../../src/engines/types.ts'
import type {Termbase} from '../../src/glossary/types.ts'
import type {TermHit} from '../../src/types.ts'

export interface FakeDeeplOptions {
  /** The key that is accepted (default `fake-key:fx`). */
  authKey?: string
  /** Keys answered with 403 even if equal to `authKey`. */
  forbiddenKeys?: string[]
  /** Billing limit: a translate request that would pass it gets 456. */
  characterLimit?: number
  /** Base codes that can have glossaries with each other (default: DeepL's list, without `ca`). */
  glossaryLanguages?: string[]
  /** Target codes accepted (default: a realistic list, including `ca`). */
  targetLanguages?: string[]
  /** Targets that support formality (lower case). */
  formalityTargets?: string[]
  /** New glossaries answer `ready: false` this many times. */
  glossaryNotReadyPolls?: number
  /** Stop answering properly after this many requests (default 2000): keeps a runaway test bounded. */
  maxRequests?: number
  /** Close the server when the current test ends (default true when started inside a test). */
  autoClose?: boolean
  /** Answer each /v2/translate request this many ms late (billed when answered, as DeepL bills a request it finished). */
  latencyMs?: number
}

export interface Fault {
  /** Respond with this status (and `body`, default a JSON message)… */
  status?: number
  body?: string
  /** …or destroy the socket without answering. */
  drop?: boolean
  /** How many matching requests get the fault. */
  times: number
  /** Which requests (default `/v2/translate`); a string matches the path exactly. */
  path?: string | RegExp
  /** Only requests with this method (default any). */
  method?: string
}

export interface RecordedRequest {
  method: string
  path: string
  contentType: string
  bodyBytes: number
  /** Query or body parameters, each as a list (repeated form fields, JSON arrays). */
  params: Record<string, string[]>
  status: number
}

export interface FakeGlossary {
  glossary_id: string
  name: string
  ready: boolean
  source_lang: string
  target_lang: string
  creation_time: string
  entry_count: number
  entries: Array<[string, string]>
  notReadyPolls: number
}

export interface FakeDeepl {
  /** Base URL for deepl-node's `serverUrl`. */
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly glossaries: Map<string, FakeGlossary>
  readonly stats: {billedCharacters: number; glossariesCreated: number; glossariesDeleted: number; overflow: boolean}
  characterLimit: number | undefined
  inject(fault: Fault): void
  /** Recorded requests to one path (default `/v2/translate`) that succeeded. */
  succeeded(path?: string): RecordedRequest[]
  close(): Promise<void>
}

const defaultGlossaryLanguages = [
  'ar', 'bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'he', 'hu', 'id', 'it', 'ja', 'ko', 'lt', 'lv',
  'nb', 'nl', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'uk', 'vi', 'zh'
]
const defaultTargets = [
  'ar', 'bg', 'ca', 'cs', 'da', 'de', 'el', 'en-gb', 'en-us', 'es', 'es-419', 'et', 'fi', 'fr', 'he', 'hu', 'id', 'it',
  'ja', 'ko', 'lt', 'lv', 'nb', 'nl', 'pl', 'pt-br', 'pt-pt', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'uk', 'vi',
  'zh', 'zh-hans', 'zh-hant'
]
const defaultSources = ['ar', 'bg', 'ca', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'he', 'hu', 'id', 'it', 'ja', 'ko', 'lt', 'lv', 'nb', 'nl', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'uk', 'vi', 'zh']
const defaultFormality = ['de', 'fr', 'it', 'es', 'es-419', 'nl', 'pl', 'pt-br', 'pt-pt', 'ja', 'ru']

const maxTexts = 50
const maxBodyBytes = 128 * 1024
const hardBodyCap = 4 * 1024 * 1024

const translateParams = new Set([
  'text', 'source_lang', 'target_lang', 'context', 'show_billed_characters', 'split_sentences', 'preserve_formatting',
  'formality', 'model_type', 'glossary_id', 'tag_handling', 'tag_handling_version', 'outline_detection',
  'non_splitting_tags', 'splitting_tags', 'ignore_tags', 'custom_instructions'
])
const listParams = new Set(['text', 'non_splitting_tags', 'splitting_tags', 'ignore_tags', 'custom_instructions'])
const glossaryParams = new Set(['name', 'source_lang', 'target_lang', 'entries', 'entries_format'])

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: string
  ) {
    super(message)
  }
}

export async function startFakeDeepl(options: FakeDeeplOptions = {}): Promise<FakeDeepl> {
  const authKey = options.authKey ?? 'fake-key:fx'
  const forbidden = new Set(options.forbiddenKeys ?? [])
  const glossaryLanguages = options.glossaryLanguages ?? defaultGlossaryLanguages
  const targets = new Set((options.targetLanguages ?? defaultTargets).map((code) => code.toLowerCase()))
  const formalityTargets = new Set(options.formalityTargets ?? defaultFormality)
  const maxRequests = options.maxRequests ?? 2000
  const faults: Fault[] = []
  const requests: RecordedRequest[] = []
  const glossaries = new Map<string, FakeGlossary>()
  const stats = {billedCharacters: 0, glossariesCreated: 0, glossariesDeleted: 0, overflow: false}
  const sockets = new Set<Socket>()
  let glossaryCounter = 0

  const state = {characterLimit: options.characterLimit}

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, {message: String(error)})
    })
  })
  server.requestTimeout = 10_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = req.method ?? 'GET'
    const record: RecordedRequest = {method, path: url.pathname, contentType: req.headers['content-type'] ?? '', bodyBytes: 0, params: {}, status: 0}
    if (requests.length >= maxRequests) {
      stats.overflow = true
      res.writeHead(503).end()
      return
    }
    requests.push(record)

    const body = await readBody(req)
    record.bodyBytes = body.length
    if (options.latencyMs && url.pathname === '/v2/translate') await new Promise((resolve) => setTimeout(resolve, options.latencyMs))

    const fault = faults.find(
      (item) => item.times > 0 && matches(item.path ?? '/v2/translate', url.pathname) && (item.method === undefined || item.method === method)
    )
    if (fault) {
      fault.times--
      if (fault.drop) {
        record.status = -1
        req.socket.destroy()
        return
      }
      record.status = fault.status ?? 500
      res.writeHead(record.status, {'content-type': 'application/json'}).end(fault.body ?? JSON.stringify({message: 'Injected fault'}))
      return
    }

    try {
      const route = routeOf(method, url.pathname)
      checkAuth(req, url)
      if (body.length > maxBodyBytes) throw new HttpError(413, 'Request Entity Too Large')
      const params = method === 'GET' || method === 'DELETE' ? queryParams(url) : parseBody(req, body)
      record.params = params
      if (params.auth_key) throw new HttpError(403, 'auth_key in the request body or query is no longer supported')
      const {status, payload, type} = route(params, req)
      record.status = status
      if (type === 'tsv') {
        res.writeHead(status, {'content-type': 'text/tab-separated-values; charset=utf-8'}).end(payload as string)
      } else if (status === 204) {
        res.writeHead(204).end()
      } else {
        send(res, status, payload)
      }
    } catch (error) {
      if (!(error instanceof HttpError)) throw error
      record.status = error.status
      send(res, error.status, error.detail === undefined ? {message: error.message} : {message: error.message, detail: error.detail})
    }
  }

  type Handler = (params: Record<string, string[]>, req: IncomingMessage) => {status: number; payload: unknown; type?: 'tsv'}

  function routeOf(method: string, path: string): Handler {
    const glossary = /^\/v2\/glossaries\/([^/]+)(\/entries)?$/.exec(path)
    const table: Array<[string, boolean, Handler]> = [
      ['POST', path === '/v2/translate', translate],
      ['GET', path === '/v2/usage', () => ({status: 200, payload: {character_count: stats.billedCharacters, character_limit: state.characterLimit ?? 1e12}})],
      ['GET', path === '/v2/languages', languages],
      ['GET', path === '/v2/glossary-language-pairs', glossaryPairs],
      ['POST', path === '/v2/glossaries', createGlossary],
      ['GET', path === '/v2/glossaries', () => ({status: 200, payload: {glossaries: [...glossaries.values()].map(glossaryInfo)}})],
      ['GET', !!glossary && !glossary[2], () => ({status: 200, payload: glossaryInfo(findGlossary(glossary![1]!, true))})],
      ['DELETE', !!glossary && !glossary[2], () => deleteGlossary(glossary![1]!)],
      ['GET', !!glossary && !!glossary[2], (_params, req) => glossaryEntriesOf(glossary![1]!, req)]
    ]
    const onPath = table.filter(([, hit]) => hit)
    if (onPath.length === 0) throw new HttpError(404, 'Not found')
    const handler = onPath.find(([verb]) => verb === method)
    if (!handler) throw new HttpError(405, `Method ${method} not allowed`)
    return handler[2]
  }

  function checkAuth(req: IncomingMessage, url: URL): void {
    if (url.searchParams.has('auth_key')) throw new HttpError(403, 'auth_key in the query is no longer supported')
    const header = req.headers.authorization
    const match = header ? /^DeepL-Auth-Key (\S+)$/.exec(header) : null
    if (!match) throw new HttpError(403, 'Authorization failure, missing or malformed Authorization header')
    if (match[1] !== authKey || forbidden.has(match[1]!)) throw new HttpError(403, 'Authorization failure, check auth_key')
  }

  function translate(params: Record<string, string[]>): {status: number; payload: unknown} {
    for (const name of Object.keys(params)) {
      if (!translateParams.has(name)) throw new HttpError(400, `Unknown parameter '${name}'`)
      if (!listParams.has(name) && params[name]!.length > 1) throw new HttpError(400, `Parameter '${name}' given more than once`)
    }
    const texts = params.text ?? []
    if (texts.length === 0) throw new HttpError(400, "Parameter 'text' not specified")
    if (texts.length > maxTexts) throw new HttpError(400, `Too many texts: ${texts.length}, at most ${maxTexts} per request`)
    if (texts.some((text) => text === '')) throw new HttpError(400, "Parameter 'text' must not be empty")
    const target = one(params, 'target_lang')
    if (!target) throw new HttpError(400, "Parameter 'target_lang' not specified")
    if (!targets.has(target.toLowerCase())) throw new HttpError(400, `Value for 'target_lang' not supported: ${target}`)
    const source = one(params, 'source_lang')
    if (source !== undefined && !defaultSources.includes(source.toLowerCase())) throw new HttpError(400, `Value for 'source_lang' not supported: ${source}`)
    const tagHandling = one(params, 'tag_handling')
    if (tagHandling !== undefined && tagHandling !== 'xml' && tagHandling !== 'html') throw new HttpError(400, `Value for 'tag_handling' not supported: ${tagHandling}`)
    enumParam(params, 'split_sentences', ['0', '1', 'nonewlines'])
    enumParam(params, 'preserve_formatting', ['0', '1'])
    enumParam(params, 'outline_detection', ['0', '1'])
    enumParam(params, 'show_billed_characters', ['0', '1'])
    enumParam(params, 'model_type', ['quality_optimized', 'prefer_quality_optimized', 'latency_optimized'])
    enumParam(params, 'tag_handling_version', ['v1', 'v2'])
    const formality = enumParam(params, 'formality', ['default', 'more', 'less', 'prefer_more', 'prefer_less'])
    const formalitySupported = formalityTargets.has(target.toLowerCase())
    if ((formality === 'more' || formality === 'less') && !formalitySupported) {
      throw new HttpError(400, "'formality' is not supported for given 'target_lang'")
    }
    const ignoreTags = new Set<string>()
    for (const name of ['ignore_tags', 'splitting_tags', 'non_splitting_tags']) {
      for (const tag of (params[name] ?? []).flatMap((value) => value.split(','))) {
        if (!/^[A-Za-z_][\w.-]*$/.test(tag)) throw new HttpError(400, `Invalid tag name in '${name}': ${tag}`)
        if (name === 'ignore_tags') ignoreTags.add(tag)
      }
    }
    if (ignoreTags.size > 0 && tagHandling === undefined) throw new HttpError(400, "'ignore_tags' needs 'tag_handling'")

    let entries: Array<[string, string]> = []
    const glossaryId = one(params, 'glossary_id')
    if (glossaryId !== undefined) {
      const glossary = findGlossary(glossaryId, false)
      if (source === undefined) throw new HttpError(400, "Use of a glossary requires the 'source_lang' parameter to be specified")
      if (glossary.source_lang !== base(source) || glossary.target_lang !== base(target)) {
        throw new HttpError(400, "Language pair of the glossary doesn't match the language pair of the request")
      }
      if (!glossary.ready) throw new HttpError(400, 'Glossary is not ready yet')
      entries = glossary.entries
    }

    const xml = tagHandling === 'xml'
    if (xml) {
      texts.forEach((text, index) => {
        const problem = xmlProblem(text)
        if (problem) throw new HttpError(400, `Tag handling parsing failed for text ${index}: ${problem}`)
      })
    }
    const billed = texts.map((text) => billedCharacters(text, tagHandling !== undefined))
    const total = billed.reduce((sum, count) => sum + count, 0)
    if (state.characterLimit !== undefined && stats.billedCharacters + total > state.characterLimit) {
      throw new HttpError(456, 'Quota exceeded')
    }
    stats.billedCharacters += total

    const mark = `[${target.toUpperCase()}${formality && formality !== 'default' && formalitySupported ? `:${formality}` : ''}] `
    const showBilled = one(params, 'show_billed_characters') === '1'
    return {
      status: 200,
      payload: {
        translations: texts.map((text, index) => ({
          detected_source_language: (source ?? 'fr').toUpperCase(),
          text: mark + (xml ? translateXml(text, entries, ignoreTags) : applyGlossary(text, entries)),
          ...(showBilled ? {billed_characters: billed[index]} : {})
        }))
      }
    }
  }

  function languages(params: Record<string, string[]>): {status: number; payload: unknown} {
    const type = one(params, 'type') ?? 'source'
    if (type !== 'source' && type !== 'target') throw new HttpError(400, "Value for 'type' not supported")
    const list = type === 'target' ? [...targets] : defaultSources
    return {
      status: 200,
      payload: list.map((code) => ({
        language: code.toUpperCase(),
        name: code,
        ...(type === 'target' ? {supports_formality: formalityTargets.has(code)} : {})
      }))
    }
  }

  function glossaryPairs(): {status: number; payload: unknown} {
    const pairs = glossaryLanguages.flatMap((source) =>
      glossaryLanguages.filter((target) => target !== source).map((target) => ({source_lang: source, target_lang: target}))
    )
    return {status: 200, payload: {supported_languages: pairs}}
  }

  function createGlossary(params: Record<string, string[]>): {status: number; payload: unknown} {
    for (const name of Object.keys(params)) {
      if (!glossaryParams.has(name)) throw new HttpError(400, `Unknown parameter '${name}'`)
      if (params[name]!.length > 1) throw new HttpError(400, `Parameter '${name}' given more than once`)
    }
    const name = one(params, 'name')
    const source = one(params, 'source_lang')?.toLowerCase()
    const target = one(params, 'target_lang')?.toLowerCase()
    const entries = one(params, 'entries')
    const format = one(params, 'entries_format') ?? 'tsv'
    if (!name) throw new HttpError(400, "Parameter 'name' not specified")
    if (!source || !target) throw new HttpError(400, "Parameters 'source_lang' and 'target_lang' are required")
    if (!glossaryLanguages.includes(source) || !glossaryLanguages.includes(target) || source === target) {
      throw new HttpError(400, 'Unsupported glossary source and target language pair')
    }
    if (entries === undefined) throw new HttpError(400, "Parameter 'entries' not specified")
    if (format !== 'tsv' && format !== 'csv') throw new HttpError(400, "Value for 'entries_format' not supported")
    const parsed = parseEntries(entries, format === 'tsv' ? '\t' : ',')
    if (parsed.length === 0) throw new HttpError(400, 'Invalid glossary entries provided', 'No entries')
    const id = `00000000-0000-4000-8000-${String(++glossaryCounter).padStart(12, '0')}`
    const notReadyPolls = options.glossaryNotReadyPolls ?? 0
    const glossary: FakeGlossary = {
      glossary_id: id,
      name,
      ready: notReadyPolls === 0,
      source_lang: source,
      target_lang: target,
      creation_time: new Date(Date.UTC(2025, 0, 1, 0, 0, glossaryCounter)).toISOString(),
      entry_count: parsed.length,
      entries: parsed,
      notReadyPolls
    }
    glossaries.set(id, glossary)
    stats.glossariesCreated++
    return {status: 201, payload: glossaryInfo(glossary)}
  }

  function findGlossary(id: string, poll: boolean): FakeGlossary {
    const glossary = glossaries.get(id)
    if (!glossary) throw new HttpError(404, 'Glossary not found')
    if (poll && !glossary.ready && --glossary.notReadyPolls <= 0) glossary.ready = true
    return glossary
  }

  function deleteGlossary(id: string): {status: number; payload: unknown} {
    findGlossary(id, false)
    glossaries.delete(id)
    stats.glossariesDeleted++
    return {status: 204, payload: undefined}
  }

  function glossaryEntriesOf(id: string, req: IncomingMessage): {status: number; payload: unknown; type: 'tsv'} {
    const accept = req.headers.accept
    if (accept && !/text\/tab-separated-values|\*\/\*|application\/json, text\/plain/.test(accept)) {
      throw new HttpError(415, 'Unsupported Media Type')
    }
    return {status: 200, payload: findGlossary(id, false).entries.map(([s, t]) => `${s}\t${t}`).join('\n'), type: 'tsv'}
  }

  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const {port} = server.address() as AddressInfo

  let closed: Promise<void> | undefined
  const fake: FakeDeepl = {
    url: `http://127.0.0.1:${port}`,
    requests,
    glossaries,
    stats,
    get characterLimit() {
      return state.characterLimit
    },
    set characterLimit(value) {
      state.characterLimit = value
    },
    inject(fault) {
      faults.push({...fault})
    },
    succeeded(path = '/v2/translate') {
      return requests.filter((request) => request.path === path && request.status >= 200 && request.status < 300)
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
      return closed
    }
  }
  if (options.autoClose !== false) {
    try {
      onTestFinished(() => fake.close())
    } catch {
      // Started outside a test (beforeAll): the caller closes it.
    }
  }
  return fake
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(payload))
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path)
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > hardBodyCap) {
      req.socket.destroy()
      throw new Error('body over the hard cap')
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function queryParams(url: URL): Record<string, string[]> {
  const params: Record<string, string[]> = {}
  for (const [name, value] of url.searchParams) (params[name] ??= []).push(value)
  return params
}

function parseBody(req: IncomingMessage, body: Buffer): Record<string, string[]> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(body)
  } catch {
    throw new HttpError(400, 'Request body is not valid UTF-8')
  }
  if (type === 'application/x-www-form-urlencoded') {
    const params: Record<string, string[]> = {}
    for (const [name, value] of new URLSearchParams(text)) (params[name] ??= []).push(value)
    return params
  }
  if (type === 'application/json') {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new HttpError(400, 'Request body is not valid JSON')
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new HttpError(400, 'JSON body must be an object')
    const params: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(json)) {
      if (name === 'text' && !Array.isArray(value)) throw new HttpError(400, "'text' must be an array of strings in a JSON body")
      const values = Array.isArray(value) ? value : [value]
      params[name] = values.map((item) => {
        if (typeof item === 'string') return item
        if (typeof item === 'boolean') return item ? '1' : '0'
        if (typeof item === 'number') return String(item)
        throw new HttpError(400, `Invalid value for '${name}'`)
      })
    }
    return params
  }
  if (body.length === 0) return {}
  throw new HttpError(415, `Unsupported content type '${type}': use application/x-www-form-urlencoded or application/json`)
}

function one(params: Record<string, string[]>, name: string): string | undefined {
  return params[name]?.[0]
}

function enumParam(params: Record<string, string[]>, name: string, allowed: string[]): string | undefined {
  const value = one(params, name)
  if (value !== undefined && !allowed.includes(value)) throw new HttpError(400, `Value for '${name}' not supported: ${value}`)
  return value
}

function base(code: string): string {
  return code.split('-', 1)[0]!.toLowerCase()
}

function parseEntries(text: string, separator: string): Array<[string, string]> {
  const entries: Array<[string, string]> = []
  const seen = new Set<string>()
  text.split(/\r\n|\n|\r/).forEach((line, index) => {
    if (line === '') return
    const parts = line.split(separator)
    if (parts.length !== 2) throw new HttpError(400, 'Invalid glossary entries provided', `Line ${index + 1} must hold exactly one separator`)
    const [source, target] = parts as [string, string]
    if (source.trim() === '' || target.trim() === '') throw new HttpError(400, 'Invalid glossary entries provided', `Empty term on line ${index + 1}`)
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001F\u0080-\u009F\u2028\u2029]/.test(line.replace(separator, ''))) {
      throw new HttpError(400, 'Invalid glossary entries provided', `Control character on line ${index + 1}`)
    }
    if (seen.has(source)) throw new HttpError(400, 'Invalid glossary entries provided', `Key on line ${index + 1} duplicates an earlier key`)
    seen.add(source)
    entries.push([source, target])
  })
  return entries
}

function glossaryInfo(glossary: FakeGlossary): Omit<FakeGlossary, 'entries' | 'notReadyPolls'> {
  const {entries: _entries, notReadyPolls: _polls, ...info} = glossary
  return info
}

// --- XML fragments -----------------------------------------------------------

type XmlToken = {kind: 'text'; raw: string} | {kind: 'open' | 'close' | 'empty'; name: string; attributes: Array<[string, string]>}

const tagPattern = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y

/** Tokenise an XML fragment strictly; throws a message on anything not well formed. */
function tokenize(text: string): XmlToken[] {
  const tokens: XmlToken[] = []
  const stack: string[] = []
  let index = 0
  let textStart = 0
  const flush = (end: number) => {
    if (end > textStart) {
      const raw = text.slice(textStart, end)
      if (/&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/.test(raw)) throw new Error('bare & or unknown entity')
      tokens.push({kind: 'text', raw})
    }
  }
  while (index < text.length) {
    if (text[index] !== '<') {
      index++
      continue
    }
    flush(index)
    tagPattern.lastIndex = index
    const match = tagPattern.exec(text)
    if (!match) throw new Error(`malformed tag at ${index}`)
    const [whole, slash, name, rawAttributes = '', selfClosing] = match
    const attributes = [...rawAttributes.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map(
      (item) => [item[1]!, item[2] ?? item[3] ?? ''] as [string, string]
    )
    if (new Set(attributes.map(([key]) => key)).size !== attributes.length) throw new Error(`duplicate attribute in <${name}>`)
    if (slash) {
      if (selfClosing || attributes.length > 0) throw new Error(`malformed closing tag </${name}>`)
      if (stack.pop() !== name) throw new Error(`unexpected closing tag </${name}>`)
      tokens.push({kind: 'close', name: name!, attributes})
    } else if (selfClosing) {
      tokens.push({kind: 'empty', name: name!, attributes})
    } else {
      stack.push(name!)
      tokens.push({kind: 'open', name: name!, attributes})
    }
    index += whole.length
    textStart = index
  }
  flush(text.length)
  if (stack.length > 0) throw new Error(`unclosed tag <${stack.at(-1)}>`)
  return tokens
}

function xmlProblem(text: string): string | undefined {
  try {
    tokenize(text)
  } catch (error) {
    return (error as Error).message
  }
  const checked = XMLValidator.validate(`<fragment>${text}</fragment>`)
  return checked === true ? undefined : checked.err.msg
}

const entities: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"}

function decode(raw: string): string {
  return raw.replace(/&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g, (_whole, body: string) =>
    body.startsWith('#x') ? String.fromCodePoint(Number.parseInt(body.slice(2), 16)) : body.startsWith('#') ? String.fromCodePoint(Number(body.slice(1))) : entities[body]!
  )
}

/** Escapes `>` too, as a real service may: the client has to accept it. */
function encode(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function billedCharacters(text: string, tags: boolean): number {
  if (!tags) return [...text].length
  return tokenize(text).reduce((sum, token) => sum + (token.kind === 'text' ? [...decode(token.raw)].length : 0), 0)
}

function applyGlossary(text: string, entries: ReadonlyArray<[string, string]>): string {
  if (entries.length === 0) return text
  const sorted = [...entries].sort((a, b) => b[0].length - a[0].length)
  const escaped = sorted.map(([source]) => source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'gu')
  const table = new Map(entries)
  return text.replace(pattern, (found) => table.get(found) ?? found)
}

function translateXml(text: string, entries: ReadonlyArray<[string, string]>, ignoreTags: ReadonlySet<string>): string {
  let ignored = 0
  let out = ''
  for (const token of tokenize(text)) {
    if (token.kind === 'text') {
      out += ignored > 0 ? token.raw : encode(applyGlossary(decode(token.raw), entries))
      continue
    }
    const attributes = token.attributes.map(([key, value]) => ` ${key}="${value}"`).join('')
    if (token.kind === 'open') {
      if (ignoreTags.has(token.name) || ignored > 0) ignored++
      out += `<${token.name}${attributes}>`
    } else if (token.kind === 'close') {
      if (ignored > 0) ignored--
      out += `</${token.name}>`
    } else {
      out += `<${token.name}${attributes} />`
    }
  }
  return out
}

// --- Builders shared by the DeepL tests ----------------------------------------

export const fakeKey = 'fake-key:fx'

export function loadTermbase(): Termbase {
  return JSON.parse(readFileSync(new URL('../fixtures/deepl/termbase.json', import.meta.url), 'utf8')) as Termbase
}

/** An engine pointed at the fake, with deepl-node's own retries off and waits recorded instead of slept. */
export function engineFor(fake: FakeDeepl, options: Partial<DeeplEngineOptions> = {}): DeeplEngine & {delays: number[]} {
  const delays: number[] = []
  const engine = createDeeplEngine({
    authKey: fakeKey,
    serverUrl: fake.url,
    translatorOptions: {maxRetries: 1, minTimeout: 10_000},
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    ...options
  })
  return Object.assign(engine, {delays})
}

export function segment(id: string, text: string, hits: TermHit[] = [], context?: string): EngineSegment {
  return {id, text, hits, ...(context ? {context} : {})}
}

/** A hit on the first occurrence of `found` in `text`. */
export function hit(text: string, found: string, concept: string, options: {dnt?: boolean; expected?: string[]; kind?: TermHit['kind']} = {}): TermHit {
  const start = text.indexOf(found)
  if (start < 0) throw new Error(`'${found}' is not in '${text}'`)
  return {
    concept,
    kind: options.kind ?? 'term',
    start,
    end: start + found.length,
    text: found,
    dnt: options.dnt ?? false,
    expected: options.expected ?? [],
    forbidden: []
  }
}

/** Every text the fake accepted on /v2/translate, in order. */
export function sentTexts(fake: FakeDeepl): string[] {
  return fake.succeeded().flatMap((request) => request.params.text ?? [])
}
