// Tokens for term matching, with three keys per word so that one trie can
// serve case-sensitive acronyms and case-/accent-/plural-insensitive names.
// The same function tokenises glossary terms and segment text (source or
// target), which is what makes the two comparable.
import type {Locale} from '../types.ts'

/**
 * What separates a token from the one before it:
 * - `soft`: spaces, apostrophes (elision: `l’OIM` is `l` + `OIM`), commas;
 * - `hyphen`: a bare hyphen joining a compound (`ONU-Habitat`); inside a term it
 *   counts as `soft` (hyphen/space variants match), but a match may not cut a
 *   compound (no `ONU` inside `ONU-Femmes`);
 * - `hard`: other punctuation, which a term must have at the same place;
 * - `block`: an inline tag or a do-not-translate span — never inside a match.
 * Character references count as the character they stand for (`M&amp;D` is
 * `M` + `&` + `D`; `&nbsp;` is a space); nothing inside them is ever a word.
 */
export type Gap = 'soft' | 'hyphen' | 'hard' | 'block'

export interface Token {
  /** UTF-16 offsets into the original text. */
  start: number
  end: number
  gap: Gap
  /** Accents stripped, case kept, acronym plural dropped (`SDGs` → `SDG`). */
  cased: string
  /** Accents stripped, lower case, no plural folding. */
  surface: string
  /** `surface` with the locale's plural folding (`migrations` → `migration`). */
  folded: string
}

// Numbered inline tags and character references are units of their own, so
// that nothing inside them ever becomes a word.
const unitPattern = /<\/?\d+\/?>|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);|[\p{L}\p{M}\p{N}]+/gu
const references = /&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);/g
const namedReferences = new Map(Object.entries({amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' '}))
const softCharacters = /[\s'’ʼ`´,]/gu
const bareHyphen = /^[-‐‑]$/u

/** Spans (`[start, end)`) that no token may overlap, such as do-not-translate hits. */
export type BlockedSpan = readonly [number, number]

export function tokenize(text: string, locale: Locale, blocked: readonly BlockedSpan[] = []): Token[] {
  const tokens: Token[] = []
  const spans = [...blocked].sort((a, b) => a[0] - b[0])
  let spanIndex = 0
  let gapStart = 0
  let pendingBlock = false
  const fold = pluralFolder(locale)
  for (const match of text.matchAll(unitPattern)) {
    const value = match[0]
    const start = match.index
    const end = start + value.length
    while (spanIndex < spans.length && spans[spanIndex]![1] <= start) {
      // A span that ends inside the gap before this word separates it from the previous one.
      if (spans[spanIndex]![1] > gapStart) pendingBlock = true
      spanIndex++
    }
    const span = spans[spanIndex]
    if (span && span[0] < end) {
      // The word overlaps a blocked span: it is not ours to match.
      pendingBlock = true
      gapStart = Math.max(end, span[1])
      continue
    }
    if (value.charCodeAt(0) === 60 /* < */) {
      pendingBlock = true
      continue
    }
    if (value.charCodeAt(0) === 38 /* & */) continue
    const gap: Gap = pendingBlock ? 'block' : classifyGap(text.slice(gapStart, start))
    pendingBlock = false
    gapStart = end
    const cased = casedKey(value)
    const surface = cased.toLowerCase()
    tokens.push({start, end, gap, cased, surface, folded: fold(surface)})
  }
  return tokens
}

function classifyGap(raw: string): Gap {
  const gap = raw.includes('&') ? raw.replace(references, decodeReference) : raw
  if (bareHyphen.test(gap)) return 'hyphen'
  return gap.replace(softCharacters, '') === '' ? 'soft' : 'hard'
}

function decodeReference(reference: string): string {
  const body = reference.slice(1, -1)
  if (body.startsWith('#')) {
    const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd'
  }
  return namedReferences.get(body) ?? '\ufffd'
}

/** Accents and ligatures removed, case kept; `SDGs`, `NGOs` lose the plural `s`. */
export function casedKey(word: string): string {
  const plain = /[^\x00-\x7f]/.test(word) ? stripMarks(word) : word
  return /^[A-Z0-9]*[A-Z][A-Z0-9]*s$/.test(plain) && plain.length > 2 ? plain.slice(0, -1) : plain
}

function stripMarks(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .replace(/ß/g, 'ss')
}

/**
 * Fold singular and plural to one key. Both sides of every comparison go
 * through the same function, so a rule only has to avoid merging words that
 * must stay apart, not to produce real lemmas.
 */
export function foldPlural(word: string, locale: Locale): string {
  return pluralFolder(locale)(word)
}

function pluralFolder(locale: Locale): (word: string) => string {
  const fold = folders.get(primary(locale)) ?? foldFinalS
  return (word) => (word.length <= 3 || /^\d+$/.test(word) ? word : fold(word))
}

const foldFinalS = (word: string): string => (/[^s]s$/.test(word) ? word.slice(0, -1) : word)

const folders = new Map<string, (word: string) => string>(Object.entries({
  fr(word: string) {
    // internationaux → international, bureaux → bureau, migrations → migration
    if (word.endsWith('eaux')) return word.slice(0, -1)
    if (word.endsWith('aux')) return word.slice(0, -3) + 'al'
    if (/[^s][sx]$/.test(word)) return word.slice(0, -1)
    return word
  },
  en(word: string) {
    if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y'
    if (/(?:ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2)
    if (/(?:ss|us|is)$/.test(word)) return word
    return word.endsWith('s') ? word.slice(0, -1) : word
  },
  es(word: string) {
    // naciones/nación, sostenibles/sostenible, miembros/miembro, veces/vez
    let stem = /[^s]s$/.test(word) ? word.slice(0, -1) : word
    if (stem.endsWith('e') && stem.length > 3) stem = stem.slice(0, -1)
    return stem.endsWith('z') ? stem.slice(0, -1) + 'c' : stem
  },
  ca(word: string) {
    // nacions/nació, unides/unida, objectius/objectiu, estats/estat
    if (word.endsWith('ons')) return word.slice(0, -2)
    let stem = /[^s]s$/.test(word) ? word.slice(0, -1) : word
    if (/[ae]$/.test(stem) && stem.length > 3) stem = stem.slice(0, -1)
    return stem
  }
}))

function primary(locale: Locale): string {
  return locale.toLowerCase().split(/[-_]/)[0] ?? ''
}

/**
 * All-capital terms (`ODD`, `OIM`, `UN DESA`, `SDGs`) match case-sensitively,
 * so that ordinary words (`un`, `odd`) never count as acronyms.
 */
export function isAllCapitals(text: string): boolean {
  // Most terms are lower case: no capital, no acronym (and no regex work per term at 50,000 concepts).
  if (text === text.toLowerCase()) return false
  const letters = (text.match(/[\p{L}\p{M}]+/gu) ?? []).map(casedKey).join('')
  return (letters.match(/\p{Lu}/gu)?.length ?? 0) >= 2 && !/\p{Ll}/u.test(letters)
}
