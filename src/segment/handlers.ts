// One handler per mdast node type, deciding what the segmenter does with it
// (like mdast-util-to-markdown's handlers). Types without a handler: blocks
// with children are walked into, other blocks are kept verbatim, and unknown
// inline nodes become self-closing tags (kept verbatim, never lost).
import type {Link, Nodes} from 'mdast'
import type {Handler, HandlerContext, Handling, Handlers} from './types.ts'

const container: Handler = () => ({kind: 'container'})
const skip: Handler = () => ({kind: 'skip'})
const paired: Handler = () => ({kind: 'paired'})

export const handlers: Handlers = {
  root: container,
  blockquote: container,
  list: container,
  listItem: container,
  table: container,
  tableRow: container,
  footnoteDefinition: container,

  heading: () => ({kind: 'unit', unit: 'heading'}),
  paragraph: (_node, {ancestors}) => ({
    kind: 'unit',
    unit: ancestors.some((ancestor) => ancestor.type === 'listItem') ? 'listItem' : 'paragraph'
  }),
  tableCell: () => ({kind: 'unit', unit: 'tableCell'}),

  code: skip,
  definition: skip,
  thematicBreak: skip,
  yaml: skip,
  // Block HTML is kept; inline HTML (`<span>`, `<br>`) is a tag a translator can move.
  html: (node, {inline}) => (inline && node.type === 'html' ? {kind: 'selfClosing', label: node.value} : {kind: 'skip'}),

  text: () => ({kind: 'text'}),
  emphasis: paired,
  strong: paired,
  delete: paired,
  link: (node) => {
    const link = node as Link
    return isOwnUrl(link)
      ? {kind: 'selfClosing', label: link.url, attributes: ['title']}
      : {kind: 'paired', label: link.url, attributes: ['title']}
  },
  linkReference: (node) => ({kind: 'paired', label: node.type === 'linkReference' ? node.identifier : undefined}),
  inlineCode: (node) => ({kind: 'selfClosing', label: node.type === 'inlineCode' ? node.value : undefined}),
  image: (node) => ({kind: 'selfClosing', label: node.type === 'image' ? node.url : undefined, attributes: ['alt', 'title']}),
  // Not imageReference: a shortcut/collapsed reference's alt is also its label, and its title lives in the definition.
  imageReference: (node) => ({kind: 'selfClosing', label: node.type === 'imageReference' ? node.identifier : undefined}),
  footnoteReference: (node) => ({
    kind: 'selfClosing',
    label: node.type === 'footnoteReference' ? `^${node.identifier}` : undefined
  }),
  break: () => ({kind: 'selfClosing'})
}

/** Looks up the handler for a node, with the defaults described above. */
export function handle(all: Handlers, node: Nodes, context: HandlerContext): Handling {
  const handler = all[node.type]
  if (handler) return handler(node, context)
  if (context.inline) return {kind: 'selfClosing'}
  return 'children' in node ? {kind: 'container'} : {kind: 'skip'}
}

/**
 * A link whose text is its own address (GFM autolink literals such as
 * `decorte@un.org`, `<https://…>`, `[www.iom.int](http://www.iom.int)`):
 * there is nothing to translate, and a translated address would be wrong.
 */
function isOwnUrl(link: Link): boolean {
  const [only, ...rest] = link.children
  if (!only || rest.length > 0 || only.type !== 'text') return false
  const bare = (value: string): string => value.trim().replace(/^(?:mailto:|https?:\/\/)/i, '').replace(/\/$/, '').toLowerCase()
  return bare(only.value) === bare(link.url)
}
