// glossary-missing (warning): a source term has an approved translation that
// the target does not use. A warning, not an error: a pronoun or a paraphrase
// can be right, and the reviewer decides. Reported once per concept.
import type {Finding} from '../../types.ts'
import type {Check} from '../types.ts'

export const glossaryMissing: Check = (input, context) => {
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const hit of input.hits) {
    if (hit.dnt || hit.kind !== 'term' || hit.expected.length === 0 || seen.has(hit.concept)) continue
    seen.add(hit.concept)
    if (context.targetHasTerm(input.target, hit, input.targetLocale)) continue
    const also = hit.expected.length > 1 ? ` or ${hit.expected.slice(1).map((t) => `'${t}'`).join(', ')}` : ''
    findings.push({rule: 'glossary-missing', severity: 'warning', message: `expected term '${hit.expected[0]}'${also} (${hit.text}) missing`})
  }
  return findings
}
