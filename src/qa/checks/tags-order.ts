// tags-order: translations reorder words, so tags may move. What may not
// happen is broken nesting (error): crossed tags `<1>a<2>b</1>c</2>`, or a
// closing tag before its opening one. A tag that moves in or out of a paired
// tag (an image out of its link) is legal markup but changes what the reader
// gets (warning). Only tags present the same number of times on both sides
// are compared: the others are `tags-missing` / `tags-extra` findings.
import type {Finding} from '../../types.ts'
import {countTags, nameTag, sameCount} from '../tags.ts'
import type {TagToken} from '../text.ts'
import type {Check} from '../types.ts'

export const tagsOrder: Check = (input, {source, target}) => {
  const sourceCounts = countTags(source.tags)
  const targetCounts = countTags(target.tags)
  const comparable = (token: TagToken) => token.kind !== 'stray' && sameCount(sourceCounts.get(token.id), targetCounts.get(token.id))
  const findings: Finding[] = []

  const walked = walk(target.tags.filter(comparable))
  for (const problem of walked.problems) findings.push({rule: 'tags-order', severity: 'error', message: problem})
  if (walked.problems.length > 0) return findings

  const sourceParents = walk(source.tags.filter(comparable)).parents
  for (const [id, parent] of sourceParents) {
    const now = walked.parents.get(id)
    if (now === parent) continue
    const paired = (sourceCounts.get(id)?.open ?? 0) > 0
    const tag = nameTag(id, paired, input.tags)
    const outer = (p: string) => nameTag(p, true, input.tags)
    const message =
      now === undefined
        ? `tag ${tag} moved out of ${outer(parent!)} in target`
        : parent === undefined
          ? `tag ${tag} moved inside ${outer(now)} in target`
          : `tag ${tag} moved from ${outer(parent)} to ${outer(now)} in target`
    findings.push({rule: 'tags-order', severity: 'warning', message})
  }
  return findings
}

/** Nesting problems, and the innermost paired tag around each tag's first occurrence. */
function walk(tokens: readonly TagToken[]): {problems: string[]; parents: Map<string, string | undefined>} {
  const problems: string[] = []
  const parents = new Map<string, string | undefined>()
  const stack: string[] = []
  for (const token of tokens) {
    if (token.kind === 'open' || token.kind === 'self') {
      if (!parents.has(token.id)) parents.set(token.id, stack.at(-1))
      if (token.kind === 'open') stack.push(token.id)
    } else if (token.kind === 'close') {
      const at = stack.lastIndexOf(token.id)
      if (at === -1) {
        problems.push(`closing tag </${token.id}> comes before its opening tag in target`)
      } else {
        // Tags opened inside and still open: crossed. They stay open, to be closed later.
        for (const inner of stack.slice(at + 1)) {
          const [a, b] = [inner, token.id].sort((x, y) => Number(x) - Number(y))
          problems.push(`tags <${a}> and <${b}> cross in target`)
        }
        stack.splice(at, 1)
      }
    }
  }
  return {problems, parents}
}
