// double-space (warning): two spaces in a row inside the target (of any kind:
// `' \u202F'` is as wrong as `'  '`), more often than in the source. Tags are
// kept while looking, so `a <2/> b` is not a double space; edges are left to
// `whitespace-edges`.
import {decodeEntities, excerpt, spaceClass} from '../text.ts'
import type {Check} from '../types.ts'

const double = new RegExp(`${spaceClass}{2,}`, 'g')

export const doubleSpace: Check = (_input, {source, target}) => {
  const runs = (text: string) => [...decodeEntities(text).trim().matchAll(double)]
  const inTarget = runs(target.raw)
  if (inTarget.length <= runs(source.raw).length) return []
  const first = inTarget[0]!
  const before = excerpt(first.input.slice(0, first.index).split(/\s+/).slice(-3).join(' '), 30)
  const where = before ? ` after '${before}'` : ''
  const more = inTarget.length > 1 ? ` (${inTarget.length} places)` : ''
  return [{rule: 'double-space', severity: 'warning', message: `double space in target${where}${more}`}]
}
