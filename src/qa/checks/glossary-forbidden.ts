// glossary-forbidden (error): the target uses a term the termbase forbids for
// the concept found in the source (a wrong institutional name, the French
// acronym left in English). It must not be published.
import type {Finding} from '../../types.ts'
import type {Check} from '../types.ts'

export const glossaryForbidden: Check = (input, context) => {
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const hit of input.hits) {
    if (hit.dnt || hit.forbidden.length === 0) continue
    for (const term of context.findForbidden(input.target, hit, input.targetLocale)) {
      const key = `${hit.concept}\u0000${term}`
      if (seen.has(key)) continue
      seen.add(key)
      const instead = hit.expected[0] === undefined ? '' : `; use '${hit.expected[0]}'`
      findings.push({rule: 'glossary-forbidden', severity: 'error', message: `forbidden term '${term}' used for '${hit.text}'${instead}`})
    }
  }
  return findings
}
