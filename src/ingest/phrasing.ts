// Inline content of a line: plain text, with the e-mail addresses and bare
// URLs that GFM turns into links as link nodes. The segmenter parses articles
// with remark-gfm, which links `x@un.org` and `www.…` even when escaped, so
// the built tree must hold those links or the written Markdown would not
// parse back to it. Rather than re-implement GFM's autolink rules, GFM itself
// decides: the line is written as a text node (escaped by remark-stringify)
// and parsed back, and the links found are kept.
import type {PhrasingContent, RootContent} from 'mdast'
import {parseMarkdown as parseDialect, stringifyMarkdown} from '../segment/markdown.ts'

// GFM links nothing without one of these: most lines skip the round trip.
const mayAutolink = /@|www\.|:\/\//i

export function toPhrasing(text: string): PhrasingContent[] {
  const plain: PhrasingContent[] = [{type: 'text', value: text}]
  if (!mayAutolink.test(text)) return plain
  const markdown = stringifyMarkdown({type: 'root', children: [{type: 'paragraph', children: plain}]})
  const parsed = parseDialect(markdown).children[0]
  if (parsed?.type !== 'paragraph') return plain
  const nodes: PhrasingContent[] = []
  for (const node of parsed.children) {
    if (node.type === 'text') nodes.push({type: 'text', value: node.value})
    else if (node.type === 'link' && node.children.length === 1 && node.children[0]?.type === 'text') {
      nodes.push({type: 'link', title: null, url: node.url, children: [{type: 'text', value: node.children[0].value}]})
    } else return plain // anything else means the text did not survive as text: keep it whole
  }
  return textOf(nodes) === text ? nodes : plain
}

function textOf(nodes: readonly (PhrasingContent | RootContent)[]): string {
  return nodes.map((node) => ('value' in node ? node.value : 'children' in node ? textOf(node.children) : '')).join('')
}
