// `passerelle db audit`: the audit trail as JSON Lines (one entry per line,
// before/after as JSON values) or CSV (before/after as JSON text in their
// cells), for any entity. Read page by page, written atomically: a reader of
// the output never sees half a file.
import {stringify} from 'csv-stringify/sync'
import {extname} from 'node:path'
import {PasserelleError} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {auditPages, type AuditEntity, type AuditEntry} from './audit.ts'
import type {Database} from './connect.ts'
import {assertMigrated} from './migrate.ts'

export type AuditFormat = 'jsonl' | 'csv'

export const auditColumns = ['id', 'at', 'actor', 'actor_id', 'entity', 'key', 'action', 'before', 'after'] as const

/** The format named by the output file's extension. */
export function auditFormatOf(path: string): AuditFormat {
  const extension = extname(path).toLowerCase()
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl'
  if (extension === '.csv') return 'csv'
  throw new PasserelleError('E_INPUT', `cannot tell the audit format from "${path}"`, {hint: 'name the output file .jsonl or .csv'})
}

/** An ISO 8601 date or date-time; anything else is a usage error naming the value. */
export function parseSince(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? new Date(value) : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) throw new PasserelleError('E_INPUT', `--since "${value}" is not a date`, {hint: 'give an ISO 8601 date, e.g. 2026-12-01 or 2026-12-01T09:00:00Z'})
  return date
}

function jsonLine(entry: AuditEntry): string {
  return JSON.stringify({id: entry.id, at: entry.at, actor: entry.actor, actor_id: entry.actorId, entity: entry.entity, key: entry.key, action: entry.action, before: entry.before, after: entry.after})
}

function csvRecord(entry: AuditEntry): (string | number)[] {
  const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value))
  return [entry.id, entry.at, entry.actor, entry.actorId ?? '', entry.entity, entry.key, entry.action, json(entry.before), json(entry.after)]
}

export async function exportAudit(db: Database, options: {out: string; entity?: AuditEntity; since?: Date; format?: AuditFormat}): Promise<{rows: number; format: AuditFormat}> {
  await assertMigrated(db)
  const format = options.format ?? auditFormatOf(options.out)
  const parts: string[] = format === 'csv' ? [stringify([[...auditColumns]])] : []
  let rows = 0
  for await (const page of auditPages(db, {...(options.entity ? {entity: options.entity} : {}), ...(options.since ? {since: options.since} : {})})) {
    rows += page.length
    parts.push(format === 'csv' ? stringify(page.map(csvRecord)) : page.map((entry) => jsonLine(entry) + '\n').join(''))
  }
  await writeFileAtomic(options.out, parts.join(''))
  return {rows, format}
}
