// One handler per mdast node type, deciding what the segmenter does with it
// (like mdast-util-to-markdown's handlers). Types without a handler: blocks
// with children are walked into, other blocks are kept verbatim, and unknown
// inline nodes become self-closing tags (kept verbatim, never lost).
import type {Link, Nodes} from 'mdast'
import type {Handler, HandlerContext, Handling, Handlers, NodeOf} from './types.ts'

const container = (): Handling => ({kind: 'container'})
const skip = (): Handling => ({kind: 'skip'})
const paired = (): Handling => ({kind: 'paired'})

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
  // `[id]: /url "Title"`: the title is shown as a tooltip, so it is translated in place.
  definition: () => ({kind: 'skip', attributes: ['title']}),
  thematicBreak: skip,
  yaml: skip,
  // Block HTML is kept; inline HTML (`<span>`, `<br>`) is a tag a translator can move.
  html: (node, {inline}) => (inline ? {kind: 'selfClosing', label: node.value} : {kind: 'skip'}),

  text: () => ({kind: 'text'}),
  emphasis: paired,
  strong: paired,
  delete: paired,
  link: (node) =>
    isOwnUrl(node) ? {kind: 'selfClosing', label: node.url, attributes: ['title']} : {kind: 'paired', label: node.url, attributes: ['title']},
  linkReference: (node) => ({kind: 'paired', label: node.identifier}),
  inlineCode: (node) => ({kind: 'selfClosing', label: node.value}),
  image: (node) => ({kind: 'selfClosing', label: node.url, attributes: ['alt', 'title']}),
  // Its title lives in the definition; a translated alt of a shortcut/collapsed reference (`![alt]`, whose
  // alt is also the label) is rebuilt as a full reference `![translated][label]`.
  imageReference: (node) => ({kind: 'selfClosing', label: node.identifier, attributes: ['alt']}),
  footnoteReference: (node) => ({kind: 'selfClosing', label: `^${node.identifier}`}),
  break: () => ({kind: 'selfClosing'})
}

/** Looks up the handler for a node, with the defaults described above. */
export function handle(all: Handlers, node: Nodes, context: HandlerContext): Handling {
  const handler = handlerFor(all, node)
  if (handler) return handler(node, context)
  if (context.inline) return {kind: 'selfClosing'}
  return 'children' in node ? {kind: 'container'} : {kind: 'skip'}
}

// The handler registered for the node's own type: `Handlers` maps each type to a handler of that node.
function handlerFor<T extends Nodes['type']>(all: Handlers, node: NodeOf<T>): Handler<NodeOf<T>> | undefined {
  const type: T = node.type
  return all[type]
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
