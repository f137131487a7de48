// The build writes into a fresh folder beside dist/ and swaps it in only
// when it succeeded, so dist/ is always one whole build: never a mixture of
// two, never the pages of an article that is no longer published.
//
// Every file is staged with a key: what it was made from (for a page: the
// article's render key and everything else the page shows), or its content
// hash. A file whose key is the one the previous build recorded, and that is
// still as that build left it in dist/ (same size, mtime and inode), is
// hard-linked into the staging folder instead of being made and written again.
import {copyFile, link, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, relative} from 'node:path'
import {fileIdentity, sameFile} from '../io/file-identity.ts'
import {hashText} from '../translate/cache.ts'

/** What the build recorded of a file it left in dist/. */
export interface OutputRecord {
  key: string
  /** Content hash. */
  hash: string
  size: string
  mtime: string
  ino: string
}

export interface Staging {
  dir: string
  /** Stage `text` at `path` (keyed by its content hash). */
  write(path: string, text: string): Promise<void>
  /** Stage the file made from `key`: the previous build's file when it was made from the same key, else `make()`. */
  put(path: string, key: string, make: () => string | Promise<string>): Promise<void>
  /** Replace `target` with the staged folder; returns the files whose content changed and those that are gone (relative to `target`), and what to record of each file. */
  commit(): Promise<{changed: string[]; removed: string[]; outputs: Record<string, OutputRecord>}>
  discard(): Promise<void>
}

// A staging folder this old was left by a build that was killed: no build runs that long.
const abandonedAfterMs = 6 * 60 * 60 * 1000

/** What is recorded of an output: its identity without the ctime, which the hard link that reuses it moves. */
async function identity(path: string): Promise<Pick<OutputRecord, 'size' | 'mtime' | 'ino'> | undefined> {
  const now = await fileIdentity(path)
  return now && {size: now.size, mtime: now.mtime, ino: now.ino}
}

/** `previous`: what the last build recorded of the files now in `target`. */
export async function stage(target: string, previous: Readonly<Record<string, OutputRecord>> = {}): Promise<Staging> {
  await mkdir(dirname(target), {recursive: true})
  const prefix = `.${basename(target)}.next-`
  for (const name of await readdir(dirname(target))) {
    if (!name.startsWith(prefix)) continue
    const path = join(dirname(target), name)
    const info = await stat(path).catch(() => undefined)
    if (info && Date.now() - info.mtimeMs > abandonedAfterMs) await rm(path, {recursive: true, force: true})
  }
  const dir = await mkdtemp(join(dirname(target), prefix))
  const outputs: Record<string, OutputRecord> = {}
  const changed: string[] = []
  const folders = new Set<string>()
  const folder = async (full: string) => {
    const parent = dirname(full)
    if (folders.has(parent)) return
    await mkdir(parent, {recursive: true})
    folders.add(parent)
  }
  /** The previous build's record of `path`, when the file in `target` is still the one it recorded. */
  const intact = async (path: string) => {
    const record = previous[path]
    if (!record) return undefined
    const now = await fileIdentity(join(target, path))
    return now && sameFile(record, now) ? record : undefined
  }
  const reuse = async (path: string, key: string) => {
    if (previous[path]?.key !== key) return false
    const record = await intact(path)
    if (!record) return false
    const full = join(dir, path)
    await folder(full)
    try {
      await link(join(target, path), full)
      outputs[path] = record
      return true
    } catch {
      // No hard links here (another file system, a folder that forbids them): a copy will do.
    }
    try {
      await copyFile(join(target, path), full)
      outputs[path] = {...record, ...(await identity(full))!}
      return true
    } catch {
      // Gone meanwhile: made again.
      await rm(full, {force: true})
      return false
    }
  }
  const save = async (path: string, key: string, text: string) => {
    const full = join(dir, path)
    await folder(full)
    await writeFile(full, text)
    const hash = hashText(text)
    const before = await intact(path)
    const same = before ? before.hash === hash : (await readFile(join(target, path), 'utf8').catch(() => undefined)) === text
    if (!same) changed.push(path)
    outputs[path] = {key, hash, ...(await identity(full))!}
  }
  return {
    dir,
    async write(path, text) {
      const key = `h:${hashText(text)}`
      if (!(await reuse(path, key))) await save(path, key, text)
    },
    async put(path, key, make) {
      if (!(await reuse(path, key))) await save(path, key, await make())
    },
    async commit() {
      const removed = (await listFiles(target)).filter((path) => !(path in outputs))
      const old = `${dir}.old`
      let moved = false
      try {
        await rename(target, old)
        moved = true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      try {
        await rename(dir, target)
      } catch (error) {
        if (moved) await rename(old, target)
        throw error
      }
      if (moved) await rm(old, {recursive: true, force: true})
      return {changed, removed, outputs}
    },
    discard: () => rm(dir, {recursive: true, force: true})
  }
}

/** Files under a folder, relative to it (for reports and tests). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort()
}
