// Tag bookkeeping for the three tag checks: how many of each tag a side has,
// and which paired tag each tag sits in.
import type {TagInfo} from '../types.ts'
import {showTag, type TagToken} from './text.ts'

export interface TagCount {
  open: number
  close: number
  self: number
}

/** Counts per tag id, valid tags only, in first-seen order. */
export function countTags(tokens: readonly TagToken[]): Map<string, TagCount> {
  const counts = new Map<string, TagCount>()
  for (const token of tokens) {
    if (token.kind === 'stray') continue
    const count = counts.get(token.id) ?? {open: 0, close: 0, self: 0}
    count[token.kind]++
    counts.set(token.id, count)
  }
  return counts
}

export function sameCount(a: TagCount | undefined, b: TagCount | undefined): boolean {
  return a !== undefined && b !== undefined && a.open === b.open && a.close === b.close && a.self === b.self
}

/** `<1>…</1>` or `<2/>`, with what it stands for when known: `<1>…</1> (link)`. */
export function nameTag(id: string, paired: boolean, info?: Readonly<Record<string, TagInfo>>): string {
  const shown = paired ? `${showTag(id, 'open')}…${showTag(id, 'close')}` : showTag(id, 'self')
  const type = info?.[id]?.type
  return type ? `${shown} (${type})` : shown
}
