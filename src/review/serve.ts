// Bind the review app to a socket. Loopback by default; any other host needs
// a token (every request must then present it), since the app can rewrite
// the project's bundles and glossary.
import type {AddressInfo} from 'node:net'
import {serve} from '@hono/node-server'
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {clientAssets} from './assets.ts'
import {isLoopbackHost} from './security.ts'
import {createReviewApp, type ReviewAppOptions} from './server.ts'

export interface ReviewServerOptions extends ReviewAppOptions {
  /** Default 127.0.0.1. */
  host?: string
  /** Default 4173; 0 picks a free port. */
  port?: number
}

export interface ReviewServer {
  /** `http://host:port/` (without the token). */
  url: string
  close(): Promise<void>
}

/** Shortest token accepted beyond loopback. */
export const minTokenLength = 16

export async function startReviewServer(project: Project, options: ReviewServerOptions = {}): Promise<ReviewServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 4173
  if (options.token !== undefined && options.token.length < minTokenLength) {
    throw new PasserelleError('E_CONFIG', `the token must have at least ${minTokenLength} characters`, {hint: 'e.g. --token "$(openssl rand -hex 16)"'})
  }
  // Team mode has no token: every request needs a signed-in session instead.
  if (!isLoopbackHost(host) && options.token === undefined && options.team === undefined) {
    throw new PasserelleError('E_CONFIG', `refusing to listen on ${host} without a token`, {
      hint: 'pass --token <secret> (16+ characters) to serve beyond this machine, or leave --host at 127.0.0.1'
    })
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PasserelleError('E_CONFIG', `invalid port ${port}`)
  // Build the browser code now, so that a broken client fails at start, not on first page load.
  await clientAssets()
  const app = createReviewApp(project, options)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const created = serve({fetch: app.fetch, hostname: host, port}, () => resolve(created))
    created.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PasserelleError('E_CONFIG', `port ${port} is in use`, {hint: 'pass --port <n>, or --port 0 for any free port', cause: error})
          : error
      )
    )
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host
  return {
    url: `http://${shown}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
  }
}
