// `passerelle xliff export|import`, `passerelle glossary export|import` and
// `passerelle export --format po|i18next`: a thin layer over ./run.ts.
import {Command, InvalidArgumentError, Option} from 'commander'
import {relative, resolve} from 'node:path'
import type {CliContext} from '../cli-context.ts'
import {isPasserelleError, PasserelleError} from '../errors.ts'
import type {Pool} from '../db/connect.ts'
import type {TermbaseStore} from '../glossary/store.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {segmentStates, type SegmentState} from '../types.ts'

export function registerExchangeCommands(program: Command, context: CliContext): void {
  const xliff = group(program, 'xliff', 'exchange translations with CAT tools (OmegaT, memoQ, Trados, Weblate) as XLIFF 2.1')

  xliff
    .command('export')
    .description('write one XLIFF 2.1 file for a target language: a <file> per article, a <unit> per block, a <segment> per sentence')
    .requiredOption('--to <locale>', 'target locale (one: XLIFF is bilingual)')
    .option('--article <slugs>', 'comma-separated article slugs (default: all)', list)
    .option('--state <states>', 'only blocks with a sentence in these states, e.g. machine,fuzzy (the other sentences of such a block go along)', states)
    .argument('<file>', 'output .xlf file, or - for standard output')
    .action(async (file: string, options: {to: string; article?: string[]; state?: SegmentState[]}) => {
      const {xliffExportProject} = await import('./run.ts')
      const project = await context.project()
      const {parseLocaleList} = await import('../config.ts')
      const locale = single(parseLocaleList(options.to, project.config))
      const result = await xliffExportProject(project, {locale, articles: options.article, states: options.state})
      await output(file, result.text)
      if (file !== '-') {
        console.log(`wrote ${file}: ${result.articles.length} article(s), ${result.units} unit(s), ${result.segments} segment(s) (${locale})`)
      }
      context.report(result.failures)
    })

  xliff
    .command('import')
    .description('apply an XLIFF 2.x file from a CAT tool; changed sources, broken tags and backward states are refused, the rest applied')
    .argument('<file>', 'XLIFF 2.0/2.1 file')
    .option('--by <name>', 'who answers for the imported work (recorded as origin.by)')
    .option('--dry-run', 'report what would be applied, write nothing')
    .action(async (file: string, options: {by?: string; dryRun?: boolean}) => {
      const {xliffImportProject} = await import('./run.ts')
      const project = await context.project()
      const result = await xliffImportProject(project, file, {by: options.by, dryRun: options.dryRun})
      const {applied, refused, unchanged} = result.report
      for (const entry of applied) {
        console.log(`applied ${entry.article} ${entry.segment}: ${entry.from} → ${entry.to}${entry.reason ? ` (${entry.reason})` : ''}`)
      }
      for (const path of result.written) console.log(`wrote ${relative(project.root, path)}`)
      console.log(`${result.locale}: ${applied.length} applied, ${unchanged.length} unchanged, ${refused.length} refused${result.comments > 0 ? `, ${result.comments} new comments` : ''}${options.dryRun ? ' (dry run: nothing written)' : ''}`)
      context.report([
        ...result.failures,
        ...refused.map((entry) => ({file, message: `${file}:${entry.line}: ${entry.article} segment ${entry.segment} (unit ${entry.unit}) refused: ${entry.reason ?? ''}`}))
      ])
    })

  program
    .command('validate')
    .description('check XLIFF 2.x, TMX or TBX files: each problem as file:line:column; exit 0 valid, 1 invalid, 2 usage')
    .argument('<files...>', 'XLIFF 2.0/2.1, TMX 1.4 or TBX files (the format is read from the root element)')
    .option('--no-xsd', 'skip the OASIS XSD check with xmllint (XLIFF)')
    // Usage errors exit 2, so that scripts can tell them from an invalid file (1).
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (files: string[], options: {xsd: boolean}) => {
      const {validateFile, formatProblem} = await import('./validate.ts')
      for (const file of files) {
        let result
        try {
          result = await validateFile(file, {xsd: options.xsd ? undefined : false})
        } catch (error) {
          // A file that is not there (or not a file) is a usage error, not an invalid file.
          if (error instanceof PasserelleError && ['E_INPUT', 'E_NOT_FOUND', 'E_NOT_FILE', 'E_IS_DIRECTORY'].includes(error.code)) {
            console.error(`passerelle: ${file}: ${error.message} (${error.hint ?? 'check the path'})`)
            context.fail(2)
            continue
          }
          if (!(error instanceof PasserelleError) || !['E_ENCODING', 'E_BINARY', 'E_EMPTY', 'E_TOO_LARGE'].includes(error.code)) throw error
          // Undecodable, empty or too large: invalid, at the start of the file.
          console.log(formatProblem(file, {line: 1, column: 1, message: `${error.message}${error.hint ? ` (${error.hint})` : ''}`, code: 'encoding'}))
          console.log(`${file}: invalid`)
          context.fail(1)
          continue
        }
        for (const problem of result.problems) console.log(formatProblem(file, problem))
        const format = result.format === undefined ? '' : ` ${result.format === 'xliff' ? 'XLIFF 2' : result.format.toUpperCase()}`
        if (result.problems.length === 0) console.log(`${file}: valid${format}`)
        else {
          console.log(`${file}: invalid${format}, ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`)
          context.fail(1)
        }
      }
    })

  const glossary = group(program, 'glossary', 'the termbase')
  const format = () => new Option('--format <format>', 'file format (default: from the file name)').choices(['tbx', 'csv'])

  glossary
    .command('export')
    .description('write the termbase as TBX-Basic (TBX v3), TBX 2008 (--tbx 2008) or CSV')
    .addOption(format())
    .addOption(new Option('--tbx <version>', 'TBX version: 3 (TBX-Basic, default) or 2008 (<martif>, for translate-toolkit and Weblate)').choices(['3', '2008']))
    .option(...databaseOption('export the termbase of the team database'))
    .argument('<file>', 'output file, or - for standard output')
    .action(async (file: string, options: {format?: 'tbx' | 'csv'; tbx?: '3' | '2008'; database?: string | boolean}) => {
      const {glossaryExportProject, glossaryFormatOf} = await import('./run.ts')
      const project = await context.project()
      const format = glossaryFormatOf(file, options.format)
      const result = await withTermbase(options.database, (termbase) => glossaryExportProject(project, {format, tbxVersion: options.tbx, ...(termbase ? {termbase} : {})}))
      await output(file, result.text)
      if (file !== '-') console.log(`wrote ${file}: ${result.concepts} concept(s)`)
      context.report(result.failures)
    })

  glossary
    .command('import')
    .description('merge a TBX or CSV file into the termbase: new concepts are added, changed ones updated, conflicting ones reported and kept')
    .addOption(format())
    .option('--theirs', "apply conflicting concepts too (the file's terms win)")
    .option('--dry-run', 'report what would change, write nothing')
    .option(...databaseOption('merge into the termbase of the team database (concept rows, each change an audit row)'))
    .option('--as <email>', 'with --database: the team user the change is credited to in the audit (a terminologist or admin)')
    .argument('<file>', 'TBX (v3 or 2008) or CSV file')
    .action(async (file: string, options: {format?: 'tbx' | 'csv'; theirs?: boolean; dryRun?: boolean; database?: string | boolean; as?: string}) => {
      const {glossaryImportProject} = await import('./run.ts')
      const project = await context.project()
      if (options.as !== undefined && options.database === undefined) {
        throw new PasserelleError('E_INPUT', '--as names the team user of a --database import', {hint: 'add --database <url>, or leave --as out (files have git for their history)'})
      }
      if (options.database !== undefined && !options.dryRun && options.as === undefined) {
        throw new PasserelleError('E_INPUT', 'glossary import --database needs --as <email>: the audit credits every changed concept to a team user', {
          hint: "give the address of a terminologist or an admin (see `passerelle users list`), or --dry-run to see what would change"
        })
      }
      const result = await withTermbase(options.database, async (termbase, pool) => {
        const run = {format: options.format, conflicts: options.theirs ? ('theirs' as const) : ('keep' as const), dryRun: options.dryRun}
        if (!termbase || !pool) return glossaryImportProject(project, file, run)
        if (options.dryRun) return glossaryImportProject(project, file, {...run, termbase})
        const {actorFor} = await import('../team/users.ts')
        const {withClient} = await import('../db/connect.ts')
        const actor = await withClient(pool, (db) => actorFor(db, options.as ?? '', 'glossary.import'))
        try {
          return await glossaryImportProject(project, file, {...run, termbase, actor})
        } catch (error) {
          // A concept changed between the read and the write (the revision check): nothing was written.
          if (isPasserelleError(error, 'E_CONFLICT')) {
            throw new PasserelleError('E_CONFLICT', `${error.message}: nothing was imported`, {file, hint: 'run the import again: it merges into the termbase as it is now'})
          }
          throw error
        }
      })
      const {added, changed, unchanged, conflicts} = result.report
      for (const id of added) console.log(`new ${id}`)
      for (const entry of changed) console.log(`changed ${entry.concept}: ${entry.fields.join(', ')}`)
      for (const conflict of conflicts) {
        const what =
          conflict.owner === undefined
            ? `ours ${conflict.ours.join(' | ')}, theirs ${conflict.theirs.join(' | ')}`
            : `source term "${conflict.theirs[0] ?? ''}" already belongs to concept ${conflict.owner} ("${conflict.ours[0] ?? ''}")`
        console.log(`conflict ${conflict.concept} (${conflict.locale}, ${conflict.status}): ${what}${options.theirs ? ' — theirs applied' : ' — kept ours'}`)
      }
      for (const warning of result.warnings) console.log(`${file}: ${warning}`)
      for (const path of result.written) console.log(`wrote ${relative(project.root, path)}`)
      if (options.database !== undefined && !options.dryRun && added.length + changed.length > 0) {
        console.log(`database: ${added.length + changed.length} concept(s) saved, credited to ${options.as}`)
      }
      console.log(
        `${added.length} new, ${changed.length} changed, ${unchanged.length} unchanged, ${conflicts.length} conflict(s)${options.dryRun ? ' (dry run: nothing written)' : ''}`
      )
      context.report(result.failures)
      if (conflicts.length > 0 && !options.theirs) context.fail(1)
    })

  glossary
    .command('check')
    .description('list termbase problems: source terms that belong to two concepts, entries the loader skipped; exit 1 when there is any')
    .option(...databaseOption('check the termbase of the team database'))
    .action(async (options: {database?: string | boolean}) => {
      const {glossaryCheckProject} = await import('./run.ts')
      const project = await context.project()
      const result = await withTermbase(options.database, (termbase) => glossaryCheckProject(project, termbase ? {termbase} : {}))
      for (const clash of result.duplicates) {
        console.log(`${clash.concept}: source term "${clash.term}" (${clash.locale}) already belongs to concept ${clash.owner} ("${clash.ownerTerm}")`)
      }
      console.log(`${result.concepts} concept(s): ${result.duplicates.length} shared source term(s), ${result.failures.length} other problem(s)`)
      context.report(result.failures)
      if (result.duplicates.length > 0) context.fail(1)
    })

  program
    .command('export')
    .description('write gettext PO (for Translate Toolkit, Poedit) or i18next JSON v4 files from the bundles')
    .addOption(new Option('--format <format>', 'po or i18next').choices(['po', 'i18next']).makeOptionMandatory())
    .option('--to <locales>', 'comma-separated target locales (default: passerelle.json "locales")')
    .option('--article <slugs>', 'comma-separated article slugs (default: all)', list)
    .addOption(new Option('--min-state <state>', 'i18next: lowest state to include (default: passerelle.json "publishState")').choices([...segmentStates]))
    .argument('<dir>', 'output folder: files go to <dir>/<locale>/<slug>.po|json')
    .action(async (dir: string, options: {format: 'po' | 'i18next'; to?: string; article?: string[]; minState?: SegmentState}) => {
      const {bundleExportProject} = await import('./run.ts')
      const project = await context.project()
      const {parseLocaleList} = await import('../config.ts')
      for (const locale of parseLocaleList(options.to, project.config)) {
        const result = await bundleExportProject(project, {format: options.format, locale, dir: resolve(dir), articles: options.article, minState: options.minState})
        console.log(`${locale}: ${result.files.length} file(s) in ${relative(process.cwd(), resolve(dir, locale)) || '.'}, ${result.written.length} written`)
        context.report(result.failures)
      }
    })
}

/** `--database [url]`, as `build` and `qa` take it. */
function databaseOption(what: string): [string, string] {
  return ['--database [url]', `${what} instead of the glossary folder (PostgreSQL URL; alone: PASSERELLE_DATABASE_URL)`]
}

/**
 * Run `work` on the termbase the command names: the glossary folder (no
 * store) without --database, else the team database's store, on a pool
 * opened for the command (src/db/cli.ts) and closed after.
 */
async function withTermbase<T>(database: string | boolean | undefined, work: (termbase: TermbaseStore | undefined, pool: Pool | undefined) => Promise<T>): Promise<T> {
  if (database === undefined) return work(undefined, undefined)
  // `--database` takes an optional URL: `glossary export --database terms.tbx` would take the file for it.
  if (typeof database === 'string' && !/^(postgres(ql)?:\/\/|socket:|\/)/.test(database)) {
    throw new PasserelleError('E_INPUT', `--database ${database} is not a PostgreSQL URL`, {
      hint: 'give --database postgresql://user@host/db, or, to use PASSERELLE_DATABASE_URL, put the file before --database'
    })
  }
  const [{withTeamPool}, {databaseTermbaseStore}] = await Promise.all([import('../db/cli.ts'), import('../db/glossary.ts')])
  return withTeamPool(database, (pool) => work(databaseTermbaseStore(pool), pool))
}

/** The existing subcommand group of that name, or a new one (another stage may have created it). */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((command) => command.name() === name) ?? program.command(name).description(description)
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

function states(value: string): SegmentState[] {
  const out = list(value)
  for (const state of out) {
    if (!(segmentStates as readonly string[]).includes(state)) throw new InvalidArgumentError(`unknown state "${state}" (use ${segmentStates.join(', ')})`)
  }
  return out as SegmentState[]
}

function single(locales: string[]): string {
  if (locales.length !== 1) throw new PasserelleError('E_LOCALE', 'XLIFF export takes one target locale', {hint: 'run it once per locale: --to en'})
  return locales[0]!
}

async function output(file: string, text: string): Promise<void> {
  if (file === '-') process.stdout.write(text)
  else await writeFileAtomic(resolve(file), text)
}
