// The segments of each source article, kept between runs. An article whose
// text an earlier run already cut into segments (for another locale, or
// before the glossary, the memory or a setting changed, which makes every
// article go through planning again) is not parsed again: the Markdown parse
// is most of what planning costs. One file per article under
// .passerelle/cache/segments/, holding the hash of the whole text it was cut
// from and what else decides the cut (the segmenter's identity, a hash of its
// code and parser packages; ICU and the Unicode tables, which find sentence
// boundaries and letters): anything else means "parse". Like the run cache it only ever saves work: a missing,
// damaged or stale file is ignored and written again.
import {hash} from 'node:crypto'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {writeFileAtomic} from '../io/atomic.ts'
import {segmenterIdentity} from '../segment/index.ts'
import type {Segment} from '../types.ts'

interface Entry {
  key: string
  segments: Segment[]
}

export interface SegmentCache {
  /** The segments cut from exactly this text, or undefined. */
  read(slug: string, markdown: string): Promise<Segment[] | undefined>
  /**
   * Starts saving them, best effort: a cache that cannot be written costs the
   * next run a parse, nothing else. Planning does not wait for the disk.
   */
  write(slug: string, markdown: string, segments: readonly Segment[]): void
  /** Resolves once every write started has ended. */
  settled(): Promise<void>
}

let context: string | undefined

function keyOf(markdown: string): string {
  context ??= `segmenter ${segmenterIdentity()}; icu ${process.versions.icu}; unicode ${process.versions.unicode}`
  return hash('sha256', `${context}\0${markdown}`, 'hex')
}

export function segmentCache(dir: string): SegmentCache {
  // Slugs are the file names of the sources (a slug is checked before any text is read).
  const path = (slug: string) => join(dir, `${slug}.json`)
  const writes: Promise<void>[] = []
  // One listing instead of a failed read per article when there is no entry (a first run).
  let listing: Promise<Set<string>> | undefined
  return {
    async read(slug, markdown) {
      listing ??= readdir(dir).then((names) => new Set(names), () => new Set<string>())
      if (!(await listing).has(`${slug}.json`)) return undefined
      try {
        const entry = JSON.parse(await readFile(path(slug), 'utf8')) as Entry
        return entry.key === keyOf(markdown) && Array.isArray(entry.segments) ? entry.segments : undefined
      } catch {
        return undefined
      }
    },
    write(slug, markdown, segments) {
      try {
        const entry: Entry = {key: keyOf(markdown), segments: [...segments]}
        writes.push(writeFileAtomic(path(slug), JSON.stringify(entry)).catch(() => undefined))
      } catch {
        // Best effort through and through: a cache that cannot even make its key must not fail the article.
      }
    },
    async settled() {
      await Promise.all(writes)
    }
  }
}
