// The build cache, under .passerelle/cache/build/ (safe to delete: a missing
// or damaged cache only means a full build).
//
// · Rendered articles, per locale: the key of what an article was rendered
//   from (its source text, its bundle text, the configuration, the publish
//   state, the cache version) with what the rest of the build needs from it
//   (report, title, date, menu) in index.json, and its Markdown, HTML body and
//   i18next resource in <locale>/<slug>.json, read only when a page that shows
//   them must be written again. An article whose key is unchanged is not
//   parsed, its bundle not validated, nothing of it rendered.
// · The outputs of the build now in dist/: per file the key it was made from
//   (see output.ts) and the file's identity, so that an unchanged output is
//   hard-linked from the previous dist/ instead of being made again.
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import type {Project} from '../config.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {hashText} from '../translate/cache.ts'
import type {OutputRecord} from './output.ts'
import type {MenuGroup} from './site.ts'

/** Bump when the same inputs render differently (a change in rebuild, HTML, the report or the gate). */
const cacheVersion = 1

/** What the build keeps of an article rendered in one locale, besides its body. */
export interface CachedPage<Report = unknown> {
  key: string
  report: Report
  title: string
  titleFallback: boolean
  /** ISO timestamp of the front-matter date. */
  date?: string
  /** The site navigation, for `_site`. */
  menu?: MenuGroup[]
}

export interface PageBody {
  markdown: string
  html: string
  runtime: Record<string, string>
}

interface IndexFile {
  version: number
  dist: string
  pages: Record<string, Record<string, CachedPage>>
  outputs: Record<string, OutputRecord>
}

export interface BuildCache<Report = unknown> {
  /** Key of an article's render from everything it is rendered from. */
  key(parts: {settings: string; locale: string; slug: string; sourceHash: string; bundleText: string | undefined}): string
  page(locale: string, slug: string, key: string): CachedPage<Report> | undefined
  body(locale: string, slug: string, key: string): Promise<PageBody | undefined>
  put(locale: string, slug: string, page: CachedPage<Report>, body: PageBody): Promise<void>
  /** The outputs of the build now in dist/ (empty when dist/ is another folder than last time). */
  outputs: Readonly<Record<string, OutputRecord>>
  /** Keep the pages of `slugs` only (others' bodies are deleted) and record `outputs` when dist/ was replaced. */
  save(slugs: ReadonlySet<string>, outputs: Record<string, OutputRecord> | undefined): Promise<void>
}

export function buildCacheDir(project: Pick<Project, 'root'>): string {
  return join(project.root, '.passerelle', 'cache', 'build')
}

export async function openBuildCache<Report>(project: Pick<Project, 'root' | 'distDir'>, version: string): Promise<BuildCache<Report>> {
  const dir = buildCacheDir(project)
  const indexPath = join(dir, 'index.json')
  const prefix = hashText(String(cacheVersion), version)
  let index: IndexFile = {version: cacheVersion, dist: project.distDir, pages: {}, outputs: {}}
  try {
    const data = JSON.parse(await readFile(indexPath, 'utf8')) as IndexFile
    if (data?.version === cacheVersion && data.pages && data.outputs) index = data
  } catch {
    // Missing or damaged: everything is rendered and written.
  }
  const pages: Record<string, Record<string, CachedPage>> = index.pages
  const bodyPath = (locale: string, slug: string) => join(dir, locale, `${slug}.json`)
  return {
    key: ({settings, locale, slug, sourceHash, bundleText}) => hashText(prefix, settings, locale, slug, sourceHash, bundleText === undefined ? '\u0000none' : `b${bundleText}`),
    page(locale, slug, key) {
      const page = pages[locale]?.[slug]
      return page?.key === key ? (page as CachedPage<Report>) : undefined
    },
    async body(locale, slug, key) {
      try {
        const data = JSON.parse(await readFile(bodyPath(locale, slug), 'utf8')) as PageBody & {key: string}
        return data.key === key && typeof data.html === 'string' && typeof data.markdown === 'string' && data.runtime ? data : undefined
      } catch {
        return undefined
      }
    },
    async put(locale, slug, page, body) {
      ;(pages[locale] ??= {})[slug] = page
      // A body that cannot be written is rendered again when it is needed.
      await writeFileAtomic(bodyPath(locale, slug), JSON.stringify({key: page.key, ...body})).catch(() => undefined)
    },
    outputs: index.dist === project.distDir ? index.outputs : {},
    async save(slugs, outputs) {
      for (const [locale, entries] of Object.entries(pages)) {
        for (const slug of Object.keys(entries)) {
          if (slugs.has(slug)) continue
          delete entries[slug]
          await rm(bodyPath(locale, slug), {force: true}).catch(() => undefined)
        }
      }
      // Bodies of locales no longer built are kept with their index entries: building them again reuses them.
      const next: IndexFile = {version: cacheVersion, dist: project.distDir, pages, outputs: outputs ?? index.outputs}
      await writeFileAtomic(indexPath, JSON.stringify(next)).catch(() => undefined)
    }
  }
}

