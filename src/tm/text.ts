// Segment text as a sequence of parts. Inline markup is written as numbered
// tags (`<1>…</1>`, `<2/>`) and a literal `<` or `&` as `&lt;` / `&amp;`; the
// TM scores and exchanges text, so it reads that form once, here.

export type TextPart =
  | {type: 'text'; value: string}
  | {type: 'open' | 'close' | 'self'; id: number}

const partPattern = /<(\d+)>|<\/(\d+)>|<(\d+)\/>/g

/**
 * Split segment text into plain text (unescaped) and tags. Anything that is not
 * a well-formed numbered tag stays text, so malformed input is never lost.
 */
export function parseSegmentText(text: string): TextPart[] {
  const parts: TextPart[] = []
  let cursor = 0
  for (const match of text.matchAll(partPattern)) {
    if (match.index > cursor) pushText(parts, unescapeSegmentText(text.slice(cursor, match.index)))
    const [, open, close, self] = match
    if (open !== undefined) parts.push({type: 'open', id: Number(open)})
    else if (close !== undefined) parts.push({type: 'close', id: Number(close)})
    else parts.push({type: 'self', id: Number(self)})
    cursor = match.index + match[0].length
  }
  if (cursor < text.length) pushText(parts, unescapeSegmentText(text.slice(cursor)))
  return parts
}

/** Inverse of `parseSegmentText` for well-formed input. */
export function formatSegmentText(parts: readonly TextPart[]): string {
  let out = ''
  for (const part of parts) out += part.type === 'text' ? escapeSegmentText(part.value) : tagText(part)
  return out
}

export function tagText(part: {type: 'open' | 'close' | 'self'; id: number}): string {
  return part.type === 'open' ? `<${part.id}>` : part.type === 'close' ? `</${part.id}>` : `<${part.id}/>`
}

export function escapeSegmentText(value: string): string {
  return value.replace(/[&<]/g, (char) => (char === '&' ? '&amp;' : '&lt;'))
}

export function unescapeSegmentText(value: string): string {
  return value.replace(/&(lt|amp);/g, (_whole, name: string) => (name === 'lt' ? '<' : '&'))
}

function pushText(parts: TextPart[], value: string): void {
  const last = parts.at(-1)
  if (last?.type === 'text') last.value += value
  else parts.push({type: 'text', value})
}
