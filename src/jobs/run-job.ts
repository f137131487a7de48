// One translate job, on a worker: the translate stage (the same planning as
// `passerelle translate`: TM first, engine for the rest, human work never
// touched) runs on the database's bundle store, which it reads the bundles
// from and saves every batch into; the termbase and the imported TMX come from
// their rows, and so do the post-editing rules (the engine the job gets is
// handed the database's rules store). The job's source articles are written
// from the database into a private working folder, since the stage reads them
// as files. A job killed midway is run again by
// another worker, which reads the batches already saved and sends only what
// is still untranslated.
import {mkdir, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import type pg from 'pg'
import {loadProject} from '../config.ts'
import type {Engine} from '../engines/types.ts'
import {PasserelleError, type ErrorCode, type Failure} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {translateProject, type TranslateReport} from '../translate/run.ts'
import {databaseBundleStore} from '../db/bundle-store.ts'
import {databaseTermbaseStore, isTermbaseFile} from '../db/glossary.ts'
import {databaseRulesStore, ruleSetName} from '../db/rules.ts'
import type {RulesStore} from '../postedit/store.ts'
import {databaseTmxSource} from '../db/tm.ts'
import type {BundleStore} from '../workflow/bundle-store.ts'
import {markRunning, recordProgress} from './progress.ts'
import type {TranslateJobData} from './queue.ts'

/** A stored file name that stays inside its folder (the database is not trusted to name files). */
function safeRelative(path: string): boolean {
  return path !== '' && !path.startsWith('/') && !path.includes('\\') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
}

/** Write the files the job reads from the database into `root`, laid out as a project. */
async function materialize(db: pg.Pool, root: string, data: TranslateJobData): Promise<void> {
  const source = typeof data.config.sourceLocale === 'string' ? data.config.sourceLocale : 'fr'
  await writeFileAtomic(join(root, 'passerelle.json'), JSON.stringify(data.config))
  const write = async (folder: string, path: string, text: string) => {
    if (!safeRelative(path)) return
    const target = join(root, folder, path)
    await mkdir(dirname(target), {recursive: true})
    await writeFileAtomic(target, text)
  }
  const {rows: articles} = await db.query<{path: string; text: string}>('SELECT path, text FROM articles WHERE path = ANY($1)', [
    data.articles.map((slug) => `${source}/${slug}.md`)
  ])
  for (const row of articles) await write('content', row.path, row.text)
  // The termbase, the post-editing rules and the TMX files are read from their rows by the run itself
  // (a concept or rule edited in the app counts at once); other glossary files (notes) are copied as they are.
  const {rows} = await db.query<{path: string; text: string}>('SELECT path, text FROM glossary_files')
  for (const row of rows) if (!isTermbaseFile(row.path) && ruleSetName(row.path) === undefined) await write('glossary', row.path, row.text)
}

export interface JobOutcome {
  report: TranslateReport
  /** Problems with single files (an unreadable article): reported, the job still done. */
  failures: Failure[]
}

export interface JobContext {
  pool: pg.Pool
  /** `host:pid`, shown in the jobs panel. */
  worker: string
  /**
   * The worker's engine for a name and the job's settings (keys come from the
   * worker's environment only), post-edited with `rules`: the database's rows.
   */
  engine(name: string, project: {glossaryDir: string; config: Awaited<ReturnType<typeof loadProject>>['config']}, rules: RulesStore): Promise<Engine>
}

/** The job is still being run by another worker (its attempt outlived the job timeout): this attempt does nothing. */
export class JobBusyError extends PasserelleError {
  constructor(id: string) {
    super('E_CONFLICT', `job ${id} is still running on another worker`, {hint: 'it is offered again later; raise --job-timeout if jobs often outlive it'})
  }
}

/**
 * Run one job to its end. Throws when the run stopped (quota, key, network,
 * the engine failing batch after batch), so that pg-boss retries it later;
 * everything translated before the stop is saved.
 *
 * pg-boss hands a job to another worker once it outlives its timeout, whether
 * its worker died or is only slow. A session advisory lock, held on its own
 * connection for the whole attempt, tells the two apart: PostgreSQL drops it
 * when the worker's connection ends (a killed process), and while it is held
 * no second attempt runs, so a slow job is never paid for twice.
 */
export async function runTranslateJob(context: JobContext, id: string, data: TranslateJobData): Promise<JobOutcome> {
  const {pool} = context
  const holder = await pool.connect()
  const key = `passerelle translate job ${id}`
  const {rows: locked} = await holder.query<{ok: boolean}>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key])
  if (!locked[0]?.ok) {
    holder.release()
    throw new JobBusyError(id)
  }
  try {
    return await runLocked(context, id, data)
  } finally {
    await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined)
    holder.release()
  }
}

async function runLocked(context: JobContext, id: string, data: TranslateJobData): Promise<JobOutcome> {
  const {pool} = context
  await markRunning(pool, id, context.worker)
  const root = await mkdtemp(join(tmpdir(), 'passerelle-job-'))
  try {
    await materialize(pool, root, data)
    const project = await loadProject(root)
    const engine = await context.engine(data.engine, project, databaseRulesStore(pool))
    // Progress is cumulative over attempts: a resumed job starts from what the killed one saved.
    const {rows} = await pool.query<{total: number | null; done: number}>('SELECT total, done FROM translate_jobs WHERE id = $1', [id])
    const earlier = rows[0]?.total ?? undefined
    let offset = 0
    let charactersNoted = 0
    let sent = 0
    const counting: Engine = Object.create(engine, {
      translate: {
        value: async (...args: Parameters<Engine['translate']>) => {
          const results = await engine.translate(...args)
          const texts = new Map(args[0].map((item) => [item.id, item.text]))
          const batch = results.map((result) => texts.get(result.id) ?? '')
          sent += engine.estimateCharacters ? engine.estimateCharacters(batch) : batch.reduce((sum, text) => sum + text.length, 0)
          return results
        }
      }
    })
    let writing = Promise.resolve()
    // The run reads every bundle the store lists (for the translation memory): list only the job's own
    // and those that can feed the memory, so that a job's cost does not grow with the whole project.
    const store = databaseBundleStore(pool)
    const visible = new Set([...data.articles, ...(await articlesFeedingMemory(pool, data.locale))])
    const jobStore: BundleStore = {...store, listSlugs: async (locale) => (await store.listSlugs(locale)).filter((slug) => visible.has(slug))}
    const report = await translateProject(project, {
      locales: [data.locale],
      engine: counting,
      articles: data.articles,
      store: jobStore,
      termbase: databaseTermbaseStore(pool),
      tmx: databaseTmxSource(pool),
      onProgress(event) {
        if (event.done === 0) offset = earlier !== undefined && earlier >= event.total ? earlier - event.total : 0
        const characters = sent - charactersNoted
        charactersNoted = sent
        const progress = {done: offset + event.done, total: offset + event.total, characters}
        // In order, without holding the run up; awaited before the job ends.
        writing = writing.then(() => recordProgress(pool, id, progress)).catch(() => undefined)
      }
    })
    await writing
    if (sent > charactersNoted) await recordProgress(pool, id, {...(await currentProgress(pool, id)), characters: sent - charactersNoted})
    if (report.stopped) {
      throw new PasserelleError((report.stopped.code ?? 'E_ENGINE') as ErrorCode, report.stopped.message, {hint: 'the job is retried; what was translated is saved'})
    }
    return {report, failures: report.failures}
  } finally {
    await rm(root, {recursive: true, force: true})
  }
}

/**
 * Articles of `locale` whose bundles hold translation-memory units: human work
 * (live or retired) or a stale segment's previous pair (see `unitsFromBundles`).
 */
async function articlesFeedingMemory(pool: pg.Pool, locale: string): Promise<string[]> {
  const {rows} = await pool.query<{article: string}>(
    `SELECT DISTINCT article FROM segments
     WHERE locale = $1 AND (state IN ('translated', 'reviewed', 'approved') OR data ? 'previous')`,
    [locale]
  )
  return rows.map((row) => row.article)
}

async function currentProgress(pool: pg.Pool, id: string): Promise<{done: number; total: number}> {
  const {rows} = await pool.query<{done: number; total: number | null}>('SELECT done, total FROM translate_jobs WHERE id = $1', [id])
  return {done: rows[0]?.done ?? 0, total: rows[0]?.total ?? 0}
}

/** One line for the jobs panel. */
export function failureLine(failures: readonly Failure[]): string | undefined {
  if (failures.length === 0) return undefined
  const first = failures[0]!
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''
  return `${first.file ? `${first.file}: ` : ''}${first.message}${more}`
}
