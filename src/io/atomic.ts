// Atomic file writes: write a sibling temporary file, then rename over the
// target, so that a crash or a full disk never leaves half a bundle behind.
import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm, writeFile, readFile} from 'node:fs/promises'
import {dirname, basename, join} from 'node:path'
import {fromSystemError} from '../errors.ts'

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const folder = dirname(path)
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    // The folder is made only when missing: a run saves the same bundles after every batch.
    await writeFile(temporary, data, {flag: 'wx'}).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
      await makeFolder(folder, path)
      await writeFile(temporary, data, {flag: 'wx'})
    })
    await rename(temporary, path)
  } catch (error) {
    // Nothing to remove when the folder is missing or is a file (rm would fail with ENOTDIR).
    await rm(temporary, {force: true}).catch(() => {})
    // Name the file the user knows, not the temporary sibling (ENOSPC, EACCES…).
    throw fromSystemError(error, path) ?? error
  }
}

async function makeFolder(folder: string, path: string): Promise<void> {
  await mkdir(folder, {recursive: true}).catch((error: unknown) => {
    // EEXIST: the folder's name is taken by a file.
    throw fromSystemError((error as NodeJS.ErrnoException).code === 'EEXIST' ? Object.assign(error as Error, {code: 'ENOTDIR'}) : error, path) ?? error
  })
}

/** Write only when the content differs, so that unchanged runs leave files (and mtimes) alone. */
export async function writeIfChanged(path: string, data: string): Promise<boolean> {
  const current = await readFile(path, 'utf8').catch(() => undefined)
  if (current === data) return false
  await writeFileAtomic(path, data)
  return true
}
