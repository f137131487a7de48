// The status cache: per locale and bundle, the figures `status` computed and
// the file's identity when it read it (size, mtime and ctime in nanoseconds,
// inode). A bundle whose identity is unchanged is neither read nor parsed
// again. Any write to a bundle (updateBundle's atomic rename gives a new
// inode; an edit in place a new mtime and ctime, and so does restoring the
// mtime afterwards) makes it miss. A bundle modified moments before the cache
// is written is not recorded (git's "racy" rule: a second write within the
// same clock tick could keep the same mtime), so it is read again next time.
// Missing or damaged cache: everything is read.
import {open, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic.ts'
import type {ArticleStatus} from './compute.ts'

/** Bump when the figures computed from the same bundle change. */
const cacheVersion = 1
/** Files changed less than this before the cache is written are not recorded. */
const racyNanoseconds = 2_000_000_000n

export interface FileIdentity {
  size: string
  mtime: string
  ctime: string
  ino: string
}

interface Entry extends FileIdentity {
  status: ArticleStatus
}

interface StatusCacheFile {
  version: number
  articles: Record<string, Entry>
}

export interface StatusCache {
  /** Whether anything is recorded for `slug` (if not, there is no need to look at the file first). */
  has(slug: string): boolean
  /** The recorded figures, when `identity` is what was recorded. */
  get(slug: string, identity: FileIdentity): ArticleStatus | undefined
  set(slug: string, identity: FileIdentity, status: ArticleStatus): void
  /** Keep only `slugs` and write the cache (errors only cost the next run its shortcut). */
  save(slugs: readonly string[]): Promise<void>
}

export function statusCachePath(root: string, locale: string): string {
  return join(root, '.passerelle', 'cache', 'status', `${locale}.json`)
}

type BigStats = Awaited<ReturnType<typeof stat>> & {size: bigint; mtimeNs: bigint; ctimeNs: bigint; ino: bigint}

function identityOf(info: BigStats): FileIdentity {
  return {size: String(info.size), mtime: String(info.mtimeNs), ctime: String(info.ctimeNs), ino: String(info.ino)}
}

export async function fileIdentity(path: string): Promise<FileIdentity | undefined> {
  const info = (await stat(path, {bigint: true}).catch(() => undefined)) as BigStats | undefined
  return info?.isFile() ? identityOf(info) : undefined
}

/**
 * The file's text and its identity, taken from the same open file: a bundle
 * replaced meanwhile (atomic rename) is read as it was; one written in place
 * meanwhile gets a new mtime, so the identity recorded here no longer matches.
 */
export async function readWithIdentity(path: string): Promise<{text: string; identity: FileIdentity}> {
  const handle = await open(path, 'r')
  try {
    const identity = identityOf((await handle.stat({bigint: true})) as BigStats)
    return {text: await handle.readFile('utf8'), identity}
  } finally {
    await handle.close()
  }
}

const same = (a: FileIdentity, b: FileIdentity) => a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime && a.ino === b.ino

export async function openStatusCache(root: string, locale: string): Promise<StatusCache> {
  const path = statusCachePath(root, locale)
  let articles: Record<string, Entry> = {}
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as StatusCacheFile
    if (data?.version === cacheVersion && data.articles && typeof data.articles === 'object') articles = data.articles
  } catch {
    // Missing or damaged: every bundle is read.
  }
  let dirty = false
  return {
    has: (slug) => slug in articles,
    get(slug, identity) {
      const entry = articles[slug]
      return entry && same(entry, identity) ? entry.status : undefined
    },
    set(slug, identity, status) {
      articles[slug] = {...identity, status}
      dirty = true
    },
    async save(slugs) {
      const now = BigInt(Date.now()) * 1_000_000n
      const kept: Record<string, Entry> = {}
      for (const slug of slugs) {
        const entry = articles[slug]
        if (!entry) continue
        // Racy: written so recently that a second write could still share its mtime.
        if (now - BigInt(entry.mtime) < racyNanoseconds) {
          dirty = true
          continue
        }
        kept[slug] = entry
      }
      if (!dirty && Object.keys(kept).length === Object.keys(articles).length) return
      await writeFileAtomic(path, JSON.stringify({version: cacheVersion, articles: kept} satisfies StatusCacheFile)).catch(() => undefined)
    }
  }
}
