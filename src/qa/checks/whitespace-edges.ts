// whitespace-edges (warning): the target starts or ends with whitespace where
// the source does not, or the other way round. Only presence is compared, not
// the kind of space: French no-break spaces inside `« »` or before `: ; ! ?`
// are never at the edges of plain text once closing punctuation ends it.
import type {Finding} from '../../types.ts'
import {spaceChars} from '../text.ts'
import type {Check} from '../types.ts'

const leading = new RegExp(`^[${spaceChars}\\n\\r]`)
const trailing = new RegExp(`[${spaceChars}\\n\\r]$`)

export const whitespaceEdges: Check = (_input, {source, target}) => {
  const findings: Finding[] = []
  const compare = (pattern: RegExp, edge: 'starts' | 'ends', where: 'leading' | 'trailing') => {
    const inSource = pattern.test(source.plain)
    const inTarget = pattern.test(target.plain)
    if (inTarget && !inSource) findings.push(warning(`target ${edge} with whitespace, source does not`))
    if (inSource && !inTarget) findings.push(warning(`target lacks the ${where} whitespace of the source`))
  }
  compare(leading, 'starts', 'leading')
  compare(trailing, 'ends', 'trailing')
  return findings
}

function warning(message: string): Finding {
  return {rule: 'whitespace-edges', severity: 'warning', message}
}
