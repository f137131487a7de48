// The translator's workbench routes of the review app: machine translation
// on demand, concordance, QA of a target being typed, history with revert
// (revert is a save with `?via=revert`), comment threads, and bulk approval.
// Writes go through `updateSegments` (the one write path); the history and
// comments live in `<slug>.history.jsonl` beside the bundle.
import {randomBytes} from 'node:crypto'
import type {Context, Hono} from 'hono'
import {z} from 'zod'
import {commentThreads, type JournalEvent} from '../workflow/journal.ts'
import {createEngine} from '../engines/index.ts'
import type {Engine} from '../engines/types.ts'
import {PasserelleError} from '../errors.ts'
import {ApprovalError, applyEdit, ConflictError} from '../workflow/edit.ts'
import type {Locale} from '../types.ts'
import {checkTarget} from '../workflow/check.ts'
import {concordance} from './concordance.ts'
import {readJson, HttpError} from './security.ts'
import type {StoreActor} from '../workflow/bundle-store.ts'
import {checkLocale, checkSegmentId, parseBody} from './validate.ts'
import type {BulkApproveResponse, CheckResponse, MachineData, SegmentHistoryData} from './wire.ts'
import {readBundle, updateSegments, type WriteContext} from './write.ts'

export interface WorkbenchContext extends WriteContext {
  /** Who acts: the signed-in user in team mode, else the name the browser gives or the server's default. */
  actor: (c: Context) => StoreActor
  now: () => string
  articleParams: (c: Context) => {locale: Locale; slug: string}
  targetLocales: () => Promise<Locale[]>
  machine?: (() => Promise<Engine[]>) | undefined
}

const checkSchema = z.strictObject({target: z.string().max(20_000)})
const commentSchema = z.strictObject({text: z.string().trim().min(1).max(4_000), replyTo: z.string().regex(/^[0-9a-f]{12}$/).optional()})
const resolveSchema = z.strictObject({resolved: z.boolean()})
const bulkSchema = z.strictObject({segments: z.array(z.strictObject({id: z.string(), revision: z.number().int().min(0)})).min(1).max(10_000)})

export function registerWorkbenchRoutes(app: Hono, context: WorkbenchContext): void {
  const {project} = context
  const source = project.config.sourceLocale
  let engines: Promise<Engine[]> | undefined
  const machine = () => {
    engines ??= (context.machine ?? (async () => [await createEngine(project.config.engine, project.config)]))().catch((error: unknown) => {
      engines = undefined
      throw error
    })
    return engines
  }

  const segmentOf = async (c: Context) => {
    const {locale, slug} = context.articleParams(c)
    const id = checkSegmentId(c.req.param('id') ?? '')
    const bundle = await readBundle(context.store, locale, slug)
    const segment = bundle.segments.find((item) => item.id === id)
    if (!segment) throw new PasserelleError('E_NOT_FOUND', `no segment ${id} in ${locale}/${slug}`)
    return {locale, slug, id, bundle, segment}
  }

  // A machine translation of the segment from each configured engine: shown, never saved.
  app.post('/api/articles/:locale/:slug/segments/:id/mt', async (c) => {
    const {locale, bundle, segment} = await segmentOf(c)
    const glossary = await context.glossary.read()
    const data: MachineData = {suggestions: [], problems: []}
    for (const engine of await machine()) {
      const options = {from: bundle.sourceLocale, to: locale}
      try {
        await engine.check(options.from, options.to)
        await engine.prepare?.(glossary.termbase, options)
        const [output] = await engine.translate([{id: segment.hash, text: segment.source, hits: glossary.hits(segment.source, locale)}], options)
        if (output) data.suggestions.push({engine: engine.name, route: engine.route(options.from, options.to), target: output.text, unknown: output.unknown})
      } catch (error) {
        if (!(error instanceof PasserelleError)) throw error
        data.problems.push(`${engine.name}: ${error.message}`)
      }
    }
    return c.json(data)
  })

  // QA of a target as it is being typed (nothing saved).
  app.post('/api/articles/:locale/:slug/segments/:id/check', async (c) => {
    const {locale, bundle, segment} = await segmentOf(c)
    const {target} = parseBody(checkSchema, await readJson(c))
    const glossary = await context.glossary.read()
    const acknowledged = target === segment.target ? segment.acknowledged : []
    const checks = checkTarget(segment, target === '' ? undefined : target, segment.state, glossary.hits(segment.source, locale), {source: bundle.sourceLocale, target: locale}, acknowledged)
    const body: CheckResponse = {qa: checks.qa, hits: checks.hits}
    return c.json(body)
  })

  app.get('/api/articles/:locale/:slug/segments/:id/history', async (c) => {
    const {locale, slug} = context.articleParams(c)
    const id = checkSegmentId(c.req.param('id') ?? '')
    const journal = await context.store.journal.read(locale, slug)
    const body: SegmentHistoryData = {
      edits: journal.events.filter((event) => event.type === 'edit' && event.segment === id).reverse() as SegmentHistoryData['edits'],
      comments: commentThreads(journal.events).get(id) ?? [],
      problems: journal.problems
    }
    return c.json(body)
  })

  app.post('/api/articles/:locale/:slug/segments/:id/comments', async (c) => {
    const {locale, slug, id} = await segmentOf(c)
    const {text, replyTo} = parseBody(commentSchema, await readJson(c))
    const actor = context.actor(c)
    const by = actor.name
    const event: JournalEvent = {type: 'comment', segment: id, comment: randomBytes(6).toString('hex'), at: context.now(), by, text, ...(replyTo ? {replyTo} : {})}
    await context.store.journal.append(locale, slug, [event], actor)
    return c.json(await threadsOf(locale, slug, id), 201)
  })

  app.post('/api/articles/:locale/:slug/segments/:id/comments/:comment/resolve', async (c) => {
    const {locale, slug, id} = await segmentOf(c)
    const comment = c.req.param('comment') ?? ''
    if (!/^[0-9a-f]{12}$/.test(comment)) throw new HttpError(400, 'E_INPUT', 'invalid comment id')
    const {resolved} = parseBody(resolveSchema, await readJson(c))
    const known = (await threadsOf(locale, slug, id)).comments.find((thread) => thread.id === comment)
    if (!known) throw new PasserelleError('E_NOT_FOUND', `no comment ${comment} on segment ${id}`)
    const actor = context.actor(c)
    await context.store.journal.append(locale, slug, [{type: 'resolve', segment: id, comment, at: context.now(), by: actor.name, resolved}], actor)
    return c.json(await threadsOf(locale, slug, id))
  })

  // Approve the given segments (the rows the reviewer filtered), each at the revision they saw; QA errors skip a row.
  app.post('/api/articles/:locale/:slug/approve', async (c) => {
    const {locale, slug} = context.articleParams(c)
    const {segments} = parseBody(bulkSchema, await readJson(c))
    const actor = context.actor(c)
    const by = actor.name
    const at = context.now()
    const result = await updateSegments(context, locale, slug, {at, by, via: 'bulk-approve', actor}, (bundle, glossary) => {
      const changes = new Map<number, (typeof bundle.segments)[number]>()
      const body: BulkApproveResponse = {approved: [], skipped: []}
      const locales = {source: bundle.sourceLocale, target: locale}
      for (const wanted of segments) {
        const index = bundle.segments.findIndex((item) => item.id === wanted.id)
        const current = bundle.segments[index]
        if (!current) {
          body.skipped.push({id: wanted.id, code: 'E_NOT_FOUND', message: 'no such segment'})
          continue
        }
        if (current.state === 'approved') continue
        try {
          const next = applyEdit(current, {revision: wanted.revision, state: 'approved'}, {by, now: at, hits: glossary.hits(current.source, locale), locales})
          changes.set(index, next)
          body.approved.push(current.id)
        } catch (error) {
          const code = error instanceof ConflictError ? 'E_CONFLICT' : error instanceof ApprovalError ? 'E_QA' : error instanceof PasserelleError ? error.code : undefined
          if (!code) throw error
          body.skipped.push({id: current.id, code, message: error instanceof Error ? error.message : String(error)})
        }
      }
      return {changes, result: body}
    })
    return c.json(result)
  })

  app.get('/api/concordance', async (c) => {
    const q = c.req.query('q') ?? ''
    if (q.length > 200) throw new HttpError(400, 'E_INPUT', 'search text over 200 characters')
    const wanted = c.req.query('locale')
    const locale = wanted ? checkLocale(project, wanted) : undefined
    const targets = new Set(await context.targetLocales())
    const bundles = []
    // Only the locales searched are read: a `?locale=` query reads one.
    for (const each of await context.store.listLocales()) {
      if (targets.has(each) && (!locale || each === locale)) bundles.push(...(await context.store.readLocale(each)).bundles)
    }
    const data = concordance(
      bundles,
      await context.tm.imported(),
      {q, ...(locale ? {locale} : {})}
    )
    return c.json(data)
  })

  async function threadsOf(locale: Locale, slug: string, id: string) {
    const journal = await context.store.journal.read(locale, slug)
    return {comments: commentThreads(journal.events).get(id) ?? [], problems: journal.problems}
  }
}
