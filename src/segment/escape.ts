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
 * ends in `text`, as an offset (plus `base`): the sentence splitter works on
 * decoded text and maps its boundaries back.
 */
export function unescapeWithOffsets(text: string, base = 0): {value: string; ends: number[]} {
  const ends: number[] = []
  let value = ''
  let cursor = 0
  // Most text runs hold no reference at all: then the loop below does not run.
  if (text.includes('&')) {
    for (const match of text.matchAll(entity)) {
      for (let i = cursor + 1; i <= match.index; i++) ends.push(base + i)
      const decoded = unescapeText(match[0])
      const end = base + match.index + match[0].length
      for (let i = 0; i < decoded.length; i++) ends.push(end)
      value += text.slice(cursor, match.index) + decoded
      cursor = match.index + match[0].length
    }
  }
  for (let i = cursor + 1; i <= text.length; i++) ends.push(base + i)
  return {value: cursor === 0 ? text : value + text.slice(cursor), ends}
}

function isScalarValue(code: number): boolean {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
}
