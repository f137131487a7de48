// Text helpers shared by the checks: the inline-tag tokenizer, plain text,
// locale language, and the space characters French typography uses.
//
// `tokenizeTags` is QA's own small tokenizer for the segment tag syntax. The
// segment stage will export a tag parser too; the lead will unify them.

export interface TagToken {
  /** `open` `<1>`, `close` `</1>`, `self` `<2/>`, or `stray`: a `<` that is not a valid tag. */
  kind: 'open' | 'close' | 'self' | 'stray'
  /** Tag number as written (`'1'`); empty for stray markup. */
  id: string
  start: number
  end: number
  raw: string
}

const tagPattern = /<(\/?)(\d+)(\/?)>|<[^<>\n]{0,40}>?/g

/**
 * Every `<…>` in segment text, in order. Literal `<` is escaped as `&lt;` in
 * segment text, so any other `<` (an engine's `<b>`, a broken `</1/>`) is
 * stray markup.
 */
export function tokenizeTags(text: string): TagToken[] {
  const tokens: TagToken[] = []
  for (const match of text.matchAll(tagPattern)) {
    const raw = match[0]
    const start = match.index
    const end = start + raw.length
    const [, closing, id, selfClosing] = match
    if (id === undefined || (closing && selfClosing)) {
      tokens.push({kind: 'stray', id: '', start, end, raw})
    } else {
      tokens.push({kind: closing ? 'close' : selfClosing ? 'self' : 'open', id, start, end, raw})
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

/** Horizontal spaces: regular, no-break, narrow no-break, thin, figure, punctuation… */
export const spaceChars = ' \t\u00A0\u2000-\u200A\u202F\u205F\u3000'
export const spaceClass = `[${spaceChars}]`

/** Languages that put a (narrow) no-break space before `: ; ! ?` and inside `« »`. */
export function spacesBeforeHighPunctuation(language: string): boolean {
  return language === 'fr'
}

const spaceRun = new RegExp(`${spaceClass}+`, 'g')

/** Collapse every run of spaces (of any kind) to one regular space. */
export function normaliseSpaces(text: string): string {
  return text.replace(spaceRun, ' ')
}

/** A string shortened for a one-line message. */
export function excerpt(text: string, max = 40): string {
  const clean = normaliseSpaces(text).trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}
