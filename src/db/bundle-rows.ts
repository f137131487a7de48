// A bundle as rows: its header in `bundles`, one row per segment in
// `segments` (state, target and revision as columns, the rest as jsonb).
// Shared by `db import`/`db export` and the database bundle store, so that
// both read and write the same shape.
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

export function segmentRows(bundle: Bundle): SegmentRow[] {
  const rows = (list: SegmentRow['list'], segments: BundleSegment[]) =>
    segments.map(({state, target, revision, ...data}, position): SegmentRow => ({list, position, id: data.id, state, target: target ?? null, revision, data}))
  return [...rows('segments', bundle.segments), ...rows('retired', bundle.retired)]
}

/** The bundle of a header and its segment rows (in list, position order). */
export function bundleOfRows(header: BundleHeader, rows: readonly SegmentRow[]): Bundle {
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

/** Read one bundle back from its rows. */
export async function readBundleRows(db: Database, header: BundleHeader): Promise<Bundle> {
  const {rows} = await db.query<SegmentRow>(
    'SELECT list, position, id, state, target, revision, data FROM segments WHERE locale = $1 AND article = $2 ORDER BY list, position',
    [header.locale, header.article]
  )
  return bundleOfRows(header, rows)
}
