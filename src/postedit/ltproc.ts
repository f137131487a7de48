// The only I/O of the register stage: `lt-proc` in null-flush mode (`-z`), so
// that each segment comes back as its own chunk. One long-lived process per
// dictionary serves every batch (loading the analyser costs more than a
// batch's analysis); a named binary runs once per call, as before.
import {spawn} from 'node:child_process'
import {ApertiumChain} from '../engines/apertium/chain.ts'
import {PasserelleError} from '../errors.ts'

/** Debian's apertium-fr-es holds the Spanish analyser (es-fr side) and generator (fr-es side). */
export const spanishDictionaries = {
  analyser: '/usr/share/apertium/apertium-fr-es/es-fr.automorf.bin',
  generator: '/usr/share/apertium/apertium-fr-es/fr-es.autogen.bin'
}

export interface LtProcOptions {
  binary?: string
  timeout?: number
}

/**
 * Run `lt-proc ARGS` once over every input and return one output per input.
 * Each input ends with a newline before the null: without it lt-proc holds
 * back a final full stop.
 */
export function runLtProc(args: string[], inputs: readonly string[], options: LtProcOptions = {}): Promise<string[]> {
  if (inputs.length === 0) return Promise.resolve([])
  if (options.binary === undefined) {
    return residentFor(args, options)
      .run(inputs.map((input) => `${input}\n`))
      .then((chunks) => chunks.map((chunk) => chunk.replace(/\n$/, '')))
  }
  const binary = options.binary
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-z', ...args], {stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 120_000)
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        error.code === 'ENOENT'
          ? new PasserelleError('E_ENGINE_MISSING', `lt-proc is not installed ('${binary}' not found)`, {hint: 'apt-get install -y apertium apertium-fr-es'})
          : new PasserelleError('E_ENGINE', `lt-proc failed to start: ${error.message}`, {cause: error})
      )
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code !== 0) {
        const detail = Buffer.concat(err).toString('utf8').trim().split('\n')[0] || `exit code ${code}`
        return reject(new PasserelleError('E_ENGINE', `lt-proc ${args.join(' ')} failed: ${detail}`, {hint: 'check that apertium-fr-es is installed'}))
      }
      const chunks = Buffer.concat(out).toString('utf8').split('\0')
      if (chunks.length < inputs.length) {
        return reject(new PasserelleError('E_ENGINE', `lt-proc returned ${chunks.length} of ${inputs.length} segments`))
      }
      resolve(chunks.slice(0, inputs.length).map((chunk) => chunk.replace(/\n$/, '')))
    })
    child.stdin.on('error', () => {
      // The close handler reports the failure.
    })
    child.stdin.end(inputs.map((input) => `${input}\n\0`).join(''))
  })
}

const resident = new Map<string, ApertiumChain>()

/** The long-lived `lt-proc -z ARGS` for these arguments (started on first use, ended when idle). */
function residentFor(args: readonly string[], options: LtProcOptions): ApertiumChain {
  const script = `exec lt-proc -z ${args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ')}`
  let chain = resident.get(script)
  if (!chain) {
    chain = new ApertiumChain(`lt-proc ${args.join(' ')}`, script, {timeout: options.timeout ?? 120_000})
    resident.set(script, chain)
  }
  return chain
}
