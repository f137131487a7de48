export {ingestFiles} from './files.ts'
export {ingestPages, siteSlug, defaultSiteTitle} from './pages.ts'
export {linesToBlocks} from './blocks.ts'
export type {Block} from './blocks.ts'
export {findFullDate, statedDate} from './date.ts'
export {blockTexts, buildTree, parseMarkdown, stringifyTree} from './markdown.ts'
export {cleanSiteLines, findSharedBlock} from './site-block.ts'
export {slugify, uniqueSlug, maxSlugLength} from './slug.ts'
export type {
  ExistingArticle,
  IngestFilesOptions,
  IngestFilesResult,
  IngestOptions,
  IngestResult,
  Page,
  PageFailure,
  PageFrontmatter,
  PageInput
} from './types.ts'
