// Request guards, applied in this order to every request:
// 1. Host: without a token, only loopback names are served (a DNS-rebinding
//    page on another name gets 403).
// 2. Token: when the server was started with one (required beyond loopback),
//    every request needs it: `Authorization: Bearer …`, or the cookie that
//    `/?token=…` sets (HttpOnly, SameSite=Strict).
// 3. CSRF, for every state-changing method: the per-server secret the page
//    embeds, in `X-Passerelle-Csrf` (a custom header cannot be sent
//    cross-origin without a CORS preflight, which this server never grants),
//    plus an `Origin`/`Sec-Fetch-Site` same-origin check, a JSON content type
//    and a body size limit.
// Responses carry a strict Content-Security-Policy (no inline script).
import {randomBytes, timingSafeEqual} from 'node:crypto'
import type {Context, MiddlewareHandler} from 'hono'
import {getCookie, setCookie} from 'hono/cookie'
import {PasserelleError} from '../errors.ts'
import type {ApiError, ApiErrorCode} from './wire.ts'

export const csrfHeader = 'x-passerelle-csrf'
export const reviewerHeader = 'x-passerelle-reviewer'
const tokenCookie = 'passerelle_token'
/** Largest request body accepted (a concept or a segment is far smaller). */
export const maxBodyBytes = 256 * 1024
/** Routes that take whole files (a termbase upload): their own, larger limit. */
const fileBodyBytes = new Map([['/api/glossary/import', 16 * 1024 * 1024]])
const limitOf = (path: string): number => fileBodyBytes.get(path) ?? maxBodyBytes

const policy = (formAction: string) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'"
  ].join('; ')
const contentSecurityPolicy = policy("'none'")
/** Team mode posts its sign-in and invitation forms to itself. */
const teamContentSecurityPolicy = policy("'self'")

/** An HTTP refusal with the review API's error shape. */
export class HttpError extends Error {
  readonly status: number
  readonly code: ApiErrorCode
  readonly hint: string | undefined
  constructor(status: number, code: ApiErrorCode, message: string, hint?: string) {
    super(message)
    this.status = status
    this.code = code
    this.hint = hint
  }
}

export function newSecret(): string {
  return randomBytes(32).toString('hex')
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1'])

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return loopbackNames.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name) || name.endsWith('.localhost')
}

/** The host name of a `Host` header value: `[::1]:4173` → `::1`, `localhost:80` → `localhost`. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(host)
  return (bracketed ? bracketed[1]! : host.split(':')[0]!).toLowerCase()
}

function requestHost(c: Context): string {
  return c.req.header('host') ?? new URL(c.req.url).host
}

export function hostGuard(options: {token?: string}): MiddlewareHandler {
  return async (c, next) => {
    if (options.token === undefined && !isLoopbackHost(hostnameOf(requestHost(c)))) {
      throw new HttpError(403, 'E_HOST', 'this server only answers to loopback host names', 'open it as http://127.0.0.1:<port>/')
    }
    await next()
  }
}

export function tokenGuard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token === undefined) return next()
    const query = c.req.query('token')
    if (c.req.method === 'GET' && c.req.path === '/' && query !== undefined) {
      if (!sameSecret(query, token)) throw new HttpError(401, 'E_TOKEN', 'wrong token')
      // Keep the token out of the address bar, history and logs from here on.
      setCookie(c, tokenCookie, token, {httpOnly: true, sameSite: 'Strict', path: '/'})
      return c.redirect('/', 303)
    }
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    if (!sameSecret(bearer ?? getCookie(c, tokenCookie), token)) {
      throw new HttpError(401, 'E_TOKEN', 'this server needs a token', 'open the address that `passerelle review` printed (it ends in ?token=…)')
    }
    await next()
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** `secret`: the server's, or (team mode) the one of the request's session. */
export function csrfGuard(secret: string | ((c: Context) => string | undefined)): MiddlewareHandler {
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next()
    const origin = c.req.header('origin')
    if (origin !== undefined) {
      let host: string | undefined
      try {
        host = new URL(origin).host
      } catch {
        host = undefined
      }
      if (host !== requestHost(c)) throw new HttpError(403, 'E_CSRF', `cross-origin request from ${origin.slice(0, 80)} refused`)
    }
    const site = c.req.header('sec-fetch-site')
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'E_CSRF', `cross-site request (${site.slice(0, 20)}) refused`)
    const expected = typeof secret === 'string' ? secret : secret(c)
    if (expected === undefined || !sameSecret(c.req.header(csrfHeader), expected)) {
      throw new HttpError(403, 'E_CSRF', 'missing or wrong CSRF header', `send the page's secret in ${csrfHeader}`)
    }
    const type = c.req.header('content-type') ?? ''
    if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, 'E_MEDIA_TYPE', 'request body must be application/json')
    const length = Number(c.req.header('content-length') ?? '0')
    if (length > limitOf(c.req.path)) throw tooLarge(limitOf(c.req.path))
    await next()
  }
}

function tooLarge(limit = maxBodyBytes): HttpError {
  return new HttpError(413, 'E_TOO_LARGE', `request body over ${limit / 1024} KiB`)
}

/** Read the JSON body, counting bytes as they come (a missing or lying Content-Length changes nothing). */
export async function readJson(c: Context): Promise<unknown> {
  const body = c.req.raw.body
  if (!body) throw new HttpError(400, 'E_INPUT', 'request body is empty')
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limitOf(c.req.path)) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limitOf(c.req.path))
    }
    chunks.push(value)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, 'E_INPUT', 'request body is not valid JSON')
  }
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  setSecurityHeaders(c, contentSecurityPolicy)
}

export const teamSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  setSecurityHeaders(c, teamContentSecurityPolicy)
}

function setSecurityHeaders(c: Context, csp: string): void {
  c.header('Content-Security-Policy', csp)
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('X-Frame-Options', 'DENY')
  c.header('Referrer-Policy', 'no-referrer')
  c.header('Cross-Origin-Opener-Policy', 'same-origin')
  c.header('Cross-Origin-Resource-Policy', 'same-origin')
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store')
}

/** The reviewer named by the browser (URI-encoded header), else the server's default. */
export function reviewerOf(c: Context, fallback: string): string {
  const raw = c.req.header(reviewerHeader)
  if (!raw) return fallback
  let name: string
  try {
    name = decodeURIComponent(raw).trim()
  } catch {
    throw new HttpError(400, 'E_INPUT', 'reviewer name is not URI-encoded')
  }
  if (name === '') return fallback
  if (name.length > 64 || /[\p{Cc}\p{Cf}]/u.test(name)) throw new HttpError(400, 'E_INPUT', 'reviewer name must be one line of at most 64 characters')
  return name
}

const statusOf: Partial<Record<string, number>> = {E_NOT_FOUND: 404, E_CONFLICT: 409, E_INPUT: 422, E_GLOSSARY: 422, E_LOCALE: 400}

/** One place where thrown errors become responses. */
export function errorBody(error: unknown): {status: number; body: ApiError} {
  if (error instanceof HttpError) {
    return {status: error.status, body: {error: {code: error.code, message: error.message, ...(error.hint ? {hint: error.hint} : {})}}}
  }
  if (error instanceof PasserelleError) {
    const code = (['E_INPUT', 'E_NOT_FOUND', 'E_CONFLICT', 'E_GLOSSARY', 'E_BUNDLE'] as const).find((known) => known === error.code) ?? 'E_INTERNAL'
    return {
      status: statusOf[error.code] ?? 500,
      body: {error: {code: error.code === 'E_LOCALE' ? 'E_INPUT' : code, message: error.message, ...(error.hint ? {hint: error.hint} : {})}}
    }
  }
  return {status: 500, body: {error: {code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error)}}}
}
