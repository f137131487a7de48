// Shapes of the ingest stage: scraped text pages in, Markdown articles out.
import type {Root} from 'mdast'
import type {PasserelleError} from '../errors.ts'

/** One scraped page. */
export interface PageInput {
  /** The input file's base name: becomes `source` in the front matter. */
  name: string
  text: string
  /** Name used in error messages (default: `name`), e.g. the path as the user typed it. */
  file?: string
}

/** Front matter of an ingested article, in this key order. */
export interface PageFrontmatter {
  title: string
  source?: string
  /** ISO `YYYY-MM-DD`, only when the page states a full date (see `date.ts`). */
  date?: string
}

export interface Page {
  /** File name without `.md`: `_site` for the shared navigation, else from the title. */
  slug: string
  frontmatter: PageFrontmatter
  /** The tree `markdown` was serialised from; parsing `markdown` gives it back. */
  tree: Root
  markdown: string
}

/** An article already in the content folder, as its front matter tells. */
export interface ExistingArticle {
  slug: string
  source: string
  title: string
}

export interface IngestOptions {
  /**
   * The current `_site.md`. Its navigation is stripped from pages that start
   * with it but share no block with the rest of the batch (a single page).
   */
  siteMarkdown?: string
  /**
   * Articles already ingested. A page keeps its source's slug, may take its
   * title when the scrape lost the title line, and other sources' slugs count
   * as taken.
   */
  existing?: readonly ExistingArticle[]
  /** Title of the `_site` page (default `Navigation du site`). */
  siteTitle?: string
}

export interface PageFailure {
  name: string
  error: PasserelleError
}

export interface IngestResult {
  /** The shared navigation block, once, when this batch shows one. */
  site?: Page
  articles: Page[]
  /** Pages that could not be ingested; the others are unaffected. */
  failed: PageFailure[]
}

export interface IngestFilesOptions {
  /** Where articles go, e.g. `content/fr`. */
  contentDir: string
  /** Replace existing articles whose text differs. */
  force?: boolean
}

export interface IngestFilesResult {
  /** Paths written (new or changed). */
  written: string[]
  /** Paths whose content was already identical. */
  unchanged: string[]
  /** `file` is the input path, or the target path for the `_site` page. */
  failed: {file: string; error: PasserelleError}[]
}
