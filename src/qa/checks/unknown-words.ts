// unknown-words (warning): words the engine reported it could not translate
// and that are still in the target, usually copied from the source. Not
// reported once a person has written or reviewed the target (state
// `translated` and above): the engine's list no longer describes it.
import {humanStates} from '../../types.ts'
import type {Finding} from '../../types.ts'
import type {Check} from '../types.ts'

export const unknownWords: Check = (input, {target}) => {
  if (humanStates.has(input.state)) return []
  const findings: Finding[] = []
  for (const word of new Set(input.unknown)) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    if (!word.trim() || !new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(target.plain)) continue
    findings.push({rule: 'unknown-words', severity: 'warning', message: `engine did not know '${word}' (left as is in target)`})
  }
  return findings
}
