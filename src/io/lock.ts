// An advisory lock file around a read-modify-write of one file, shared by
// every process of the project (a `translate` run, the review app, `qa`,
// an XLIFF import), so that none of them writes a bundle another one changed
// between its read and its write. A lock whose process is gone (killed during
// a save) is taken over at once; one older than `staleMs` is broken too.
import {mkdir, open, readFile, rm, stat} from 'node:fs/promises'
import {dirname} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {PasserelleError} from '../errors.ts'
import {onShutdown} from './shutdown.ts'

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number
  /** Break a lock older than this (default 60 s; a bundle write takes milliseconds). */
  staleMs?: number
}

export async function withFileLock<T>(path: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = `${path}.lock`
  const timeout = options.timeoutMs ?? 15_000
  const stale = options.staleMs ?? 60_000
  const started = Date.now()
  for (;;) {
    try {
      // The folder is made only when missing: a run takes the same bundles' locks after every batch.
      const handle = await open(lock, 'wx').catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
        await mkdir(dirname(lock), {recursive: true})
        return open(lock, 'wx')
      })
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const info = await stat(lock).catch(() => undefined)
      if ((info && Date.now() - info.mtimeMs > stale) || (await holderGone(lock))) {
        await rm(lock, {force: true})
        continue
      }
      if (Date.now() - started > timeout) {
        throw new PasserelleError('E_CONFLICT', 'file is locked by another Passerelle process', {
          file: path,
          hint: `wait for the other run to finish, or delete ${lock} if none is running`
        })
      }
      await sleep(20)
    }
  }
  const run = (async () => {
    try {
      return await task()
    } finally {
      await rm(lock, {force: true})
    }
  })()
  // Interrupted (Ctrl-C, SIGTERM): let the write under way finish and the lock go before exiting.
  const release = onShutdown(() => run.catch(() => undefined))
  try {
    return await run
  } finally {
    release()
  }
}

/** Lock several files for one task, always in the same (sorted) order so that two processes cannot deadlock. */
export async function withFileLocks<T>(paths: readonly string[], task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const [first, ...rest] = [...new Set(paths)].sort()
  if (first === undefined) return task()
  return withFileLock(first, () => withFileLocks(rest, task, options), options)
}

/** True when the lock names a process id that no longer exists on this machine. */
async function holderGone(lock: string): Promise<boolean> {
  const pid = await lockHolder(lock)
  return pid !== undefined && !processAlive(pid)
}

async function lockHolder(lock: string): Promise<number | undefined> {
  const text = await readFile(lock, 'utf8').catch(() => '')
  const pid = Number.parseInt(text, 10)
  // An empty file is a lock being written right now: its holder is alive.
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Hold `path` for a whole run (one `translate` per project and locale): a
 * second run stops at once with E_CONFLICT naming the holder, rather than
 * waiting for hours or paying for the same sentences. A lock left by a
 * process that is gone is taken over. Returns the release function.
 */
export async function acquireRunLock(path: string, what: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), {recursive: true})
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return () => rm(path, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = await lockHolder(path)
      if (attempt < 3 && (pid === undefined ? false : !processAlive(pid))) {
        await rm(path, {force: true})
        continue
      }
      if (attempt < 3 && pid === undefined) {
        await sleep(50) // being written: look again
        continue
      }
      throw new PasserelleError('E_CONFLICT', `another Passerelle run${pid ? ` (process ${pid})` : ''} is already working on ${what}`, {
        file: path,
        hint: 'wait for it to finish; two runs at once would pay twice for the same sentences'
      })
    }
  }
}
