// brackets (warning): the target has a different number of `( ) [ ] { }`
// than the source, or, when the source is balanced, brackets that do not
// pair up. Brackets inside do-not-translate items (URLs, phone numbers) are
// not counted.
import type {Finding} from '../../types.ts'
import type {Check} from '../types.ts'

const pairs = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}']
] as const

const anyBracket = /[()[\]{}]/

export const brackets: Check = (_input, {source, target}) => {
  // Most segments have none on either side: nothing to count.
  if (!anyBracket.test(source.masked) && !anyBracket.test(target.masked)) return []
  const findings: Finding[] = []
  const inSource = count(source.masked)
  const inTarget = count(target.masked)
  let countsDiffer = false
  for (const pair of pairs) {
    for (const char of pair) {
      const s = inSource.get(char) ?? 0
      const t = inTarget.get(char) ?? 0
      if (s !== t) {
        countsDiffer = true
        findings.push(warning(`target has ${t} '${char}' where source has ${s}`))
      }
    }
  }
  if (!countsDiffer && unpaired(source.masked) === undefined) {
    const bad = unpaired(target.masked)
    if (bad !== undefined) findings.push(warning(`unbalanced '${bad}' in target`))
  }
  return findings
}

const bracketChars = /[()[\]{}]/g

function count(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const [char] of text.matchAll(bracketChars)) counts.set(char, (counts.get(char) ?? 0) + 1)
  return counts
}

/** The first bracket that does not pair up, if any. */
function unpaired(text: string): string | undefined {
  const stack: string[] = []
  for (const [char] of text.matchAll(bracketChars)) {
    const open = pairs.find((pair) => pair[0] === char)
    if (open) {
      stack.push(char)
      continue
    }
    const close = pairs.find((pair) => pair[1] === char)
    if (close && stack.pop() !== close[0]) return char
  }
  return stack[0]
}

function warning(message: string): Finding {
  return {rule: 'brackets', severity: 'warning', message}
}
