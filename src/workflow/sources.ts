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

export async function loadSources(project: Project, only?: string[]): Promise<{articles: LoadedArticle[]; failures: Failure[]}> {
  const articles: LoadedArticle[] = []
  const failures: Failure[] = []
  const files = await listSourceFiles(project)
  for (const slug of only ?? []) {
    if (!files.some((path) => slugOf(path) === slug)) {
      failures.push(
        failureOf(new PasserelleError('E_NOT_FOUND', `no article '${slug}'`, {file: relative(project.root, project.contentDir), hint: 'check the slug (the file name without .md)'}))
      )
    }
  }
  for (const path of files) {
    const slug = slugOf(path)
    if (only && !only.includes(slug)) continue
    const file = relative(project.root, path)
    try {
      if (!isSlug(slug)) {
        const fixed = slugify(slug) || 'article'
        throw new PasserelleError('E_SLUG', `file name "${slug}.md" is not a slug (lower-case ASCII letters, digits and hyphens): skipped`, {
          hint: `rename it to ${fixed}.md (or add it with \`passerelle ingest\`, which names files this way)`
        })
      }
      const markdown = await readTextFile(path, {display: file, maxBytes: project.config.maxFileBytes, within: project.root})
      const article = parseArticle(markdown, {file})
      const sourceHash = createHash('sha256').update(markdown).digest('hex').slice(0, 16)
      articles.push({slug, file, markdown, article, sourceHash, segments: article.segments})
    } catch (error) {
      failures.push(failureOf(error, file))
    }
  }
  return {articles, failures}
}
