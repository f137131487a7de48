// The I/O edge of ingest: read scraped files, run the pure core, write
// `<contentDir>/<slug>.md` and `<contentDir>/_site.md`. Each file succeeds or
// fails on its own; an article edited since it was written is not replaced
// unless `force` is set.
import {readdir, readFile, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {asPasserelleError, PasserelleError} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {readTextFile} from '../io/read-text.ts'
import {readArticleIdentity} from './frontmatter.ts'
import {ingestPages, siteSlug} from './pages.ts'
import type {ExistingArticle, IngestFilesOptions, IngestFilesResult, Page, PageInput} from './types.ts'

export async function ingestFiles(paths: readonly string[], options: IngestFilesOptions): Promise<IngestFilesResult> {
  const result: IngestFilesResult = {written: [], unchanged: [], failed: []}
  const inputs: PageInput[] = []
  const pathByName = new Map<string, string>()
  for (const path of paths) {
    let text: string
    try {
      text = await readTextFile(path)
    } catch (error) {
      result.failed.push({file: path, error: asPasserelleError(error) ?? readFailure(path, error)})
      continue
    }
    inputs.push({name: basename(path), text, file: path})
    if (!pathByName.has(basename(path))) pathByName.set(basename(path), path)
  }

  const existing = await readExistingContent(options.contentDir)
  const ingested = ingestPages(inputs, existing)
  for (const {name, error} of ingested.failed) result.failed.push({file: error.file ?? pathByName.get(name) ?? name, error})

  const pages: {page: Page; file: string}[] = []
  if (ingested.site) pages.push({page: ingested.site, file: join(options.contentDir, `${siteSlug}.md`)})
  for (const page of ingested.articles) {
    pages.push({page, file: pathByName.get(page.frontmatter.source ?? '') ?? page.slug})
  }
  for (const {page, file} of pages) {
    const target = join(options.contentDir, `${page.slug}.md`)
    try {
      const outcome = await writeArticle(target, page.markdown, options.force ?? false, file)
      result[outcome].push(target)
    } catch (error) {
      result.failed.push({file, error: asPasserelleError(error) ?? writeFailure(target, file, error)})
    }
  }
  return result
}

async function writeArticle(target: string, markdown: string, force: boolean, file: string): Promise<'written' | 'unchanged'> {
  const current = await readFile(target, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  })
  if (current === markdown) return 'unchanged'
  if (current !== undefined && !force) {
    throw new PasserelleError('E_CONFLICT', `${target} already exists with different text`, {
      file,
      hint: 'use --force to replace it'
    })
  }
  await writeFileAtomic(target, markdown)
  return 'written'
}

/** The current `_site.md` and the identity of every article, from the content folder. */
async function readExistingContent(contentDir: string): Promise<{siteMarkdown?: string; existing: ExistingArticle[]}> {
  const names = await readdir(contentDir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new PasserelleError('E_CONFIG', 'cannot read the content folder', {
      file: contentDir,
      hint: 'give a folder path (e.g. content/fr)',
      cause: error
    })
  })
  const content: {siteMarkdown?: string; existing: ExistingArticle[]} = {existing: []}
  for (const name of names.filter((entry) => entry.endsWith('.md')).sort()) {
    // An unreadable or foreign file is simply not known content.
    // Only regular files: reading a FIFO would wait for a writer forever.
    const regular = await stat(join(contentDir, name)).then((info) => info.isFile(), () => false)
    const markdown = regular ? await readFile(join(contentDir, name), 'utf8').catch(() => undefined) : undefined
    if (markdown === undefined) continue
    const slug = name.slice(0, -'.md'.length)
    if (slug === siteSlug) {
      content.siteMarkdown = markdown
      continue
    }
    const identity = readArticleIdentity(markdown)
    if (identity) content.existing.push({slug, ...identity})
  }
  return content
}

function readFailure(path: string, error: unknown): PasserelleError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
  return new PasserelleError('E_INPUT', `cannot read file (${reason})`, {file: path, hint: 'give a readable text file', cause: error})
}

function writeFailure(target: string, file: string, error: unknown): PasserelleError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
  return new PasserelleError('E_INPUT', `cannot write ${target} (${reason})`, {
    file,
    hint: 'check that the content folder is writable and the disk has space',
    cause: error
  })
}
