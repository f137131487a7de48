// `passerelle db audit`: the audit trail, for any entity and from a date, in
// the one form `formatAudit` gives (JSON Lines or CSV). Read page by page;
// a file is written atomically, so a reader never sees half of it.
import {extname} from 'node:path'
import {PasserelleError} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {auditPages, formatAudit, type AuditEntity, type AuditFormat} from './audit.ts'
import type {Database} from './connect.ts'
import {assertMigrated} from './migrate.ts'

/** The format named by the output's extension; `-` (stdout) is JSON Lines. */
export function auditFormatOf(path: string): AuditFormat {
  if (path === '-') return 'jsonl'
  const extension = extname(path).toLowerCase()
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl'
  if (extension === '.csv') return 'csv'
  throw new PasserelleError('E_INPUT', `cannot tell the audit format from "${path}"`, {hint: 'name the output file .jsonl or .csv (or - for JSON Lines on stdout)'})
}

/** An ISO 8601 date or date-time; anything else is a usage error naming the value. */
export function parseSince(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? new Date(value) : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) throw new PasserelleError('E_INPUT', `--since "${value}" is not a date`, {hint: 'give an ISO 8601 date, e.g. 2026-12-01 or 2026-12-01T09:00:00Z'})
  return date
}

export async function exportAudit(
  db: Database,
  options: {out: string; entity?: AuditEntity; since?: Date; format?: AuditFormat; write?: (text: string) => void}
): Promise<{rows: number; format: AuditFormat}> {
  await assertMigrated(db)
  const format = options.format ?? auditFormatOf(options.out)
  const parts: string[] = []
  let rows = 0
  for await (const page of auditPages(db, {...(options.entity ? {entity: options.entity} : {}), ...(options.since ? {since: options.since} : {})})) {
    parts.push(formatAudit(page, format, {header: rows === 0}))
    rows += page.length
  }
  if (format === 'csv' && rows === 0) parts.push(formatAudit([], 'csv'))
  if (options.out === '-') (options.write ?? ((text) => process.stdout.write(text)))(parts.join(''))
  else await writeFileAtomic(options.out, parts.join(''))
  return {rows, format}
}
