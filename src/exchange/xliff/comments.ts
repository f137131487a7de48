// Review comments through XLIFF: the export writes each open thread as a
// `<note category="passerelle:comment" id="c-<id>">` on its unit; the import
// turns the notes it does not know (a translator's note from a CAT tool, or
// one of ours whose id the history no longer has) into new comments, so a
// comment survives the round trip and a CAT tool's note reaches the reviewers.
// Pure: the journal is read and appended by the caller.
import {randomBytes} from 'node:crypto'
import type {CommentEvent, JournalEvent} from '../../workflow/journal.ts'
import {commentCategory} from './export.ts'
import type {XliffUnit} from './import.ts'

/** Categories Passerelle writes for information, not for people to discuss: never imported as comments. */
const generated = /^passerelle:(?!comment$)/

/** New comment events for one unit's notes; `known` holds the comment ids and texts the history has per segment. */
export function commentsFromNotes(
  unit: XliffUnit,
  known: {ids: ReadonlySet<string>; texts: ReadonlyMap<string, ReadonlySet<string>>},
  context: {at: string; by?: string; newId?: () => string}
): CommentEvent[] {
  const events: CommentEvent[] = []
  const newId = context.newId ?? (() => randomBytes(6).toString('hex'))
  for (const note of unit.notes) {
    if (note.category !== undefined && generated.test(note.category)) continue
    const ours = note.category === commentCategory && note.id?.startsWith('c-') === true
    if (ours && known.ids.has(note.id!.slice(2))) continue
    let text = note.text.trim()
    // `(n) ` says which sentence of a unit of several the note is about (as the export writes it).
    let segment = unit.segments[0]
    const numbered = /^\((\d+)\) /.exec(text)
    if (numbered && unit.segments.length > 1) {
      segment = unit.segments[Number(numbered[1]) - 1] ?? segment
      text = text.slice(numbered[0].length)
    }
    if (!segment || text === '') continue
    let by = context.by
    if (ours) {
      const author = /^([^:\n]{1,64}): /.exec(text)
      if (author?.[1]) {
        by = author[1]
        text = text.slice(author[0].length)
      }
    }
    // A file whose segments lost their ids (some tools drop them) cannot say which sentence: such notes wait for a file with ids.
    const id = segment.id
    if (id === undefined) continue
    if (known.texts.get(id)?.has(text) || events.some((event) => event.segment === id && event.text === text)) continue
    events.push({type: 'comment', segment: id, comment: newId(), at: context.at, ...(by ? {by} : {}), text})
  }
  return events
}

/** Comment ids and texts per segment in a journal, for `commentsFromNotes`. */
export function knownComments(events: readonly JournalEvent[]): {ids: Set<string>; texts: Map<string, Set<string>>} {
  const ids = new Set<string>()
  const texts = new Map<string, Set<string>>()
  for (const event of events) {
    if (event.type !== 'comment') continue
    ids.add(event.comment)
    const set = texts.get(event.segment) ?? new Set<string>()
    set.add(event.text)
    texts.set(event.segment, set)
  }
  return {ids, texts}
}
