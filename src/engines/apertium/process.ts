// The only I/O of the Apertium engine: one `apertium` process per batch and
// stage, text on stdin, translation on stdout.
import {spawn} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PasserelleError} from '../../errors.ts'
import {onShutdown} from '../../io/shutdown.ts'

export const installHint =
  'install it: apt-get install -y apertium apertium-fr-es apertium-eng-spa apertium-fra-cat (as root; prefix with sudo otherwise)'

export interface RunOptions {
  binary?: string
  /** Kill the process after this many milliseconds (default 5 minutes). */
  timeout?: number
  signal?: AbortSignal
}

/**
 * Run `apertium ARGS` on `input`. The input goes through a temporary file:
 * Apertium's `tf-inject` aborts ("Could not detect input stream format") when
 * its stdin is the socket pair Node gives a child, while a file works.
 */
export async function runApertium(args: string[], input: string | undefined, options: RunOptions = {}): Promise<string> {
  if (input === undefined) return spawnApertium(args, options)
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-apertium-'))
  try {
    const file = join(dir, 'input.html')
    await writeFile(file, input)
    return await spawnApertium([...args, file], options)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

function spawnApertium(args: string[], options: RunOptions): Promise<string> {
  const binary = options.binary ?? 'apertium'
  return new Promise((resolve, reject) => {
    // `apertium` is a shell script running a pipeline (lt-proc | cg-proc | …):
    // killing the script alone would leave the pipeline running. The child
    // leads its own process group, and stopping it signals the whole group.
    const child = spawn(binary, args, {stdio: ['ignore', 'pipe', 'pipe'], detached: true})
    const stop = (signal: NodeJS.Signals) => () => {
      try {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal)
      } catch {
        // Already gone.
      }
    }
    const out: Buffer[] = []
    const err: Buffer[] = []
    const timer = setTimeout(stop('SIGKILL'), options.timeout ?? 300_000)
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    // On Ctrl-C or SIGTERM: stop the group and wait for the script to end, so the CLI exits after it.
    const unregister = onShutdown(() => {
      stop('SIGTERM')()
      return exited
    })
    const abort = stop('SIGTERM')
    options.signal?.addEventListener('abort', abort, {once: true})
    const done = () => {
      clearTimeout(timer)
      unregister()
      options.signal?.removeEventListener('abort', abort)
    }
    if (options.signal?.aborted) abort()
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      done()
      reject(
        error.code === 'ENOENT'
          ? new PasserelleError('E_ENGINE_MISSING', `Apertium is not installed ('${binary}' not found)`, {hint: installHint})
          : new PasserelleError('E_ENGINE', `Apertium failed to start: ${error.message}`, {cause: error})
      )
    })
    child.on('close', (code, signal) => {
      done()
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'))
      const detail = Buffer.concat(err).toString('utf8').trim().split('\n')[0] || (signal ? `killed by ${signal}` : `exit code ${code}`)
      reject(new PasserelleError('E_ENGINE', `Apertium ${args.slice(0, -1).join(' ')} failed: ${detail}`, {hint: 'check the language pair with `apertium -l`'}))
    })
  })
}
