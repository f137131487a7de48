// empty (error): the target has no text (blank, or tags only) while the
// source has some. When it fires, the runner skips every other check.
import type {Check} from '../types.ts'

export const empty: Check = (_input, {source, target}) => {
  if (source.plain.trim() === '' || target.plain.trim() !== '') return []
  const message = target.raw.trim() === '' ? 'target is empty' : 'target has markup but no text'
  return [{rule: 'empty', severity: 'error', message}]
}
