// One remark processor for writing and reading articles, with the plugins the
// segmenter parses with (front matter, GFM), so that what ingest writes is
// read back as the tree it built.
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'

export const processor = unified()
  .use(remarkParse)
  .use(remarkStringify, {bullet: '-'})
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkGfm)
  .freeze()
