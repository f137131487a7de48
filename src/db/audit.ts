// The audit trail out of the database: every change to a segment (and, for
// the other entities, what their owners record) as JSON Lines or CSV, for an
// auditor's tools. Read-only; rows come out in the order they were written.
import {stringify} from 'csv-stringify/sync'
import type pg from 'pg'
import type {Database} from './connect.ts'

export interface AuditRecord {
  id: number
  at: string
  actor: string
  entity: string
  key: string
  action: string
  before: unknown
  after: unknown
}

export type AuditFormat = 'jsonl' | 'csv'

/** Audit rows, oldest first; `entity` narrows to one kind (`segment`, `concept`, `user`…), `after` to ids above it. */
export async function readAudit(db: Database | pg.Pool, options: {entity?: string; after?: number; limit?: number} = {}): Promise<AuditRecord[]> {
  const {rows} = await db.query<{id: string; at: Date; actor: string; entity: string; entity_key: string; action: string; before: unknown; after: unknown}>(
    `SELECT id, at, actor, entity, entity_key, action, before, after FROM audit
     WHERE ($1::text IS NULL OR entity = $1) AND id > $2 ORDER BY id LIMIT $3`,
    [options.entity ?? null, options.after ?? 0, options.limit ?? null]
  )
  return rows.map((row) => ({id: Number(row.id), at: row.at.toISOString(), actor: row.actor, entity: row.entity, key: row.entity_key, action: row.action, before: row.before, after: row.after}))
}

export function formatAudit(records: readonly AuditRecord[], format: AuditFormat): string {
  if (format === 'jsonl') return records.map((record) => JSON.stringify(record) + '\n').join('')
  return stringify(
    records.map((record) => [record.id, record.at, record.actor, record.entity, record.key, record.action, json(record.before), json(record.after)]),
    {header: true, columns: ['id', 'at', 'actor', 'entity', 'key', 'action', 'before', 'after'], record_delimiter: '\r\n'}
  )
}

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value)
}
