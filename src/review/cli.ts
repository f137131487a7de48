// `passerelle review`: start the review app and keep it running until Ctrl-C.
import {spawn} from 'node:child_process'
import {InvalidArgumentError, type Command} from 'commander'
import type {CliContext} from '../cli-context.ts'
import {onShutdown} from '../io/shutdown.ts'
import {PasserelleError} from '../errors.ts'
import {readTextFile} from '../io/read-text.ts'

/**
 * The review token from a file (`--token-file`) or `PASSERELLE_REVIEW_TOKEN`.
 * A `--token` on the command line still works but is visible to every user
 * of the machine in `ps`, so it earns a warning.
 */
export async function reviewToken(
  options: {token?: string; tokenFile?: string},
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = console.error
): Promise<string | undefined> {
  if (options.tokenFile !== undefined) {
    const token = (await readTextFile(options.tokenFile, {maxBytes: 4096})).split(/\r?\n/, 1)[0]!.trim()
    if (token === '') throw new PasserelleError('E_CONFIG', 'the token file has no token on its first line', {file: options.tokenFile, hint: 'write the secret on the first line'})
    return token
  }
  if (options.token !== undefined) {
    warn('passerelle review: --token is visible to other users in `ps`; prefer --token-file <path> or PASSERELLE_REVIEW_TOKEN')
    return options.token
  }
  return env.PASSERELLE_REVIEW_TOKEN || undefined
}

function port(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new InvalidArgumentError('expected a port number (0 for any free port)')
  return number
}

export function registerReviewCommand(program: Command, context: CliContext): void {
  program
    .command('review')
    .description('start the review web app for translators and terminologists (127.0.0.1 by default)')
    .option('--host <host>', 'address to listen on; beyond loopback a --token is required', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', port, 4173)
    .option('--token-file <path>', 'require the secret on the first line of this file on every request (16+ characters; or set PASSERELLE_REVIEW_TOKEN)')
    .option('--token <secret>', 'same, given inline (visible to other users in `ps`: prefer --token-file)')
    .option('--reviewer <name>', 'name recorded on edits when the browser gives none (default: your user name)')
    .option('--open', 'open the app in the default browser')
    .action(async (options: {host: string; port: number; token?: string; tokenFile?: string; reviewer?: string; open?: boolean}) => {
      const {startReviewServer} = await import('./serve.ts')
      const project = await context.project()
      const token = await reviewToken(options)
      const server = await startReviewServer(project, {
        host: options.host,
        port: options.port,
        ...(token ? {token} : {}),
        ...(options.reviewer ? {reviewer: options.reviewer} : {})
      })
      const address = token ? `${server.url}?token=${encodeURIComponent(token)}` : server.url
      console.log(`passerelle review: ${address}  (Ctrl-C to stop)`)
      if (options.open) openBrowser(address)
      // Runs until Ctrl-C or SIGTERM: the CLI's signal handling closes the server, then exits.
      await new Promise<void>((resolve) => {
        onShutdown(() => server.close().finally(resolve))
      })
    })
}

/**
 * `passerelle serve --database`: the review app for a team, over the
 * database. People sign in with their own accounts (`passerelle users add`);
 * behind a TLS reverse proxy, --public-url https://… makes cookies Secure.
 */
export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('start the team server: the review app over PostgreSQL, with sign-in, roles and audit')
    .option('--database <url>', 'PostgreSQL URL (or set PASSERELLE_DATABASE_URL)')
    .option('--public-url <url>', 'the address people open (https://… behind a TLS proxy: cookies become Secure)')
    .option('--host <host>', 'address to listen on (behind a reverse proxy keep 127.0.0.1)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', port, 4173)
    .option('--trust-proxy', 'take the client address from X-Forwarded-For (only behind your own reverse proxy)')
    .action(async (options: {database?: string; publicUrl?: string; host: string; port: number; trustProxy?: boolean}) => {
      const [{databaseUrl}, {startTeamServer}] = await Promise.all([import('../db/cli.ts'), import('./team-serve.ts')])
      const project = await context.project()
      const server = await startTeamServer(project, {
        database: databaseUrl(options.database),
        host: options.host,
        port: options.port,
        ...(options.publicUrl ? {publicUrl: options.publicUrl} : {}),
        ...(options.trustProxy ? {trustProxy: true} : {})
      })
      console.log(`passerelle serve: ${options.publicUrl ?? server.url}  (listening on ${server.url}; Ctrl-C to stop)`)
      await new Promise<void>((resolve) => {
        onShutdown(() => server.close().finally(resolve))
      })
    })
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
  const child = spawn(command, args as string[], {stdio: 'ignore', detached: true})
  child.on('error', () => console.error(`passerelle review: could not open a browser; open ${url} yourself`))
  child.unref()
}
