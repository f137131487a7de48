// Types of the segment stage. `Segment`, `TagInfo` and `UnitKind` are shared
// domain types (src/types.ts); these describe the parsed article that the
// rebuild needs.
import type {Definition, Nodes, PhrasingContent, Root} from 'mdast'
import type {Segment, UnitKind} from '../types.ts'

/** The inline node behind one tag number: paired tags get translated children, self-closing ones are kept as is. */
export interface TagBinding {
  kind: 'paired' | 'selfClosing'
  node: PhrasingContent
  /** Display-only (a URL, the code), copied to `Segment.tags`. */
  label?: string
}

/** Tag number (as a string key, `'1'`) → node, for one piece of tagged text. */
export type TagBindings = Record<string, TagBinding>

/**
 * A piece of a unit: a segment (translatable sentence) or kept text (the
 * whitespace between sentences, or a sentence without letters such as
 * `2017.` or a lone URL). Each piece numbers its tags from 1.
 */
export type UnitPart = {type: 'segment'; segment: string} | {type: 'text'; text: string; tags: TagBindings}

/** Node fields holding plain text to translate: `![alt](src "title")`, `[text](url "title")`. */
export type AttributeName = 'alt' | 'title'

/** A node whose alt/title is translatable: inline (images, links) or a link definition's title. */
export type AttributeNode = PhrasingContent | Definition

/** A non-empty alt/title found in a unit's inline content or on a link definition, in source order. */
export interface AttributeRef {
  /** The node in `Article.tree` (for inline nodes, the same object as its tag binding's `node`). */
  node: AttributeNode
  name: AttributeName
}

/** A translatable block (heading, paragraph, table cell), front-matter field, or alt/title attribute. */
export interface Unit {
  /** `u` (blocks) or `a` (attributes) + hash of the unit text (`-2`… for repeats), or `fm:title`, `fm:description`. */
  id: string
  kind: UnitKind
  /** The whole unit as tagged text, tags numbered across the unit. */
  text: string
  parts: UnitPart[]
  /** Only for `attribute` units: which node field the text goes back into. */
  attribute?: AttributeRef
}

export interface Article {
  file: string | undefined
  /** The front-matter mapping as parsed (`{}` when there is none). */
  frontmatter: Record<string, unknown>
  /** Translatable sentences in document order (front matter first). */
  segments: Segment[]
  /** Units in document order; parts concatenated give each unit's content back. */
  units: Unit[]
  /** Per segment id, the inline nodes behind its tags: what `renderTagged` needs. */
  tagNodes: ReadonlyMap<string, TagBindings>
  /** The parsed Markdown (mdast, with positions). Not modified by rebuilds. */
  tree: Root
  /** The handlers the article was segmented with; rebuilds walk the tree with the same ones. */
  handlers: Handlers
}

/**
 * What the segmenter does with a node:
 * - `unit`: a block whose inline content is translatable (its children are phrasing);
 * - `container`: a block to walk into (lists, block quotes, tables…);
 * - `skip`: kept verbatim, not translated (code, HTML blocks, definitions…);
 * - `text`: inline text whose `value` is translatable;
 * - `paired`: inline node whose children are translatable (`<n>…</n>`);
 * - `selfClosing`: inline node kept verbatim (`<n/>`).
 * `attributes` on an inline node: fields whose text becomes a unit of its own
 * (the tag stays as it is, so the surrounding sentence keeps its id); on a
 * skipped block (a link definition), fields translated in place.
 */
export type Handling =
  | {kind: 'unit'; unit: BlockUnitKind}
  | {kind: 'container'}
  | {kind: 'skip'; attributes?: readonly AttributeName[]}
  | {kind: 'text'}
  | {kind: 'paired'; label?: string; attributes?: readonly AttributeName[]}
  | {kind: 'selfClosing'; label?: string; attributes?: readonly AttributeName[]}

/** Unit kinds that stand for a Markdown block in the tree. */
export type BlockUnitKind = Exclude<UnitKind, 'frontmatter' | 'attribute'>

export interface HandlerContext {
  /** Ancestors from the root down to the parent. */
  ancestors: readonly Nodes[]
  /** Whether the node is inside a unit (phrasing content). */
  inline: boolean
}

/** The mdast node of a given `type`. */
export type NodeOf<T extends Nodes['type']> = Extract<Nodes, {type: T}>

/** Decides for one node type, typed by it (as mdast-util-to-markdown's handlers are). */
export type Handler<T extends Nodes = Nodes> = (node: T, context: HandlerContext) => Handling

/** Handlers by mdast node type. Options may override entries. */
export type Handlers = {readonly [T in Nodes['type']]?: Handler<NodeOf<T>>}
