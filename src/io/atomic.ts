// Atomic file writes: write a sibling temporary file, then rename over the
// target, so that a crash or a full disk never leaves half a bundle behind.
import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm, writeFile, readFile} from 'node:fs/promises'
import {dirname, basename, join} from 'node:path'
import {fromSystemError} from '../errors.ts'

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), {recursive: true}).catch((error: unknown) => {
    // EEXIST: the folder's name is taken by a file.
    throw fromSystemError((error as NodeJS.ErrnoException).code === 'EEXIST' ? Object.assign(error as Error, {code: 'ENOTDIR'}) : error, path) ?? error
  })
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, data, {flag: 'wx'})
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, {force: true})
    // Name the file the user knows, not the temporary sibling (ENOSPC, EACCES…).
    throw fromSystemError(error, path) ?? error
  }
}

/** Write only when the content differs, so that unchanged runs leave files (and mtimes) alone. */
export async function writeIfChanged(path: string, data: string): Promise<boolean> {
  const current = await readFile(path, 'utf8').catch(() => undefined)
  if (current === data) return false
  await writeFileAtomic(path, data)
  return true
}
