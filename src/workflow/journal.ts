// The history and comments of a bundle's segments: an append-only JSON Lines
// file beside it, `locales/<lng>/<slug>.history.jsonl`, one event a line, so
// that it diffs line by line and merges by concatenation. Appends go through
// the same cross-process lock as the bundles, and add whole lines in one
// write (no rewrite of the file: a save costs the same however long the
// history), so two writers never lose each other's events. A line that
// cannot be read (cut short by a crash) is reported and skipped; it never
// hides the others, and the next event starts on a line of its own.
import {mkdir, open, readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {z} from 'zod'
import {fromSystemError} from '../errors.ts'
import {withFileLock} from '../io/lock.ts'
import {segmentStates} from '../types.ts'

const side = z.strictObject({state: z.enum(segmentStates), target: z.string().optional()})

const editEvent = z.strictObject({
  type: z.literal('edit'),
  segment: z.string(),
  at: z.string(),
  by: z.string().optional(),
  /** Revision after the change. */
  revision: z.number().int().min(0),
  from: side,
  to: side,
  /** Why, when not a plain save: `revert` (to an earlier target), `bulk-approve`, `import`. */
  via: z.string().optional()
})

const commentEvent = z.strictObject({
  type: z.literal('comment'),
  segment: z.string(),
  /** Comment id, unique in the file. */
  comment: z.string(),
  at: z.string(),
  by: z.string().optional(),
  text: z.string(),
  /** A reply in a thread: the id of the comment it answers. */
  replyTo: z.string().optional()
})

const resolveEvent = z.strictObject({
  type: z.literal('resolve'),
  segment: z.string(),
  comment: z.string(),
  at: z.string(),
  by: z.string().optional(),
  /** False reopens the thread. */
  resolved: z.boolean()
})

export const journalEventSchema = z.discriminatedUnion('type', [editEvent, commentEvent, resolveEvent])
export type JournalEvent = z.infer<typeof journalEventSchema>
export type EditEvent = z.infer<typeof editEvent>
export type CommentEvent = z.infer<typeof commentEvent>
export type ResolveEvent = z.infer<typeof resolveEvent>

/** A comment with its thread state folded from the events. */
export interface CommentThread {
  id: string
  segment: string
  at: string
  by?: string
  text: string
  replies: CommentEvent[]
  resolved: boolean
  resolvedBy?: string
  resolvedAt?: string
}

export function journalPath(localesDir: string, locale: string, slug: string): string {
  return join(localesDir, locale, `${slug}.history.jsonl`)
}

export interface Journal {
  events: JournalEvent[]
  /** One line per unreadable line (`file:line: why`). */
  problems: string[]
}

export function parseJournal(text: string, file: string): Journal {
  const events: JournalEvent[] = []
  const problems: string[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    try {
      const parsed = journalEventSchema.safeParse(JSON.parse(line))
      if (parsed.success) events.push(parsed.data)
      else problems.push(`${file}:${index + 1}: not a history event (${parsed.error.issues[0]?.message ?? 'invalid'})`)
    } catch {
      problems.push(`${file}:${index + 1}: not JSON (a line cut short?): fix or delete that line`)
    }
  })
  return {events, problems}
}

export async function readJournal(path: string, display = path): Promise<Journal> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return ''
    throw error
  })
  return parseJournal(text, display)
}

/** Append events (validated) under the file's lock; the file is replaced atomically. */
export async function appendJournal(path: string, events: readonly JournalEvent[]): Promise<void> {
  if (events.length === 0) return
  const lines = events.map((event) => JSON.stringify(journalEventSchema.parse(event))).join('\n') + '\n'
  await withFileLock(path, async () => {
    // An append, not a rewrite: a save costs the same whatever the length of the history.
    // One write of whole lines under the lock; a line cut short (a crash) is skipped by `readJournal`.
    await mkdir(dirname(path), {recursive: true})
    const handle = await open(path, 'a+')
    try {
      const {size} = await handle.stat()
      let prefix = ''
      if (size > 0) {
        // A file cut short keeps its last line whole: the new events start on a line of their own.
        const last = Buffer.alloc(1)
        await handle.read(last, 0, 1, size - 1)
        if (last[0] !== 0x0a) prefix = '\n'
      }
      await handle.write(prefix + lines)
    } catch (error) {
      throw fromSystemError(error, path) ?? error
    } finally {
      await handle.close()
    }
  })
}

/** The edit event for a segment change, or undefined when neither target nor state moved. */
export function editEventOf(
  before: {id: string; state: EditEvent['from']['state']; target?: string | undefined},
  after: {state: EditEvent['to']['state']; target?: string | undefined; revision: number},
  context: {at: string; by?: string; via?: string}
): EditEvent | undefined {
  if (before.state === after.state && before.target === after.target) return undefined
  return {
    type: 'edit',
    segment: before.id,
    at: context.at,
    ...(context.by ? {by: context.by} : {}),
    revision: after.revision,
    from: {state: before.state, ...(before.target === undefined ? {} : {target: before.target})},
    to: {state: after.state, ...(after.target === undefined ? {} : {target: after.target})},
    ...(context.via ? {via: context.via} : {})
  }
}

/** Comment threads per segment, oldest first, replies and resolution folded in. */
export function commentThreads(events: readonly JournalEvent[]): Map<string, CommentThread[]> {
  const byId = new Map<string, CommentThread>()
  const out = new Map<string, CommentThread[]>()
  for (const event of events) {
    if (event.type === 'comment') {
      const parent = event.replyTo ? byId.get(event.replyTo) : undefined
      if (parent) {
        parent.replies.push(event)
        continue
      }
      const thread: CommentThread = {id: event.comment, segment: event.segment, at: event.at, ...(event.by ? {by: event.by} : {}), text: event.text, replies: [], resolved: false}
      byId.set(event.comment, thread)
      const list = out.get(event.segment) ?? []
      list.push(thread)
      out.set(event.segment, list)
    } else if (event.type === 'resolve') {
      const thread = byId.get(event.comment)
      if (!thread) continue
      thread.resolved = event.resolved
      if (event.resolved) {
        if (event.by) thread.resolvedBy = event.by
        thread.resolvedAt = event.at
      } else {
        delete thread.resolvedBy
        delete thread.resolvedAt
      }
    }
  }
  return out
}
