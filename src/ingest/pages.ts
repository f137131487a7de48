// The pure core of ingest: scraped pages in, Markdown articles out. A bad page
// becomes a failure of its own; the others are ingested regardless.
import {PasserelleError, isPasserelleError} from '../errors.ts'
import {linesToBlocks, type Block} from './blocks.ts'
import {statedDate} from './date.ts'
import {readPageFields, type PageFields} from './frontmatter.ts'
import {isFieldLine, isSeparator, toLines} from './lines.ts'
import {blockTexts, buildTree, parseMarkdown, stringifyTree} from './markdown.ts'
import {cleanSiteLines, findSharedBlock, matchKnownBlock, startsWithBlock} from './site-block.ts'
import {slugify, uniqueSlug} from './slug.ts'
import type {ExistingArticle, IngestOptions, IngestResult, Page, PageFailure, PageFrontmatter, PageInput} from './types.ts'

export const siteSlug = '_site'
export const defaultSiteTitle = 'Navigation du site'

interface Prepared {
  input: PageInput
  fields: PageFields
  lines: string[]
}

export function ingestPages(pages: readonly PageInput[], options: IngestOptions = {}): IngestResult {
  const failed: PageFailure[] = []
  const prepared: Prepared[] = []
  const seen = new Set<string>()
  for (const input of pages) {
    try {
      if (seen.has(input.name)) {
        throw new PasserelleError('E_INPUT', `another page has the same file name ${input.name}`, {
          file: input.file ?? input.name,
          hint: 'rename one of them: the file name is the article source'
        })
      }
      seen.add(input.name)
      const {fields, body} = readPageFields(input.text, input.file ?? input.name)
      prepared.push({input, fields, lines: toLines(body)})
    } catch (error) {
      failed.push({name: input.name, error: asPasserelleError(error)})
    }
  }

  const block = findSharedBlock(prepared.map((page) => page.lines))
  const siteTexts = options.siteMarkdown === undefined ? [] : blockTexts(parseMarkdown(options.siteMarkdown))
  const existingBySource = new Map((options.existing ?? []).map((article) => [article.source, article]))
  const taken = new Set<string>()

  const articles: Page[] = []
  for (const page of prepared) {
    try {
      const navigationLength = startsWithBlock(page.lines, block) ? block.length : matchKnownBlock(page.lines, siteTexts)
      const content = dropLeadingSeparators(page.lines.slice(navigationLength))
      const article = articleFrom(page, content, existingBySource.get(page.input.name))
      const slug = existingBySource.get(page.input.name)?.slug ?? uniqueSlug(article.slug, slugsTakenFor(page.input.name, taken, options.existing))
      taken.add(slug)
      articles.push({...article, slug})
    } catch (error) {
      failed.push({name: page.input.name, error: asPasserelleError(error)})
    }
  }

  const siteLines = cleanSiteLines(block)
  const result: IngestResult = {articles, failed}
  if (siteLines.length > 0) {
    result.site = makePage(siteSlug, {title: options.siteTitle ?? defaultSiteTitle}, linesToBlocks(siteLines))
  }
  return result
}

/** Builds one article from the lines after the navigation; the slug is settled by the caller. */
function articleFrom(page: Prepared, content: readonly string[], existing: ExistingArticle | undefined): Page {
  const file = page.input.file ?? page.input.name
  const first = content[0]
  if (first === undefined) {
    throw new PasserelleError('E_EMPTY', 'nothing after the site navigation block', {
      file,
      hint: 'the page holds only the shared menu: scrape the article text or leave the file out'
    })
  }
  // A page whose first line is a field (`Date d’établissement : 2006`) lost its title when scraped.
  const titleLine = isFieldLine(first) ? undefined : first
  const title = page.fields.title ?? titleLine ?? existing?.title
  if (title === undefined) {
    throw new PasserelleError('E_INPUT', `no title line: the page starts with the field “${first}”`, {
      file,
      hint: 'start the file with front matter giving the title: `---`, `title: …`, `---`'
    })
  }
  const body = titleLine === undefined ? content : content.slice(1)
  if (body.length === 0) {
    throw new PasserelleError('E_EMPTY', 'the page has a title but no body', {file, hint: 'scrape the article text or leave the file out'})
  }
  const blocks = linesToBlocks(body)
  const frontmatter: PageFrontmatter = {title, source: page.input.name}
  const date = page.fields.date ?? statedDate(title, leadParagraph(blocks))
  if (date !== undefined) frontmatter.date = date
  const slug = slugify(title) || slugify(page.input.name.replace(/\.[^.]*$/, '')) || 'article'
  return makePage(slug, frontmatter, blocks)
}

/** A lone `-` cannot be a title, nor start a page. */
function dropLeadingSeparators(lines: readonly string[]): string[] {
  const start = lines.findIndex((line) => !isSeparator(line))
  return start === -1 ? [] : lines.slice(start)
}

function leadParagraph(blocks: readonly Block[]): string | undefined {
  const first = blocks[0]
  return first?.kind === 'paragraph' ? first.text : undefined
}

function makePage(slug: string, frontmatter: PageFrontmatter, blocks: readonly Block[]): Page {
  const tree = buildTree(frontmatter, blocks)
  return {slug, frontmatter, tree, markdown: stringifyTree(tree)}
}

/** Slugs given out in this batch, plus those of existing articles from other sources. */
function slugsTakenFor(source: string, taken: ReadonlySet<string>, existing: readonly ExistingArticle[] = []): Set<string> {
  return new Set([...taken, ...existing.filter((article) => article.source !== source).map((article) => article.slug)])
}

/** Content problems become the page's failure; anything else is a bug and propagates. */
function asPasserelleError(error: unknown): PasserelleError {
  if (isPasserelleError(error)) return error
  throw error
}
