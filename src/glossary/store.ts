// Where the termbase lives: the glossary folder (files, the default) or the
// team database (rows, `src/db/glossary.ts`). Every reader and writer — QA,
// translate, the review app's glossary editor, `glossary import` — goes
// through this one interface, so team mode changes where the concepts are,
// not how they are checked or matched.
import {stat} from 'node:fs/promises'
import {join} from 'node:path'
import {listGlossaryFiles, loadTermbase, refreshTermbaseCache, type LoadedTermbase, type LoadOptions} from './load.ts'
import {saveTermbase, withTermbaseLock, type SaveOptions} from './save.ts'
import type {Termbase} from './types.ts'

/** Who made a change, for the audit (the team database records it; files have git). */
export interface Actor {
  /** E-mail of the signed-in user, or 'cli'. */
  name: string
  /** Their row in `users`, when known. */
  id?: number
}

export interface TermbaseChange<T> {
  /** The whole new termbase; only concepts and patterns that differ are written. */
  termbase: Termbase
  value: T
}

export interface TermbaseStore {
  /** The termbase now, with the problems of entries that could not be used. */
  load(): Promise<LoadedTermbase>
  /**
   * Read-modify-write under the store's lock: `change` sees the current
   * termbase and returns the new one, or throws to leave it as it was. The
   * folder store rewrites the files that changed; the database store updates
   * the rows of changed concepts in one transaction, each with an audit row.
   */
  update<T>(change: (current: LoadedTermbase) => Promise<TermbaseChange<T>> | TermbaseChange<T>, actor?: Actor): Promise<T>
  /** A value that changes whenever the termbase does (caches compare it instead of re-reading). */
  stamp(): Promise<string>
  /** Where the termbase lives, for messages and locks (the folder, or 'database'). */
  readonly where: string
}

/** Where a project keeps its compiled termbase (the same folder `translate` loads through). */
export function termbaseCacheDir(projectRoot: string): string {
  return join(projectRoot, '.passerelle', 'cache', 'glossary')
}

/** The glossary folder: YAML files, one lock file shared by every process. */
export function folderTermbaseStore(dir: string, options: SaveOptions & Pick<LoadOptions, 'cacheDir'> = {}): TermbaseStore {
  const load: LoadOptions = options.cacheDir === undefined ? {} : {cacheDir: options.cacheDir}
  return {
    where: dir,
    // Size and modification time of every glossary file: a save (here, in the app or a CLI run) changes them.
    async stamp() {
      const names = await listGlossaryFiles(dir).catch(() => [] as string[])
      const parts = await Promise.all(
        names.map(async (name) => {
          const info = await stat(join(dir, name)).catch(() => undefined)
          return `${name}:${info?.size ?? '-'}:${info?.mtimeMs ?? '-'}`
        })
      )
      return parts.join('\n')
    },
    load: () => loadTermbase(dir, load),
    update: (change) =>
      withTermbaseLock(dir, async () => {
        const next = await change(await loadTermbase(dir, load))
        const written = await saveTermbase(dir, next.termbase, options)
        // The rewritten files are compiled now, under the lock, so the next load stays warm and never sees a stale copy.
        if (options.cacheDir !== undefined && written.length > 0) await refreshTermbaseCache(dir, options.cacheDir)
        return next.value
      })
  }
}
