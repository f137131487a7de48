// Segment text ↔ TMX `<seg>` content, as fast-xml-parser's ordered nodes.
// Our numbered tags become TMX inline elements whose native code is the tag
// itself: `<1>` → `<bpt i="1" x="1">&lt;1&gt;</bpt>`, `</1>` → `<ept i="1">`,
// `<2/>` → `<ph x="2">`; a tag without its partner becomes `<it pos>`. Reading
// back, the native code (or else `x`, or else document order) gives the
// number, so files from other tools (`<bpt i="1" type="bold">&lt;b&gt;</bpt>`,
// `<hi>`, `<ut>`) are numbered from 1 in order of appearance.
import {escapeText as escapeSegmentText} from '../segment/index.ts'
import {parseSegmentText, tagText} from './text.ts'

/** A fast-xml-parser `preserveOrder` node: `{name: children, ':@'?: attributes}` or `{'#text': value}`. */
export type XmlNode = Record<string, unknown>

export const textKey = '#text'
export const attributesKey = ':@'

/** Characters XML 1.0 cannot carry, and carriage returns (XML turns them into line feeds). */
export function xmlSafe(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

/** An attribute value that survives XML attribute-value normalisation. */
export function attributeSafe(value: string): string {
  return xmlSafe(value).replace(/[\t\n]/g, ' ')
}

export function segNodes(text: string): XmlNode[] {
  const parts = parseSegmentText(text)
  // A tag is paired when its partner is in the segment, in order.
  const paired = new Set<number>()
  const open = new Map<number, number>()
  parts.forEach((part, index) => {
    if (part.type === 'open') open.set(part.id, index)
    else if (part.type === 'close' && open.has(part.id)) {
      paired.add(open.get(part.id)!)
      paired.add(index)
      open.delete(part.id)
    }
  })
  return parts.map((part, index): XmlNode => {
    if (part.type === 'text') return {[textKey]: xmlSafe(part.value)}
    const native = [{[textKey]: tagText(part)}]
    const id = String(part.id)
    if (part.type === 'self') return {ph: native, [attributesKey]: {x: id}}
    if (!paired.has(index)) return {it: native, [attributesKey]: {pos: part.type === 'open' ? 'begin' : 'end', x: id}}
    return part.type === 'open' ? {bpt: native, [attributesKey]: {i: id, x: id}} : {ept: native, [attributesKey]: {i: id}}
  })
}

export class InlineError extends Error {}

/**
 * Tag numbers for the codes of one `<tu>`. TMX pairs `<bpt>` with `<ept>` by
 * `i` inside one `<seg>`, and matches codes across the variants of a `<tu>` by
 * `x` (TMX 1.4 §3.7.3): the same `x` gets the same number in every variant,
 * whatever its value (`x="0"` included). Our own native codes (`&lt;1&gt;`)
 * keep their number; fresh numbers never collide with them.
 */
export class CodeNumbers {
  private readonly claimed = new Set<number>()
  private readonly byX = new Map<string, number>()
  private next = 1

  constructor(segs: readonly (readonly XmlNode[])[]) {
    for (const seg of segs) collectNumbers(seg, this.claimed)
  }

  /** The number for a code with this `x` (a fresh one without `x`, or when `x` is taken in this seg). */
  forX(x: unknown, inSeg: Set<number>): number {
    const key = typeof x === 'string' ? x.trim() : undefined
    let id = key === undefined ? undefined : this.byX.get(key)
    if (id === undefined || inSeg.has(id)) {
      const wanted = key !== undefined && /^[1-9]\d{0,8}$/.test(key) ? Number(key) : undefined
      id = wanted !== undefined && !this.claimed.has(wanted) ? wanted : this.fresh()
      this.claimed.add(id)
      if (key !== undefined && !this.byX.has(key)) this.byX.set(key, id)
    }
    inSeg.add(id)
    return id
  }

  fresh(): number {
    while (this.claimed.has(this.next)) this.next++
    this.claimed.add(this.next)
    return this.next
  }
}

/** Segment text of a `<seg>`'s children; throws `InlineError` on content we cannot map. */
export function segText(children: readonly XmlNode[], codes: CodeNumbers = new CodeNumbers([children])): string {
  const inSeg = new Set<number>()
  const paired = pairedCodes(children)
  const byI = new Map<string, number>()
  // Codes without `x` match across variants by their rank among such codes.
  let unnamed = 0
  const number = (name: string, x: unknown): number => codes.forX(x ?? `\u0000${name}${unnamed++}`, inSeg)

  const walk = (nodes: readonly XmlNode[]): string => {
    let out = ''
    for (const node of nodes) {
      const name = nodeName(node)
      if (name === textKey) {
        out += escapeSegmentText(String(node[textKey]))
        continue
      }
      const attributes = attributesOf(node)
      const inner = childrenOf(node)
      const native = parseSegmentText(plainText(inner))
      const tag = native.length === 1 && native[0]!.type !== 'text' ? native[0]! : undefined
      switch (name) {
        case 'bpt': {
          // A <bpt> whose <ept> never comes is an isolated code: a placeholder.
          if (!paired.has(node)) {
            out += `<${number(name, attributes.x)}/>`
            break
          }
          const id = tag?.type === 'open' ? tag.id : number(name, attributes.x)
          byI.set(String(attributes.i), id)
          out += `<${id}>`
          break
        }
        case 'ept': {
          const id = paired.has(node) ? (tag?.type === 'close' ? tag.id : byI.get(String(attributes.i))) : undefined
          out += id === undefined ? `<${number(name, undefined)}/>` : `</${id}>`
          break
        }
        case 'ph':
        case 'ut':
        case 'it': {
          if (tag) out += tagText(tag)
          else out += `<${number(name, attributes.x)}/>`
          break
        }
        case 'hi': {
          const id = number(name, attributes.x)
          out += `<${id}>${walk(inner)}</${id}>`
          break
        }
        default:
          throw new InlineError(`<${name}> is not a TMX inline element`)
      }
    }
    return out
  }
  return walk(children)
}

/** The `<bpt>`s and `<ept>`s that pair by `i`, an `<ept>` after its `<bpt>` (document order, `<hi>` included). */
function pairedCodes(children: readonly XmlNode[]): Set<XmlNode> {
  const paired = new Set<XmlNode>()
  const open = new Map<string, XmlNode>()
  const visit = (nodes: readonly XmlNode[]): void => {
    for (const node of nodes) {
      const name = nodeName(node)
      const i = attributesOf(node).i
      if (name === 'bpt' && i !== undefined) open.set(String(i), node)
      else if (name === 'ept' && i !== undefined && open.has(String(i))) {
        paired.add(open.get(String(i))!)
        paired.add(node)
        open.delete(String(i))
      } else if (name === 'hi') visit(childrenOf(node))
    }
  }
  visit(children)
  return paired
}

/** Numbers our own native codes claim, so that fresh numbers never collide with them. */
function collectNumbers(nodes: readonly XmlNode[], into: Set<number>): void {
  for (const node of nodes) {
    const name = nodeName(node)
    if (name === textKey) continue
    if (name === 'hi') {
      collectNumbers(childrenOf(node), into)
      continue
    }
    const native = parseSegmentText(plainText(childrenOf(node)))
    if (native.length === 1 && native[0]!.type !== 'text') into.add(native[0]!.id)
  }
}

export function nodeName(node: XmlNode): string {
  for (const key of Object.keys(node)) if (key !== attributesKey) return key
  return ''
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const value = node[nodeName(node)]
  return Array.isArray(value) ? (value as XmlNode[]) : []
}

export function attributesOf(node: XmlNode): Record<string, unknown> {
  const value = node[attributesKey]
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

/** Text content of nodes, markup dropped (`<sub>` text included). */
export function plainText(nodes: readonly XmlNode[]): string {
  let out = ''
  for (const node of nodes) out += nodeName(node) === textKey ? String(node[textKey]) : plainText(childrenOf(node))
  return out
}
