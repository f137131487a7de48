// The team database as a bundle store. An update is one transaction: the
// bundle's row is locked (SELECT … FOR UPDATE; an advisory lock on its key
// covers a bundle not created yet), read, changed by the caller's `fn`, run
// through the workflow's pure `prepareUpdate` (merge by revision, validate,
// serialise) exactly as the file store does, then written as rows, with one
// append-only audit row per history event. A revision conflict thrown by
// `fn` (`applyEdit`) rolls the transaction back: nothing is written.
import {PasserelleError} from '../errors.ts'
import type {BundleJournal, BundleStore, StoreActor} from '../workflow/bundle-store.ts'
import {journalEventSchema, type Journal, type JournalEvent} from '../workflow/journal.ts'
import {prepareUpdate, serializeBundle, type UpdatedBundle} from '../workflow/store.ts'
import type {Bundle} from '../workflow/types.ts'
import {bundleOfRows, readBundleRows, segmentRows, type BundleHeader, type SegmentRow} from './bundle-rows.ts'
import {withTransaction, type Database, type Pool} from './connect.ts'

const display = (locale: string, slug: string) => `locales/${locale}/${slug}.json`

/** The audit key of a segment: `<locale>/<slug>/<segment id>`. */
export function segmentKey(locale: string, slug: string, id: string): string {
  return `${locale}/${slug}/${id}`
}

export function databaseBundleStore(pool: Pool): BundleStore {
  const journal: BundleJournal = {
    read: (locale, slug) => readSegmentAudit(pool, locale, slug),
    append: (locale, slug, events, actor) => withTransaction(pool, (db) => insertAudit(db, locale, slug, events, actor))
  }

  async function lockedHeaders(db: Database, locale: string, slugs: readonly string[]): Promise<Map<string, BundleHeader>> {
    // Fixed order, so that two multi-bundle updates never wait on each other in a cycle.
    for (const slug of [...slugs].sort()) await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`bundle:${locale}/${slug}`])
    const {rows} = await db.query<BundleHeader>(
      'SELECT locale, article, schema, source_locale, source_hash FROM bundles WHERE locale = $1 AND article = ANY($2) ORDER BY article FOR UPDATE',
      [locale, [...slugs]]
    )
    return new Map(rows.map((row) => [row.article, row]))
  }

  async function write(db: Database, current: Bundle | undefined, proposed: Bundle | undefined, base: StoreUpdateBase): Promise<UpdatedBundle> {
    const locale = proposed?.locale ?? current?.locale ?? ''
    const slug = proposed?.article ?? current?.article ?? ''
    const path = display(locale, slug)
    const prepared = prepareUpdate(current, proposed, base, path)
    if (!prepared) return {path, bundle: current, written: false}
    // Unchanged text writes nothing, as `writeIfChanged` does for files.
    if (current && serializeBundle(current, path) === prepared.text) return {path, bundle: prepared.next, written: false, text: prepared.text}
    await writeRows(db, current, prepared.next)
    return {path, bundle: prepared.next, written: true, text: prepared.text}
  }

  return {
    kind: 'database',
    display,
    async listLocales() {
      const {rows} = await pool.query<{locale: string}>('SELECT DISTINCT locale FROM bundles ORDER BY locale')
      return rows.map((row) => row.locale)
    },
    async listSlugs(locale) {
      const {rows} = await pool.query<{article: string}>('SELECT article FROM bundles WHERE locale = $1 ORDER BY article', [locale])
      return rows.map((row) => row.article)
    },
    async readText(locale, slug) {
      const bundle = await this.read(locale, slug)
      return bundle ? serializeBundle(bundle, display(locale, slug)) : undefined
    },
    async read(locale, slug) {
      // One snapshot for header and segments: a save between two queries must not mix two versions.
      return withTransaction(pool, async (db) => {
        await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
        const {rows} = await db.query<BundleHeader>('SELECT locale, article, schema, source_locale, source_hash FROM bundles WHERE locale = $1 AND article = $2', [locale, slug])
        return rows[0] ? readBundleRows(db, rows[0]) : undefined
      })
    },
    async readLocale(locale, options = {}) {
      return withTransaction(pool, async (db) => {
        await db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY')
        const wanted = options.slugs ? [...options.slugs] : null
        const {rows: headers} = await db.query<BundleHeader>(
          'SELECT locale, article, schema, source_locale, source_hash FROM bundles WHERE locale = $1 AND ($2::text[] IS NULL OR article = ANY($2)) ORDER BY article',
          [locale, wanted]
        )
        const {rows} = await db.query<SegmentRow & {article: string}>(
          `SELECT article, list, position, id, state, target, revision, data FROM segments
           WHERE locale = $1 AND ($2::text[] IS NULL OR article = ANY($2)) ORDER BY article, list, position`,
          [locale, wanted]
        )
        const byArticle = new Map<string, SegmentRow[]>()
        for (const row of rows) {
          const list = byArticle.get(row.article)
          if (list) list.push(row)
          else byArticle.set(row.article, [row])
        }
        return {bundles: headers.map((header) => bundleOfRows(header, byArticle.get(header.article) ?? [])), problems: [] as PasserelleError[]}
      })
    },
    async stamps() {
      // xmin changes with every update of the row, and every write (and `db import`) updates it.
      const {rows} = await pool.query<{locale: string; article: string; stamp: string}>('SELECT locale, article, xmin::text AS stamp FROM bundles')
      return new Map(rows.map((row) => [`${row.locale}/${row.article}`, row.stamp]))
    },
    async stamp(locale, slug) {
      const {rows} = await pool.query<{stamp: string}>('SELECT xmin::text AS stamp FROM bundles WHERE locale = $1 AND article = $2', [locale, slug])
      return rows[0]?.stamp ?? ''
    },
    async update(locale, slug, fn, options = {}) {
      return withTransaction(pool, async (db) => {
        const header = (await lockedHeaders(db, locale, [slug])).get(slug)
        const current = header ? await readBundleRows(db, header) : undefined
        const result = await write(db, current, fn(current), options)
        if (result.written && options.events) await insertAudit(db, locale, slug, options.events(), options.actor)
        return result
      })
    },
    async updateMany(locale, slugs, fn) {
      return withTransaction(pool, async (db) => {
        const headers = await lockedHeaders(db, locale, slugs)
        const bundles: Bundle[] = []
        for (const slug of slugs) {
          const header = headers.get(slug)
          if (header) bundles.push(await readBundleRows(db, header))
        }
        const results: UpdatedBundle[] = []
        for (const next of fn({bundles, problems: []})) {
          if (next.locale !== locale || !slugs.includes(next.article)) {
            throw new PasserelleError('E_BUNDLE', `bundle ${next.locale}/${next.article} was not locked for this update`, {hint: 'this is a bug in Passerelle'})
          }
          results.push(await write(db, bundles.find((bundle) => bundle.article === next.article), next, {}))
        }
        return results
      })
    },
    journal
  }
}

type StoreUpdateBase = Parameters<typeof prepareUpdate>[2]

/** Write the header, then only the segment rows that differ; rows past the new end go. */
async function writeRows(db: Database, current: Bundle | undefined, next: Bundle): Promise<void> {
  // Always an UPDATE of the header row (even when it is unchanged): its xmin is the cache stamp.
  await db.query(
    `INSERT INTO bundles (locale, article, schema, source_locale, source_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (locale, article) DO UPDATE SET schema = excluded.schema, source_locale = excluded.source_locale, source_hash = excluded.source_hash`,
    [next.locale, next.article, next.schema, next.sourceLocale, next.sourceHash]
  )
  const before = new Map((current ? segmentRows(current) : []).map((row) => [`${row.list}:${row.position}`, JSON.stringify(row)]))
  const rows = segmentRows(next)
  const changed = rows.filter((row) => before.get(`${row.list}:${row.position}`) !== JSON.stringify(row))
  if (changed.length > 0) {
    await db.query(
      `INSERT INTO segments (locale, article, list, position, id, state, target, revision, data)
       SELECT $1, $2, r.list, r.position, r.id, r.state, r.target, r.revision, r.data
       FROM jsonb_to_recordset($3::jsonb) AS r(list text, position integer, id text, state text, target text, revision integer, data jsonb)
       ON CONFLICT (locale, article, list, position) DO UPDATE
         SET id = excluded.id, state = excluded.state, target = excluded.target, revision = excluded.revision, data = excluded.data`,
      [next.locale, next.article, JSON.stringify(changed)]
    )
  }
  await db.query(
    `DELETE FROM segments WHERE locale = $1 AND article = $2
     AND ((list = 'segments' AND position >= $3) OR (list = 'retired' AND position >= $4))`,
    [next.locale, next.article, next.segments.length, next.retired.length]
  )
}

interface AuditRow {
  at: Date
  actor: string
  entity_key: string
  action: string
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}

/** One audit row per event: who, when, the state and target before and after (edits), or the comment. */
export async function insertAudit(db: Database, locale: string, slug: string, events: readonly JournalEvent[], actor?: StoreActor): Promise<void> {
  if (events.length === 0) return
  const rows = events.map((event) => {
    const checked = journalEventSchema.parse(event)
    const base = {at: checked.at, actor: checked.by ?? actor?.name ?? 'unknown', key: segmentKey(locale, slug, checked.segment), action: checked.type}
    switch (checked.type) {
      case 'edit':
        return {...base, before: checked.from, after: {...checked.to, revision: checked.revision, ...(checked.via ? {via: checked.via} : {})}}
      case 'comment':
        return {...base, before: null, after: {comment: checked.comment, text: checked.text, ...(checked.replyTo ? {replyTo: checked.replyTo} : {})}}
      case 'resolve':
        return {...base, before: null, after: {comment: checked.comment, resolved: checked.resolved}}
    }
  })
  await db.query(
    `INSERT INTO audit (at, actor_id, actor, entity, entity_key, action, before, after)
     SELECT r.at, $1, r.actor, 'segment', r.key, r.action, r.before, r.after
     FROM jsonb_to_recordset($2::jsonb) AS r(at timestamptz, actor text, key text, action text, before jsonb, after jsonb)`,
    [actor?.id ?? null, JSON.stringify(rows)]
  )
}

/** A bundle's history from the audit table, oldest first, as journal events. */
async function readSegmentAudit(pool: Pool, locale: string, slug: string): Promise<Journal> {
  const prefix = `${locale}/${slug}/`
  const {rows} = await pool.query<AuditRow>(
    `SELECT at, actor, entity_key, action, before, after FROM audit
     WHERE entity = 'segment' AND entity_key LIKE $1 ESCAPE '\\' ORDER BY id`,
    [prefix.replace(/[\\%_]/g, (char) => `\\${char}`) + '%']
  )
  const events: JournalEvent[] = []
  const problems: string[] = []
  for (const row of rows) {
    const event = eventOfAudit(row, prefix)
    const parsed = journalEventSchema.safeParse(event)
    if (parsed.success) events.push(parsed.data)
    else problems.push(`audit ${row.entity_key} (${row.action}): not a history event (${parsed.error.issues[0]?.message ?? 'invalid'})`)
  }
  return {events, problems}
}

export function eventOfAudit(row: AuditRow, prefix: string): unknown {
  const segment = row.entity_key.slice(prefix.length)
  const common = {segment, at: row.at.toISOString(), by: row.actor}
  const after = row.after ?? {}
  if (row.action === 'edit') {
    const {revision, via, ...to} = after as {revision: number; via?: string}
    return {type: 'edit', ...common, revision, from: row.before, to, ...(via ? {via} : {})}
  }
  if (row.action === 'comment') return {type: 'comment', ...common, ...after}
  if (row.action === 'resolve') return {type: 'resolve', ...common, ...after}
  return {type: row.action}
}
