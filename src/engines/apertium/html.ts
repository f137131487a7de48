// Apertium keeps HTML inline tags when run with `-f html`, but it attaches
// them to words: a tag around three words that get reordered comes back as
// three copies (`<b data-t="1">the</b> <b data-t="1"><b data-t="2">official</b></b>
// <b data-t="1">website</b>`). We send numbered tags as `<b data-t="n">` and
// self-closing ones as `<br data-t="n">` (an empty `<span>` makes spa-eng
// capitalise the next word; `<br>` does not), then merge the copies back into
// one span per tag number, from its first to its last occurrence.

/** Segment text (`<1>…</1>`, `<2/>`, `&lt;`, `&amp;`) → Apertium HTML. */
export function toApertiumHtml(tagged: string): string {
  return tagged
    .replace(/>(?<!<\/?\d+\/?>)/g, '&gt;')
    .replace(/<(\/?)(\d+)(\/?)>|&gt;/g, (whole, close: string, n: string, self: string) => {
      if (whole === '&gt;') return whole
      if (self) return `<br data-t="${n}">`
      return close ? '</b>' : `<b data-t="${n}">`
    })
}

type Item = {kind: 'text'; text: string; open: number[]} | {kind: 'point'; n: number; open: number[]}

const token = /<b data-t="(\d+)">|<\/b>|<br data-t="(\d+)"\s*\/?>|<[^>]*>/g

/** Apertium HTML → segment text, merging duplicated tag copies. */
export function fromApertiumHtml(html: string): string {
  const items: Item[] = []
  const stack: number[] = []
  let cursor = 0
  for (const match of html.matchAll(token)) {
    if (match.index > cursor) items.push({kind: 'text', text: html.slice(cursor, match.index), open: [...stack]})
    cursor = match.index + match[0].length
    if (match[1] !== undefined) stack.push(Number(match[1]))
    else if (match[0] === '</b>') stack.pop()
    else if (match[2] !== undefined) items.push({kind: 'point', n: Number(match[2]), open: [...stack]})
    // Any other tag is something the engine invented: drop it.
  }
  if (cursor < html.length) items.push({kind: 'text', text: html.slice(cursor), open: [...stack]})

  // Span of each paired tag over the item list, outer tags first.
  const spans = new Map<number, {n: number; first: number; last: number; depth: number}>()
  items.forEach((item, index) => {
    item.open.forEach((n, depth) => {
      const span = spans.get(n)
      if (span) span.last = index
      else spans.set(n, {n, first: index, last: index, depth})
    })
  })
  const opening = [...spans.values()].sort((a, b) => a.first - b.first || b.last - a.last || a.depth - b.depth)

  let out = ''
  const openNow: {n: number; last: number}[] = []
  const seenPoints = new Set<number>()
  let next = 0
  items.forEach((item, index) => {
    while (next < opening.length && opening[next]!.first === index) {
      const span = opening[next++]!
      const parent = openNow.at(-1)
      // Crossing spans cannot nest: clip the inner one to its parent.
      const last = parent ? Math.min(span.last, parent.last) : span.last
      openNow.push({n: span.n, last})
      out += `<${span.n}>`
    }
    if (item.kind === 'text') out += decodeEntities(item.text)
    else if (!seenPoints.has(item.n)) {
      seenPoints.add(item.n)
      out += `<${item.n}/>`
    }
    while (openNow.length > 0 && openNow.at(-1)!.last <= index) out += `</${openNow.pop()!.n}>`
  })
  return out.trim()
}

/** Keep `&lt;` and `&amp;` (segment text escapes), decode what Apertium may add. */
function decodeEntities(text: string): string {
  return text
    .replace(/&(gt|quot|apos|nbsp|#(\d+)|#x([0-9a-f]+));/gi, (whole, name: string, dec?: string, hex?: string) => {
      if (dec) return safeChar(Number(dec), whole)
      if (hex) return safeChar(Number.parseInt(hex, 16), whole)
      switch (name.toLowerCase()) {
        case 'gt':
          return '>'
        case 'quot':
          return '"'
        case 'apos':
          return "'"
        default:
          return '\u00a0'
      }
    })
}

function safeChar(code: number, fallback: string): string {
  if (code === 0x3c) return '&lt;'
  if (code === 0x26) return '&amp;'
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback
}
