// From mdast to units: find the translatable blocks, turn their inline
// content into tagged text, and cut that text into sentences whose tags are
// renumbered from 1.
import type {Nodes, Parent, PhrasingContent, Root} from 'mdast'
import {escapeText, unescapeText} from './escape.ts'
import {handle} from './handlers.ts'
import {sentenceSpans} from './sentences.ts'
import {renumberTags, stripTags} from './tags.ts'
import type {Definition} from 'mdast'
import type {AttributeName, AttributeRef, BlockUnitKind, Handlers, TagBinding, TagBindings} from './types.ts'

export interface UnitNode {
  node: Extract<Nodes, Parent>
  kind: BlockUnitKind
  ancestors: readonly Nodes[]
}

/** The translatable blocks of a tree, in document order. Parse and rebuild both rely on this order. */
export function collectUnitNodes(tree: Root, handlers: Handlers): UnitNode[] {
  const found: UnitNode[] = []
  const visit = (node: Nodes, ancestors: readonly Nodes[]): void => {
    const handling = handle(handlers, node, {ancestors, inline: false})
    if (!('children' in node)) return
    if (handling.kind === 'unit') {
      found.push({node, kind: handling.unit, ancestors})
    } else if (handling.kind === 'container') {
      const inner = [...ancestors, node]
      for (const child of node.children) visit(child, inner)
    }
  }
  visit(tree, [])
  return found
}

/**
 * Translatable fields of skipped blocks (link definitions' titles), in
 * document order, values included. Parse and rebuild both rely on this order.
 */
export function collectBlockAttributes(tree: Root, handlers: Handlers): (AttributeRef & {node: Definition; value: string})[] {
  const found: (AttributeRef & {node: Definition; value: string})[] = []
  const visit = (node: Nodes, ancestors: readonly Nodes[]): void => {
    const handling = handle(handlers, node, {ancestors, inline: false})
    if (handling.kind === 'skip' && node.type === 'definition') {
      for (const name of handling.attributes ?? []) {
        const value = name === 'title' ? node.title : undefined
        if (typeof value === 'string' && value.trim() !== '') found.push({node, name, value})
      }
    } else if (handling.kind === 'container' && 'children' in node) {
      for (const child of node.children) visit(child, [...ancestors, node])
    }
  }
  visit(tree, [])
  return found
}

/**
 * A unit's inline content as tagged text, tags numbered from 1 across the
 * unit, and the non-empty alt/title attributes of its tagged nodes in source
 * order (an image's inside a link before the link's own title).
 */
export function flattenInline(unit: UnitNode, handlers: Handlers): {text: string; tags: TagBindings; attributes: (AttributeRef & {value: string})[]} {
  let text = ''
  const tags: TagBindings = {}
  const attributes: (AttributeRef & {value: string})[] = []
  let counter = 0
  const collect = (node: PhrasingContent, names: readonly AttributeName[] | undefined): void => {
    for (const name of names ?? []) {
      const value = (node as Partial<Record<AttributeName, unknown>>)[name]
      if (typeof value === 'string' && value.trim() !== '') attributes.push({node, name, value})
    }
  }
  const walk = (children: readonly PhrasingContent[], ancestors: readonly Nodes[]): void => {
    for (const child of children) {
      const handling = handle(handlers, child, {ancestors, inline: true})
      if (handling.kind === 'text' && 'value' in child && typeof child.value === 'string') {
        text += escapeText(child.value)
      } else if (handling.kind === 'paired' && 'children' in child) {
        const n = ++counter
        tags[n] = withLabel({kind: 'paired', node: child}, handling.label)
        text += `<${n}>`
        walk(child.children, [...ancestors, child])
        text += `</${n}>`
        collect(child, handling.attributes)
      } else {
        const n = ++counter
        tags[n] = withLabel({kind: 'selfClosing', node: child}, 'label' in handling ? handling.label : undefined)
        text += `<${n}/>`
        if (handling.kind === 'selfClosing') collect(child, handling.attributes)
      }
    }
  }
  walk(unit.node.children as PhrasingContent[], [...unit.ancestors, unit.node])
  return {text, tags, attributes}
}

export interface Piece {
  text: string
  tags: TagBindings
  /** A sentence with letters: a segment. Otherwise (whitespace, `2017.`, a lone URL) kept as is. */
  translatable: boolean
}

/** Cuts a unit's tagged text into sentences and the whitespace between them; concatenated, the pieces give `text` back. */
export function cutIntoPieces(text: string, tags: TagBindings): Piece[] {
  const pieces: Piece[] = []
  let cursor = 0
  for (const span of sentenceSpans(text)) {
    if (span.start > cursor) pieces.push({text: text.slice(cursor, span.start), tags: {}, translatable: false})
    const renumbered = renumberTags(text.slice(span.start, span.end))
    const local: TagBindings = {}
    for (const [n, previous] of renumbered.previous) {
      const binding = tags[previous]
      if (binding) local[n] = binding
    }
    pieces.push({text: renumbered.text, tags: local, translatable: hasLetters(renumbered.text)})
    cursor = span.end
  }
  if (cursor < text.length) pieces.push({text: text.slice(cursor), tags: {}, translatable: false})
  return pieces
}

export function hasLetters(tagged: string): boolean {
  return /\p{L}/u.test(unescapeText(stripTags(tagged)))
}

function withLabel(binding: TagBinding, label: string | undefined): TagBinding {
  if (label !== undefined) binding.label = label
  return binding
}
