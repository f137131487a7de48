// Bundles in the team database for a translate job: read them to plan, and
// save each batch the way `updateBundle` saves a file — under a per-bundle
// lock (a transaction-scoped advisory lock, so a killed worker never leaves
// one behind), read, apply, merge by revision, validate, write only the rows
// that changed. The segments trigger announces each changed row on commit.
import type pg from 'pg'
import {inTransaction} from '../db/connect.ts'
import type {Queryable as Database} from './progress.ts'
import {mergeByRevision, serializeBundle, type UpdatedBundle, type UpdateOptions} from '../workflow/store.ts'
import type {Bundle, BundleSegment} from '../workflow/types.ts'

interface SegmentRow {
  list: 'segments' | 'retired'
  position: number
  id: string
  state: string
  target: string | null
  revision: number
  data: Omit<BundleSegment, 'state' | 'target' | 'revision'>
}

interface Header {
  locale: string
  article: string
  schema: number
  source_locale: string
  source_hash: string
}

function rowsOf(bundle: Bundle): SegmentRow[] {
  const rows = (list: SegmentRow['list'], segments: BundleSegment[]) =>
    segments.map(({state, target, revision, ...data}, position): SegmentRow => ({list, position, id: data.id, state, target: target ?? null, revision, data}))
  return [...rows('segments', bundle.segments), ...rows('retired', bundle.retired)]
}

function bundleOf(header: Header, rows: readonly SegmentRow[]): Bundle {
  const segment = (row: SegmentRow) => ({...row.data, state: row.state, ...(row.target === null ? {} : {target: row.target}), revision: row.revision}) as BundleSegment
  return {
    schema: header.schema as Bundle['schema'],
    article: header.article,
    sourceLocale: header.source_locale,
    locale: header.locale,
    sourceHash: header.source_hash,
    segments: rows.filter((row) => row.list === 'segments').map(segment),
    retired: rows.filter((row) => row.list === 'retired').map(segment)
  }
}

/** The bundles of `locale` named in `articles` (those that exist), in one query each. */
export async function readBundles(db: Database, locale: string, articles: readonly string[]): Promise<Bundle[]> {
  const {rows: headers} = await db.query<Header>(
    'SELECT locale, article, schema, source_locale, source_hash FROM bundles WHERE locale = $1 AND article = ANY($2) ORDER BY article',
    [locale, articles]
  )
  const {rows} = await db.query<SegmentRow & {article: string}>(
    'SELECT article, list, position, id, state, target, revision, data FROM segments WHERE locale = $1 AND article = ANY($2) ORDER BY article, list, position',
    [locale, articles]
  )
  const byArticle = new Map<string, SegmentRow[]>()
  for (const row of rows) {
    const list = byArticle.get(row.article)
    if (list) list.push(row)
    else byArticle.set(row.article, [row])
  }
  return headers.map((header) => bundleOf(header, byArticle.get(header.article) ?? []))
}

/** Articles of `locale` that hold human work (translated, reviewed, approved): the job's translation memory. */
export async function articlesWithHumanWork(db: Database, locale: string): Promise<string[]> {
  const {rows} = await db.query<{article: string}>(
    "SELECT DISTINCT article FROM segments WHERE locale = $1 AND state IN ('translated', 'reviewed', 'approved') ORDER BY article",
    [locale]
  )
  return rows.map((row) => row.article)
}

/**
 * Lock, read, apply `fn`, merge by revision (with `base`), validate, write the
 * changed rows. Same contract as `updateBundle`, on the database.
 */
export async function updateDbBundle(
  pool: pg.Pool,
  locale: string,
  article: string,
  fn: (current: Bundle | undefined) => Bundle | undefined,
  options: UpdateOptions = {}
): Promise<UpdatedBundle> {
  const path = `locales/${locale}/${article}.json`
  const client = await pool.connect()
  try {
    return await inTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`bundle:${locale}/${article}`])
      const [current] = await readBundles(client, locale, [article])
      const proposed = fn(current)
      if (proposed === undefined || proposed === current) return {path, bundle: current, written: false}
      const next = current && options.base ? mergeByRevision(proposed, current, options.base) : proposed
      const text = serializeBundle(next, path)
      const written = await writeRows(client, next, current)
      return {path, bundle: next, written, text}
    })
  } finally {
    client.release()
  }
}

/** Write the header and the rows that differ from `current`; drop rows past the new ends. */
async function writeRows(db: Database, next: Bundle, current: Bundle | undefined): Promise<boolean> {
  const key = [next.locale, next.article]
  await db.query(
    `INSERT INTO bundles (locale, article, schema, source_locale, source_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (locale, article) DO UPDATE SET schema = excluded.schema, source_locale = excluded.source_locale, source_hash = excluded.source_hash
     WHERE (bundles.schema, bundles.source_locale, bundles.source_hash) IS DISTINCT FROM (excluded.schema, excluded.source_locale, excluded.source_hash)`,
    [...key, next.schema, next.sourceLocale, next.sourceHash]
  )
  const old = new Map((current ? rowsOf(current) : []).map((row) => [`${row.list}:${row.position}`, JSON.stringify(row)]))
  const changed = rowsOf(next).filter((row) => old.get(`${row.list}:${row.position}`) !== JSON.stringify(row))
  if (changed.length > 0) {
    await db.query(
      `INSERT INTO segments (locale, article, list, position, id, state, target, revision, data)
       SELECT $1, $2, r.list, r.position, r.id, r.state, r.target, r.revision, r.data
       FROM jsonb_to_recordset($3::jsonb) AS r(list text, position integer, id text, state text, target text, revision integer, data jsonb)
       ON CONFLICT (locale, article, list, position) DO UPDATE SET
         id = excluded.id, state = excluded.state, target = excluded.target, revision = excluded.revision, data = excluded.data`,
      [...key, JSON.stringify(changed)]
    )
  }
  const removed = await db.query(
    `DELETE FROM segments WHERE locale = $1 AND article = $2
     AND ((list = 'segments' AND position >= $3) OR (list = 'retired' AND position >= $4))`,
    [...key, next.segments.length, next.retired.length]
  )
  return changed.length > 0 || (removed.rowCount ?? 0) > 0 || current === undefined
}
