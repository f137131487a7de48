// dnt-altered (error): a do-not-translate item of the source (glossary `dnt`
// entry, e-mail, URL, phone number, UN document symbol) is not in the target
// exactly as written. Spaces may change kind (no-break or not), nothing else.
import type {Finding} from '../../types.ts'
import {countOccurrences} from '../dnt.ts'
import {normaliseSpaces} from '../text.ts'
import type {Check} from '../types.ts'

export const dntAltered: Check = (_input, {source, target, dnt}) => {
  const findings: Finding[] = []
  const inSource = normaliseSpaces(source.plain)
  const inTarget = normaliseSpaces(target.plain)
  for (const item of dnt) {
    const expected = Math.max(1, countOccurrences(inSource, item.text))
    const found = countOccurrences(inTarget, item.text)
    if (found >= expected) continue
    const message =
      found === 0
        ? `do-not-translate item '${item.text}' altered or missing in target`
        : `do-not-translate item '${item.text}' appears ${expected} times in source, ${found} in target`
    findings.push({rule: 'dnt-altered', severity: 'error', message})
  }
  return findings
}
