// Text helpers shared by the checks: the inline-tag tokenizer, plain text,
// locale language, and the space characters French typography uses.
//
// `tokenizeTags` reads tags with the segment stage's tokenizer (one grammar
// for the whole pipeline) and adds what QA needs on top: stray markup.
import {tokenizeTagged} from '../segment/index.ts'

export interface TagToken {
  /** `open` `<1>`, `close` `</1>`, `self` `<2/>`, or `stray`: a `<` that is not a valid tag. */
  kind: 'open' | 'close' | 'self' | 'stray'
  /** Tag number as written (`'1'`); empty for stray markup. */
  id: string
  start: number
  end: number
  raw: string
}

const strayPattern = /<[^<>\n]{0,40}>?/g

/**
 * Every `<…>` in segment text, in order. Literal `<` is escaped as `&lt;` in
 * segment text, so any `<` that the segment tokenizer does not read as a
 * numbered tag (an engine's `<b>`, a broken `</1/>`) is stray markup.
 */
export function tokenizeTags(text: string): TagToken[] {
  const tokens: TagToken[] = []
  for (const token of tokenizeTagged(text)) {
    if (token.type !== 'text') {
      tokens.push({kind: token.type, id: String(token.n), start: token.start, end: token.end, raw: text.slice(token.start, token.end)})
      continue
    }
    for (const match of token.value.matchAll(strayPattern)) {
      const start = token.start + match.index
      tokens.push({kind: 'stray', id: '', start, end: start + match[0].length, raw: match[0]})
    }
  }
  return tokens
}

/** How a tag is shown in messages: `<1>…</1>` for paired tags, `<2/>` for self-closing ones. */
export function showTag(id: string, kind: TagToken['kind']): string {
  if (kind === 'self') return `<${id}/>`
  if (kind === 'open') return `<${id}>`
  if (kind === 'close') return `</${id}>`
  return id
}

/** Decode the entities segment text uses (`&lt;`, `&gt;`, `&amp;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_, name: string) => (name === 'lt' ? '<' : name === 'gt' ? '>' : '&'))
}

/**
 * Segment text without its valid tags, entities decoded. `separator` replaces
 * each tag: `''` joins the words a tag splits (`<1>Genè</1>ve`); the number
 * check passes an invisible separator so that tags never glue two numbers.
 */
export function plainText(text: string, tokens: readonly TagToken[] = tokenizeTags(text), separator = ''): string {
  let out = ''
  let cursor = 0
  for (const token of tokens) {
    if (token.kind === 'stray') continue
    out += decodeEntities(text.slice(cursor, token.start)) + separator
    cursor = token.end
  }
  return out + decodeEntities(text.slice(cursor))
}

/** Primary language subtag, lower case: `fr` for `fr-CA`. */
export function languageOf(locale: string): string {
  return (locale.split(/[-_]/)[0] ?? locale).toLowerCase()
}

/** How many characters (code points, as `[...text].length` counts them) a text has, without an array of them. */
export function codePoints(text: string): number {
  let count = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    // A surrogate pair is one character; a lone surrogate counts alone.
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) index++
    }
    count++
  }
  return count
}

/** Horizontal spaces: regular, no-break, narrow no-break, thin, figure, punctuation… */
export const spaceChars = ' \t\u00A0\u2000-\u200A\u202F\u205F\u3000'
export const spaceClass = `[${spaceChars}]`

/** Languages that put a (narrow) no-break space before `: ; ! ?` and inside `« »`. */
export function spacesBeforeHighPunctuation(language: string): boolean {
  return language === 'fr'
}

const spaceRun = new RegExp(`${spaceClass}+`, 'g')
// A space other than a single regular one: without any, collapsing would give the same text back.
const otherSpace = new RegExp(`[${spaceChars.replace(' ', '')}]| {2}`)

/** Collapse every run of spaces (of any kind) to one regular space. */
export function normaliseSpaces(text: string): string {
  return otherSpace.test(text) ? text.replace(spaceRun, ' ') : text
}

/** A string shortened for a one-line message. */
export function excerpt(text: string, max = 40): string {
  const clean = normaliseSpaces(text).trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}
