// Placeholder protection for engines without native glossaries. Each term or
// do-not-translate span is swapped for a made-up word that engines pass
// through untouched (Apertium treats it as an unknown proper noun, so the
// grammar around it still forms: `l'OIM` → `del Zqxa`), then restored to the
// expected target term, or to the original text for do-not-translate items.
// The engine guessed the placeholder masculine, so with a target locale the
// article before a restored term is made to agree with it (agreement.ts).
import type {Locale, TermHit} from '../types.ts'
import {agreeArticles, type AgreementTerm} from './agreement.ts'

export interface Protected {
  text: string
  /** Where the placeholders stand in `text` (an engine may shield them further, e.g. DeepL's ignored tags). */
  placeholders: {start: number; end: number}[]
  /** Puts target terms back; reports placeholders the engine lost. */
  restore(output: string): {text: string; lost: string[]}
}

export interface ProtectOptions {
  /** Target locale: lets `restore` make articles agree with restored terms (Spanish). */
  locale?: Locale
}

const prefix = 'Zqx'

/** Whether an engine's word is one of our placeholders (not a real unknown word). */
export function isPlaceholder(word: string): boolean {
  return /^Zqx[a-z]+$/i.test(word)
}

/** `a`, `b`, … `z`, `ba`, `bb`… — letters only, so tokenisers keep it one word. */
export function placeholderName(index: number): string {
  let name = ''
  let n = index
  do {
    name = String.fromCharCode(97 + (n % 26)) + name
    n = Math.floor(n / 26)
  } while (n > 0)
  return prefix + name
}

/**
 * Replace protectable hits (dnt items, and terms with a known target) by
 * placeholders. Overlapping hits are resolved by the caller's order: the
 * first hit covering a position wins.
 */
export function protect(text: string, hits: readonly TermHit[], options: ProtectOptions = {}): Protected {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end)
  const replacements = new Map<string, string>()
  // Grammar of each restored term, keyed by placeholder (dnt items have none).
  const grammar: AgreementTerm[] = []
  const placeholders: {start: number; end: number}[] = []
  let out = ''
  let cursor = 0
  for (const hit of sorted) {
    if (hit.start < cursor) continue
    const replacement = hit.dnt ? hit.text : hit.expected[0]
    if (replacement === undefined) continue
    const name = placeholderName(replacements.size)
    replacements.set(name, replacement)
    if (!hit.dnt && (hit.targetGender || hit.targetNumber)) {
      grammar.push({term: name, ...(hit.targetGender ? {gender: hit.targetGender} : {}), ...(hit.targetNumber ? {number: hit.targetNumber} : {})})
    }
    out += text.slice(cursor, hit.start)
    placeholders.push({start: out.length, end: out.length + name.length})
    out += name
    cursor = hit.end
  }
  out += text.slice(cursor)

  return {
    text: out,
    placeholders,
    restore(output) {
      const seen = new Set<string>()
      // Engines may prefix unknown words with markers (`*`, `#`, `@`) and may
      // change the case of the first letter at a sentence start: normalise
      // each known placeholder to its name first.
      const named = output.replace(/[*#@]*(Zqx|zqx|ZQX)([a-z]+|[A-Z]+)\b/g, (whole, _p: string, letters: string) => {
        const name = prefix + letters.toLowerCase()
        if (!replacements.has(name)) return whole
        seen.add(name)
        return name
      })
      // Fix articles while the placeholders are still there: a name cannot be
      // confused with other text, and it marks exactly where a term was restored.
      const agreed = options.locale === undefined ? named : agreeArticles(named, grammar, options.locale)
      const restored = agreed.replace(/Zqx[a-z]+\b/g, (name) => replacements.get(name) ?? name)
      const lost = [...replacements.keys()].filter((name) => !seen.has(name)).map((name) => replacements.get(name)!)
      return {text: restored, lost}
    }
  }
}
