// Team mode of the review app (`passerelle serve --database`): people sign
// in with their own account, and the server decides what each request may
// do. No shared token: a session cookie (HttpOnly, SameSite=Strict, Secure
// behind https) names a row in `sessions`, looked up on every request with
// its user, so a revoked session or a disabled user gets 401 at once.
// State-changing API requests carry the session's CSRF token; the sign-in
// and invitation forms carry a per-visitor one (double submit). Every API
// route is mapped to one action of `can()` here, and a route without a rule
// is refused (fail closed).
import type {Context, Hono, MiddlewareHandler} from 'hono'
import {getConnInfo} from '@hono/node-server/conninfo'
import {deleteCookie, getCookie, setCookie} from 'hono/cookie'
import {acceptInvitation, invitationEmail, sessionOf, signIn, signOut, type Session} from '../team/sessions.ts'
import {accountLimit, sessionHours, windowMinutes} from '../team/limits.ts'
import {can, type Action} from '../team/permissions.ts'
import {minPasswordLength} from '../team/password.ts'
import {withClient, type Pool} from '../db/connect.ts'
import type {Config} from '../config.ts'
import {registerUserRoutes} from './team-users.ts'
import {PasserelleError} from '../errors.ts'
import type {StoreActor} from '../workflow/bundle-store.ts'
import {HttpError, maxBodyBytes, newSecret} from './security.ts'
import {escapeHtml} from '../publish/html.ts'

export interface TeamOptions {
  pool: Pool
  /** The project's configuration: the locales an account may be given. */
  config: Config
  /** The address people open (behind a TLS proxy: https://…); https makes cookies Secure. */
  publicUrl?: string
  /** Take the client address from the last X-Forwarded-For hop (set it only behind your own reverse proxy). */
  trustProxy?: boolean
}

declare module 'hono' {
  interface ContextVariableMap {
    session: Session
  }
}

/** Which action of `can()` each API route needs; `locale` is the route's target locale when it has one. */
const routeRules: {method: string; pattern: RegExp; action: Action | 'segment.save'}[] = [
  {method: 'GET', pattern: /^\/api\/project$/, action: 'project.read'},
  {method: 'GET', pattern: /^\/api\/status$/, action: 'project.read'},
  {method: 'GET', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+$/, action: 'project.read'},
  {method: 'GET', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/segments\/[^/]+\/(?:suggestions|history)$/, action: 'project.read'},
  {method: 'POST', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/segments\/[^/]+\/check$/, action: 'project.read'},
  {method: 'POST', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/views$/, action: 'project.read'},
  {method: 'POST', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/segments\/[^/]+\/mt$/, action: 'mt.request'},
  {method: 'POST', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/segments\/[^/]+\/comments(?:\/[^/]+\/resolve)?$/, action: 'segment.comment'},
  {method: 'POST', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/segments\/[^/]+\/acknowledge$/, action: 'finding.acknowledge'},
  // Which of edit / mark translated / review / approve depends on the body: the handler asks (`authorize`).
  {method: 'PUT', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/segments\/[^/]+$/, action: 'segment.save'},
  {method: 'POST', pattern: /^\/api\/articles\/(?<locale>[^/]+)\/[^/]+\/approve$/, action: 'segment.approve'},
  {method: 'GET', pattern: /^\/api\/concordance$/, action: 'project.read'},
  {method: 'GET', pattern: /^\/api\/glossary(?:\/[^/]+(?:\/usage)?)?$/, action: 'project.read'},
  {method: 'POST', pattern: /^\/api\/glossary$/, action: 'glossary.edit'},
  {method: 'POST', pattern: /^\/api\/glossary\/import$/, action: 'glossary.edit'},
  {method: 'PUT', pattern: /^\/api\/glossary\/[^/]+$/, action: 'glossary.edit'},
  {method: 'GET', pattern: /^\/api\/rules\/[^/]+$/, action: 'project.read'},
  {method: 'PUT', pattern: /^\/api\/rules\/[^/]+$/, action: 'glossary.edit'},
  {method: 'GET', pattern: /^\/api\/audit$/, action: 'audit.read'},
  // Accounts (team-users.ts): admins only.
  {method: 'GET', pattern: /^\/api\/users$/, action: 'users.manage'},
  {method: 'POST', pattern: /^\/api\/users$/, action: 'users.manage'},
  {method: 'PUT', pattern: /^\/api\/users\/[^/]+$/, action: 'users.manage'},
  {method: 'POST', pattern: /^\/api\/users\/[^/]+\/(?:disable|enable|invitation|invitation\/revoke)$/, action: 'users.manage'},
  {method: 'POST', pattern: /^\/api\/signout$/, action: 'project.read'},
  // Live updates and MT jobs (src/live/routes.ts); POST /api/jobs names its locale in the body and checks mt.request there.
  {method: 'GET', pattern: /^\/api\/events$/, action: 'project.read'},
  {method: 'GET', pattern: /^\/api\/jobs$/, action: 'project.read'},
  {method: 'POST', pattern: /^\/api\/jobs$/, action: 'project.read'}
]

const saveActions: readonly Action[] = ['segment.edit', 'segment.markTranslated', 'segment.review', 'segment.approve']

const sessionCookieName = (secure: boolean) => (secure ? '__Host-passerelle_session' : 'passerelle_session')
const formCookieName = (secure: boolean) => (secure ? '__Host-passerelle_form' : 'passerelle_form')

export interface Team {
  /** Sign-in, sign-out, invitations and the accounts API (team-users.ts). Register before the app's own. */
  register(app: Hono): void
  /** The session guard for everything but the sign-in and invitation pages and the assets. */
  requireSession: MiddlewareHandler
  /** The permission guard for /api/*: one rule per route, fail closed. */
  requirePermission: MiddlewareHandler
  /** The CSRF secret of this request's session. */
  csrfOf(c: Context): string | undefined
  actorOf(c: Context): StoreActor
  /** Refuse (403) unless the signed-in user may do `action` in `locale`. */
  authorize(c: Context, action: Action, locale?: string): void
  /** The actions a segment save needs, from what it changes. */
  saveActions(request: {target?: string; state?: string}): Action[]
}

export function createTeam(options: TeamOptions): Team {
  const {pool} = options
  const secure = options.publicUrl !== undefined && new URL(options.publicUrl).protocol === 'https:'
  const sessionCookie = sessionCookieName(secure)
  const formCookie = formCookieName(secure)
  const cookieBase = {httpOnly: true, sameSite: 'Strict', path: '/', secure} as const

  const addressOf = (c: Context): string => {
    if (options.trustProxy) {
      const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean)
      const last = hops.at(-1)
      if (last) return last
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown'
    } catch {
      return 'unknown'
    }
  }

  /** A form's per-visitor CSRF value (double submit): set on the page, checked on the post. */
  const formToken = (c: Context): string => {
    const existing = getCookie(c, formCookie)
    if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing
    const fresh = newSecret()
    setCookie(c, formCookie, fresh, cookieBase)
    return fresh
  }

  /** A form post: same origin, within the size limit, its CSRF field matching the cookie. */
  const readForm = async (c: Context): Promise<Record<string, string>> => {
    sameOrigin(c)
    if (Number(c.req.header('content-length') ?? '0') > maxBodyBytes) throw new HttpError(413, 'E_TOO_LARGE', 'form too large')
    const body = await c.req.parseBody()
    const fields: Record<string, string> = {}
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields[key] = value
    const cookie = getCookie(c, formCookie)
    if (!cookie || fields.csrf !== cookie) throw new HttpError(403, 'E_CSRF', 'this form expired: reload the page and try again')
    return fields
  }

  const team: Team = {
    register(app) {
      app.get('/signin', (c) => {
        const notice = c.req.query('welcome') === '1' ? 'Your password is set: sign in.' : c.req.query('out') === '1' ? 'You are signed out.' : undefined
        return c.html(signInPage(formToken(c), notice ? {notice} : {}))
      })

      app.post('/signin', async (c) => {
        const fields = await readForm(c)
        const email = (fields.email ?? '').slice(0, 320)
        const result = await signIn(pool, {email, password: (fields.password ?? '').slice(0, 1024), address: addressOf(c), ...(getCookie(c, sessionCookie) ? {replacing: getCookie(c, sessionCookie)!} : {})})
        if (!result.ok && result.reason === 'locked') {
          c.header('Retry-After', String(result.retryAfterSeconds))
          const minutes = Math.ceil(result.retryAfterSeconds / 60)
          return c.html(signInPage(formToken(c), {error: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, email}), 429)
        }
        if (!result.ok) return c.html(signInPage(formToken(c), {error: 'Wrong email or password.', email}), 401)
        // A new session id every time: whatever cookie the visitor had is replaced (and was revoked above).
        setCookie(c, sessionCookie, result.token, {...cookieBase, maxAge: sessionHours * 3600})
        return c.redirect('/', 303)
      })

      app.get('/invite/:token', async (c) => {
        const email = await invitationEmail(pool, c.req.param('token'))
        if (!email) return c.html(messagePage('Invitation', 'This invitation is used, expired or unknown. Ask an administrator for a new one.'), 404)
        return c.html(invitePage(formToken(c), email))
      })

      app.post('/invite/:token', async (c) => {
        const token = c.req.param('token')
        const fields = await readForm(c)
        const email = await invitationEmail(pool, token)
        if (!email) return c.html(messagePage('Invitation', 'This invitation is used, expired or unknown. Ask an administrator for a new one.'), 404)
        if ((fields.password ?? '') !== (fields.confirm ?? '')) return c.html(invitePage(formToken(c), email, 'The two passwords differ.'), 422)
        try {
          await withClient(pool, (db) => acceptInvitation(db, token, (fields.password ?? '').slice(0, 1024)))
        } catch (error) {
          if (error instanceof PasserelleError && error.code === 'E_INPUT') return c.html(invitePage(formToken(c), email, error.message), 422)
          if (error instanceof PasserelleError && error.code === 'E_NOT_FOUND') return c.html(messagePage('Invitation', error.message), 404)
          throw error
        }
        return c.redirect('/signin?welcome=1', 303)
      })

      app.post('/api/signout', async (c) => {
        await signOut(pool, c.get('session'))
        deleteCookie(c, sessionCookie, {path: '/', secure})
        return c.json({signedOut: true})
      })

      registerUserRoutes(app, {pool, config: options.config, ...(options.publicUrl ? {publicUrl: options.publicUrl} : {}), actor: (c) => team.actorOf(c)})
    },

    requireSession: async (c, next) => {
      const path = c.req.path
      if (path === '/signin' || path.startsWith('/invite/') || path.startsWith('/assets/')) return next()
      const session = await sessionOf(pool, getCookie(c, sessionCookie))
      if (!session) {
        if (path.startsWith('/api/')) throw new HttpError(401, 'E_SESSION', 'you are not signed in (or your session ended)', 'sign in again at /signin')
        return c.redirect('/signin', 303)
      }
      c.set('session', session)
      await next()
    },

    requirePermission: async (c, next) => {
      const rule = routeRules.find((item) => item.method === c.req.method && item.pattern.test(c.req.path))
      if (!rule) throw new HttpError(403, 'E_FORBIDDEN', `no permission rule for ${c.req.method} ${c.req.path}`)
      const encoded = rule.pattern.exec(c.req.path)?.groups?.locale
      const locale = encoded === undefined ? undefined : safeDecode(encoded)
      const user = c.get('session').user
      if (rule.action === 'segment.save') {
        if (!saveActions.some((action) => can(user, action, locale === undefined ? {} : {locale}))) forbid(user.role, 'segment.edit', locale)
      } else {
        const needsLocale = locale !== undefined && rule.action !== 'project.read'
        if (!can(user, rule.action, needsLocale ? {locale} : {})) forbid(user.role, rule.action, locale)
      }
      await next()
    },

    csrfOf: (c) => c.get('session')?.csrf,
    actorOf: (c) => {
      const {user} = c.get('session')
      return {name: user.email, id: user.id}
    },
    authorize(c, action, locale) {
      const {user} = c.get('session')
      if (!can(user, action, locale === undefined ? {} : {locale})) forbid(user.role, action, locale)
    },
    saveActions(request) {
      const needed: Action[] = []
      if (request.target !== undefined) needed.push('segment.edit')
      if (request.state === 'translated') needed.push('segment.markTranslated')
      if (request.state === 'reviewed') needed.push('segment.review')
      if (request.state === 'approved') needed.push('segment.approve')
      return needed.length > 0 ? needed : ['segment.edit']
    }
  }
  return team
}

function forbid(role: string, action: string, locale: string | undefined): never {
  throw new HttpError(403, 'E_FORBIDDEN', `your role (${role}) may not ${action}${locale ? ` in ${locale}` : ''}`, 'ask an administrator for the role or locale')
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

function sameOrigin(c: Context): void {
  const origin = c.req.header('origin')
  const host = c.req.header('host') ?? new URL(c.req.url).host
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined
    try {
      originHost = new URL(origin).host
    } catch {
      originHost = undefined
    }
    if (originHost !== host) throw new HttpError(403, 'E_CSRF', 'cross-origin form refused')
  }
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'E_CSRF', `cross-site form (${site.slice(0, 20)}) refused`)
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Passerelle · ${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/styles.css">
</head>
<body class="signin-body">
<main class="signin">
<h1 class="brand"><span class="brand-mark">P</span>Passerelle</h1>
${body}
</main>
</body>
</html>
`
}

function signInPage(csrf: string, options: {error?: string; notice?: string; email?: string}): string {
  return page(
    'Sign in',
    `<h2>Sign in</h2>
${options.error ? `<p class="banner banner-error" role="alert">${escapeHtml(options.error)}</p>` : ''}${options.notice ? `<p class="banner" role="status">${escapeHtml(options.notice)}</p>` : ''}
<form method="post" action="/signin" class="signin-form">
<input type="hidden" name="csrf" value="${csrf}">
<label>Email <input type="email" name="email" autocomplete="username" required maxlength="320" value="${escapeHtml(options.email ?? '')}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
<button type="submit">Sign in</button>
</form>
<p class="hint">After ${accountLimit} failed attempts an account is locked for ${windowMinutes} minutes.</p>`
  )
}

function invitePage(csrf: string, email: string, error?: string): string {
  return page(
    'Set your password',
    `<h2>Set your password</h2>
<p>For <strong>${escapeHtml(email)}</strong>. This link works once.</p>
${error ? `<p class="banner banner-error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" class="signin-form">
<input type="hidden" name="csrf" value="${csrf}">
<label>New password (${minPasswordLength}+ characters) <input type="password" name="password" autocomplete="new-password" required minlength="${minPasswordLength}" maxlength="1024"></label>
<label>Again <input type="password" name="confirm" autocomplete="new-password" required minlength="${minPasswordLength}" maxlength="1024"></label>
<button type="submit">Set password</button>
</form>`
  )
}

function messagePage(title: string, message: string): string {
  return page(title, `<p class="banner banner-error" role="alert">${escapeHtml(message)}</p><p><a href="/signin">Sign in</a></p>`)
}
