// Placeholder protection for engines without native glossaries. Each term or
// do-not-translate span is swapped for a made-up word that engines pass
// through untouched (Apertium treats it as an unknown proper noun, so the
// grammar around it still agrees: `l'OIM` → `del Zqxa`), then restored to the
// expected target term, or to the original text for do-not-translate items.
import type {TermHit} from '../types.ts'

export interface Protected {
  text: string
  /** Puts target terms back; reports placeholders the engine lost. */
  restore(output: string): {text: string; lost: string[]}
}

const prefix = 'Zqx'

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
export function protect(text: string, hits: readonly TermHit[]): Protected {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end)
  const replacements = new Map<string, string>()
  let out = ''
  let cursor = 0
  for (const hit of sorted) {
    if (hit.start < cursor) continue
    const replacement = hit.dnt ? hit.text : hit.expected[0]
    if (replacement === undefined) continue
    const name = placeholderName(replacements.size)
    replacements.set(name, replacement)
    out += text.slice(cursor, hit.start) + name
    cursor = hit.end
  }
  out += text.slice(cursor)

  return {
    text: out,
    restore(output) {
      const seen = new Set<string>()
      // Engines may prefix unknown words with markers (`*`, `#`, `@`) and may
      // change the case of the first letter at a sentence start.
      const restored = output.replace(/[*#@]*(Zqx|zqx|ZQX)([a-z]+|[A-Z]+)\b/g, (whole, _p: string, letters: string) => {
        const name = prefix + letters.toLowerCase()
        const value = replacements.get(name)
        if (value === undefined) return whole
        seen.add(name)
        return value
      })
      const lost = [...replacements.keys()].filter((name) => !seen.has(name)).map((name) => replacements.get(name)!)
      return {text: restored, lost}
    }
  }
}
