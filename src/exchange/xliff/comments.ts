// Review comments through XLIFF: the export writes each open thread as a
// `<note category="passerelle:comment" id="c-<id>">` on its unit; the import
// turns the notes it does not know (a translator's note from a CAT tool, or
// one of ours whose id the history no longer has) into new comments, so a
// comment survives the round trip and a CAT tool's note reaches the reviewers.
// Pure: the journal is read and appended by the caller.
import {randomBytes} from 'node:crypto'
import type {CommentEvent, JournalEvent} from '../../workflow/journal.ts'
import {commentCategory} from './export.ts'
import type {XliffSegment, XliffUnit} from './import.ts'

/** Categories Passerelle writes for information, not for people to discuss: never imported as comments. */
const generated = /^passerelle:(?!comment$)/

/**
 * New comment events for one unit's notes; `known` holds the comment ids and
 * texts the history has per segment. A note goes to the sentence that points
 * to it (`<mrk type="comment" ref="#n=…">`), else to the one its `(n) ` prefix
 * names, else to the unit's first sentence; inline comments
 * (`<mrk type="comment" value="…">`) to their sentence. A segment the file
 * gives no id (Weblate, MateCat, Okapi drop them) is the unit's sentence at
 * its position, as `idOf` resolves it (the import's own rule).
 */
export function commentsFromNotes(
  unit: XliffUnit,
  known: {ids: ReadonlySet<string>; texts: ReadonlyMap<string, ReadonlySet<string>>},
  context: {at: string; by?: string; newId?: () => string; idOf?: (segment: XliffSegment) => string | undefined}
): CommentEvent[] {
  const events: CommentEvent[] = []
  const newId = context.newId ?? (() => randomBytes(6).toString('hex'))
  const idOf = (segment: XliffSegment | undefined): string | undefined => (segment ? (segment.id ?? context.idOf?.(segment)) : undefined)
  const add = (id: string | undefined, text: string, by: string | undefined): void => {
    if (id === undefined || text === '') return
    if (known.texts.get(id)?.has(text) || events.some((event) => event.segment === id && event.text === text)) return
    events.push({type: 'comment', segment: id, comment: newId(), at: context.at, ...(by ? {by} : {}), text})
  }
  for (const note of unit.notes) {
    if (note.category !== undefined && generated.test(note.category)) continue
    const ours = note.category === commentCategory && note.id?.startsWith('c-') === true
    if (ours && known.ids.has(note.id!.slice(2))) continue
    let text = note.text.trim()
    let segment = note.id === undefined ? undefined : unit.segments.find((candidate) => candidate.comments.notes.includes(note.id!))
    // `(n) ` says which sentence of a unit of several the note is about (as the export writes it).
    const numbered = /^\((\d+)\) /.exec(text)
    if (numbered && unit.segments.length > 1) {
      segment ??= unit.segments[Number(numbered[1]) - 1]
      text = text.slice(numbered[0].length)
    }
    segment ??= unit.segments[0]
    let by = context.by
    if (ours) {
      const author = /^([^:\n]{1,64}): /.exec(text)
      if (author?.[1]) {
        by = author[1]
        text = text.slice(author[0].length)
      }
    }
    add(idOf(segment), text, by)
  }
  for (const segment of unit.segments) for (const text of segment.comments.texts) add(idOf(segment), text, context.by)
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
