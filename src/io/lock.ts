// An advisory lock file around a read-modify-write of one file, shared by
// every process of the project (a `translate` run, the review app, `qa`,
// an XLIFF import), so that none of them writes a bundle another one changed
// between its read and its write. A lock older than `staleMs` is from a
// process that died and is broken.
import {mkdir, open, rm, stat} from 'node:fs/promises'
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
  await mkdir(dirname(lock), {recursive: true})
  for (;;) {
    try {
      const handle = await open(lock, 'wx')
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const info = await stat(lock).catch(() => undefined)
      if (info && Date.now() - info.mtimeMs > stale) {
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
