// The one Markdown dialect of the pipeline: CommonMark + GFM + YAML front
// matter, serialised with fixed options. Every stage that writes Markdown
// uses `stringifyOptions` (or `stringifyMarkdown`) so output is identical.
import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import type {Options as StringifyOptions} from 'remark-stringify'
import {unified} from 'unified'

export const stringifyOptions: Readonly<StringifyOptions> = Object.freeze({
  bullet: '-',
  bulletOther: '*',
  bulletOrdered: '.',
  emphasis: '*',
  strong: '*',
  rule: '-',
  fence: '`',
  fences: true,
  listItemIndent: 'one',
  incrementListMarker: true,
  quote: '"',
  setext: false,
  closeAtx: false,
  resourceLink: false
} satisfies StringifyOptions)

/** A processor that parses and stringifies the pipeline's Markdown dialect. */
export function createMarkdownProcessor() {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkStringify, stringifyOptions)
}

const processor = createMarkdownProcessor().freeze()

export function parseMarkdown(markdown: string): Root {
  return processor.parse(markdown)
}

export function stringifyMarkdown(tree: Root): string {
  return processor.stringify(tree)
}

/**
 * Parse and stringify: the normal form the segment round trip is defined on
 * (`* ` bullets become `- `, setext headings ATX, bare URLs `<…>`, …).
 */
export function normalizeMarkdown(markdown: string): string {
  return stringifyMarkdown(parseMarkdown(markdown))
}
