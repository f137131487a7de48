// One long-lived Apertium pipeline per mode (`fr-es`, `spa-eng`…), fed
// batch after batch. The `apertium` script starts a dozen processes for every
// call (~0.1 s each, plus Transfuse's extract and inject in HTML mode); here
// the mode's pipeline runs once, in null-flush mode (`-z`): every block we
// write ends with a NUL, every program in the pipeline flushes its output at
// that NUL, so each block's translation comes back, in order, NUL-terminated,
// while the processes stay up for the next one. Batches queue behind each
// other in the pipe, so the pipeline never waits for Passerelle between them.
//
// A pipeline that dies (killed, crashed, out of memory) fails the batches it
// held with E_ENGINE; the next batch starts a fresh one. An idle pipeline
// ends itself (its stdin is closed) and does not keep Node alive.
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {PasserelleError} from '../../errors.ts'
import {onShutdown} from '../../io/shutdown.ts'

export interface ChainOptions {
  /** Fail (and stop the pipeline) when a batch takes longer than this many milliseconds (default 5 minutes). */
  timeout?: number
  /** End an idle pipeline after this many milliseconds (default 30 s). */
  idle?: number
  /** Called with the process-group id of each pipeline started (diagnostics, tests). */
  onSpawn?(pid: number): void
}

interface Request {
  count: number
  blocks: string[]
  resolve(blocks: string[]): void
  reject(error: PasserelleError): void
  timer: NodeJS.Timeout
}

export class ApertiumChain {
  private child: ChildProcessWithoutNullStreams | undefined
  private queue: Request[] = []
  private pending = ''
  private stderr = ''
  private idleTimer: NodeJS.Timeout | undefined
  private unregister: (() => void) | undefined

  /** `script` is the mode's null-flush pipeline (`apertium-wblank-mode -z`), run by bash with `$1` = `-g`. */
  constructor(
    readonly mode: string,
    private readonly script: string,
    private readonly options: ChainOptions = {}
  ) {}

  /** Translate NUL-free blocks; resolves with one output block per input, in order. */
  run(blocks: readonly string[], signal?: AbortSignal): Promise<string[]> {
    if (blocks.length === 0) return Promise.resolve([])
    if (signal?.aborted) return Promise.reject(this.failure('the run was interrupted'))
    const child = this.child ?? this.start()
    this.busy()
    return new Promise<string[]>((resolve, reject) => {
      const timeout = this.options.timeout ?? 300_000
      const abort = () => this.stop('the run was interrupted')
      const settled = () => signal?.removeEventListener('abort', abort)
      const request: Request = {
        count: blocks.length,
        blocks: [],
        resolve: (value) => (settled(), resolve(value)),
        reject: (error) => (settled(), reject(error)),
        timer: setTimeout(() => this.stop(`gave no answer within ${Math.round(timeout / 1000)} s`), timeout)
      }
      signal?.addEventListener('abort', abort, {once: true})
      this.queue.push(request)
      // Node buffers what the pipe cannot take yet; the pipeline reads it as it goes.
      child.stdin.write(blocks.map((block) => `${block}\0`).join(''))
    })
  }

  /**
   * Start the pipeline ahead of the first batch: loading a pair's dictionaries and transfer rules takes
   * most of a second of CPU, which can overlap with planning. An unused warm pipeline ends when idle.
   */
  warm(): void {
    if (this.child) return
    this.start()
    this.idle()
  }

  /**
   * End the pipeline: with nothing in flight, close its input and wait for every program in it to exit
   * (so that their CPU time is accounted to this process and none outlives the run); with batches in
   * flight, or when it does not exit within `grace` ms, stop it as `stop` does.
   */
  async end(grace = 2000): Promise<void> {
    const child = this.child
    if (!child) return
    if (this.queue.length > 0) return this.stop('closed')
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    this.detach(child, 'closed')
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
    }, grace)
    await exited
    clearTimeout(timer)
  }

  /** Stop the pipeline; batches it still held fail with E_ENGINE. */
  stop(reason = 'stopped'): void {
    const child = this.child
    if (!child) return
    this.detach(child, reason)
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }

  private start(): ChildProcessWithoutNullStreams {
    // `bash -c SCRIPT NAME ARG1 ARG2`: the mode's `$1` is the generator option (`-g`: keep `*` on unknown
    // words, which we record), `$2` the tagger's (none). The pipeline leads its own process group, so
    // that stopping it reaches every program in it.
    const child = spawn('bash', ['-c', this.script, `apertium-${this.mode}`, '-g', ''], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: {...process.env, LC_ALL: 'C.UTF-8'}
    })
    this.child = child
    this.pending = ''
    this.stderr = ''
    if (child.pid !== undefined) this.options.onSpawn?.(child.pid)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => this.receive(chunk))
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000)
    })
    child.stdin.on('error', () => {
      // A pipeline that died: its exit reports it.
    })
    child.on('error', (error) => this.detach(child, `could not start: ${error.message}`))
    child.on('exit', (code, signal) => {
      const said = this.stderr.trim().split('\n').at(-1)
      this.detach(child, said || (signal ? `killed by ${signal}` : `exited with code ${code}`))
    })
    this.unregister = onShutdown(() => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      this.stop('the run was interrupted')
      return exited
    })
    return child
  }

  private receive(chunk: string): void {
    this.pending += chunk
    let end = this.pending.indexOf('\0')
    while (end >= 0) {
      const block = this.pending.slice(0, end)
      this.pending = this.pending.slice(end + 1)
      const request = this.queue[0]
      // NULs with no request waiting come from a pipeline winding down: nothing to deliver.
      if (request) {
        request.blocks.push(block)
        if (request.blocks.length === request.count) {
          this.queue.shift()
          clearTimeout(request.timer)
          request.resolve(request.blocks)
        }
      }
      end = this.pending.indexOf('\0')
    }
    if (this.queue.length === 0) this.idle()
  }

  /** Forget a pipeline that ended or is being stopped, failing what it held. */
  private detach(child: ChildProcessWithoutNullStreams, reason: string): void {
    if (this.child !== child) return
    this.child = undefined
    this.unregister?.()
    clearTimeout(this.idleTimer)
    child.stdin.end()
    const failed = this.queue.splice(0)
    for (const request of failed) {
      clearTimeout(request.timer)
      request.reject(this.failure(reason, failed.reduce((sum, item) => sum + item.count - item.blocks.length, 0)))
    }
    child.unref()
  }

  private failure(reason: string, unanswered?: number): PasserelleError {
    const lost = unanswered ? ` with ${unanswered} segment${unanswered === 1 ? '' : 's'} unanswered` : ''
    return new PasserelleError('E_ENGINE', `Apertium ${this.mode} pipeline stopped${lost}: ${reason.replace(/\s+/g, ' ')}`, {
      hint: 'run translate again: it resumes, and starts a new pipeline; check the pair with `apertium -l` if it keeps failing'
    })
  }

  /** While batches are out, the pipeline keeps Node running. */
  private busy(): void {
    clearTimeout(this.idleTimer)
    const child = this.child!
    child.ref()
    for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as {ref?(): void}[]) stream.ref?.()
  }

  /** Nothing out: let Node exit, and end the pipeline if nothing comes for a while. */
  private idle(): void {
    const child = this.child
    if (!child) return
    child.unref()
    for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as {unref?(): void}[]) stream.unref?.()
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      if (this.child === child && this.queue.length === 0) {
        this.detach(child, 'idle')
      }
    }, this.options.idle ?? 30_000)
    this.idleTimer.unref()
  }
}
