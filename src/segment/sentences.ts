// French sentence splitting on tagged text. ICU's sentence segmenter finds
// candidate boundaries on the plain text (tags removed, entities decoded,
// self-closing tags as U+FFFC); French rules then drop or move them
// (abbreviations, initials, lower-case continuations, closing guillemets,
// URLs, e-mail addresses, UN document symbols); finally a boundary inside an
// open paired tag is dropped, so every sentence has balanced tags.
import {beforeNumber, internal, sentenceStarters, titles} from './abbreviations.ts'
import {unescapeWithOffsets} from './escape.ts'
import {tokenizeTagged} from './tags.ts'
import type {TaggedToken} from './tags.ts'

/** `[start, end)` offsets of one sentence in the tagged text, surrounding whitespace excluded. */
export interface SentenceSpan {
  start: number
  end: number
}

const segmenter = new Intl.Segmenter('fr', {granularity: 'sentence'})
const objectReplacement = '\uFFFC'

/** The sentences of a tagged text, without the whitespace between them. */
export function splitSentences(text: string): string[] {
  return sentenceSpans(text).map((span) => text.slice(span.start, span.end))
}

/**
 * Where the sentences of a tagged text are. What lies between spans is
 * whitespace only, so `text` is exactly spans plus gaps.
 */
export function sentenceSpans(text: string): SentenceSpan[] {
  const projection = project(text)
  const cuts = [0]
  for (const boundary of findBoundaries(projection.plain)) {
    const cut = toTaggedOffset(projection, boundary)
    if (projection.depthAt(cut) === 0 && cut > (cuts.at(-1) ?? 0)) cuts.push(cut)
  }
  cuts.push(text.length)

  const spans: SentenceSpan[] = []
  for (let i = 0; i + 1 < cuts.length; i++) {
    const piece = text.slice(cuts[i], cuts[i + 1])
    const leading = piece.length - piece.trimStart().length
    const trailing = piece.length - piece.trimEnd().length
    if (leading === piece.length) continue
    spans.push({start: (cuts[i] ?? 0) + leading, end: (cuts[i + 1] ?? 0) - trailing})
  }
  return spans
}

interface Projection {
  /** Decoded text without tags; self-closing tags are U+FFFC, line breaks are spaces. */
  plain: string
  /** Per plain UTF-16 unit, where it ends in the tagged text. */
  ends: number[]
  /** Closing tags by start offset, to keep them with the sentence they close. */
  closeAt: Map<number, TaggedToken>
  depthAt(offset: number): number
}

function project(text: string): Projection {
  const tokens = tokenizeTagged(text)
  let plain = ''
  const ends: number[] = []
  const closeAt = new Map<number, TaggedToken>()
  // Tag depth changes at tag ends; the depth at an offset is the last change at or before it.
  const depthChanges: Array<[offset: number, depth: number]> = []
  let depth = 0
  for (const token of tokens) {
    if (token.type === 'text') {
      const decoded = unescapeWithOffsets(token.value, token.start)
      // Soft line breaks inside a Markdown paragraph are not paragraph ends: ICU must not see them.
      plain += decoded.value.replace(/[\n\r\t\v\f\u2028\u2029]/g, ' ')
      // A loop, not `push(...spread)`: spreading a 125,000-character text's offsets overflows the call stack.
      for (const end of decoded.ends) ends.push(end)
    } else if (token.type === 'self') {
      plain += objectReplacement
      ends.push(token.end)
    } else {
      if (token.type === 'close') closeAt.set(token.start, token)
      depth = token.type === 'open' ? depth + 1 : Math.max(0, depth - 1)
      depthChanges.push([token.end, depth])
    }
  }
  return {
    plain,
    ends,
    closeAt,
    depthAt(offset) {
      // Binary search: a paragraph can hold thousands of tags and sentences.
      let low = 0
      let high = depthChanges.length
      while (low < high) {
        const middle = (low + high) >>> 1
        if (depthChanges[middle]![0] <= offset) low = middle + 1
        else high = middle
      }
      return low === 0 ? 0 : depthChanges[low - 1]![1]
    }
  }
}

/** A boundary before plain unit `boundary` falls after the previous unit and after any closing tags there. */
function toTaggedOffset(projection: Projection, boundary: number): number {
  let cut = projection.ends[boundary - 1] ?? 0
  for (let close = projection.closeAt.get(cut); close; close = projection.closeAt.get(cut)) cut = close.end
  return cut
}

/** Offsets in `plain` where a new sentence starts (after the whitespace that separates it). */
function findBoundaries(plain: string): number[] {
  const candidates = new Set<number>()
  for (const index of icuBoundaries(plain)) candidates.add(index)
  // ICU does not end sentences at `…`; French does when a capital follows (but not `[…]`, `(…)`).
  for (const match of plain.matchAll(/(?<![[(])…[»”)\]]*[\s\u00a0\u202f]+(?=[«“"([]?[\s\u00a0\u202f]*\p{Lu})/gu)) {
    candidates.add(match.index + match[0].length)
  }
  // Positions strictly inside a protected span, marked once: each candidate is then checked in constant time.
  const shielded = new Uint8Array(plain.length + 1)
  for (const [start, end] of protectedSpans(plain)) shielded.fill(1, start + 1, end)
  const boundaries = new Set<number>()
  for (const candidate of [...candidates].sort((a, b) => a - b)) {
    const boundary = skipClosers(plain, candidate)
    if (boundary >= plain.length) continue
    if (shielded[boundary] === 1) continue
    // The rules look at a few words either side: a bounded window keeps long paragraphs linear.
    const before = plain.slice(Math.max(0, boundary - contextWindow), boundary).trimEnd()
    if (continuesSentence(before, plain.slice(boundary, boundary + contextWindow))) continue
    boundaries.add(boundary)
  }
  return [...boundaries]
}

/**
 * ICU's sentence boundaries, asked window by window: V8's segmenter slows
 * down far faster than the text grows (80,000 characters: 1 s; 160,000: 66 s).
 * Each window after the first starts at a boundary ICU found in the previous
 * one, where ICU would start afresh anyway; the last `margin` characters of a
 * window are only context, their boundaries come from the next window.
 */
function* icuBoundaries(plain: string, size = 8192, margin = 512): Generator<number> {
  let start = 0
  while (start < plain.length) {
    const end = Math.min(plain.length, start + size)
    const last = end === plain.length ? end : end - margin
    let next = last
    for (const {index} of segmenter.segment(plain.slice(start, end))) {
      const at = start + index
      if (index === 0 || at >= last) continue
      yield at
      next = at
    }
    // No boundary in the window: one sentence longer than it; go on without a boundary at the seam.
    start = next > start ? next : last
    if (end === plain.length) break
  }
}

/**
 * ICU puts a French closing guillemet after a space (`Fin. »`) at the start
 * of the next sentence; it belongs to the one it closes.
 */
function skipClosers(plain: string, boundary: number): number {
  closers.lastIndex = boundary
  const match = closers.exec(plain)
  return match ? boundary + match[0].length : boundary
}

const closers = /[»”)\]]+[\s\u00a0\u202f]*/uy
const contextWindow = 256

function continuesSentence(before: string, after: string): boolean {
  // ICU ends a sentence at `... )` in `(Tom, Lisa, ... ).`: the full stop that follows is that sentence's, never one of its own.
  if (/^[\s\u00a0\u202f]*[.!?…,;:]/u.test(after)) return true
  const next = /^[«“"'‘([\s\u00a0\u202f\uFFFC]*([\p{L}\p{N}])/u.exec(after)?.[1] ?? ''
  // `« Où vas-tu ? » demanda-t-il`, `etc. et`: a lower-case word continues the sentence.
  if (/\p{Ll}/u.test(next)) return true
  // Elided quotation: `[…] Les`, `(...) Le`.
  if (/[[(](?:…|\.\.\.)[)\]]$/u.test(before)) return true
  const token = /(\S+)\.$/u.exec(before)?.[1]?.replace(/^[«“"'‘([]+/u, '')
  if (token === undefined) return false
  if (titles.has(token)) return true
  const lower = token.toLowerCase()
  if (internal.has(lower)) return true
  if (beforeNumber.has(lower) && /^[«“"([\s\u00a0\u202f]*(?:\p{N}|[IVXLCDM]+(?!\p{L}))/u.test(after)) return true
  if (/^\p{Lu}(?:\.-?\p{Lu})*$/u.test(token)) {
    // An initial (`J.`, `J.-P.`) unless what follows reads like a new sentence.
    const word = /^[«“"([\s\u00a0\u202f]*(\p{L}+['’]?)/u.exec(after)?.[1]
    return word !== undefined && !sentenceStarters.has(word.toLowerCase().replace('’', "'"))
  }
  return false
}

/**
 * URLs, e-mail addresses and UN document symbols, each with a literal that
 * any match contains: a paragraph without it is not searched (the e-mail
 * pattern alone would otherwise try every word of every paragraph).
 */
const protectedPatterns: ReadonlyArray<{needs: RegExp; pattern: RegExp}> = [
  {needs: /:\/\/|www\./i, pattern: /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>«»"“”]+/giu},
  {needs: /@/, pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu},
  {needs: /\//, pattern: /\b[A-Z]{1,6}(?:\/[A-Z0-9][A-Za-z0-9.()-]*)+/gu}
]

/** URLs, e-mail addresses and UN document symbols: never split inside them. */
function protectedSpans(plain: string): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  for (const {needs, pattern} of protectedPatterns) {
    if (!needs.test(plain)) continue
    for (const match of plain.matchAll(pattern)) {
      const value = match[0].replace(/[.,;:!?)\]»’'"]+$/u, '')
      spans.push([match.index, match.index + value.length])
    }
  }
  return spans
}
