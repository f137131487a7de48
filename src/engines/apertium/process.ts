// The Apertium engine's one-shot processes: `apertium -l` (installed pairs)
// and the mode's null-flush pipeline script; the long-lived pipelines that
// translate are in chain.ts.
import {execFile, spawn} from 'node:child_process'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {PasserelleError} from '../../errors.ts'
import {onShutdown} from '../../io/shutdown.ts'

export const installHint =
  'install it: apt-get install -y apertium apertium-fr-es apertium-eng-spa apertium-fra-cat (as root; prefix with sudo otherwise)'

export interface RunOptions {
  binary?: string
  /** Kill the process after this many milliseconds (default 5 minutes). */
  timeout?: number
}

/** Where Apertium keeps its modes (the `apertium` script's own default and override). */
export function modesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.APERTIUM_DATADIR ?? '/usr/share/apertium', 'modes')
}

/**
 * The pipeline of a mode in null-flush mode, as a bash script (`$1`: generator option, `$2`: tagger
 * option). `apertium-wblank-mode -z` writes it from the mode file, adding `-z` to every program and
 * the word-bound-blank attach/detach steps, exactly as `apertium -f html` runs it.
 */
export function modeScript(mode: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('apertium-wblank-mode', ['-z', join(modesDir(), `${mode}.mode`)], {encoding: 'utf8'}, (error, stdout, stderr) => {
      if (!error) return resolve(stdout)
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new PasserelleError('E_ENGINE_MISSING', `Apertium is not installed ('apertium-wblank-mode' not found)`, {hint: installHint}))
      }
      const detail = stderr.trim().split('\n')[0] || error.message.split('\n')[0]
      reject(new PasserelleError('E_ENGINE', `Apertium mode ${mode} cannot be read: ${detail}`, {hint: 'check the language pair with `apertium -l`'}))
    })
  })
}

/** The installed modes, one a line, as `apertium -l` prints them; E_ENGINE_MISSING without Apertium. */
export async function listModes(): Promise<string> {
  const names = await readdir(modesDir()).catch(() => {
    throw new PasserelleError('E_ENGINE_MISSING', `Apertium is not installed (no ${modesDir()})`, {hint: installHint})
  })
  return names.filter((name) => name.endsWith('.mode')).map((name) => name.slice(0, -'.mode'.length)).join('\n')
}

/** Run `apertium ARGS` (`-l`) and return what it prints. */
export function runApertium(args: string[], options: RunOptions = {}): Promise<string> {
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
    const done = () => {
      clearTimeout(timer)
      unregister()
    }
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
      reject(new PasserelleError('E_ENGINE', `Apertium ${args.join(' ')} failed: ${detail}`, {hint: 'check the language pair with `apertium -l`'}))
    })
  })
}
