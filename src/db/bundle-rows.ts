// A bundle as rows: its header in `bundles`, one row per segment in
// `segments` (state, target and revision as columns, the rest as jsonb).
// Shared by `db import`/`db export` and the database bundle store, so that
// both read and write the same shape: `readBundleRows` and `writeRows` are
// the one reader and writer of those tables.
import type {Bundle, BundleSegment} from '../workflow/index.ts'
import type {Database} from './connect.ts'

export interface SegmentRow {
  list: 'segments' | 'retired'
  position: number
  id: string
  state: string
  target: string | null
  revision: number
  data: Omit<BundleSegment, 'state' | 'target' | 'revision'>
}

export interface BundleHeader {
  locale: string
  article: string
  schema: number
  source_locale: string
  source_hash: string
}

function segmentRow(list: SegmentRow['list'], {state, target, revision, ...data}: BundleSegment, position: number): SegmentRow {
  return {list, position, id: data.id, state, target: target ?? null, revision, data}
}

export function segmentRows(bundle: Bundle): SegmentRow[] {
  return [...bundle.segments.map((segment, position) => segmentRow('segments', segment, position)), ...bundle.retired.map((segment, position) => segmentRow('retired', segment, position))]
}

/** The segment of a row. */
export function segmentOfRow(row: SegmentRow): BundleSegment {
  return {...row.data, state: row.state, ...(row.target === null ? {} : {target: row.target}), revision: row.revision} as BundleSegment
}

/** The bundle of a header and its segment rows (in list, position order). */
export function bundleOfRows(header: BundleHeader, rows: readonly SegmentRow[]): Bundle {
  const segment = segmentOfRow
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

/** Read one bundle back from its rows. */
export async function readBundleRows(db: Database, header: BundleHeader): Promise<Bundle> {
  const {rows} = await db.query<SegmentRow>(
    'SELECT list, position, id, state, target, revision, data FROM segments WHERE locale = $1 AND article = $2 ORDER BY list, position',
    [header.locale, header.article]
  )
  return bundleOfRows(header, rows)
}

/**
 * Write a bundle as rows, in one statement: the header, the segment rows
 * that differ from `current` (every row when there is none), and no row past
 * the new ends. Gives back the header's new stamp (its xmin: the writing
 * transaction), or undefined when nothing differs from `current` (nothing is
 * written then). Otherwise the header is always updated, even when
 * unchanged: its xmin is what caches compare.
 */
export async function writeRows(db: Database, current: Bundle | undefined, next: Bundle): Promise<string | undefined> {
  const changed = changedRows(current, next)
  if (current && changed.length === 0 && sameHeader(current, next) && current.segments.length === next.segments.length && current.retired.length === next.retired.length) return undefined
  const {rows} = await db.query<{stamp: string}>(
    `WITH header AS (
       INSERT INTO bundles (locale, article, schema, source_locale, source_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (locale, article) DO UPDATE SET schema = excluded.schema, source_locale = excluded.source_locale, source_hash = excluded.source_hash
       RETURNING xmin::text AS stamp
     ), changed AS (
       INSERT INTO segments (locale, article, list, position, id, state, target, revision, data)
       SELECT $1, $2, r.list, r.position, r.id, r.state, r.target, r.revision, r.data
       FROM jsonb_to_recordset($6::jsonb) AS r(list text, position integer, id text, state text, target text, revision integer, data jsonb)
       ON CONFLICT (locale, article, list, position) DO UPDATE
         SET id = excluded.id, state = excluded.state, target = excluded.target, revision = excluded.revision, data = excluded.data
     ), gone AS (
       DELETE FROM segments WHERE locale = $1 AND article = $2
       AND ((list = 'segments' AND position >= $7) OR (list = 'retired' AND position >= $8))
     )
     SELECT stamp FROM header`,
    [next.locale, next.article, next.schema, next.sourceLocale, next.sourceHash, JSON.stringify(changed), next.segments.length, next.retired.length]
  )
  return rows[0]!.stamp
}

/**
 * Write one live segment's row in place (its id and position unchanged) and
 * bump the bundle's header, in one statement; gives back the header's new
 * stamp, or undefined when the row does not differ (nothing is written).
 */
export async function writeSegmentRow(db: Database, locale: string, article: string, position: number, current: BundleSegment, next: BundleSegment): Promise<string | undefined> {
  const row = segmentRow('segments', next, position)
  if (sameJson(segmentRow('segments', current, position), row)) return undefined
  const {rows} = await db.query<{stamp: string}>(
    `WITH segment AS (
       UPDATE segments SET id = $4, state = $5, target = $6, revision = $7, data = $8
       WHERE locale = $1 AND article = $2 AND list = 'segments' AND position = $3
     )
     UPDATE bundles SET schema = schema WHERE locale = $1 AND article = $2 RETURNING xmin::text AS stamp`,
    [locale, article, position, row.id, row.state, row.target, row.revision, JSON.stringify(row.data)]
  )
  return rows[0]!.stamp
}

/** Equal as JSON whatever the key order (rows read back from jsonb have jsonb's order, not the bundle schema's). */
function sameJson(a: unknown, b: unknown): boolean {
  const sorted = (_key: string, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : value
  return JSON.stringify(a, sorted) === JSON.stringify(b, sorted)
}

function sameHeader(a: Bundle, b: Bundle): boolean {
  return a.locale === b.locale && a.article === b.article && a.schema === b.schema && a.sourceLocale === b.sourceLocale && a.sourceHash === b.sourceHash
}

/** The rows of `next` that differ from those of `current`; a segment object `current` also holds (unchanged by the edit) is not compared. */
function changedRows(current: Bundle | undefined, next: Bundle): SegmentRow[] {
  if (!current) return segmentRows(next)
  const changed: SegmentRow[] = []
  for (const list of ['segments', 'retired'] as const) {
    next[list].forEach((segment, position) => {
      const before = current[list][position]
      if (before === segment) return
      const row = segmentRow(list, segment, position)
      if (!before || !sameJson(segmentRow(list, before, position), row)) changed.push(row)
    })
  }
  return changed
}
