// A team server for tests: a throwaway PostgreSQL database holding the
// repository's project (migrated, imported), one account per role, and the
// server on a loopback port; plus a small HTTP client that keeps cookies and
// signs in through the sign-in form as a browser does.
import {cp} from 'node:fs/promises'
import {join} from 'node:path'
import {importProject, migrate, withDatabase} from '../../src/db/index.ts'
import {createEngine} from '../../src/engines/index.ts'
import type {ReviewServer} from '../../src/review/serve.ts'
import {startTeamServer} from '../../src/review/team-serve.ts'
import {addUser} from '../../src/team/users.ts'
import type {Role} from '../../src/team/permissions.ts'
import type {TestCluster} from './postgres.ts'
import {expect} from 'vitest'
import {repoRoot, tempProject, type TempProject} from './project.ts'

export const password = 'a long test passphrase'

export interface TeamFixture {
  temp: TempProject
  url: string
  database: string
  server: ReviewServer
  close(): Promise<void>
}

/** Project + database + accounts (`<role>@example.org`, all locales; extra ones as given) + server. */
export async function startTeam(
  cluster: TestCluster,
  name: string,
  options: {extraUsers?: {email: string; role: Role; locales: string[]}[]; publicUrl?: string; connections?: number} = {}
): Promise<TeamFixture> {
  const temp = await tempProject({}, {content: true})
  await cp(join(repoRoot, 'locales'), join(temp.root, 'locales'), {recursive: true})
  const database = await cluster.createDatabase(name)
  await withDatabase(database, async (db) => {
    await migrate(db)
    await importProject(db, temp.project)
    for (const role of ['translator', 'reviewer', 'terminologist', 'publisher', 'admin'] as const) await addUser(db, {email: `${role}@example.org`, role, password})
    for (const user of options.extraUsers ?? []) await addUser(db, {...user, password})
  })
  const server = await startTeamServer(temp.project, {
    database,
    port: 0,
    trustProxy: true,
    ...(options.publicUrl ? {publicUrl: options.publicUrl} : {}),
    ...(options.connections ? {connections: options.connections} : {}),
    // The pseudo engine: a real engine of Passerelle that needs no network or Apertium process.
    machine: async () => [await createEngine('pseudo', temp.project.config)]
  })
  return {
    temp,
    url: server.url.replace(/\/$/, ''),
    database,
    server,
    async close() {
      await server.close()
      await temp.cleanup()
    }
  }
}

export interface Reply<T = unknown> {
  status: number
  body: T
  headers: Headers
  text: string
}

/** One browser-like visitor: a cookie jar, a client address (X-Forwarded-For) and the page's CSRF token. */
export class Visitor {
  readonly cookies = new Map<string, string>()
  csrf = ''
  constructor(
    readonly base: string,
    readonly address = '127.0.0.1'
  ) {}

  /** Every Set-Cookie of the last response, raw (to check flags). */
  setCookies: string[] = []

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([key, value]) => `${key}=${value}`).join('; '))
    headers.set('x-forwarded-for', this.address)
    const response = await fetch(this.base + path, {...init, headers, redirect: 'manual'})
    this.setCookies = response.headers.getSetCookie()
    for (const line of this.setCookies) {
      const [pair] = line.split(';')
      const index = pair!.indexOf('=')
      const key = pair!.slice(0, index)
      const value = pair!.slice(index + 1)
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(key)
      else this.cookies.set(key, value)
    }
    return response
  }

  /** The sign-in form, filled and posted; gives the response status (303 on success) and loads the app page's CSRF token. */
  async signIn(email: string, secret = password): Promise<number> {
    const form = await this.fetch('/signin')
    const html = await form.text()
    const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(html)?.[1] ?? ''
    const response = await this.fetch('/signin', {method: 'POST', body: new URLSearchParams({csrf, email, password: secret})})
    await response.text()
    if (response.status === 303) await this.loadPage()
    return response.status
  }

  async loadPage(): Promise<string> {
    const page = await this.fetch('/')
    const html = await page.text()
    this.csrf = /name="passerelle-csrf" content="([0-9a-f]+)"/.exec(html)?.[1] ?? ''
    return html
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = {method, headers: {accept: 'application/json', ...headers}}
    if (method !== 'GET') {
      init.headers = {'content-type': 'application/json', 'x-passerelle-csrf': this.csrf, ...(init.headers as Record<string, string>)}
      init.body = JSON.stringify(body ?? {})
    }
    const response = await this.fetch(path, init)
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // Not JSON (an export, a page).
    }
    return {status: response.status, body: parsed as T, headers: response.headers, text}
  }
}

/** A visitor signed in as `email` from `address` (the sign-in must succeed: 303). */
export async function signedInVisitor(base: string, email: string, address?: string): Promise<Visitor> {
  const visitor = new Visitor(base, address)
  expect(await visitor.signIn(email)).toBe(303)
  return visitor
}
