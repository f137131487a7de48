// Article + per-segment target text → Markdown (or mdast for the HTML
// build). Each unit's sentences are substituted in place, with the
// whitespace between them kept, and rendered back to inline nodes; the
// front matter gets the translated title/description, and images and links
// the translated alt/title (through their tag bindings, since a target may
// move, repeat or drop the tag). With every target `undefined` the output is
// `normalizeMarkdown(source)`.
import {isDeepStrictEqual} from 'node:util'
import type {PhrasingContent, Root} from 'mdast'
import {isPasserelleError} from '../errors.ts'
import type {PasserelleError} from '../errors.ts'
import type {Segment} from '../types.ts'
import {findFrontmatterNode, writeFrontmatter} from './frontmatter.ts'
import {stringifyMarkdown} from './markdown.ts'
import {renderTagged} from './render.ts'
import type {Article, AttributeName, AttributeNode, TagBindings, Unit} from './types.ts'
import {collectBlockAttributes, collectUnitNodes} from './units.ts'

/** Target tagged text for a segment, or `undefined` to keep the source. */
export type TargetText = (segment: Segment) => string | undefined

export interface RebuildOptions {
  /** Transform the front matter (already holding the translated title/description), e.g. to add `lang`. */
  frontmatter?: (data: Record<string, unknown>) => Record<string, unknown>
  /**
   * Called when a target is malformed (`E_INPUT` from `renderTagged`); the
   * source is used instead. Without it, the error is thrown.
   */
  onInvalid?: (segment: Segment, error: PasserelleError) => void
}

export interface Rebuilt {
  markdown: string
  /** A new tree (`article.tree` is untouched), e.g. for remark-rehype. */
  tree: Root
  /** The front matter written, after translation and `options.frontmatter`. */
  frontmatter: Record<string, unknown>
}

/** The rebuilt article as Markdown. */
export function rebuildArticle(article: Article, target: TargetText, options: RebuildOptions = {}): string {
  return stringifyMarkdown(rebuildTree(article, target, options))
}

/** The rebuilt article as mdast. */
export function rebuildTree(article: Article, target: TargetText, options: RebuildOptions = {}): Root {
  return substitute(article, target, options).tree
}

/** Markdown, tree and final front matter in one pass (what the build stage needs). */
export function rebuild(article: Article, target: TargetText, options: RebuildOptions = {}): Rebuilt {
  const {tree, frontmatter} = substitute(article, target, options)
  // Serialised when first read, from the tree as it is then: the build serialises its own sanitised tree and never reads it.
  let markdown: string | undefined
  return {
    get markdown() {
      return (markdown ??= stringifyMarkdown(tree))
    },
    tree,
    frontmatter
  }
}

function substitute(article: Article, target: TargetText, options: RebuildOptions): {tree: Root; frontmatter: Record<string, unknown>} {
  const segments = new Map(article.segments.map((segment) => [segment.id, segment]))
  // Source node (as bound to tags) → its translated attributes.
  const overrides = new Map<AttributeNode, Partial<Record<AttributeName, string>>>()
  const withAttributes = (tags: TagBindings): TagBindings => {
    if (overrides.size === 0) return tags
    const out: TagBindings = {}
    for (const [n, binding] of Object.entries(tags)) {
      const values = overrides.get(binding.node)
      out[n] = values ? {...binding, node: withValues(binding.node, values)} : binding
    }
    return out
  }
  const renderUnit = (unit: Unit): PhrasingContent[] => {
    const nodes: PhrasingContent[] = []
    for (const part of unit.parts) {
      if (part.type === 'text') nodes.push(...renderTagged(part.text, withAttributes(part.tags)))
      else nodes.push(...renderSegment(article, requireSegment(segments, part.segment), target, options, withAttributes))
    }
    return mergeText(nodes)
  }

  // Attribute units have no tags (a tag in their target is refused as E_INPUT), so they render to plain text.
  for (const unit of article.units) {
    if (!unit.attribute) continue
    const values = overrides.get(unit.attribute.node) ?? {}
    values[unit.attribute.name] = plainText(renderUnit(unit))
    overrides.set(unit.attribute.node, values)
  }

  const tree = structuredClone(article.tree)
  const unitNodes = collectUnitNodes(tree, article.handlers)
  const bodyUnits = article.units.filter((unit) => unit.kind !== 'frontmatter' && unit.kind !== 'attribute')
  if (unitNodes.length !== bodyUnits.length) {
    throw new Error(`rebuildTree: the article has ${bodyUnits.length} units but its tree ${unitNodes.length}; was article.tree modified?`)
  }
  bodyUnits.forEach((unit, index) => {
    unitNodes[index]!.node.children = renderUnit(unit)
  })
  // Link definitions are found in the copy in the same order as in the source.
  const copies = collectBlockAttributes(tree, article.handlers)
  collectBlockAttributes(article.tree, article.handlers).forEach(({node, name}, index) => {
    const value = overrides.get(node)?.[name]
    const copy = copies[index]
    if (value !== undefined && copy && name === 'title') copy.node.title = value
  })

  let data: Record<string, unknown> = {...article.frontmatter}
  for (const unit of article.units) {
    if (unit.kind !== 'frontmatter') continue
    data[unit.id.slice('fm:'.length)] = plainText(renderUnit(unit))
  }
  if (options.frontmatter) data = options.frontmatter(structuredClone(data))
  if (!isDeepStrictEqual(data, article.frontmatter)) updateFrontmatter(tree, article.frontmatter, data)
  return {tree, frontmatter: data}
}

function renderSegment(
  article: Article,
  segment: Segment,
  target: TargetText,
  options: RebuildOptions,
  withAttributes: (tags: TagBindings) => TagBindings
): PhrasingContent[] {
  const tags = withAttributes(article.tagNodes.get(segment.id) ?? {})
  const text = target(segment)
  if (text !== undefined && text !== segment.source) {
    try {
      return renderTagged(text, tags)
    } catch (error) {
      if (!options.onInvalid || !isPasserelleError(error, 'E_INPUT')) throw error
      options.onInvalid(segment, error)
    }
  }
  return renderTagged(segment.source, tags)
}

function updateFrontmatter(tree: Root, previous: Record<string, unknown>, next: Record<string, unknown>): void {
  const node = findFrontmatterNode(tree)
  if (Object.keys(next).length === 0) {
    if (node) tree.children.splice(tree.children.indexOf(node), 1)
    return
  }
  const value = writeFrontmatter(node?.value, previous, next)
  if (node) node.value = value
  else tree.children.unshift({type: 'yaml', value})
}

function requireSegment(segments: ReadonlyMap<string, Segment>, id: string): Segment {
  const segment = segments.get(id)
  if (!segment) throw new Error(`rebuildTree: unit refers to unknown segment ${id}`)
  return segment
}

/**
 * An inline node with translated alt/title. A shortcut or collapsed image
 * reference (`![alt]`, `![alt][]`) uses its alt as its label: with another
 * alt it becomes a full reference to the same definition (`![alt][label]`).
 */
function withValues(node: PhrasingContent, values: Partial<Record<AttributeName, string>>): PhrasingContent {
  if (node.type === 'imageReference' && values.alt !== undefined && values.alt !== node.alt && node.referenceType !== 'full') {
    return {...node, alt: values.alt, referenceType: 'full', label: node.label ?? node.identifier}
  }
  if (node.type === 'image' || node.type === 'imageReference') return {...node, ...values}
  if (node.type === 'link') return values.title === undefined ? node : {...node, title: values.title}
  return node
}

/** Text of rendered nodes; tags cannot occur (units without tag bindings refuse them). */
function plainText(nodes: readonly PhrasingContent[]): string {
  return nodes.map((node) => (node.type === 'text' ? node.value : '')).join('')
}

function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = []
  for (const node of nodes) {
    const last = out.at(-1)
    if (node.type === 'text' && last?.type === 'text') last.value += node.value
    else out.push(node)
  }
  return out
}
