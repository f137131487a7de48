// The run cache of `translate`: per locale and article, the hashes of what the
// last run read (source text, glossary files, imported TMX, engine route,
// settings, the human work of the locale's bundles) and of the bundle it left
// on disk. An article whose inputs and bundle are all unchanged would come out
// of a run exactly as it is, so the run skips it without parsing its source,
// loading its bundle or re-running QA. The cache only ever saves work: it is
// a file under .passerelle/ that can be deleted at any time, a missing or
// unreadable cache means "process everything", and a bundle changed on disk
// (a reviewer, a merge, a hand edit) no longer matches and is processed again.
import {createHash} from 'node:crypto'
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import type {Project} from '../config.ts'
import type {Failure} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import type {TmUnit} from '../tm/index.ts'

/** Bump when what a run writes for the same inputs changes (new checks, new fields). */
const cacheVersion = 1

export interface ArticleEntry {
  sourceHash: string
  /** Hash of the bundle text this run left on disk. */
  bundleHash: string
  /** The store's stamp of that bundle (size and modification time): while it holds, the bundle is not read to be hashed. */
  bundleStamp?: string
  /** Inputs hash (glossary, TMX, engine, settings, the locale's human work) the article was processed against. */
  inputs: string
  /** Human work the bundle holds, as translation-memory units: lets a run use it without parsing the bundle. */
  units: TmUnit[]
}

export interface LocaleCache {
  version: number
  /** Problems found loading the glossary and TMX with these hashes, replayed when they are not loaded again. */
  problems: {glossary: string; tmx: string; failures: Failure[]}
  articles: Record<string, ArticleEntry>
}

export function hashText(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex').slice(0, 32)
}

export function cachePath(project: Pick<Project, 'root'>, locale: string): string {
  return join(project.root, '.passerelle', 'cache', 'translate', `${locale}.json`)
}

export async function readLocaleCache(project: Pick<Project, 'root'>, locale: string): Promise<LocaleCache> {
  const empty: LocaleCache = {version: cacheVersion, problems: {glossary: '', tmx: '', failures: []}, articles: {}}
  try {
    const data = JSON.parse(await readFile(cachePath(project, locale), 'utf8')) as LocaleCache
    return data?.version === cacheVersion && data.articles && data.problems ? data : empty
  } catch {
    // Missing or damaged: the run does all the work, and writes a fresh cache.
    return empty
  }
}

export async function writeLocaleCache(project: Pick<Project, 'root'>, locale: string, cache: LocaleCache): Promise<void> {
  await writeFileAtomic(cachePath(project, locale), JSON.stringify(cache))
}

/** Names, sizes and modification times of every file in `dir` whose name passes `keep`, in name order: changes whenever one of them does. */
export async function stampFolder(dir: string, keep: (name: string) => boolean): Promise<string> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter(keep).sort()
  const parts = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => undefined)
      // An unreadable file still counts, as such, so that it stops counting once fixed.
      return `${name}:${info ? `${info.size}:${info.mtimeMs}` : '\u0000unreadable'}`
    })
  )
  return hashText(...parts)
}

/** One hash for the human work of a locale: each article's units, in slug order. Articles without any do not count. */
export function humanWorkHash(unitsBySlug: ReadonlyMap<string, readonly TmUnit[]>): string {
  const parts: string[] = []
  for (const slug of [...unitsBySlug.keys()].sort()) {
    const units = unitsBySlug.get(slug)!
    if (units.length > 0) parts.push(slug, JSON.stringify(units))
  }
  return hashText(...parts)
}
