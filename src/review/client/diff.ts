/// <reference lib="dom" />
// Word diffs for the translator: what changed between an old and a new
// sentence (a stale source, a TM match's source against this one), on the
// visible text. jsdiff's word tokenizer keeps punctuation apart, so
// "12,5 millions" → "13 millions" shows exactly the number.
import {diffWordsWithSpace} from 'diff'
import {h} from './dom.ts'

/** `<del>` for what left, `<ins>` for what came, plain text for the rest. */
export function wordDiff(before: string, after: string): HTMLElement {
  return h(
    'span',
    {class: 'diff'},
    diffWordsWithSpace(before, after).map((part) =>
      part.removed ? h('del', {class: 'diff-del'}, part.value) : part.added ? h('ins', {class: 'diff-ins'}, part.value) : part.value
    )
  )
}
