// A concept's history in the review app: who changed it, when, and what it
// was before and after. Team mode reads it from the audit rows
// (`conceptHistory` in src/db/glossary.ts); in file mode there is none (git
// keeps the glossary's history) and the route says so with a 404.
import type {Hono} from 'hono'
import {PasserelleError} from '../errors.ts'
import type {Concept, DntPattern} from '../glossary/types.ts'
import {checkConceptId} from './validate.ts'

export interface ConceptHistoryEntry {
  /** ISO 8601. */
  at: string
  actor: string
  action: 'create' | 'update' | 'delete' | string
  /** A concept, or a do-not-translate pattern when the id names one (they share ids). */
  before: Concept | DntPattern | null
  after: Concept | DntPattern | null
}

export type ConceptHistorySource = (id: string) => Promise<readonly ConceptHistoryEntry[]>

export interface ConceptHistoryData {
  concept: string
  /** Newest first. */
  entries: ConceptHistoryEntry[]
}

export function registerConceptHistoryRoutes(app: Hono, history: ConceptHistorySource | undefined): void {
  app.get('/api/glossary/:id/history', async (c) => {
    const id = checkConceptId(c.req.param('id'))
    if (!history) throw new PasserelleError('E_NOT_FOUND', 'concept history is kept by the team server only', {hint: 'run `passerelle serve --database …`, or read the glossary files’ git log'})
    const entries = [...(await history(id))].reverse().map(({at, actor, action, before, after}) => ({at, actor, action, before, after}))
    const data: ConceptHistoryData = {concept: id, entries}
    return c.json(data)
  })
}
