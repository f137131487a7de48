// Numbered inline tags ↔ the XML that DeepL's `tag_handling=xml` carries.
//
//   <1>…</1>  ↔  <x i="1">…</x>      paired tag
//   <2/>      ↔  <x i="2"/>          self-closing tag
//   <3> alone ↔  <x i="3" t="b"/>    unmatched or crossing open (kept, never invalid XML)
//   </3> alone↔  <x i="3" t="e"/>    unmatched or crossing close
//   keep span ↔  <k>…</k>            do-not-translate text, sent with ignore_tags=k
//
// Segment text escapes literal `<` and `&` as `&lt;` / `&amp;`, which is
// already valid XML text; anything else XML would refuse (a bare `&`, control
// characters) is made valid on the way out. The way back is tolerant: any
// spacing or quoting inside tags, `<x …/>` expanded to `<x …></x>`, entities
// such as `&gt;`, `&quot;`, `&#39;`; text comes back in segment form.

export const inlineTag = 'x'
export const keepTag = 'k'

export interface Span {
  start: number
  end: number
}

type Kind = 'pair' | 'self' | 'begin' | 'end'

interface TagToken {
  start: number
  end: number
  n: string
  close: boolean
  self: boolean
}

const numberedTag = /<(\/?)(\d+)(\/?)>/g

function numberedTags(text: string): TagToken[] {
  return [...text.matchAll(numberedTag)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    n: match[2]!,
    close: match[1] === '/',
    self: match[3] === '/' && match[1] !== '/'
  }))
}

/** Which tags pair up (well nested), per token index; the others are kept as standalone markers. */
function tagKinds(tokens: readonly TagToken[]): Kind[] {
  const kinds: Kind[] = tokens.map((token) => (token.self ? 'self' : token.close ? 'end' : 'begin'))
  const stack: number[] = []
  tokens.forEach((token, index) => {
    if (token.self) return
    if (!token.close) {
      stack.push(index)
      return
    }
    const top = stack.at(-1)
    if (top !== undefined && tokens[top]!.n === token.n) {
      stack.pop()
      kinds[top] = 'pair'
      kinds[index] = 'pair'
    }
  })
  return kinds
}

/** How each tag number is used in a segment: paired, self-closing, standalone, or several of these. */
export function tagShapes(text: string): Map<string, Kind | 'mixed'> {
  const tokens = numberedTags(text)
  const kinds = tagKinds(tokens)
  const shapes = new Map<string, Kind | 'mixed'>()
  tokens.forEach((token, index) => {
    const seen = shapes.get(token.n)
    shapes.set(token.n, seen === undefined || seen === kinds[index] ? kinds[index]! : 'mixed')
  })
  return shapes
}

const entity = /&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);/g
// eslint-disable-next-line no-control-regex
const invalidXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Segment text between tags → valid XML character data. */
function xmlText(text: string): string {
  return text
    .replace(invalidXmlChars, '')
    .replace(/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/g, '&amp;')
    .replace(/</g, '&lt;')
}

function insideEntity(text: string, position: number): boolean {
  for (const match of text.matchAll(entity)) {
    if (match.index < position && position < match.index + match[0].length) return true
  }
  return false
}

/**
 * Segment text → one XML fragment for DeepL. `keep` spans (offsets into
 * `text`, e.g. do-not-translate hits) are wrapped in `<k>`; spans that overlap
 * each other, cross a tag or cut an entity are left out.
 */
export function toDeeplXml(text: string, keep: readonly Span[] = []): string {
  const tokens = numberedTags(text)
  const kinds = tagKinds(tokens)
  const spans = usableSpans(text, tokens, keep)

  let out = ''
  let cursor = 0
  let spanIndex = 0
  const emitText = (end: number) => {
    while (cursor < end) {
      const span = spans[spanIndex]
      if (span && span.start < end) {
        out += xmlText(text.slice(cursor, span.start)) + `<${keepTag}>` + xmlText(text.slice(span.start, span.end)) + `</${keepTag}>`
        cursor = span.end
        spanIndex++
      } else {
        out += xmlText(text.slice(cursor, end))
        cursor = end
      }
    }
  }
  tokens.forEach((token, index) => {
    emitText(token.start)
    const kind = kinds[index]!
    out +=
      kind === 'self'
        ? `<${inlineTag} i="${token.n}"/>`
        : kind === 'pair'
          ? token.close
            ? `</${inlineTag}>`
            : `<${inlineTag} i="${token.n}">`
          : `<${inlineTag} i="${token.n}" t="${kind === 'begin' ? 'b' : 'e'}"/>`
    cursor = token.end
  })
  emitText(text.length)
  return out
}

function usableSpans(text: string, tokens: readonly TagToken[], keep: readonly Span[]): Span[] {
  const sorted = [...keep].sort((a, b) => a.start - b.start || b.end - a.end)
  const spans: Span[] = []
  let last = 0
  for (const span of sorted) {
    if (span.start < last || span.end <= span.start || span.start < 0 || span.end > text.length) continue
    if (tokens.some((token) => token.start < span.end && span.start < token.end)) continue
    if (insideEntity(text, span.start) || insideEntity(text, span.end)) continue
    spans.push(span)
    last = span.end
  }
  return spans
}

const anyTag = /<\s*(\/)?\s*([A-Za-z_][\w.:-]*)((?:\s+[^<>]*?)?)\s*(\/)?\s*>/g

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes)
  return match ? (match[1] ?? match[2]) : undefined
}

const named: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00A0'}

function decodeEntities(text: string): string {
  return text.replace(entity, (whole) => {
    const body = whole.slice(1, -1)
    if (body.startsWith('#x') || body.startsWith('#X')) return safeCodePoint(Number.parseInt(body.slice(2), 16), whole)
    if (body.startsWith('#')) return safeCodePoint(Number.parseInt(body.slice(1), 10), whole)
    return named[body] ?? whole
  })
}

function safeCodePoint(value: number, fallback: string): string {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : fallback
}

/** XML character data from DeepL → segment text (only `<` and `&` escaped). */
function segmentText(xml: string): string {
  return decodeEntities(xml).replace(/&/g, '&amp;').replace(/</g, '&lt;')
}

/**
 * DeepL's XML → segment text with numbered tags. `source` (the text that was
 * sent, in segment form) tells self-closing tags from paired ones when DeepL
 * expands `<x i="2"/>` into `<x i="2"></x>`.
 */
export function fromDeeplXml(xml: string, source?: string): string {
  const shapes = source === undefined ? new Map<string, Kind | 'mixed'>() : tagShapes(source)
  const stack: Array<{n: string; silent: boolean}> = []
  let out = ''
  let cursor = 0
  for (const match of xml.matchAll(anyTag)) {
    out += segmentText(xml.slice(cursor, match.index))
    cursor = match.index + match[0].length
    const [whole, slash, name, attributes = '', selfSlash] = match
    if (name === keepTag) continue
    if (name !== inlineTag) {
      out += segmentText(whole)
      continue
    }
    if (slash) {
      const open = stack.pop()
      if (open && !open.silent) out += `</${open.n}>`
      continue
    }
    const n = attribute(attributes, 'i')
    if (n === undefined || !/^\d+$/.test(n)) continue
    const t = attribute(attributes, 't')
    if (selfSlash) {
      out += t === 'b' ? `<${n}>` : t === 'e' ? `</${n}>` : `<${n}/>`
    } else if (shapes.get(n) === 'self') {
      out += `<${n}/>`
      stack.push({n, silent: true})
    } else {
      out += `<${n}>`
      stack.push({n, silent: false})
    }
  }
  out += segmentText(xml.slice(cursor))
  return out
}

/**
 * Undo what DeepL tends to do with spaces: the segment keeps the source's
 * leading and trailing whitespace, a space DeepL moved just inside a paired
 * tag goes back outside it (or away before punctuation), and double spaces
 * that this creates collapse unless the source had double spaces too.
 */
export function alignWhitespace(target: string, source: string): string {
  const spaceAfterOpen = new Set([...source.matchAll(/<(\d+)>\s/g)].map((match) => match[1]!))
  const spaceBeforeClose = new Set([...source.matchAll(/\s<\/(\d+)>/g)].map((match) => match[1]!))
  let text = target
    .replace(/<(\d+)>([^\S\n]+)/g, (whole, n: string, space: string, offset: number, all: string) => {
      if (spaceAfterOpen.has(n)) return whole
      const before = all.slice(0, offset)
      return /(^|[\s(«“‘[])$/.test(before) ? `<${n}>` : `${space}<${n}>`
    })
    .replace(/([^\S\n]+)<\/(\d+)>/g, (whole, space: string, n: string, offset: number, all: string) => {
      if (spaceBeforeClose.has(n)) return whole
      const after = all.slice(offset + whole.length)
      return /^($|[\s.,;:!?)»”’\]])/.test(after) ? `</${n}>` : `</${n}>${space}`
    })
  if (!/ {2}/.test(source)) text = text.replace(/ {2,}/g, ' ')
  const lead = /^\s*/.exec(source)![0]
  const trail = /\s*$/.exec(source)![0]
  return lead + text.trim() + (source.trim() === '' ? '' : trail)
}
