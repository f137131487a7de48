// Term recognition: every source term of the termbase goes into one token
// trie, built once per language pair; a segment is tokenised once and walked
// from each token. Do-not-translate patterns run first and block their spans.
// Among overlapping candidates the longest wins, then the earliest.
import type {Locale, TermHit} from '../types.ts'
import {compilePatterns, findPatternSpans} from './patterns.ts'
import {rankTargets} from './rank.ts'
import {isAllCapitals, tokenize, type Token} from './tokenize.ts'
import type {Concept, Gender, GrammaticalNumber, Term, Termbase} from './types.ts'

export interface MatcherOptions {
  /** Language of the text to match (the termbase's source terms). */
  source: Locale
  /**
   * Language of the translation. Hits then carry `expected`/`forbidden` target
   * terms, and concepts with no term at all in this language give no hit (they
   * still win their span against shorter terms). Without a target, every hit is
   * returned with empty lists (usage reports).
   */
  target?: Locale
}

export interface Matcher {
  readonly source: Locale
  readonly target: Locale | undefined
  /** Hits in text order, never overlapping; offsets are UTF-16 indices into `text`. */
  match(text: string): TermHit[]
}

interface Candidate {
  concept: string
  dnt: boolean
  /** False when the target language has no term for the concept. */
  emit: boolean
  expected: readonly string[]
  forbidden: readonly string[]
  deprecated: readonly string[]
  /** Grammar of `expected[0]` (for article agreement after restoration). */
  gender: Gender | undefined
  number: GrammaticalNumber | undefined
  caseSensitive: boolean
  /** Unfolded keys, to prefer `États Membres` over `État Membre` when both are listed. */
  surface: string
  rank: number
}

interface TrieNode {
  /** Made on first child: most nodes of a large termbase are leaves, and 100,000 empty maps cost a second of GC. */
  children: Map<string, TrieNode> | undefined
  candidates: Candidate[]
}

interface Found {
  /** First and last token index. */
  first: number
  last: number
  start: number
  end: number
  candidate: Candidate
  exact: boolean
}

const statusOrder = {preferred: 0, admitted: 1, deprecated: 2, forbidden: 3} as const

export function compileMatcher(termbase: Termbase, options: MatcherOptions): Matcher {
  const {source, target} = options
  const patterns = compilePatterns(termbase.patterns)
  const root = newNode()
  let order = 0
  for (const concept of termbase.concepts) {
    if (concept.retired) continue
    for (const term of termsFor(concept, source) ?? []) {
      const keys = termKeys(term, source)
      if (!keys) continue
      let node = root
      for (const key of keys.path) {
        node.children ??= new Map()
        let child = node.children.get(key)
        if (!child) node.children.set(key, (child = newNode()))
        node = child
      }
      node.candidates.push(candidateFor(concept, term, keys.surface, target, order++))
    }
  }

  return {
    source,
    target,
    match(text) {
      const spans = findPatternSpans(text, patterns)
      const tokens = tokenize(text, source, spans.map((span) => [span.start, span.end] as const))
      const hits: TermHit[] = spans.map((span) => ({
        concept: span.id,
        kind: 'pattern',
        start: span.start,
        end: span.end,
        text: text.slice(span.start, span.end),
        dnt: true,
        expected: [],
        forbidden: []
      }))
      for (const found of selectLongest(findAll(root, tokens), tokens.length)) {
        if (!found.candidate.emit) continue
        const {candidate} = found
        hits.push({
          concept: candidate.concept,
          kind: 'term',
          start: found.start,
          end: found.end,
          text: text.slice(found.start, found.end),
          dnt: candidate.dnt,
          expected: [...candidate.expected],
          forbidden: [...candidate.forbidden],
          ...(candidate.deprecated.length > 0 ? {deprecated: [...candidate.deprecated]} : {}),
          ...(candidate.gender ? {targetGender: candidate.gender} : {}),
          ...(candidate.number ? {targetNumber: candidate.number} : {}),
          ...(candidate.caseSensitive ? {targetCaseSensitive: true} : {})
        })
      }
      return hits.sort((a, b) => a.start - b.start)
    }
  }
}

/** A concept's terms for a locale, falling back from a regional tag (`en-GB`) to its language (`en`). */
function termsFor(concept: Concept, locale: Locale): Term[] | undefined {
  return concept.terms[locale] ?? concept.terms[locale.split('-', 1)[0] ?? locale]
}

function newNode(): TrieNode {
  return {children: undefined, candidates: []}
}

/**
 * Trie path of a term: one key per token, `C`ased or `I`nsensitive, prefixed
 * with the gap before it (` ` for spaces, hyphens, apostrophes, commas; `|`
 * for other punctuation, which the text must have at the same place).
 */
export function termKeys(term: Term, locale: Locale): {path: string[]; surface: string} | undefined {
  const tokens = tokenize(term.text, locale)
  if (tokens.length === 0 || tokens.some((token, index) => index > 0 && token.gap === 'block')) return undefined
  const caseSensitive = term.caseSensitive ?? isAllCapitals(term.text)
  return {
    path: tokens.map((token, index) => gapKey(token, index) + (caseSensitive ? `C${token.cased}` : `I${token.folded}`)),
    surface: tokens.map((token) => token.surface).join(' ')
  }
}

function gapKey(token: Token, index: number): string {
  if (index === 0) return ''
  return token.gap === 'hard' ? '|' : ' '
}

function candidateFor(concept: Concept, term: Term, surface: string, target: Locale | undefined, order: number): Candidate {
  const dnt = concept.dnt === true
  const targets = target === undefined || dnt ? undefined : termsFor(concept, target)
  const ranked = targets ? rankTargets(term, targets) : {expected: [], forbidden: [], deprecated: []}
  return {
    concept: concept.id,
    dnt,
    emit: target === undefined || dnt || (targets !== undefined && targets.length > 0),
    expected: ranked.expected,
    forbidden: ranked.forbidden,
    deprecated: ranked.deprecated,
    gender: ranked.gender,
    number: ranked.number,
    caseSensitive: ranked.caseSensitive === true,
    surface,
    rank: statusOrder[term.status] * 1e6 + order
  }
}

/** Every (start token, end token) pair that spells a term, with its best candidate. */
function findAll(root: TrieNode, tokens: readonly Token[]): Found[] {
  const found: Found[] = []
  const walk = (node: TrieNode, first: number, index: number): void => {
    const token = tokens[index]
    if (!token) return
    if (index > first && token.gap === 'block') return
    if (!node.children) return
    const prefix = gapKey(token, index - first)
    for (const key of [`${prefix}C${token.cased}`, `${prefix}I${token.folded}`]) {
      const child = node.children!.get(key)
      if (!child) continue
      const next = tokens[index + 1]
      // A match may not stop inside a hyphenated compound (`ONU` in `ONU-Femmes`).
      if (child.candidates.length > 0 && next?.gap !== 'hyphen') {
        const surface = tokens
          .slice(first, index + 1)
          .map((t) => t.surface)
          .join(' ')
        const candidate = best(child.candidates, surface)
        found.push({first, last: index, start: tokens[first]!.start, end: token.end, candidate, exact: candidate.surface === surface})
      }
      walk(child, first, index + 1)
    }
  }
  tokens.forEach((token, index) => {
    // …nor start inside one.
    if (token.gap !== 'hyphen') walk(root, index, index)
  })
  return found
}

function best(candidates: readonly Candidate[], surface: string): Candidate {
  let chosen = candidates[0]!
  for (const candidate of candidates) {
    const exactness = Number(candidate.surface !== surface) - Number(chosen.surface !== surface)
    if (exactness < 0 || (exactness === 0 && candidate.rank < chosen.rank)) chosen = candidate
  }
  return chosen
}

/** Longest first (then earliest, then exact spelling), skipping anything that overlaps a chosen match. */
function selectLongest(found: Found[], tokenCount: number): Found[] {
  const ordered = [...found].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || Number(b.exact) - Number(a.exact) || a.candidate.rank - b.candidate.rank
  )
  const taken = new Uint8Array(tokenCount)
  const chosen: Found[] = []
  for (const candidate of ordered) {
    if (taken.subarray(candidate.first, candidate.last + 1).includes(1)) continue
    taken.fill(1, candidate.first, candidate.last + 1)
    chosen.push(candidate)
  }
  return chosen
}
