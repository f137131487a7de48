// The audit trail: one append-only row per change to a segment, concept,
// do-not-translate pattern, post-editing rule or user (who, when, before,
// after). `recordAudit` is the one writer, called in the transaction of the
// change it records; `readAudit` the one reader (the
// concept history, `passerelle db audit`, the team server's /api/audit), and
// `formatAudit` the one JSON Lines / CSV form an auditor's tools read.
import {stringify} from 'csv-stringify/sync'
import type pg from 'pg'
import {PasserelleError} from '../errors.ts'
import type {Database} from './connect.ts'

export const auditEntities = ['segment', 'concept', 'user', 'file', 'pattern', 'rule'] as const
export type AuditEntity = (typeof auditEntities)[number]

export interface AuditActor {
  /** E-mail of the user, or 'cli'. */
  name: string
  id?: number
}

export interface AuditEntry {
  id: number
  /** ISO 8601, UTC. */
  at: string
  actor: string
  actorId: number | null
  entity: AuditEntity
  key: string
  action: string
  before: unknown
  after: unknown
}

export interface AuditRecord {
  actor: AuditActor
  entity: AuditEntity
  key: string
  action: string
  before?: unknown
  after?: unknown
  /** When the change happened (ISO 8601; default: the transaction's time). */
  at?: string
}

/**
 * Append rows, all in one statement; run it inside the change's transaction
 * so that both or neither are kept. A segment save records its events here
 * without one round trip per row.
 */
export async function recordAudit(db: Database, records: AuditRecord | readonly AuditRecord[]): Promise<void> {
  const list: readonly AuditRecord[] = Array.isArray(records) ? records : [records as AuditRecord]
  if (list.length === 0) return
  const rows = list.map((row) => ({
    at: row.at ?? null,
    actor: row.actor.name,
    actor_id: row.actor.id ?? null,
    entity: row.entity,
    key: row.key,
    action: row.action,
    before: row.before === undefined ? null : row.before,
    after: row.after === undefined ? null : row.after
  }))
  // jsonb_to_recordset yields the rows in array order, so ids follow the order of `records`.
  await db.query(
    `INSERT INTO audit (at, actor, actor_id, entity, entity_key, action, before, after)
     SELECT coalesce(r.at, now()), r.actor, r.actor_id, r.entity, r.key, r.action, r.before, r.after
     FROM jsonb_to_recordset($1::jsonb) AS r(at timestamptz, actor text, actor_id bigint, entity text, key text, action text, before jsonb, after jsonb)`,
    [JSON.stringify(rows)]
  )
}

export interface AuditQuery {
  /** One kind of change (checked: an unknown entity is E_INPUT). */
  entity?: AuditEntity | string
  /** One segment, concept or user (with `entity`). */
  key?: string
  /** Every key that starts with this text (e.g. `en/intro/`: the segments of one bundle). */
  keyPrefix?: string
  /** Rows at or after this time. */
  since?: Date
  /** Rows after this id (paging). */
  afterId?: number
  /** At most this many rows (default: all). */
  limit?: number
}

interface AuditRow {
  id: string
  at: Date
  actor: string
  actor_id: string | null
  entity: AuditEntity
  entity_key: string
  action: string
  before: unknown
  after: unknown
}

/** Audit rows in the order they were written (oldest first). */
export async function readAudit(db: Database | pg.Pool, query: AuditQuery = {}): Promise<AuditEntry[]> {
  if (query.entity !== undefined && !(auditEntities as readonly string[]).includes(query.entity)) {
    throw new PasserelleError('E_INPUT', `unknown audit entity '${String(query.entity)}'`, {hint: `use one of ${auditEntities.join(', ')}`})
  }
  const where: string[] = []
  const values: unknown[] = []
  const add = (clause: string, value: unknown) => {
    values.push(value)
    where.push(clause.replace('?', `$${values.length}`))
  }
  if (query.entity !== undefined) add('entity = ?', query.entity)
  if (query.key !== undefined) add('entity_key = ?', query.key)
  // LIKE with the prefix's own % _ \\ escaped: the audit_entity_prefix index (text_pattern_ops) serves it.
  if (query.keyPrefix !== undefined) add("entity_key LIKE ? ESCAPE '\\'", query.keyPrefix.replace(/[\\%_]/g, (char) => `\\${char}`) + '%')
  if (query.since !== undefined) add('at >= ?', query.since)
  if (query.afterId !== undefined) add('id > ?', query.afterId)
  values.push(query.limit ?? null)
  const {rows} = await db.query<AuditRow>(
    `SELECT id, at, actor, actor_id, entity, entity_key, action, before, after FROM audit
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${values.length}`,
    values
  )
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    entity: row.entity,
    key: row.entity_key,
    action: row.action,
    before: row.before,
    after: row.after
  }))
}

/** Every audit row of a query, page by page (the trail can be far larger than memory wants in one result). */
export async function* auditPages(db: Database | pg.Pool, query: Omit<AuditQuery, 'afterId' | 'limit'>, pageSize = 1000): AsyncGenerator<AuditEntry[]> {
  let afterId: number | undefined
  for (;;) {
    const page = await readAudit(db, {...query, ...(afterId === undefined ? {} : {afterId}), limit: pageSize})
    if (page.length === 0) return
    yield page
    afterId = page[page.length - 1]!.id
    if (page.length < pageSize) return
  }
}

export type AuditFormat = 'jsonl' | 'csv'

/** The columns of the CSV form, and the keys of each JSON line. */
export const auditColumns = ['id', 'at', 'actor', 'entity', 'key', 'action', 'before', 'after'] as const

/**
 * Audit entries as JSON Lines (before/after as JSON values) or CSV (a header
 * row, CRLF line ends as RFC 4180 says, before/after as JSON text). `header`
 * false continues a CSV already started (paged exports).
 */
export function formatAudit(entries: readonly AuditEntry[], format: AuditFormat, options: {header?: boolean} = {}): string {
  if (format === 'jsonl') {
    return entries.map((entry) => JSON.stringify({id: entry.id, at: entry.at, actor: entry.actor, entity: entry.entity, key: entry.key, action: entry.action, before: entry.before, after: entry.after}) + '\n').join('')
  }
  const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value))
  return stringify(
    entries.map((entry) => [entry.id, entry.at, entry.actor, entry.entity, entry.key, entry.action, json(entry.before), json(entry.after)]),
    {header: options.header ?? true, columns: [...auditColumns], record_delimiter: '\r\n'}
  )
}
