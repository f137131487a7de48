// Line-level reading of scraped text. The scraper writes one block per line
// (a paragraph, a `- ` list item, a heading) and no blank lines, so lines are
// the unit everything else works on.

/** Trimmed, non-empty lines, with runs of spaces and tabs collapsed (no-break spaces are kept). */
export function toLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
}

/** A lone `-`: the scraper's separator between lists and after tab labels. */
export function isSeparator(line: string): boolean {
  return line === '-'
}

/** The text of a `- ` list line, or undefined. */
export function listItemText(line: string): string | undefined {
  return line.startsWith('- ') ? line.slice(2).trim() : undefined
}

const headingMaxLength = 80
// Closing quotes and brackets are looked through: `… fin. »` ends a sentence.
const trailingClosers = /[\s»"”’)\]]+$/u
const sentenceFinal = /[.!?:;,…]$/u
const sentenceBreak = /[.!?…]\s/u
const linkLike = /@|:\/\/|\bwww\./iu

/**
 * A `Label : value` line whose value is a number, phone, date or address,
 * e.g. `Date d’établissement : 2006`, `Télécopie : + 1-212-963-2147`,
 * `Courriel : x@un.org`. Only such values count, so that titles such as
 * `Migration : les villes en première ligne` are not taken for fields.
 */
export function isFieldLine(line: string): boolean {
  const match = /^([^:]{1,60}?)\s?:\s+(\S.*)$/u.exec(line)
  if (!match || line.length > headingMaxLength) return false
  const value = match[2] ?? ''
  return /^[+\d][\d\s\-–/.,+()]*$/u.test(value) || /^\S+@\S+$|^\S+:\/\/\S+$/u.test(value)
}

/**
 * A line of running text: longer than a heading, or ending a sentence (a
 * lead-in ending in `:` included). Short lines that are neither this nor
 * heading-like (`Rm. DC2-1950`, a field line, a line with an e-mail) are
 * address or contact lines.
 */
export function isSentenceLine(line: string): boolean {
  return line.length > headingMaxLength || /[.!?:;…]$/u.test(line.replace(trailingClosers, ''))
}

/**
 * Could this line be a heading? Short (≤ 80 characters), with a letter, no
 * sentence-final punctuation (`. ! ? : ; , …`), no sentence break inside
 * (`Rm. DC2`), no e-mail or URL, and not a field line. Whether it *is* a
 * heading depends on what follows it (see `blocks.ts`).
 */
export function isHeadingLike(line: string): boolean {
  if (line.length > headingMaxLength || !/\p{L}/u.test(line)) return false
  const end = line.replace(trailingClosers, '')
  return !sentenceFinal.test(end) && !sentenceBreak.test(line) && !linkLike.test(line) && !isFieldLine(line)
}
