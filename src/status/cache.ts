// The status cache: per locale and bundle, the figures `status` computed and
// the file's identity when it read it (src/io/file-identity.ts). A bundle
// whose identity is unchanged is neither read nor parsed again; any write to
// it makes it miss. A bundle modified moments before the cache
// is written is not recorded (git's "racy" rule: a second write within the
// same clock tick could keep the same mtime), so it is read again next time.
// Missing or damaged cache: everything is read.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic.ts'
import {sameFile, type FileIdentity} from '../io/file-identity.ts'
import type {ArticleStatus} from './compute.ts'

/** Bump when the figures computed from the same bundle change. */
const cacheVersion = 1
/** Files changed less than this before the cache is written are not recorded. */
const racyNanoseconds = 2_000_000_000n

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
      return entry && sameFile(entry, identity) ? entry.status : undefined
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
