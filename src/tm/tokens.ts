// Tokens for TM scoring, the way CAT tools count them: words and punctuation
// marks are tokens; numbers are one placeholder token whatever their value;
// inline tags are not tokens at all. Numbers and tags are kept aside (with
// their place) so that their differences can be reported and penalised.
import {parseSegmentText, tagText} from './text.ts'

export type TokenKind = 'word' | 'number' | 'punct'

/** Key of the number placeholder: cannot collide with a word or a punctuation mark. */
export const numberToken = '\u0001#'

export interface TagMark {
  /** `<1>`, `</1>` or `<2/>`. */
  tag: string
  /** Number of scoring tokens before the tag. */
  at: number
}

export interface Tokenized {
  /** Scoring tokens as written (numbers as `numberToken`). */
  tokens: string[]
  kinds: TokenKind[]
  tags: TagMark[]
  /** Numbers as written, in order. */
  numbers: string[]
}

/** Token weights: a punctuation mark counts half a word. */
export const tokenWeight: Readonly<Record<TokenKind, number>> = {word: 1, number: 1, punct: 0.5}

// Thousands groups only after a 1–3 digit head (`1 000 000`, not `2006 150`);
// then an optional decimal part (`3,2`, `1.5`).
const numberSource = String.raw`\p{Nd}{1,3}(?:[\u00a0\u202f ]\p{Nd}{3}(?!\p{Nd}))+(?:[.,]\p{Nd}+)?|\p{Nd}+(?:[.,]\p{Nd}+)*`
const tokenPattern = new RegExp(String.raw`(${numberSource})|([\p{L}\p{M}]+['’]?)|(\S)`, 'gu')

/** A number as the tokenizer sees it (global: use with `matchAll` / `replace`). */
export const numberPattern = new RegExp(String.raw`(?<!\p{Nd})(?:${numberSource})`, 'gu')

export function tokenize(segmentText: string): Tokenized {
  const result: Tokenized = {tokens: [], kinds: [], tags: [], numbers: []}
  // Tags start with `<` and escapes with `&`: text with neither is one plain run (most sentences; a 1M-unit TM tokenises each).
  if (!segmentText.includes('<') && !segmentText.includes('&')) {
    tokenizeRun(segmentText, result)
    return result
  }
  for (const part of parseSegmentText(segmentText)) {
    if (part.type !== 'text') result.tags.push({tag: tagText(part), at: result.tokens.length})
    else tokenizeRun(part.value, result)
  }
  return result
}

function tokenizeRun(text: string, result: Tokenized): void {
  // The shared global pattern: safe, since nothing here yields before the loop ends.
  const pattern = tokenPattern
  pattern.lastIndex = 0
  const normal = text.normalize('NFC')
  for (let match = pattern.exec(normal); match !== null; match = pattern.exec(normal)) {
    const [whole, number, word] = match
    if (number !== undefined) {
      result.tokens.push(numberToken)
      result.kinds.push('number')
      result.numbers.push(number)
    } else {
      result.tokens.push(whole)
      result.kinds.push(word !== undefined ? 'word' : 'punct')
    }
  }
}

/** Case- and apostrophe-insensitive form used by the index and to spot near-identical tokens. */
export function foldToken(token: string): string {
  return token.toLowerCase().replace(/’/g, "'")
}

/** Numbers compare without their thousands separators (`1 000` = `1000`). */
export function normaliseNumber(number: string): string {
  return number.replace(/[\u00a0\u202f ]/g, '')
}

export function kindOf(token: string): TokenKind {
  if (token === numberToken) return 'number'
  return /^[\p{L}\p{M}]/u.test(token) ? 'word' : 'punct'
}
