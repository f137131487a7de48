// Typographic conventions of the target locale, for machine output only.
// Apertium (and the placeholders it passes through) keeps French typography:
// « guillemets » with inner spaces, a space before `: ; ? !`, `6 500` and
// `3,2`, `M. Dupont`. Each rule is a pure text → text function; the caller
// decides which ones are on for a locale.
import {numbers as numbersCheck} from '../qa/checks/numbers.ts'
import {extractNumbers} from '../qa/numbers.ts'
import {createContext} from '../qa/run-checks.ts'
import {languageOf, spaceChars} from '../qa/text.ts'
import type {QaInput} from '../qa/types.ts'
import type {Locale, TermHit} from '../types.ts'

export const conventionNames = ['quotes', 'spacing', 'numbers', 'honorifics'] as const
export type ConventionName = (typeof conventionNames)[number]

export interface ConventionInput {
  source: string
  sourceLocale: Locale
  target: string
  targetLocale: Locale
  hits: readonly TermHit[]
}

type Convention = (input: ConventionInput) => string

const space = `[${spaceChars}]`

// The expressions are built once: every machine-translated segment goes through each convention.
// (Global expressions are shared safely with `replace`, which always starts from the beginning.)
const englishOpening = new RegExp(`«${space}*`, 'g')
const englishClosing = new RegExp(`${space}*»`, 'g')
const spacedOpening = new RegExp(`«${space}+`, 'g')
const spacedClosing = new RegExp(`${space}+»`, 'g')

/** English `“…”`; Spanish keeps `«…»` (its own first-level quotes) but without the French inner spaces. */
const quotes: Convention = ({target, targetLocale}) => {
  if (languageOf(targetLocale) === 'en') {
    return target.replace(englishOpening, '“').replace(englishClosing, '”')
  }
  return target.replace(spacedOpening, '«').replace(spacedClosing, '»')
}

const spaceBeforeHigh = new RegExp(`(?<=[^${spaceChars}])${space}+(?=[:;?!](?![\\p{L}\\p{N}/]))`, 'gu')

/** No space before `: ; ? !` (a space after a word or a closing tag, never at the very start). */
const spacing: Convention = ({target}) => target.replace(spaceBeforeHigh, '')

/**
 * Numbers written the French way (`6 500`, `3,2`) rewritten the target
 * locale's way, kept only when the QA number check finds the same values
 * with no more findings than before: the check, not this rule, owns what a
 * number means.
 */
const numbers: Convention = (input) => {
  const {target, targetLocale} = input
  // Tags and do-not-translate items (phone numbers, symbols) are masked, keeping offsets.
  let masked = target.replace(/<\/?\d+\/?>/g, (tag) => '\u2063'.repeat(tag.length))
  for (const hit of input.hits) if (hit.dnt) masked = masked.split(hit.text).join('\u2063'.repeat(hit.text.length))
  const found = extractNumbers(masked, input.sourceLocale)
  let out = target
  for (const token of [...found].reverse()) {
    if (!token.strict || !/[ ,]/.test(token.raw)) continue
    const fraction = /,(\d+)$/.exec(token.raw)?.[1]?.length ?? 0
    let written: string
    try {
      written = numberFormat(targetLocale, fraction).format(token.value)
    } catch {
      continue
    }
    if (written === token.raw) continue
    out = out.slice(0, token.start) + written + out.slice(token.end)
  }
  // English writes no space before a per cent sign.
  if (languageOf(targetLocale) === 'en') out = out.replace(spaceBeforePercent, '$1%')
  if (out === target) return target
  return numberFindings({...input, target: out}) <= numberFindings(input) ? out : target
}

const spaceBeforePercent = new RegExp(`(\\d)${space}+%`, 'g')

// Building an Intl.NumberFormat costs far more than formatting with it: one per locale and decimals.
const numberFormats = new Map<string, Intl.NumberFormat>()

function numberFormat(locale: Locale, fraction: number): Intl.NumberFormat {
  const key = `${locale}\u0000${fraction}`
  let format = numberFormats.get(key)
  if (!format) {
    // Throws for an invalid locale tag or decimals out of range: nothing is kept, the caller skips the number.
    format = new Intl.NumberFormat(locale, {minimumFractionDigits: fraction, maximumFractionDigits: fraction})
    if (numberFormats.size >= 1_000) numberFormats.clear()
    numberFormats.set(key, format)
  }
  return format
}

function numberFindings(input: ConventionInput): number {
  const qa: QaInput = {source: input.source, target: input.target, sourceLocale: input.sourceLocale, targetLocale: input.targetLocale, hits: input.hits, unknown: [], state: 'machine'}
  return numbersCheck(qa, createContext(qa)).length
}

const name = '(?=\\p{Lu})'
const englishPlural = new RegExp(`(?<![\\p{L}.])(?:MM\\.|Sres\\.?)${space}+${name}`, 'gu')
const englishMr = new RegExp(`(?<![\\p{L}.])(?:M\\.|Sr\\.?)${space}+${name}`, 'gu')
const englishMs = new RegExp(`(?<![\\p{L}.])(?:Mmes|Mme|Mlle|Sra\\.?)${space}+${name}`, 'gu')
const spanishTitle = new RegExp(`(^|(?<![\\p{L}])(?:(el|la|los|las|del|al|de|a)${space}+)?)(?<![\\p{L}.])(MM\\.|M\\.|Sr\\.?|Mmes|Mme|Mlle|Sra\\.?)${space}+${name}`, 'gu')

/** `M. Dupont`, `Mme Martin` (and Apertium's Spanish `Sra Martin`) as the target locale writes them. */
const honorifics: Convention = ({target, targetLocale}) => {
  if (languageOf(targetLocale) === 'en') {
    const dot = targetLocale === 'en-US' ? '.' : ''
    return target.replace(englishPlural, `Messrs${dot} `).replace(englishMr, `Mr${dot} `).replace(englishMs, `Ms${dot} `)
  }
  if (languageOf(targetLocale) === 'es') {
    // Spanish puts the article before a title when speaking about someone: `el Sr. Dupont`, `del Sr.`, `a la Sra.`.
    return target.replace(
      spanishTitle,
      (_whole, before: string, word: string | undefined, title: string, offset: number) => {
        const plural = title === 'MM.' || title === 'Mmes'
        const feminine = /^(Mme|Mmes|Mlle|Sra)/.test(title)
        const formal = plural ? (feminine ? 'Sras.' : 'Sres.') : feminine ? 'Sra.' : 'Sr.'
        const article = plural ? (feminine ? 'las' : 'los') : feminine ? 'la' : 'el'
        const lower = word?.toLowerCase()
        if (lower && ['el', 'la', 'los', 'las', 'del', 'al'].includes(lower)) return `${before}${formal} `
        if (lower === 'de' || lower === 'a') {
          const joined = article === 'el' ? (lower === 'de' ? 'del' : 'al') : `${lower} ${article}`
          return `${matchCase(word!, joined)} ${formal} `
        }
        const start = offset === 0 || /[.!?:]\s*$|^\s*(<\/?\d+\/?>\s*)*$/.test(target.slice(0, offset))
        return `${before}${start ? article[0]!.toUpperCase() + article.slice(1) : article} ${formal} `
      }
    )
  }
  return target
}

function matchCase(model: string, word: string): string {
  return model[0] !== model[0]!.toLowerCase() ? word[0]!.toUpperCase() + word.slice(1) : word
}

const rules: Record<ConventionName, Convention> = {quotes, spacing, numbers, honorifics}

/** Which conventions each target language has (all on by default). */
export const localeConventions: Readonly<Record<string, readonly ConventionName[]>> = {
  en: ['quotes', 'spacing', 'numbers', 'honorifics'],
  es: ['quotes', 'spacing', 'numbers', 'honorifics']
}

/** Apply the enabled conventions in order; report the ones that changed the text. */
export function applyConventions(input: ConventionInput, enabled: readonly ConventionName[]): {text: string; fired: ConventionName[]} {
  let text = input.target
  const fired: ConventionName[] = []
  for (const name of enabled) {
    const next = rules[name]({...input, target: text})
    if (next !== text) fired.push(name)
    text = next
  }
  return {text, fired}
}

export const conventionRules = rules
