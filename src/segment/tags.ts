// Numbered inline tags in segment text: `<1>…</1>` (paired) and `<2/>`
// (self-closing). Numbers are positive integers, from 1 within a segment.
// One tokenizer serves the splitter (lenient: anything else is text), the
// renderer, QA and engines (strict: a `<` that is not a tag is an error,
// since literal `<` is always escaped as `&lt;`).
import {PasserelleError} from '../errors.ts'

export type TaggedToken =
  | {type: 'text'; value: string; start: number; end: number}
  | {type: 'open' | 'close' | 'self'; n: number; start: number; end: number}

export interface ParsedTags {
  /** Paired tag numbers, in order of first appearance. */
  paired: number[]
  /** Self-closing tag numbers, in order of first appearance. */
  selfClosing: number[]
  tokens: TaggedToken[]
}

// `<1 />` is accepted: some engines add the space when they echo XML.
const tagPattern = /<(\/?)([1-9]\d{0,5})\s*(\/?)>/y
const hint = 'keep the tags of the source, each <n> closed by </n> in the same nesting, and write a literal < as &lt;'

/** Splits tagged text into text runs and tags. Lenient: malformed tags are text. */
export function tokenizeTagged(text: string): TaggedToken[] {
  return tokenize(text, false)
}

/**
 * Validates tagged text and says which tags it uses. Throws
 * `PasserelleError('E_INPUT')` for a `<` that is not a numbered tag, a tag
 * closed that is not open, crossing or unclosed tags, a tag nested in itself,
 * or a number used both as paired and as self-closing.
 */
export function parseTags(text: string): ParsedTags {
  const tokens = tokenize(text, true)
  const paired: number[] = []
  const selfClosing: number[] = []
  const open: number[] = []
  for (const token of tokens) {
    if (token.type === 'text') continue
    const {n} = token
    if (token.type === 'self') {
      if (paired.includes(n)) throw invalid(`tag ${n} is used both as <${n}>…</${n}> and as <${n}/>`, text)
      if (!selfClosing.includes(n)) selfClosing.push(n)
    } else if (token.type === 'open') {
      if (selfClosing.includes(n)) throw invalid(`tag ${n} is used both as <${n}/> and as <${n}>…</${n}>`, text)
      if (open.includes(n)) throw invalid(`tag <${n}> is nested in itself`, text)
      if (!paired.includes(n)) paired.push(n)
      open.push(n)
    } else {
      const innermost = open.pop()
      if (innermost === undefined) throw invalid(`</${n}> closes a tag that is not open`, text)
      if (innermost !== n) throw invalid(`</${n}> closes while <${innermost}> is still open (tags cross)`, text)
    }
  }
  const unclosed = open.at(-1)
  if (unclosed !== undefined) throw invalid(`tag <${unclosed}> is not closed`, text)
  return {paired, selfClosing, tokens}
}

/**
 * Renumbers tags from 1 in order of first appearance (a closing tag follows
 * its opening tag). Returns the new text and, per new number, the old one.
 * Expects balanced input (a piece cut by the sentence splitter).
 */
export function renumberTags(text: string): {text: string; previous: Map<number, number>} {
  const next = new Map<number, number>()
  const previous = new Map<number, number>()
  // Most sentences have no tag at all.
  if (!text.includes('<')) return {text, previous}
  let out = ''
  for (const token of tokenizeTagged(text)) {
    if (token.type === 'text') {
      out += token.value
      continue
    }
    let n = next.get(token.n)
    if (n === undefined) {
      n = next.size + 1
      next.set(token.n, n)
      previous.set(n, token.n)
    }
    out += token.type === 'open' ? `<${n}>` : token.type === 'close' ? `</${n}>` : `<${n}/>`
  }
  return {text: out, previous}
}

/** The text with all tags removed (still escaped). */
export function stripTags(text: string): string {
  if (!text.includes('<')) return text
  return tokenizeTagged(text)
    .map((token) => (token.type === 'text' ? token.value : ''))
    .join('')
}

function tokenize(text: string, strict: boolean): TaggedToken[] {
  const tokens: TaggedToken[] = []
  let textStart = 0
  let index = text.indexOf('<')
  while (index !== -1) {
    tagPattern.lastIndex = index
    const match = tagPattern.exec(text)
    if (match && !(match[1] && match[3])) {
      if (index > textStart) tokens.push({type: 'text', value: text.slice(textStart, index), start: textStart, end: index})
      const end = index + match[0].length
      const type = match[1] ? 'close' : match[3] ? 'self' : 'open'
      tokens.push({type, n: Number(match[2]), start: index, end})
      textStart = end
      index = text.indexOf('<', end)
    } else {
      if (strict) throw invalid(`"${text.slice(index, index + 12)}" is not a numbered tag`, text)
      index = text.indexOf('<', index + 1)
    }
  }
  if (textStart < text.length) tokens.push({type: 'text', value: text.slice(textStart), start: textStart, end: text.length})
  return tokens
}

function invalid(reason: string, text: string): PasserelleError {
  const excerpt = text.length > 80 ? `${text.slice(0, 77)}…` : text
  return new PasserelleError('E_INPUT', `malformed tagged text: ${reason} in "${excerpt}"`, {hint})
}

/**
 * How the tags of `target` differ from those of `source`: each tag missing,
 * not in the source, or used a different number of times. Empty when they
 * match. Throws `E_INPUT` (from `parseTags`) when either text is malformed.
 */
export function tagMismatches(source: string, target: string): string[] {
  const expected = parseTags(source)
  const actual = parseTags(target)
  const problems: string[] = []
  const name = (n: number, paired: boolean) => (paired ? `<${n}>…</${n}>` : `<${n}/>`)
  for (const n of expected.paired) if (!actual.paired.includes(n)) problems.push(`${name(n, true)} is missing`)
  for (const n of expected.selfClosing) if (!actual.selfClosing.includes(n)) problems.push(`${name(n, false)} is missing`)
  for (const n of actual.paired) if (!expected.paired.includes(n)) problems.push(`${name(n, true)} is not in the source`)
  for (const n of actual.selfClosing) if (!expected.selfClosing.includes(n)) problems.push(`${name(n, false)} is not in the source`)
  const count = (tokens: TaggedToken[], type: 'open' | 'self', n: number) => tokens.filter((t) => t.type === type && t.n === n).length
  for (const n of expected.paired) {
    if (actual.paired.includes(n) && count(actual.tokens, 'open', n) !== count(expected.tokens, 'open', n)) problems.push(`${name(n, true)} is not used as often as in the source`)
  }
  for (const n of expected.selfClosing) {
    if (actual.selfClosing.includes(n) && count(actual.tokens, 'self', n) !== count(expected.tokens, 'self', n)) problems.push(`${name(n, false)} is not used as often as in the source`)
  }
  return problems
}
