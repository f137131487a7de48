// The build writes into a fresh folder beside dist/ and swaps it in only
// when it succeeded, so dist/ is always one whole build: never a mixture of
// two, never the pages of an article that is no longer published.
import {mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, relative} from 'node:path'

export interface Staging {
  dir: string
  write(path: string, text: string): Promise<void>
  /** Replace `target` with the staged folder; returns the files whose content changed and those that are gone (relative to `target`). */
  commit(): Promise<{changed: string[]; removed: string[]}>
  discard(): Promise<void>
}

// A staging folder this old was left by a build that was killed: no build runs that long.
const abandonedAfterMs = 6 * 60 * 60 * 1000

export async function stage(target: string): Promise<Staging> {
  await mkdir(dirname(target), {recursive: true})
  const prefix = `.${basename(target)}.next-`
  for (const name of await readdir(dirname(target))) {
    if (!name.startsWith(prefix)) continue
    const path = join(dirname(target), name)
    const info = await stat(path).catch(() => undefined)
    if (info && Date.now() - info.mtimeMs > abandonedAfterMs) await rm(path, {recursive: true, force: true})
  }
  const dir = await mkdtemp(join(dirname(target), prefix))
  const files: string[] = []
  return {
    dir,
    async write(path, text) {
      const full = join(dir, path)
      await mkdir(dirname(full), {recursive: true})
      await writeFile(full, text)
      files.push(path)
    },
    async commit() {
      const changed: string[] = []
      const written = new Set(files)
      const removed = (await listFiles(target)).filter((path) => !written.has(path))
      for (const path of files) {
        const before = await readFile(join(target, path), 'utf8').catch(() => undefined)
        if (before !== (await readFile(join(dir, path), 'utf8'))) changed.push(path)
      }
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
      return {changed, removed}
    },
    discard: () => rm(dir, {recursive: true, force: true})
  }
}

/** Files under a folder, relative to it (for reports and tests). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort()
}
