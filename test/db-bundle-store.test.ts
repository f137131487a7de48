// The two bundle stores (project files, team database) behave alike: the
// same reads, the same merge by revision, the same conflict on a stale
// revision with nothing written, history recorded with the change. The
// database one also serialises concurrent saves of one segment (exactly one
// wins) and keeps its audit rows append-only.
import {cp, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {databaseBundleStore, importProject, migrate, openPool, withDatabase, type Pool} from '../src/db/index.ts'
import {applyEdit, ConflictError, fileBundleStore, revisionsOf, type Bundle, type BundleStore} from '../src/workflow/index.ts'
import {editEventOf} from '../src/workflow/journal.ts'
import {TmCache} from '../src/review/suggestions.ts'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP db-bundle-store (database half): ${missing}`)

const slug = 'les-personnes-en-deplacement-font-partie-de-la-solution'
const at = '2026-12-07T04:00:00.000Z'

/** The same save through `updateSegment` (what the review app's save route calls): one segment, by id. */
function saveOne(store: BundleStore, id: string, target: string, revision: number, by = 'ana@example.org') {
  const events: ReturnType<typeof editEventOf>[] = []
  return store.updateSegment(
    'en',
    slug,
    id,
    (current) => {
      const next = applyEdit(current!, {revision, target}, {by, now: at, hits: [], locales: {source: 'fr', target: 'en'}})
      events.push(editEventOf(current!, next, {at, by}))
      return next
    },
    {events: () => events.filter((event) => event !== undefined), actor: {name: by}}
  )
}

/** Save a new target on segment `index` at `revision`, with its history event, as the review app does. */
function save(store: BundleStore, index: number, target: string, revision: number, by = 'ana@example.org') {
  const events: ReturnType<typeof editEventOf>[] = []
  return store.update(
    'en',
    slug,
    (bundle) => {
      const current = bundle!.segments[index]!
      const next = applyEdit(current, {revision, target}, {by, now: at, hits: [], locales: {source: 'fr', target: 'en'}})
      events.push(editEventOf(current, next, {at, by}))
      return {...bundle!, segments: bundle!.segments.map((segment, i) => (i === index ? next : segment))}
    },
    {events: () => events.filter((event) => event !== undefined), actor: {name: by}}
  )
}

describe('bundle stores', () => {
  let temp: TempProject
  let cluster: TestCluster | undefined
  let pool: Pool | undefined
  const stores: Record<string, () => BundleStore> = {}

  beforeAll(async () => {
    temp = await tempProject({}, {content: true})
    await cp(join(repoRoot, 'locales'), join(temp.root, 'locales'), {recursive: true})
    stores.files = () => fileBundleStore(temp.project)
    if (!missing) {
      cluster = await startCluster()
      const url = await cluster.createDatabase('stores')
      await withDatabase(url, async (db) => {
        await migrate(db)
        await importProject(db, temp.project)
      })
      pool = await openPool(url)
      stores.database = () => databaseBundleStore(pool!)
    }
  }, 120_000)
  afterAll(async () => {
    await pool?.end()
    await cluster?.stop()
    await temp?.cleanup()
  })

  for (const kind of ['files', 'database'] as const) {
    describe.skipIf(kind === 'database' && missing !== undefined)(kind, () => {
      let original: Bundle
      it('reads the bundle the files hold, and its text byte for byte', async () => {
        const store = stores[kind]!()
        const text = await readFile(join(repoRoot, 'locales', 'en', `${slug}.json`), 'utf8')
        expect(await store.readText('en', slug)).toBe(text)
        original = (await store.read('en', slug))!
        expect(original.segments.length).toBeGreaterThan(3)
        expect(await store.listLocales()).toEqual(expect.arrayContaining(['en', 'es']))
        expect(await store.listSlugs('en')).toContain(slug)
        expect((await store.readLocale('en')).bundles.map((bundle) => bundle.article)).toContain(slug)
        expect(await store.read('en', 'no-such-article')).toBeUndefined()
      })

      it('saves an edit with its history, and refuses a stale revision without writing anything', async () => {
        const store = stores[kind]!()
        const first = original.segments[0]!
        const saved = await save(store, 0, 'A new target.', first.revision)
        expect(saved.written).toBe(true)
        const after = (await store.read('en', slug))!
        expect(after.segments[0]).toMatchObject({target: 'A new target.', revision: first.revision + 1})
        const history = await store.journal.read('en', slug)
        expect(history.events.filter((event) => event.segment === first.id)).toEqual([
          {type: 'edit', segment: first.id, at, by: 'ana@example.org', revision: first.revision + 1, from: {state: first.state, target: first.target}, to: {state: 'translated', target: 'A new target.'}}
        ])
        const stamp = await store.stamp('en', slug)
        await expect(save(store, 0, 'Stale edit.', first.revision, 'bob@example.org')).rejects.toBeInstanceOf(ConflictError)
        expect((await store.read('en', slug))!.segments[0]!.target).toBe('A new target.')
        expect((await store.journal.read('en', slug)).events).toHaveLength(history.events.length)
        expect(await store.stamp('en', slug)).toBe(stamp)
      })

      it('keeps a change made meanwhile when a long run saves against an older read (merge by revision)', async () => {
        const store = stores[kind]!()
        const before = (await store.read('en', slug))!
        const base = revisionsOf(before)
        // A reviewer saves segment 1 while the "run" works from `before`.
        await save(store, 1, 'Reviewer wins.', before.segments[1]!.revision)
        const ours: Bundle = {...before, segments: before.segments.map((segment, i) => (i === 1 || i === 2 ? {...segment, target: `machine ${i}`, revision: segment.revision + 1} : segment))}
        await store.update('en', slug, () => ours, {base})
        const now = (await store.read('en', slug))!
        expect(now.segments[1]!.target).toBe('Reviewer wins.')
        expect(now.segments[2]!.target).toBe('machine 2')
      })

      it('updates several bundles of a locale in one step, and leaves the others alone', async () => {
        const store = stores[kind]!()
        const slugs = (await store.listSlugs('en')).filter((item) => item !== slug && item !== '_site').slice(0, 2)
        expect(slugs).toHaveLength(2)
        const untouched = await store.readText('en', slug)
        const results = await store.updateMany('en', slugs, ({bundles}) =>
          bundles.map((bundle) => ({...bundle, segments: bundle.segments.map((segment, i) => (i === 0 ? {...segment, target: `Imported into ${bundle.article}.`, revision: segment.revision + 1} : segment))}))
        )
        expect(results.map((result) => result.written)).toEqual([true, true])
        for (const other of slugs) expect((await store.read('en', other))!.segments[0]!.target).toBe(`Imported into ${other}.`)
        expect(await store.readText('en', slug)).toBe(untouched)
        await expect(store.updateMany('en', slugs, () => [{...original, article: slug}])).rejects.toThrow(/not locked/)
      })

      it('saves one segment by id: the bundle reads as if the whole of it had been rewritten, with the history; a stale revision writes nothing', async () => {
        const store = stores[kind]!()
        const before = (await store.read('en', slug))!
        const segment = before.segments[5]!
        const saved = await saveOne(store, segment.id, 'One segment alone.', segment.revision)
        expect(saved.written).toBe(true)
        expect(saved.segment).toMatchObject({id: segment.id, target: 'One segment alone.', revision: segment.revision + 1})
        const after = (await store.read('en', slug))!
        // Every other segment, the retired list and the header as they were; this one as saved.
        expect(after).toEqual({...before, segments: before.segments.map((item, i) => (i === 5 ? saved.segment : item))})
        expect((await store.journal.read('en', slug)).events.filter((event) => event.segment === segment.id).at(-1)).toEqual({
          type: 'edit', segment: segment.id, at, by: 'ana@example.org', revision: segment.revision + 1, from: {state: segment.state, target: segment.target}, to: {state: 'translated', target: 'One segment alone.'}
        })
        const stamp = await store.stamp('en', slug)
        expect(stamp).not.toBe('')
        if (saved.stamps) expect(saved.stamps.after).toBe(stamp)
        const events = (await store.journal.read('en', slug)).events.length
        await expect(saveOne(store, segment.id, 'Stale.', segment.revision, 'bob@example.org')).rejects.toBeInstanceOf(ConflictError)
        expect((await store.read('en', slug))!.segments[5]!.target).toBe('One segment alone.')
        expect((await store.journal.read('en', slug)).events).toHaveLength(events)
        expect(await store.stamp('en', slug)).toBe(stamp)
        await expect(saveOne(store, 'ffffffffffff', 'No such segment.', 0)).rejects.toThrow()
      })

      it('comments go to the journal', async () => {
        const store = stores[kind]!()
        const id = original.segments[3]!.id
        await store.journal.append('en', slug, [{type: 'comment', segment: id, comment: 'abcdefabcdef', at, by: 'ana@example.org', text: 'Check the name.'}], {name: 'ana@example.org'})
        const events = (await store.journal.read('en', slug)).events.filter((event) => event.segment === id)
        expect(events).toEqual([{type: 'comment', segment: id, comment: 'abcdefabcdef', at, by: 'ana@example.org', text: 'Check the name.'}])
      })
    })
  }

  describe.skipIf(missing !== undefined)('database only', () => {
    it('ten concurrent saves of one segment at one revision: exactly one wins, nine conflicts, one audit row', async () => {
      const store = stores.database!()
      const before = (await store.read('en', slug))!
      const segment = before.segments[4]!
      const auditBefore = (await store.journal.read('en', slug)).events.length
      const results = await Promise.allSettled(Array.from({length: 10}, (_, i) => save(store, 4, `Concurrent ${i}.`, segment.revision, `user${i}@example.org`)))
      const won = results.filter((result) => result.status === 'fulfilled')
      const lost = results.filter((result) => result.status === 'rejected')
      expect(won).toHaveLength(1)
      expect(lost.every((result) => (result as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true)
      const after = (await store.read('en', slug))!.segments[4]!
      expect(after.revision).toBe(segment.revision + 1)
      const events = (await store.journal.read('en', slug)).events
      expect(events).toHaveLength(auditBefore + 1)
      expect(events.at(-1)).toMatchObject({type: 'edit', to: {target: after.target}})
    })

    it('concurrent saves of different segments of one article all succeed: no conflict, no lost edit, one audit row each', async () => {
      const store = stores.database!()
      const before = (await store.read('en', slug))!
      const targets = before.segments.slice(6, 14)
      expect(targets).toHaveLength(8)
      const auditBefore = (await store.journal.read('en', slug)).events.length
      const results = await Promise.allSettled(targets.map((segment, i) => saveOne(store, segment.id, `Parallel ${i}.`, segment.revision, `user${i}@example.org`)))
      expect(results.map((result) => result.status)).toEqual(targets.map(() => 'fulfilled'))
      const after = (await store.read('en', slug))!
      targets.forEach((segment, i) => expect(after.segments[6 + i]).toMatchObject({id: segment.id, target: `Parallel ${i}.`, revision: segment.revision + 1}))
      const events = (await store.journal.read('en', slug)).events.slice(auditBefore)
      expect(events.map((event) => event.segment).sort()).toEqual(targets.map((segment) => segment.id).sort())
    })

    it('ten concurrent one-segment saves at one revision: exactly one wins, nine conflicts, one audit row', async () => {
      const store = stores.database!()
      const segment = (await store.read('en', slug))!.segments[15]!
      const auditBefore = (await store.journal.read('en', slug)).events.length
      const results = await Promise.allSettled(Array.from({length: 10}, (_, i) => saveOne(store, segment.id, `Race ${i}.`, segment.revision, `user${i}@example.org`)))
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
      expect(results.filter((result) => result.status === 'rejected').every((result) => (result as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true)
      const after = (await store.read('en', slug))!.segments[15]!
      expect(after.revision).toBe(segment.revision + 1)
      const events = (await store.journal.read('en', slug)).events
      expect(events).toHaveLength(auditBefore + 1)
      expect(events.at(-1)).toMatchObject({type: 'edit', segment: segment.id, to: {target: after.target}})
    })

    it('the translation-memory cache takes a one-segment save without re-reading the bundle, and finds the new target', async () => {
      const inner = stores.database!()
      let reads = 0
      const store: BundleStore = {...inner, read: (locale, slugName) => (reads++, inner.read(locale, slugName))}
      const tm = new TmCache(temp.project, store)
      await tm.memory()
      const before = (await inner.read('en', slug))!
      const segment = before.segments[16]!
      const saved = await saveOne(store, segment.id, 'Memory keeps this one.', segment.revision)
      await tm.savedSegment('en', slug, saved.segment!, saved.stamps!)
      const readsAfterLoad = reads
      const memory = (await tm.memory())!
      expect(reads).toBe(readsAfterLoad)
      expect(tm.rebuilds).toBe(1)
      const targets = memory.lookup({source: segment.source, sourceLocale: 'fr', targetLocale: 'en', hash: segment.hash}).map((match) => match.unit.target)
      expect(targets).toContain('Memory keeps this one.')
      expect(targets).not.toContain(segment.target)
    })

    it('audit rows cannot be changed or deleted', async () => {
      await expect(pool!.query("UPDATE audit SET actor = 'mallory' WHERE entity = 'segment'")).rejects.toThrow(/append-only/)
      await expect(pool!.query("DELETE FROM audit WHERE entity = 'segment'")).rejects.toThrow(/append-only/)
    })
  })
})
