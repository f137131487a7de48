// Segment text as a sequence of parts, for scoring and TMX: the segment
// stage's own tag grammar and escaping (`tokenizeTagged`, `unescapeText`),
// seen as text runs and tags with their number.
import {escapeText, tokenizeTagged, unescapeText} from '../segment/index.ts'

export type TextPart =
  | {type: 'text'; value: string}
  | {type: 'open' | 'close' | 'self'; id: number}

/**
 * Split segment text into plain text (unescaped) and tags. Anything that is not
 * a well-formed numbered tag stays text, so malformed input is never lost.
 */
export function parseSegmentText(text: string): TextPart[] {
  const parts: TextPart[] = []
  for (const token of tokenizeTagged(text)) {
    if (token.type !== 'text') parts.push({type: token.type, id: token.n})
    else if (parts.at(-1)?.type === 'text') (parts.at(-1) as {value: string}).value += unescapeText(token.value)
    else parts.push({type: 'text', value: unescapeText(token.value)})
  }
  return parts
}

/** Inverse of `parseSegmentText` for well-formed input. */
export function formatSegmentText(parts: readonly TextPart[]): string {
  let out = ''
  for (const part of parts) out += part.type === 'text' ? escapeText(part.value) : tagText(part)
  return out
}

export function tagText(part: {type: 'open' | 'close' | 'self'; id: number}): string {
  return part.type === 'open' ? `<${part.id}>` : part.type === 'close' ? `</${part.id}>` : `<${part.id}/>`
}
