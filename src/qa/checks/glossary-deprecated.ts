// glossary-deprecated (warning): the target uses a term the termbase marks
// deprecated for the concept (an old name that is still understood). Reads the
// optional `deprecated` list of a QA hit; a hit without one is not checked.
import type {Finding} from '../../types.ts'
import type {Check} from '../types.ts'

export const glossaryDeprecated: Check = (input, context) => {
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const hit of input.hits) {
    if (hit.dnt || !hit.deprecated?.length) continue
    // The same matcher as for forbidden terms, held to the deprecated list.
    for (const term of context.findForbidden(input.target, {...hit, forbidden: [...hit.deprecated]}, input.targetLocale)) {
      const key = `${hit.concept}\u0000${term}`
      if (seen.has(key)) continue
      seen.add(key)
      const instead = hit.expected[0] === undefined ? '' : `; prefer '${hit.expected[0]}'`
      findings.push({rule: 'glossary-deprecated', severity: 'warning', message: `deprecated term '${term}' used for '${hit.text}'${instead}`})
    }
  }
  return findings
}
