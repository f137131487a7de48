// Segment text is "tagged text": plain text plus numbered tags (`<1>…</1>`,
// `<2/>`). So that a literal `<` can never be mistaken for a tag, text is
// escaped the XML way: `&` → `&amp;` and `<` → `&lt;` (nothing else; `>` and
// quotes stay readable). Escaping every `&` (not only those that look like
// entities) keeps decoding unambiguous, which lets us decode all XML
// entities that engines may send back (`&quot;`, `&#39;`) without ever
// changing a source text. The same convention is what DeepL's XML tag
// handling and Apertium's `-f html` expect, so engines can pass text through.

export function escapeText(text: string): string {
  return text.replace(/[&<]/g, (char) => (char === '&' ? '&amp;' : '&lt;'))
}

const entity = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#[xX]([\da-fA-F]{1,6}));/g
const named: Record<string, string> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"}

/** Inverse of `escapeText`; also decodes `&gt;`, `&quot;`, `&apos;` and numeric references. A bare `&` stays as is. */
export function unescapeText(text: string): string {
  return text.replace(entity, (whole, name: string | undefined, decimal: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return named[name] ?? whole
    const code = decimal === undefined ? Number.parseInt(hex ?? '', 16) : Number.parseInt(decimal, 10)
    return isScalarValue(code) ? String.fromCodePoint(code) : whole
  })
}

/**
 * Decodes like `unescapeText` but also says where each decoded UTF-16 unit
 * came from, as `[start, end)` offsets into `text`: the sentence splitter
 * works on decoded text and maps its boundaries back.
 */
export function unescapeWithOffsets(text: string, base = 0): {value: string; starts: number[]; ends: number[]} {
  let value = ''
  const starts: number[] = []
  const ends: number[] = []
  let cursor = 0
  const push = (decoded: string, start: number, end: number): void => {
    for (let i = 0; i < decoded.length; i++) {
      starts.push(base + start)
      ends.push(base + end)
    }
    value += decoded
  }
  for (const match of text.matchAll(entity)) {
    for (let i = cursor; i < match.index; i++) push(text[i] ?? '', i, i + 1)
    push(unescapeText(match[0]), match.index, match.index + match[0].length)
    cursor = match.index + match[0].length
  }
  for (let i = cursor; i < text.length; i++) push(text[i] ?? '', i, i + 1)
  return {value, starts, ends}
}

function isScalarValue(code: number): boolean {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
}
