// Tagged text → mdast phrasing nodes, through @formatjs/intl rich-text
// formatting. `<1>…</1>` becomes the ICU tag `<t1>…</t1>` (ICU tag names
// start with a letter) whose value clones the source node around the
// translated children; `<2/>` becomes the argument `{t2}` whose value is the
// source node. Text is ICU-escaped (`escapeIcu`).
import {createFormatters, createIntlCache} from '@formatjs/intl'
import type {PhrasingContent} from 'mdast'
import {PasserelleError} from '../errors.ts'
import {unescapeText} from './escape.ts'
import {parseTags} from './tags.ts'
import type {TagBindings} from './types.ts'

type Chunk = string | PhrasingContent

/**
 * Renders tagged text with the inline nodes of its source segment. Throws
 * `PasserelleError('E_INPUT')` when the text is malformed or uses a tag the
 * source does not have (or uses a paired tag as self-closing, or the
 * reverse), so the caller can fall back to the source. Omitted tags and a
 * paired tag used twice are fine.
 */
export function renderTagged(text: string, tags: Readonly<TagBindings>): PhrasingContent[] {
  const parsed = parseTags(text)
  for (const n of parsed.paired) expectTag(tags, n, 'paired', text)
  for (const n of parsed.selfClosing) expectTag(tags, n, 'selfClosing', text)
  // Most sentences have no inline markup: their text is the message's only
  // literal, which formatting would give back unchanged (and setting up a
  // formatter per sentence was a third of the build's time).
  if (parsed.paired.length === 0 && parsed.selfClosing.length === 0) {
    const plain = parsed.tokens.map((token) => (token.type === 'text' ? unescapeText(token.value) : '')).join('')
    return plain === '' ? [] : [{type: 'text', value: plain}]
  }

  let message = ''
  for (const token of parsed.tokens) {
    if (token.type === 'text') message += escapeIcu(unescapeText(token.value))
    else if (token.type === 'open') message += `<t${token.n}>`
    else if (token.type === 'close') message += `</t${token.n}>`
    else message += `{t${token.n}}`
  }

  const values: Record<string, PhrasingContent | ((chunks: Chunk[]) => PhrasingContent)> = {}
  for (const n of parsed.paired) {
    const {node} = tags[n]!
    values[`t${n}`] = (chunks) => withChildren(node, toPhrasing(chunks))
  }
  for (const n of parsed.selfClosing) values[`t${n}`] = tags[n]!.node

  let formatted: unknown
  try {
    // A fresh cache per call: segment texts are unique, memoising them would only grow memory.
    const format = createFormatters(createIntlCache()).getMessageFormat(message, 'fr')
    formatted = format.format<PhrasingContent>(values)
  } catch (error) {
    throw new PasserelleError('E_INPUT', `cannot format tagged text "${text}": ${String(error)}`, {cause: error})
  }
  return toPhrasing(Array.isArray(formatted) ? (formatted as Chunk[]) : [formatted as Chunk])
}

/**
 * ICU MessageFormat literal for plain text: `'` is doubled; a run starting
 * with `{ } < >` is quoted (`'{x}'`), apostrophes inside it doubled too. The
 * run takes in the apostrophes that follow it, because a `''` right after a
 * closing quote would read as an apostrophe inside the quoted run.
 */
export function escapeIcu(text: string): string {
  return text.replace(/[{}<>][{}<>']*|'/g, (run) => (run === "'" ? "''" : `'${run.replace(/'/g, "''")}'`))
}

function expectTag(tags: Readonly<TagBindings>, n: number, kind: 'paired' | 'selfClosing', text: string): void {
  const binding = tags[n]
  const written = kind === 'paired' ? `<${n}>…</${n}>` : `<${n}/>`
  if (!binding) {
    throw new PasserelleError('E_INPUT', `tag ${written} does not exist in the source segment ("${text}")`, {
      hint: 'use only the tag numbers of the source'
    })
  }
  if (binding.kind !== kind) {
    const expected = binding.kind === 'paired' ? `<${n}>…</${n}>` : `<${n}/>`
    throw new PasserelleError('E_INPUT', `tag ${n} is ${expected} in the source, not ${written} ("${text}")`, {
      hint: 'keep each tag in the form it has in the source'
    })
  }
}

/** Strings become text nodes (adjacent ones merged); nodes are copied so no two trees share one. */
function toPhrasing(chunks: readonly Chunk[]): PhrasingContent[] {
  const out: PhrasingContent[] = []
  for (const chunk of chunks) {
    if (typeof chunk === 'string') {
      if (chunk === '') continue
      const last = out.at(-1)
      if (last?.type === 'text') last.value += chunk
      else out.push({type: 'text', value: chunk})
    } else {
      const copy = structuredClone(chunk)
      const last = out.at(-1)
      if (copy.type === 'text' && last?.type === 'text') last.value += copy.value
      else out.push(copy)
    }
  }
  return out
}

function withChildren(node: PhrasingContent, children: PhrasingContent[]): PhrasingContent {
  const {children: _source, ...rest} = node as PhrasingContent & {children?: unknown}
  return {...structuredClone(rest), children} as PhrasingContent
}
