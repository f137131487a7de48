// Pseudo-localisation: accented, lengthened, bracketed text that shows
// untranslated strings, truncation and hard-coded text in layouts without a
// real engine. Deterministic, offline, tag- and glossary-preserving.
import {PasserelleError} from '../errors.ts'
import {protect} from './protect.ts'
import type {Engine} from './types.ts'

const accents: Record<string, string> = {a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', A: 'Á', E: 'É', I: 'Í', O: 'Ó', U: 'Ú', c: 'ç', n: 'ñ'}

export function pseudoLocalize(tagged: string): string {
  // Leave tags, entities and placeholders alone; accent everything else.
  const body = tagged.replace(/(<\/?\d+\/?>|&\w+;|Zqx[a-z]+)|([^<&Z]+|[<&Z])/g, (_whole, keep?: string, text?: string) =>
    keep ?? (text ?? '').replace(/[aeiouAEIOUcn]/g, (letter) => accents[letter] ?? letter)
  )
  const padding = '~'.repeat(Math.ceil(tagged.length * 0.3))
  return `⟦${body}${padding}⟧`
}

export function createPseudoEngine(): Engine {
  let calls = 0
  return {
    name: 'pseudo',
    maxBatch: {segments: 1000, characters: 1_000_000},
    get calls() {
      return calls
    },
    route: (from, to) => `pseudo:${from}-${to}`,
    async check(from, to) {
      refuseSamePair(from, to)
    },
    async translate(batch, {from, to}) {
      if (batch.length === 0) return []
      refuseSamePair(from, to)
      calls++
      return batch.map((segment) => {
        const item = protect(segment.text, segment.hits)
        return {id: segment.id, text: item.restore(pseudoLocalize(item.text)).text, unknown: []}
      })
    }
  }
}

function refuseSamePair(from: string, to: string): void {
  if (from === to) throw new PasserelleError('E_LOCALE', `source and target are both '${from}'`, {hint: 'name a target locale other than the source'})
}
