// The team database as a bundle store. An update is one short transaction:
// the bundle's row is locked (SELECT … FOR UPDATE; an advisory lock on its
// key covers a bundle not created yet), read, changed by the caller's `fn`,
// run through the workflow's pure `prepareUpdate` (merge by revision,
// validate, serialise) exactly as the file store does, then written as rows
// (`writeRows`: only the rows that differ, one statement), with one
// append-only audit row per history event (`recordAudit`, one statement). A
// revision conflict thrown by `fn` (`applyEdit`) rolls the transaction back:
// nothing is written. A segment save (`updateSegment`) reads and writes that
// segment's row alone, under the same lock on the bundle's row: BEGIN, lock,
// read the row, write it (and bump the header, the caches' stamp), audit,
// COMMIT, whatever the bundle's size.
import {PasserelleError} from '../errors.ts'
import type {BundleJournal, BundleStore, StoreActor} from '../workflow/bundle-store.ts'
import {journalEventSchema, type Journal, type JournalEvent} from '../workflow/journal.ts'
import {checkSegment, prepareUpdate, serializeBundle, type UpdatedBundle} from '../workflow/store.ts'
import type {Bundle} from '../workflow/types.ts'
import {readAudit, recordAudit, type AuditEntry, type AuditRecord} from './audit.ts'
import {bundleOfRows, readBundleRows, segmentOfRow, writeRows, writeSegmentRow, type BundleHeader, type SegmentRow} from './bundle-rows.ts'
import {withTransaction, type Database, type Pool} from './connect.ts'

const display = (locale: string, slug: string) => `locales/${locale}/${slug}.json`

/** The audit key of a segment: `<locale>/<slug>/<segment id>`. */
export function segmentKey(locale: string, slug: string, id: string): string {
  return `${locale}/${slug}/${id}`
}

export function databaseBundleStore(pool: Pool): BundleStore {
  const journal: BundleJournal = {
    read: (locale, slug) => readSegmentAudit(pool, locale, slug),
    append: (locale, slug, events, actor) => withTransaction(pool, (db) => recordAudit(db, auditOfEvents(locale, slug, events, actor)))
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
    // Unchanged rows write nothing, as `writeIfChanged` does for files; rows are compared, the current bundle is not serialised again.
    const stamp = await writeRows(db, current, prepared.next)
    if (stamp === undefined) return {path, bundle: prepared.next, written: false, text: prepared.text}
    return {path, bundle: prepared.next, written: true, text: prepared.text, stamp}
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
        if (result.written && options.events) await recordAudit(db, auditOfEvents(locale, slug, options.events(), options.actor))
        return result
      })
    },
    async updateSegment(locale, slug, id, fn, options = {}) {
      return withTransaction(pool, async (db) => {
        // The bundle's row first, as every writer locks it: a whole-bundle update never interleaves with this one.
        // (No advisory lock: a segment of a bundle that does not exist yet cannot be saved.)
        const {rows: headers} = await db.query<{source_locale: string; stamp: string}>(
          'SELECT source_locale, xmin::text AS stamp FROM bundles WHERE locale = $1 AND article = $2 FOR UPDATE',
          [locale, slug]
        )
        const header = headers[0]
        // A statement after the lock: it sees what the writer before us committed.
        const {rows} = header
          ? await db.query<SegmentRow>(
              "SELECT list, position, id, state, target, revision, data FROM segments WHERE locale = $1 AND article = $2 AND list = 'segments' AND id = $3",
              [locale, slug, id]
            )
          : {rows: []}
        const row = rows[0]
        const current = row ? segmentOfRow(row) : undefined
        const proposed = fn(current, header ? {sourceLocale: header.source_locale, locale, article: slug} : undefined)
        if (!header || !row || !current || !proposed || proposed === current) return {segment: current, written: false}
        const next = checkSegment(proposed, display(locale, slug))
        if (next.id !== current.id) throw new PasserelleError('E_BUNDLE', `segment ${current.id} may not change its id`, {file: display(locale, slug), hint: 'this is a bug in Passerelle'})
        const stamp = await writeSegmentRow(db, locale, slug, row.position, current, next)
        if (stamp === undefined) return {segment: current, written: false}
        if (options.events) await recordAudit(db, auditOfEvents(locale, slug, options.events(), options.actor))
        return {segment: next, written: true, stamps: {before: header.stamp, after: stamp}}
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

/** One audit record per event: who, when, the state and target before and after (edits), or the comment. */
export function auditOfEvents(locale: string, slug: string, events: readonly JournalEvent[], actor?: StoreActor): AuditRecord[] {
  return events.map((event): AuditRecord => {
    const checked = journalEventSchema.parse(event)
    const base = {at: checked.at, actor: {name: checked.by ?? actor?.name ?? 'unknown', ...(actor?.id === undefined ? {} : {id: actor.id})}, entity: 'segment' as const, key: segmentKey(locale, slug, checked.segment), action: checked.type}
    switch (checked.type) {
      case 'edit':
        return {...base, before: checked.from, after: {...checked.to, revision: checked.revision, ...(checked.via ? {via: checked.via} : {})}}
      case 'comment':
        return {...base, after: {comment: checked.comment, text: checked.text, ...(checked.replyTo ? {replyTo: checked.replyTo} : {})}}
      case 'resolve':
        return {...base, after: {comment: checked.comment, resolved: checked.resolved}}
    }
  })
}

/** A bundle's history from the audit table, oldest first, as journal events. */
async function readSegmentAudit(pool: Pool, locale: string, slug: string): Promise<Journal> {
  const prefix = segmentKey(locale, slug, '')
  const events: JournalEvent[] = []
  const problems: string[] = []
  for (const entry of await readAudit(pool, {entity: 'segment', keyPrefix: prefix})) {
    const parsed = journalEventSchema.safeParse(eventOfAudit(entry, prefix))
    if (parsed.success) events.push(parsed.data)
    else problems.push(`audit ${entry.key} (${entry.action}): not a history event (${parsed.error.issues[0]?.message ?? 'invalid'})`)
  }
  return {events, problems}
}

export function eventOfAudit(entry: Pick<AuditEntry, 'key' | 'at' | 'actor' | 'action' | 'before' | 'after'>, prefix: string): unknown {
  const segment = entry.key.slice(prefix.length)
  const common = {segment, at: entry.at, by: entry.actor}
  const after = (entry.after ?? {}) as Record<string, unknown>
  if (entry.action === 'edit') {
    const {revision, via, ...to} = after as {revision: number; via?: string}
    return {type: 'edit', ...common, revision, from: entry.before, to, ...(via ? {via} : {})}
  }
  if (entry.action === 'comment') return {type: 'comment', ...common, ...after}
  if (entry.action === 'resolve') return {type: 'resolve', ...common, ...after}
  return {type: entry.action}
}
