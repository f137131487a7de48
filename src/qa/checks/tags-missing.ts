// tags-missing (error): a source tag the target lacks. Rebuilding the article
// from the target would lose the link, emphasis or image it stands for.
import type {Finding} from '../../types.ts'
import {countTags, nameTag} from '../tags.ts'
import type {Check} from '../types.ts'

export const tagsMissing: Check = (input, {source, target}) => {
  const findings: Finding[] = []
  const inTarget = countTags(target.tags)
  for (const [id, s] of countTags(source.tags)) {
    const t = inTarget.get(id) ?? {open: 0, close: 0, self: 0}
    const open = s.open - t.open
    const close = s.close - t.close
    const times = (n: number) => (n > 1 ? ` (${n} times)` : '')
    if (open > 0 && close > 0) {
      findings.push(error(`tag ${nameTag(id, true, input.tags)} missing in target${times(Math.min(open, close))}`))
    } else if (open > 0) {
      findings.push(error(`opening tag <${id}> missing in target${times(open)}`))
    } else if (close > 0) {
      findings.push(error(`closing tag </${id}> missing in target${times(close)}`))
    }
    if (s.self > t.self) findings.push(error(`tag ${nameTag(id, false, input.tags)} missing in target${times(s.self - t.self)}`))
  }
  return findings
}

function error(message: string): Finding {
  return {rule: 'tags-missing', severity: 'error', message}
}
