// Load the source articles: every `content/<source>/*.md`, segmented. A file
// that cannot be read or parsed is reported and skipped; the rest go on.
import {createHash} from 'node:crypto'
import {readdir} from 'node:fs/promises'
import {join, relative} from 'node:path'
import type {Project} from '../config.ts'
import {failureOf, PasserelleError, type Failure} from '../errors.ts'
import {isSlug, slugify} from '../ingest/slug.ts'
import {readTextFile} from '../io/read-text.ts'
import {parseArticle, type Article} from '../segment/index.ts'
import type {SourceArticle} from './reconcile.ts'

export interface LoadedArticle extends SourceArticle {
  file: string
  markdown: string
  article: Article
}

export async function listSourceFiles(project: Project): Promise<string[]> {
  const entries = await readdir(project.contentDir).catch(() => {
    throw new PasserelleError('E_INPUT', 'no source folder', {
      file: relative(project.root, project.contentDir),
      hint: 'run `passerelle ingest <files…>` or add Markdown articles there'
    })
  })
  return entries.filter((name) => name.endsWith('.md')).sort().map((name) => join(project.contentDir, name))
}

export function slugOf(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.md$/, '')
}

export interface SourceText {
  slug: string
  file: string
  markdown: string
  sourceHash: string
}

/** The source texts (read, not parsed) of every article, or of `only`; unknown slugs and unreadable files are failures. */
export async function readSources(project: Project, only?: string[]): Promise<{sources: SourceText[]; failures: Failure[]}> {
  const files = await listSourceFiles(project)
  return collectSources(
    files.map((path) => ({slug: slugOf(path), file: relative(project.root, path), read: () => readTextFile(path, {display: relative(project.root, path), maxBytes: project.config.maxFileBytes, within: project.root})})),
    relative(project.root, project.contentDir),
    only
  )
}

/** Where source articles are read from: the content folder (`fileSourceStore`) or the team database. */
export interface SourceStore {
  readSources(only?: string[]): Promise<{sources: SourceText[]; failures: Failure[]}>
}

export function fileSourceStore(project: Project): SourceStore {
  return {readSources: (only) => readSources(project, only)}
}

/**
 * The one rule for source articles, whatever holds them: files in name order
 * (`slug` and `file` as the content folder names them), a name that is not a
 * slug refused, a text that cannot be read a failure, each text hashed.
 */
export async function collectSources(
  entries: ReadonlyArray<{slug: string; file: string; read: () => Promise<string>}>,
  folder: string,
  only?: string[]
): Promise<{sources: SourceText[]; failures: Failure[]}> {
  const sources: SourceText[] = []
  const failures: Failure[] = []
  for (const slug of only ?? []) {
    if (!entries.some((entry) => entry.slug === slug)) {
      failures.push(failureOf(new PasserelleError('E_NOT_FOUND', `no article '${slug}'`, {file: folder, hint: 'check the slug (the file name without .md)'})))
    }
  }
  for (const {slug, file, read} of entries) {
    if (only && !only.includes(slug)) continue
    try {
      if (!isSlug(slug)) {
        const fixed = slugify(slug) || 'article'
        throw new PasserelleError('E_SLUG', `file name "${slug}.md" is not a slug (lower-case ASCII letters, digits and hyphens): skipped`, {
          hint: `rename it to ${fixed}.md (or add it with \`passerelle ingest\`, which names files this way)`
        })
      }
      const markdown = await read()
      const sourceHash = createHash('sha256').update(markdown).digest('hex').slice(0, 16)
      sources.push({slug, file, markdown, sourceHash})
    } catch (error) {
      failures.push(failureOf(error, file))
    }
  }
  return {sources, failures}
}

/** Segment one source text; throws what `parseArticle` throws. */
export function parseSource(source: SourceText): LoadedArticle {
  const article = parseArticle(source.markdown, {file: source.file})
  return {...source, article, segments: article.segments}
}

export async function loadSources(project: Project, only?: string[], from: SourceStore = fileSourceStore(project)): Promise<{articles: LoadedArticle[]; failures: Failure[]}> {
  const {sources, failures} = await from.readSources(only)
  const articles: LoadedArticle[] = []
  for (const source of sources) {
    try {
      articles.push(parseSource(source))
    } catch (error) {
      failures.push(failureOf(error, source.file))
    }
  }
  return {articles, failures}
}
