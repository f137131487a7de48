// The review app: a hono app over the project's files, pure of sockets (API
// tests call `app.request(…)`; `serve.ts` binds it). Files are the source of
// truth: every request reads the bundles and the glossary as they are on disk
// now, and every write goes through `updateBundle` / `saveTermbase` (atomic,
// validated), so the app and the CLI never disagree.
import {userInfo} from 'node:os'
import {Hono, type Context} from 'hono'
import type {z} from 'zod'
import type {ContentfulStatusCode} from 'hono/utils/http-status'
import type {BundleSegment} from '../workflow/types.ts'
import {sourceTermOwners, type Concept} from '../glossary/index.ts'
import {folderTermbaseStore, termbaseCacheDir, type TermbaseStore} from '../glossary/store.ts'
import type {ImportedTmSource} from '../tm/store.ts'
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import {knownLocales, type Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {projectStatus} from '../status/index.ts'
import type {Locale, TermStatus} from '../types.ts'
import {clientAssets, pageHtml} from './assets.ts'
import {ApprovalError, applyAcknowledge, applyEdit, ConflictError, type EditContext} from '../workflow/edit.ts'
import {KeyedLock} from './lock.ts'
import {registerRuleRoutes} from './rules.ts'
import {folderRulesStore, type RulesStore} from '../postedit/store.ts'
import {registerGlossaryExchangeRoutes} from './glossary-exchange.ts'
import {csrfGuard, errorBody, HttpError, hostGuard, newSecret, readJson, reviewerOf, securityHeaders, teamSecurityHeaders, tokenGuard} from './security.ts'
import type {Team} from './team.ts'
import type {Action} from '../team/permissions.ts'
import {suggestionsFor, TmCache} from './suggestions.ts'
import {conceptUsage, filterConcepts, localeOrder, viewConcept, withNewConcept, withUpdatedConcept} from './terms.ts'
import {registerConceptHistoryRoutes, type ConceptHistorySource} from './concept-history.ts'
import {acknowledgeRequestSchema, checkConceptId, checkLocale, checkSegmentId, checkSlug, conceptRequestSchema, parseBody, parseConcept, saveRequestSchema} from './validate.ts'
import type {AcknowledgeRequest, ApiError, ArticleData, ConflictResponse, DashboardData, GlossaryData, ProjectInfo, SaveRequest, SaveResponse, SegmentView} from './wire.ts'
import type {Engine} from '../engines/types.ts'
import {registerWorkbenchRoutes} from './workbench.ts'
import {registerLiveRoutes, type LiveRoutesOptions} from '../live/routes.ts'
import {GlossaryCache} from './glossary-cache.ts'
import {openViews, registerViewRoutes, ViewCache} from './views.ts'
import {readBundle, updateSegment, type WriteContext} from './write.ts'

export interface ReviewAppOptions {
  /** Every request must present it (required when the server listens beyond loopback). */
  token?: string
  /** Name recorded in `origin.by` when the browser sends none (default: the OS user). */
  reviewer?: string
  /** Secret for state-changing requests, embedded in the page (default: random per app). */
  csrfSecret?: string
  /** Clock, for tests. */
  now?: () => string
  /** The translation-memory cache (tests and the benchmark pass one to count its rebuilds). */
  tm?: TmCache
  /** Engines offered for machine translation on demand (default: the configured engine, made when first asked). */
  machine?: () => Promise<Engine[]>
  /** Team mode: live segment updates (server-sent events) and MT jobs (`src/live/routes.ts`). */
  live?: Omit<LiveRoutesOptions, 'project'>
  /** Where bundles and their history live (default: the project's files). */
  store?: BundleStore
  /** The imported TMX files (default: tm/; team mode: `databaseTmxSource`). */
  tmx?: ImportedTmSource
  /** Where the termbase lives (default: the glossary folder; team mode: `databaseTermbaseStore`). */
  termbase?: TermbaseStore
  /** Where the post-editing rules live (default: glossary/rules/; team mode: `databaseRulesStore`). */
  rules?: RulesStore
  /** Concept history (team mode: the audit rows, `conceptHistory`); without it the history route answers 404. */
  conceptHistory?: ConceptHistorySource
  /**
   * Team mode (`passerelle serve --database`): sign-in and sessions instead
   * of a token, the name on edits from the signed-in user, and every API
   * route checked against the user's role and locales.
   */
  team?: Team
  /** Team mode: the audit trail, for the route that exports it (accounts: `team.register`). */
  admin?: {
    audit(options: {entity?: string; format: 'jsonl' | 'csv'}): Promise<string>
  }
}

/** A revision conflict with the other side's segment as the app shows it. */
class ConflictWithView extends Error {
  constructor(
    readonly conflict: ConflictError,
    readonly theirs: SegmentView
  ) {
    super(conflict.message)
  }
}

const termStatuses: readonly TermStatus[] = ['preferred', 'admitted', 'deprecated', 'forbidden']

export function createReviewApp(project: Project, options: ReviewAppOptions = {}): Hono {
  const secret = options.csrfSecret ?? newSecret()
  const reviewer = options.reviewer ?? defaultReviewer()
  const now = options.now ?? (() => new Date().toISOString())
  const source = project.config.sourceLocale
  const locks = new KeyedLock()
  const store = options.store ?? fileBundleStore(project)
  const tm = options.tm ?? new TmCache(project, store, options.tmx)
  const termbase = options.termbase ?? folderTermbaseStore(project.glossaryDir, {localeOrder: localeOrder(project), cacheDir: termbaseCacheDir(project.root)})
  const glossaryCache = new GlossaryCache(termbase, source)
  const writer: WriteContext = {project, store, locks, tm, glossary: glossaryCache}
  const views = new ViewCache()

  const app = new Hono()
  app.onError((error, c) => {
    const {status, body} = errorBody(error)
    if (status >= 500) console.error(`passerelle review: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return c.json(body, status as ContentfulStatusCode)
  })
  app.notFound((c) => {
    const body: ApiError = {error: {code: 'E_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}`}}
    return c.json(body, 404)
  })

  const {team} = options
  if (team) {
    // No host check or shared token: every request but the sign-in pages needs a session of its own.
    app.use('*', teamSecurityHeaders, team.requireSession)
    app.use('/api/*', csrfGuard(team.csrfOf), team.requirePermission)
    team.register(app)
  } else {
    app.use('*', securityHeaders, hostGuard({...(options.token === undefined ? {} : {token: options.token})}), tokenGuard(options.token))
    app.use('/api/*', csrfGuard(secret))
  }
  /** Who acts: the signed-in user in team mode (never a name the browser sends), else the browser's name or the default. */
  const actorOf = (c: Context) => (team ? team.actorOf(c) : {name: reviewerOf(c, reviewer)})

  // ── Page and assets ───────────────────────────────────────────────────
  app.get('/', (c) => c.html(pageHtml(team ? team.csrfOf(c)! : secret)))
  app.get('/assets/app.js', async (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8')
    return c.body((await clientAssets()).js)
  })
  app.get('/assets/styles.css', async (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8')
    return c.body((await clientAssets()).css)
  })

  // ── Translators ───────────────────────────────────────────────────────
  app.get('/api/project', async (c) => {
    const user = team ? c.get('session').user : undefined
    const info: ProjectInfo = {
      sourceLocale: source,
      locales: await targetLocales(project, store),
      reviewer: user ? user.email : reviewer,
      ...(user ? {user: {email: user.email, role: user.role, locales: user.locales}} : {}),
      ...(options.live ? {live: {events: options.live.hub !== undefined, jobs: options.live.jobs !== undefined}} : {})
    }
    return c.json(info)
  })

  app.get('/api/status', async (c) => {
    const status = await projectStatus(project, await targetLocales(project, store), store)
    const data: DashboardData = {
      locales: status.locales,
      failures: status.failures.map((failure) => ({...(failure.file ? {file: failure.file} : {}), message: failure.message}))
    }
    return c.json(data)
  })

  app.get('/api/articles/:locale/:slug', async (c) => {
    const {locale, slug} = articleParams(c)
    const bundle = await readBundle(store, locale, slug)
    const glossary = await glossaryCache.read()
    const locales = {source: bundle.sourceLocale, target: locale}
    const data: ArticleData = {
      locale,
      sourceLocale: bundle.sourceLocale,
      slug,
      // `?rows=recorded`: a long article opens at once, its rows as last recorded where not yet checked (views.ts).
      segments: c.req.query('rows') === 'recorded' ? openViews(views, bundle, glossary, locale) : bundle.segments.map((segment) => views.live(segment, glossary, locales)),
      retired: bundle.retired.length,
      tm: (await tm.memory()) !== undefined,
      problems: glossary.problems
    }
    return c.json(data)
  })

  app.get('/api/articles/:locale/:slug/segments/:id/suggestions', async (c) => {
    const {locale, slug} = articleParams(c)
    const id = checkSegmentId(c.req.param('id'))
    const bundle = await readBundle(store, locale, slug)
    const segment = bundle.segments.find((item) => item.id === id)
    if (!segment) throw new PasserelleError('E_NOT_FOUND', `no segment ${id} in ${locale}/${slug}`)
    return c.json({suggestions: suggestionsFor(await tm.memory(), bundle, segment)})
  })

  // Machine translation on demand, concordance, live QA, history, comments, bulk approval.
  registerWorkbenchRoutes(app, {...writer, actor: actorOf, now, articleParams, targetLocales: () => targetLocales(project, store), machine: options.machine})
  registerViewRoutes(app, {...writer, views, articleParams})

  app.put('/api/articles/:locale/:slug/segments/:id', async (c) => {
    return writeSegment(c, saveRequestSchema, applyEdit, (request) => team?.saveActions(request) ?? [])
  })

  app.post('/api/articles/:locale/:slug/segments/:id/acknowledge', async (c) => {
    return writeSegment(c, acknowledgeRequestSchema, applyAcknowledge, () => ['finding.acknowledge'])
  })

  // ── Terminologists ────────────────────────────────────────────────────
  // TBX/CSV import and export, before `/api/glossary/:id` (which would take `export` for an id).
  registerGlossaryExchangeRoutes(app, writer, options.termbase ? {termbase: options.termbase, actor: actorOf} : {})
  app.get('/api/glossary', async (c) => {
    const glossary = await glossaryCache.read()
    const status = c.req.query('status')
    if (status !== undefined && status !== '' && !termStatuses.includes(status as TermStatus)) {
      throw new HttpError(400, 'E_INPUT', `unknown term status "${status.slice(0, 20)}"`)
    }
    const q = c.req.query('q') ?? ''
    if (q.length > 200) throw new HttpError(400, 'E_INPUT', 'search text over 200 characters')
    const concepts = filterConcepts(glossary.termbase.concepts, {
      q,
      ...(status ? {status: status as TermStatus} : {}),
      retired: c.req.query('retired') === '1'
    })
    const languages = new Set<Locale>([source, ...(await targetLocales(project, store))])
    for (const concept of glossary.termbase.concepts) for (const language of Object.keys(concept.terms)) languages.add(language)
    const data: GlossaryData = {concepts: concepts.map(viewConcept), total: glossary.termbase.concepts.length, problems: glossary.problems, languages: [...languages]}
    return c.json(data)
  })

  app.get('/api/glossary/:id', async (c) => {
    const id = checkConceptId(c.req.param('id'))
    const glossary = await glossaryCache.read()
    const concept = glossary.termbase.concepts.find((item) => item.id === id)
    if (!concept) throw new PasserelleError('E_NOT_FOUND', `no concept "${id}"`)
    return c.json(viewConcept(concept))
  })

  app.post('/api/glossary', async (c) => {
    const body = parseBody(conceptRequestSchema, await readJson(c))
    const concept = parseConcept(body.concept)
    const created = await locks.run(termbase.where, () =>
      termbase.update(({termbase: current}) => {
        refuseTakenSourceTerms(concept, current.concepts, source)
        return {termbase: withNewConcept(current, concept), value: concept}
      }, actorOf(c))
    )
    return c.json(viewConcept(created), 201)
  })

  app.put('/api/glossary/:id', async (c) => {
    const id = checkConceptId(c.req.param('id'))
    const body = parseBody(conceptRequestSchema, await readJson(c))
    const concept = parseConcept(body.concept)
    const updated = await locks.run(termbase.where, () =>
      termbase.update(({termbase: current}) => {
        refuseTakenSourceTerms(concept, current.concepts.filter((other) => other.id !== id), source)
        return {termbase: withUpdatedConcept(current, id, concept, body.version), value: concept}
      }, actorOf(c))
    )
    return c.json(viewConcept(updated))
  })

  app.get('/api/glossary/:id/usage', async (c) => {
    const id = checkConceptId(c.req.param('id'))
    const requested = c.req.query('locale')
    const locale = requested ? checkLocale(project, requested) : ((await targetLocales(project, store))[0] ?? 'en')
    const glossary = await glossaryCache.read()
    return c.json(await conceptUsage(project, glossary, id, locale, store))
  })

  registerRuleRoutes(app, project, locks, options.rules ?? folderRulesStore(project.glossaryDir, {root: project.root}), actorOf)
  registerConceptHistoryRoutes(app, options.conceptHistory)
  if (options.live) registerLiveRoutes(app, {...options.live, project})

  // ── Team mode: audit trail ───────────────────────────────────────────
  const {admin} = options
  if (admin) {
    app.get('/api/audit', async (c) => {
      const format = c.req.query('format') === 'csv' ? 'csv' : 'jsonl'
      const entity = c.req.query('entity')
      if (entity !== undefined && !/^[a-z]{1,20}$/.test(entity)) throw new HttpError(400, 'E_INPUT', 'invalid entity')
      c.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      c.header('Content-Disposition', `attachment; filename="passerelle-audit.${format}"`)
      return c.body(await admin.audit({...(entity ? {entity} : {}), format}))
    })
  }

  return app

  /**
   * Read-modify-write of one segment under the bundle's locks (in process and
   * on disk): `apply` is a pure rule (`applyEdit`, `applyAcknowledge`) that
   * gives back the new segment or throws; the bundle is saved atomically.
   */
  async function writeSegment<T extends SaveRequest | AcknowledgeRequest>(
    c: Context,
    schema: z.ZodType<T>,
    apply: (current: BundleSegment, request: T, context: EditContext) => BundleSegment,
    /** Team mode: the actions this request performs, each checked for the user in this locale. */
    actions: (request: T) => Action[]
  ) {
    const {locale, slug} = articleParams(c)
    const id = checkSegmentId(c.req.param('id') ?? '')
    const actor = actorOf(c)
    const by = actor.name
    const request = parseBody(schema, await readJson(c))
    // Team mode: a save needs the actions it performs (edit a target, mark translated, review, approve).
    if (team) for (const action of actions(request)) team.authorize(c, action, locale)
    const via = c.req.query('via') === 'revert' ? 'revert' : undefined
    const at = now()
    try {
      const response = await updateSegment(writer, locale, slug, id, {at, by, actor, ...(via ? {via} : {})}, (current, bundle, glossary) => {
        const locales = {source: bundle.sourceLocale, target: locale}
        try {
          const next = apply(current, request, {by, now: at, hits: glossary.hits(current.source, locale), locales})
          const result: SaveResponse = {segment: views.live(next, glossary, locales), changed: next !== current}
          return {next, result}
        } catch (error) {
          if (error instanceof ConflictError) throw new ConflictWithView(error, views.live(error.theirs, glossary, locales))
          throw error
        }
      })
      return c.json(response)
    } catch (error) {
      if (error instanceof ConflictWithView) {
        const body: ConflictResponse = {
          error: {code: 'E_CONFLICT', message: error.conflict.message, ...(error.conflict.hint ? {hint: error.conflict.hint} : {})},
          yours: request,
          theirs: error.theirs
        }
        return c.json(body, 409)
      }
      if (error instanceof ApprovalError) {
        const body: ApiError = {error: {code: 'E_QA', message: error.message, ...(error.hint ? {hint: error.hint} : {})}, findings: error.findings}
        return c.json(body, 422)
      }
      throw error
    }
  }

  function articleParams(c: Context): {locale: Locale; slug: string} {
    return {locale: checkLocale(project, c.req.param('locale') ?? ''), slug: checkSlug(c.req.param('slug') ?? '')}
  }
}

/** Configured target locales, then any other known locale that has bundles. */
export async function targetLocales(project: Project, store: BundleStore = fileBundleStore(project)): Promise<Locale[]> {
  const all = new Set([...project.config.locales, ...(await store.listLocales())])
  return [...all].filter((locale) => knownLocales.has(locale) && locale !== project.config.sourceLocale)
}

function defaultReviewer(): string {
  try {
    return userInfo().username || 'reviewer'
  } catch {
    return 'reviewer'
  }
}

/** A concept may not take a source term another concept has (the rule glossary import and `glossary check` apply): 409. */
function refuseTakenSourceTerms(concept: Concept, concepts: readonly Concept[], source: Locale): void {
  const [clash] = sourceTermOwners(concept, concepts, source)
  if (clash) {
    throw new PasserelleError('E_CONFLICT', `source term "${clash.term}" already belongs to concept "${clash.owner}"`, {
      hint: `edit ${clash.owner} instead, or retire it first`
    })
  }
}
