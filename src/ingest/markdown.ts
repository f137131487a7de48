// Blocks → mdast → Markdown. Text goes into the tree as text nodes and
// remark-stringify escapes whatever Markdown would read as syntax (`*`, `_`,
// `#` or `1.` at line start, `[`, `<`, `&`…), so nothing is concatenated by hand.
import type {BlockContent, List, Root, RootContent} from 'mdast'
import {stringify as stringifyYaml} from 'yaml'
import type {Block} from './blocks.ts'
import {toPhrasing} from './phrasing.ts'
import {parseMarkdown as parseDialect, stringifyMarkdown} from '../segment/markdown.ts'
import type {PageFrontmatter} from './types.ts'

export function buildTree(frontmatter: PageFrontmatter, blocks: readonly Block[]): Root {
  return {type: 'root', children: [{type: 'yaml', value: frontmatterYaml(frontmatter)}, ...blocks.map(blockNode)]}
}

/** YAML for the front matter: keys in a fixed order, no line folding (long titles stay on one line). */
export function frontmatterYaml(frontmatter: PageFrontmatter): string {
  const ordered: Record<string, string> = {title: frontmatter.title}
  if (frontmatter.source !== undefined) ordered.source = frontmatter.source
  if (frontmatter.date !== undefined) ordered.date = frontmatter.date
  return stringifyYaml(ordered, {lineWidth: 0}).trimEnd()
}

function blockNode(block: Block): RootContent {
  switch (block.kind) {
    case 'heading':
      return {type: 'heading', depth: block.depth, children: toPhrasing(block.text)}
    case 'paragraph':
      return {type: 'paragraph', children: toPhrasing(block.text)}
    case 'list':
      return listNode(block.items)
  }
}

function listNode(items: readonly string[]): List {
  return {
    type: 'list',
    ordered: false,
    start: null,
    spread: false,
    children: items.map((text) => ({
      type: 'listItem',
      spread: false,
      checked: null,
      children: [{type: 'paragraph', children: toPhrasing(text)} satisfies BlockContent]
    }))
  }
}

export function stringifyTree(tree: Root): string {
  return stringifyMarkdown(tree)
}

/** Parse Markdown as the segmenter does (front matter + GFM). */
export function parseMarkdown(markdown: string): Root {
  return parseDialect(markdown)
}

/**
 * The texts of an article's blocks in order: each heading, paragraph and list
 * item. Used to recognise a page's navigation block against `_site.md`
 * whatever its Markdown form.
 */
export function blockTexts(tree: Root): string[] {
  const texts: string[] = []
  for (const node of tree.children) {
    if (node.type === 'heading' || node.type === 'paragraph') texts.push(plainText(node))
    else if (node.type === 'list') for (const item of node.children) texts.push(plainText(item))
  }
  return texts
}

function plainText(node: RootContent | Root): string {
  if ('value' in node && node.type !== 'yaml') return node.value
  if ('children' in node) return node.children.map((child) => plainText(child)).join('')
  return ''
}
