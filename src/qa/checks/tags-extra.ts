// tags-extra (error): a tag the source does not have, or stray markup (`<b>`,
// an unescaped `<`). The build could not place it, or would mis-parse it.
import type {Finding} from '../../types.ts'
import {countTags, nameTag} from '../tags.ts'
import {excerpt} from '../text.ts'
import type {Check} from '../types.ts'

export const tagsExtra: Check = (input, {source, target}) => {
  const findings: Finding[] = []
  const inSource = countTags(source.tags)
  for (const [id, t] of countTags(target.tags)) {
    const s = inSource.get(id) ?? {open: 0, close: 0, self: 0}
    const open = t.open - s.open
    const close = t.close - s.close
    const where = (n: number, m: number) => (m === 0 ? 'in target is not in source' : `appears ${n} times in target, ${m} in source`)
    if (open > 0 && close > 0) {
      findings.push(error(`tag ${nameTag(id, true, input.tags)} ${where(t.open, s.open)}`))
    } else if (open > 0) {
      findings.push(error(`opening tag <${id}> ${where(t.open, s.open)}`))
    } else if (close > 0) {
      findings.push(error(`closing tag </${id}> ${where(t.close, s.close)}`))
    }
    if (t.self > s.self) findings.push(error(`tag ${nameTag(id, false, input.tags)} ${where(t.self, s.self)}`))
  }
  for (const token of target.tags) {
    if (token.kind === 'stray') findings.push(error(`unexpected markup '${excerpt(token.raw, 20)}' in target (write a literal < as &lt;)`))
  }
  return findings
}

function error(message: string): Finding {
  return {rule: 'tags-extra', severity: 'error', message}
}
