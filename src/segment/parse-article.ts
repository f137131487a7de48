// Markdown article → units and segments.
import type {Segment, TagInfo, UnitKind} from '../types.ts'
import {escapeText} from './escape.ts'
import {readFrontmatter, translatableFields} from './frontmatter.ts'
import {handlers as defaultHandlers} from './handlers.ts'
import {createIdAllocator, hashText} from './hash.ts'
import {checkFrontmatterClosed, checkNesting, checkSegmentLength} from './limits.ts'
import {parseMarkdown} from './markdown.ts'
import type {Article, AttributeRef, Handlers, TagBindings, Unit, UnitPart} from './types.ts'
import {collectBlockAttributes, collectUnitNodes, cutIntoPieces, flattenInline} from './units.ts'

export interface ParseArticleOptions {
  /** Named in error messages. */
  file?: string
  /** Override or add node handlers (merged over the defaults). */
  handlers?: Handlers
}

/**
 * Parses a Markdown article into translatable units and sentence segments.
 * Throws `PasserelleError('E_FRONTMATTER')` for broken front matter.
 */
export function parseArticle(markdown: string, options: ParseArticleOptions = {}): Article {
  if (typeof markdown !== 'string') throw new TypeError('parseArticle: markdown must be a string')
  const handlers: Handlers = {...defaultHandlers, ...options.handlers}
  checkFrontmatterClosed(markdown, options.file)
  checkNesting(markdown, options.file)
  const tree = parseMarkdown(markdown)
  const frontmatter = readFrontmatter(tree, options.file)

  const segments: Segment[] = []
  const units: Unit[] = []
  const tagNodes = new Map<string, TagBindings>()
  const segmentId = createIdAllocator()
  const unitId = createIdAllocator()

  const addUnit = (id: string, kind: UnitKind, text: string, tags: TagBindings, attribute?: AttributeRef, line?: number): void => {
    const parts: UnitPart[] = []
    let index = 0
    for (const piece of cutIntoPieces(text, tags)) {
      if (!piece.translatable) {
        parts.push({type: 'text', text: piece.text, tags: piece.tags})
        continue
      }
      checkSegmentLength(piece.text, line, options.file)
      const hash = hashText(piece.text)
      const segment: Segment = {id: segmentId(hash), hash, unit: id, kind, index: index++, source: piece.text, tags: tagInfo(piece.tags)}
      segments.push(segment)
      tagNodes.set(segment.id, piece.tags)
      parts.push({type: 'segment', segment: segment.id})
    }
    units.push(attribute ? {id, kind, text, parts, attribute} : {id, kind, text, parts})
  }

  for (const field of translatableFields) {
    const value = frontmatter[field]
    if (typeof value === 'string' && value.trim() !== '') addUnit(`fm:${field}`, 'frontmatter', escapeText(value), {})
  }
  for (const unit of collectUnitNodes(tree, handlers)) {
    const {text, tags, attributes} = flattenInline(unit, handlers)
    addUnit(unitId(`u${hashText(text)}`), unit.kind, text, tags, undefined, unit.node.position?.start.line)
    // Alt/title texts are units of their own, right after the block they stand in: the
    // block's tagged text is unchanged, so its sentences keep their ids.
    for (const {node, name, value} of attributes) {
      const escaped = escapeText(value)
      addUnit(unitId(`a${hashText(escaped)}`), 'attribute', escaped, {}, {node, name})
    }
  }
  // Link definitions' titles, after the blocks (definitions usually close an article).
  for (const {node, name, value} of collectBlockAttributes(tree, handlers)) {
    const escaped = escapeText(value)
    addUnit(unitId(`a${hashText(escaped)}`), 'attribute', escaped, {}, {node, name})
  }

  return {file: options.file, frontmatter, segments, units, tagNodes, tree, handlers}
}

function tagInfo(tags: TagBindings): Record<string, TagInfo> {
  const info: Record<string, TagInfo> = {}
  for (const [n, binding] of Object.entries(tags)) {
    info[n] = binding.label === undefined ? {type: binding.node.type} : {type: binding.node.type, label: binding.label}
  }
  return info
}
