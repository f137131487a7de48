// The `passerelle` command: a thin layer over the stages. Every problem with
// a file or an engine is printed as one line naming the file and the fix;
// the rest of the batch still runs; the exit code is 1 when anything failed,
// 2 on a usage error (unknown command or option, bad or missing value).
import {Command, CommanderError, InvalidArgumentError, Option} from 'commander'
import {relative} from 'node:path'
import type {CliContext} from './cli-context.ts'
import type {Config, Project} from './config.ts'
import type {BundleStore} from './workflow/bundle-store.ts'
import type {TermbaseStore} from './glossary/store.ts'
import type {SourceStore} from './workflow/sources.ts'
import {engineNames} from './engines/names.ts'
import {describeError, escapeControls, failureOf, isPasserelleError, PasserelleError, type Failure} from './errors.ts'
import {registerDbCommands} from './db/cli.ts'
import {registerExchangeCommands} from './exchange/cli.ts'
import {stopOnSignals} from './io/shutdown.ts'
import {registerReviewCommand, registerServeCommand} from './review/cli.ts'
import {registerUserCommands} from './team/cli.ts'
import {registerJobCommands} from './jobs/cli.ts'
import packageJson from '../package.json' with {type: 'json'}

// Ctrl-C or `kill <pid>` stops what the command started (review server, Apertium processes).
stopOnSignals()
// `passerelle qa --json | head -1`: a reader that has had enough is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(exitCode)
  })
}

// exitOverride before any .command(): subcommands inherit it, so every usage
// error reaches the catch at the end (exit 2) instead of commander's exit(1).
const program = new Command()
  .name('passerelle')
  .description('Translate French Markdown articles into reviewed, glossary-true English, Spanish and more.')
  .version(packageJson.version, '-V, --version', 'print the version')
  .option('-C, --root <dir>', 'project folder', process.cwd())
  .exitOverride()
  .showHelpAfterError()

let exitCode = 0

function report(failures: readonly Failure[]): void {
  for (const failure of failures) console.error(`passerelle: ${escapeControls(failure.message)}`)
  if (failures.length > 0) exitCode = 1
}

// config.ts loads zod, which costs more than the rest of start-up: imported when a
// command runs, so that `passerelle --version` and `--help` start fast.
async function project(): Promise<Project> {
  const {loadProject} = await import('./config.ts')
  return loadProject(program.opts<{root: string}>().root)
}

async function parseLocaleList(value: string | undefined, config: Config): Promise<string[]> {
  return (await import('./config.ts')).parseLocaleList(value, config)
}

const context: CliContext = {
  project,
  report,
  fail(code = 1) {
    exitCode = Math.max(exitCode, code)
  }
}

/**
 * Split the locales a command was asked for into those with bundles and a
 * failure for each without: `qa --to it` with nothing to check must not pass
 * a CI gate. No locale asked for means every locale with bundles, and none
 * at all is a failure too.
 */
async function localesWithBundles(
  current: Project,
  requested: readonly string[] | undefined,
  what: 'check' | 'show' | 'publish',
  store?: Pick<BundleStore, 'listLocales' | 'listSlugs'>
): Promise<string[]> {
  const {listBundleLocales, listBundleSlugs: listSlugs} = await import('./workflow/store.ts')
  const listLocales = () => (store ? store.listLocales() : listBundleLocales(current.localesDir))
  const listBundleSlugs = (_dir: string, locale: string) => (store ? store.listSlugs(locale) : listSlugs(current.localesDir, locale))
  const where = store ? 'locales (database)' : relative(current.root, current.localesDir) || '.'
  if (requested === undefined) {
    const found = await listLocales()
    if (found.length === 0) {
      report([failureOf(new PasserelleError('E_NOT_FOUND', `no bundles under ${where}/: nothing to ${what}`, {hint: 'run `passerelle translate` first'}))])
    }
    return found
  }
  const present: string[] = []
  for (const locale of requested) {
    if ((await listBundleSlugs(current.localesDir, locale)).length > 0) {
      present.push(locale)
      continue
    }
    const error = new PasserelleError('E_NOT_FOUND', `no bundles for '${locale}': nothing to ${what}`, {
      file: `${where}/${locale}/`,
      hint: `run \`passerelle translate --to ${locale}\` first, or leave '${locale}' out of --to`
    })
    report([failureOf(error)])
  }
  return present
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function positiveInteger(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number')
  return number
}

program
  .command('ingest')
  .description('turn scraped text pages into content/fr/<slug>.md (the shared site navigation is kept once, in _site.md)')
  .argument('<files...>', 'text files, e.g. ../shared/seeds/*.txt')
  .option('--force', 'replace articles that already exist with different text')
  .action(async (files: string[], options: {force?: boolean}) => {
    const {ingestFiles} = await import('./ingest/index.ts')
    const current = await project()
    const result = await ingestFiles(files, {contentDir: current.contentDir, force: options.force})
    for (const file of result.written) console.log(`wrote ${relative(current.root, file)}`)
    if (result.unchanged.length > 0) console.log(`${result.unchanged.length} file(s) unchanged`)
    report(result.failed.map(({file, error}) => ({file, message: describeError(error, file)})))
  })

program
  .command('translate')
  .description('fill locales/<lng>/<slug>.json: translation memory first, then the engine for what is left')
  .option('--to <locales>', 'comma-separated target locales (default: passerelle.json "locales")')
  .addOption(new Option('--engine <name>', 'machine-translation engine').choices(engineNames))
  .option('--article <slugs>', 'comma-separated article slugs (default: all)')
  .option('--force', 're-translate segments whose target is machine output (human work is never touched)')
  .option('--max-chars <n>', 'refuse to start when the run would send more characters', positiveInteger)
  .option('--no-progress', 'no progress bar')
  .option('--database <url>', 'queue the work as jobs in the team database, for `passerelle worker` to run')
  .option('--wait', 'with --database: follow the jobs to the end, with progress')
  .option('--per-job <n>', 'with --database: articles per job (default 10)', positiveInteger)
  .option('--job-timeout <seconds>', 'with --database: a job not finished in this time is handed to another worker (default 900)', positiveInteger)
  .action(async (options: {to?: string; engine?: string; article?: string; force?: boolean; maxChars?: number; progress: boolean; database?: string; wait?: boolean; perJob?: number; jobTimeout?: number}) => {
    if (options.database !== undefined) {
      const {queueTranslate, databaseTranslateError} = await import('./jobs/cli.ts')
      if (options.force) throw databaseTranslateError('--force')
      if (options.maxChars !== undefined) throw databaseTranslateError('--max-chars')
      const current = await project()
      await queueTranslate(context, {
        database: options.database,
        locales: await parseLocaleList(options.to, current.config),
        engine: options.engine ?? current.config.engine,
        ...(options.article ? {articles: options.article.split(',').map((slug) => slug.trim())} : {}),
        ...(options.perJob ? {perJob: options.perJob} : {}),
        ...(options.jobTimeout ? {jobTimeout: options.jobTimeout} : {}),
        wait: options.wait,
        progress: options.progress
      })
      return
    }
    const {translateProject} = await import('./translate/run.ts')
    const {createProgress} = await import('./progress.ts')
    const current = await project()
    const locales = await parseLocaleList(options.to, current.config)
    const {withPostEdit} = await import('./postedit/index.ts')
    const engine = withPostEdit(await (await import('./engines/index.ts')).createEngine(options.engine ?? current.config.engine, current.config), {
      glossaryDir: current.glossaryDir,
      settings: current.config.postEdit,
      onProblems: (problems) => report(problems.map((problem) => ({message: describeError(problem)})))
    })
    const progress = createProgress(options.progress)
    const result = await translateProject(current, {
      locales,
      engine,
      force: options.force,
      maxChars: options.maxChars,
      articles: options.article?.split(',').map((slug) => slug.trim()),
      async onPlan(plan) {
        if (engine.usage && plan.characters > 0) {
          const usage = await engine.usage()
          const limit = usage.limit === undefined ? 'no limit' : `of ${usage.limit}`
          console.log(`${engine.name} usage: ${usage.used} characters billed ${limit}; this run will send about ${plan.characters}`)
          const warning = (await import('./engines/deepl/billing.ts')).quotaWarning(usage, plan.characters)
          if (warning) console.error(`passerelle: warning: ${engine.name}: ${escapeControls(warning)}`)
        }
      },
      onProgress: (event) => progress.update(event.locale, event.done, event.total)
    })
    // A local engine's processes end with the run rather than after it (Apertium's pipelines).
    await (engine as {close?(): Promise<void> | void}).close?.()
    progress.stop()
    for (const locale of result.locales) {
      console.log(
        `${locale.locale}: ${locale.segments} segments, ${locale.machineTranslated} machine-translated, ${locale.reused} reused, ${locale.leveraged} from TM` +
          (locale.stale ? `, ${locale.stale} stale (source changed under human work)` : '') +
          (locale.failedSegments ? `, ${locale.failedSegments} failed` : '') +
          (locale.unchanged ? `, ${locale.unchanged} unchanged article${locale.unchanged === 1 ? '' : 's'} skipped` : '')
      )
    }
    console.log(`engine calls: ${result.engineCalls} (${engine.name}), characters sent: ${result.characters}`)
    report(result.failures)
  })

program
  .command('status')
  .description('per locale and article: counts by state, QA findings and term adherence')
  .option('--to <locales>', 'comma-separated locales (default: every locale with bundles)')
  .option('--json', 'machine-readable output')
  .action(async (options: {to?: string; json?: boolean}) => {
    const {projectStatus, formatStatus} = await import('./status/index.ts')
    const current = await project()
    // Without --to, an empty project shows "no bundles yet" (a report, not a gate).
    const locales = options.to ? await localesWithBundles(current, await parseLocaleList(options.to, current.config), 'show') : undefined
    const result = await projectStatus(current, locales)
    console.log(options.json ? JSON.stringify(result.locales, null, 2) : formatStatus(result.locales))
    report(result.failures)
  })

program
  .command('qa')
  .description('re-run the QA checks on every translated segment; exit 1 when any error remains (gate a build on it)')
  .option('--to <locales>', 'comma-separated locales (default: every locale with bundles)')
  .option('--json', 'machine-readable output')
  .option('--database [url]', 'check the bundles and termbase of the team database (PostgreSQL URL; alone: PASSERELLE_DATABASE_URL) instead of the files')
  .action(async (options: {to?: string; json?: boolean; database?: string | boolean}) => {
    const {qaProject, formatQaReport} = await import('./qa/index.ts')
    const current = await project()
    const check = async (stores: {termbase?: TermbaseStore; bundles?: BundleStore}) => {
      const {termbase, problems} = stores.termbase ? await stores.termbase.load() : await (await import('./glossary/index.ts')).loadTermbase(current.glossaryDir)
      report(problems.map((problem) => ({message: describeError(problem)})))
      const locales = await localesWithBundles(current, options.to ? await parseLocaleList(options.to, current.config) : undefined, 'check', stores.bundles)
      const result = await qaProject({localesDir: current.localesDir, locales, termbase, ...(stores.bundles ? {store: stores.bundles} : {})})
      console.log(formatQaReport(result, {json: options.json}))
      report(result.failed.map((failure) => ({file: failure.file, message: failure.error})))
      if (result.totals.errors > 0) context.fail(1)
    }
    if (options.database === undefined) return check({})
    // Team mode: bundles and termbase from their rows (the findings are written back to the segment rows, as qa writes the files).
    const [{withTeamPool}, {databaseBundleStore}, {databaseTermbaseStore}] = await Promise.all([import('./db/cli.ts'), import('./db/bundle-store.ts'), import('./db/glossary.ts')])
    await withTeamPool(options.database, (pool) => check({termbase: databaseTermbaseStore(pool), bundles: databaseBundleStore(pool)}))
  })

program
  .command('build')
  .description('write dist/<lng>/<slug>.md and .html, an index per locale and i18next bundles')
  .option('--to <locales>', 'comma-separated target locales (default: passerelle.json "locales")')
  .option('--strict', 'fail an article when any segment has no publishable translation')
  .addOption(
    new Option('--min-state <state>', 'lowest segment state to publish (default: passerelle.json "publishState")').choices([
      'machine',
      'fuzzy',
      'translated',
      'reviewed',
      'approved'
    ])
  )
  .option('--database [url]', 'read sources and bundles from the team database (PostgreSQL URL; alone: PASSERELLE_DATABASE_URL) instead of the files')
  .action(async (options: {to?: string; strict?: boolean; minState?: string; database?: string | boolean}) => {
    const {buildProject} = await import('./publish/index.ts')
    const current = await project()
    const build = async (stores: {sources?: SourceStore; bundles?: BundleStore}) => {
      const result = await buildProject(current, {
        // A locale without a single bundle would be a copy of the French site.
        locales: await localesWithBundles(current, await parseLocaleList(options.to, current.config), 'publish', stores.bundles),
        strict: options.strict ?? false,
        minState: (options.minState ?? current.config.publishState) as never,
        ...stores
      })
      for (const line of result.summary) console.log(line)
      report(result.failures)
    }
    if (options.database === undefined) return build({})
    // Team mode: sources and bundles from the database; passerelle.json and the templates from the project folder.
    const [{withTeamPool}, {databaseBundleStore}, {databaseSourceStore}] = await Promise.all([import('./db/cli.ts'), import('./db/bundle-store.ts'), import('./db/sources.ts')])
    await withTeamPool(options.database, (pool) => build({sources: databaseSourceStore(pool, current), bundles: databaseBundleStore(pool)}))
  })

const tm = program.command('tm').description('translation memory: TMX 1.4b import and export')

tm.command('import')
  .description('validate a TMX file and store a normalised copy in tm/ (used by translate and the review app)')
  .argument('<files...>', 'TMX files')
  .option('--name <name>', 'file name under tm/ (default: the input name)')
  .option('--replace', 'replace an earlier import stored under the same name')
  .action(async (files: string[], options: {name?: string; replace?: boolean}) => {
    const {importTmxFile} = await import('./tm/index.ts')
    const current = await project()
    for (const file of files) {
      try {
        const result = await importTmxFile(file, {
          tmDir: current.tmDir,
          sourceLocale: current.config.sourceLocale,
          replace: options.replace,
          ...(options.name ? {name: options.name} : {})
        })
        console.log(`${file}: ${plural(result.imported, 'unit')} imported, ${result.refused} refused → ${relative(current.root, result.stored)}`)
        report(result.problems.map((problem) => ({message: describeError(problem)})))
      } catch (error) {
        report([{file, message: describeError(error, file)}])
      }
    }
  })

tm.command('export')
  .description('write the translation memory for one target locale as TMX 1.4b')
  .requiredOption('--to <locale>', 'target locale')
  .option('--no-imported', 'leave out units imported from other TMX files')
  .argument('<file>', 'output .tmx file')
  .action(async (file: string, options: {to: string; imported: boolean}) => {
    const {exportProjectTm} = await import('./tm/index.ts')
    const current = await project()
    const locales = await parseLocaleList(options.to, current.config)
    // A TMX file here holds one language pair: never drop the other locales silently.
    if (locales.length !== 1) {
      throw new PasserelleError('E_LOCALE', `tm export writes one target locale, not ${locales.length}`, {hint: 'run it once per locale: --to en, then --to es'})
    }
    const locale = locales[0]
    const result = await exportProjectTm({
      localesDir: current.localesDir,
      tmDir: current.tmDir,
      targetLocale: locale!,
      sourceLocale: current.config.sourceLocale,
      file,
      imported: options.imported
    })
    console.log(`${plural(result.units, 'unit')} written to ${file}`)
    report(result.problems.map((problem) => ({message: describeError(problem)})))
  })

program
  .command('segment')
  .description('print the segments of one Markdown article as JSON (for inspection)')
  .argument('<file>', 'Markdown file')
  .action(async (file: string) => {
    // The parser alone, not the segment stage's index (which brings the renderer and formatjs): one process per file starts faster.
    // bin/passerelle.js runs `segment <file>` through lib/segment.cjs first; this is the same code.
    const {segmentsJson} = await import('./segment/command.ts')
    console.log(await segmentsJson(file))
  })

program
  .command('quality')
  .description('score machine output against published translations: chrF and term adherence (see README, "Measuring machine output")')
  .requiredOption('--refs <tsv>', 'parallel text, one source<TAB>reference pair per line')
  .option('--to <locale>', 'language of the references (default: the first of passerelle.json "locales")')
  .addOption(new Option('--engine <name>', 'machine-translation engine').choices(engineNames))
  .option('--no-post-edit', 'score the engine alone, without post-edits and rules (to see what they add)')
  .option('--lines', 'also list each pair, worst first')
  .option('--json', 'machine-readable output')
  .action(async (options: {refs: string; to?: string; engine?: string; postEdit: boolean; lines?: boolean; json?: boolean}) => {
    const {loadReferences, scoreReferences, formatQuality} = await import('./quality/index.ts')
    const {loadTermbase} = await import('./glossary/index.ts')
    const {withPostEdit} = await import('./postedit/index.ts')
    const current = await project()
    const [to] = await parseLocaleList(options.to, current.config)
    if (!to || (options.to && options.to.includes(','))) {
      throw new PasserelleError('E_LOCALE', 'quality scores one locale at a time', {hint: 'give --to with one locale, the language of the references'})
    }
    const pairs = await loadReferences(options.refs)
    const {termbase, problems} = await loadTermbase(current.glossaryDir)
    report(problems.map((problem) => ({message: describeError(problem)})))
    const base = await (await import('./engines/index.ts')).createEngine(options.engine ?? current.config.engine, current.config)
    const engine = options.postEdit
      ? withPostEdit(base, {
          glossaryDir: current.glossaryDir,
          settings: current.config.postEdit,
          onProblems: (found) => report(found.map((problem) => ({message: describeError(problem)})))
        })
      : base
    const result = await scoreReferences(pairs, {engine, termbase, from: current.config.sourceLocale, to})
    console.log(options.json ? JSON.stringify(result, null, 2) : formatQuality(result, {lines: options.lines}))
  })

registerReviewCommand(program, context)
registerServeCommand(program, context)
registerExchangeCommands(program, context)
registerDbCommands(program, context)
registerUserCommands(program, context)
registerJobCommands(program, context)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the problem (and the help); --help and --version exit 0.
    exitCode = error.exitCode === 0 ? 0 : 2
  } else {
    console.error(`passerelle: ${describeError(error)}`)
    exitCode = 1
  }
}
process.exitCode = exitCode
