// `passerelle db …`: the team database's schema and its sync with the project's files.
import {Option, type Command} from 'commander'
import type {CliContext} from '../cli-context.ts'
import {failureOf, PasserelleError} from '../errors.ts'
import {pruneMinutes} from '../team/limits.ts'
// The database code (and `pg`) loads only when a db command runs: other commands start without it.
const database = () => import('./connect.ts')

/** --database, or PASSERELLE_DATABASE_URL. */
export function databaseUrl(option: string | undefined): string {
  const url = option ?? process.env.PASSERELLE_DATABASE_URL
  if (!url) {
    throw new PasserelleError('E_INPUT', 'no database given', {
      hint: 'pass --database postgresql://user@host/db or set PASSERELLE_DATABASE_URL'
    })
  }
  return url
}

const databaseOption = ['--database <url>', 'PostgreSQL URL (or set PASSERELLE_DATABASE_URL)'] as const

/**
 * A connection pool on the team database for one command (`build`, `qa`,
 * `glossary … --database`): `option` is --database's value (true: the option
 * given without a URL, PASSERELLE_DATABASE_URL then), the schema is checked
 * first, and the pool is closed when `work` ends.
 */
export async function withTeamPool<T>(option: string | boolean | undefined, work: (pool: import('./connect.ts').Pool) => Promise<T>): Promise<T> {
  const [{openPool}, {assertPoolMigrated}] = await Promise.all([database(), import('./migrate.ts')])
  const pool = await openPool(databaseUrl(typeof option === 'string' ? option : undefined), {max: 2})
  try {
    await assertPoolMigrated(pool)
    return await work(pool)
  } finally {
    await pool.end()
  }
}

export function registerDbCommands(program: Command, context: CliContext): void {
  const db = program.command('db').description('team database (PostgreSQL): schema, and sync with the project files')

  db.command('migrate')
    .description('create or upgrade the database schema (safe to re-run)')
    .option(...databaseOption)
    .action(async (options: {database?: string}) => {
      const {migrate} = await import('./migrate.ts')
      const result = await (await database()).withDatabase(databaseUrl(options.database), (client) => migrate(client))
      console.log(
        result.applied.length === 0
          ? `db: schema up to date (version ${result.version})`
          : `db: applied migration${result.applied.length === 1 ? '' : 's'} ${result.applied.join(', ')}; schema at version ${result.version}`
      )
    })

  db.command('import')
    .description("load the project's content/, glossary/, locales/ and tm/ into the database (replaces what it held)")
    .option(...databaseOption)
    .action(async (options: {database?: string}) => {
      const project = await context.project()
      const {importProject} = await import('./sync.ts')
      const result = await (await database()).withDatabase(databaseUrl(options.database), (client) => importProject(client, project))
      const {content, glossary, locales, tm} = result.files
      console.log(`db: imported ${content} content, ${glossary} glossary, ${tm} tm files and ${locales} bundles (${result.segments} segments, ${result.concepts} concepts, ${result.rules} post-editing rules)`)
      context.report(result.problems.map((problem) => failureOf(problem)))
    })

  db.command('export')
    .description('write the database back into content/, glossary/, locales/ and tm/ (files it does not hold are left alone)')
    .option(...databaseOption)
    .action(async (options: {database?: string}) => {
      const project = await context.project()
      const {exportProject} = await import('./sync.ts')
      const result = await (await database()).withDatabase(databaseUrl(options.database), (client) => exportProject(client, project))
      for (const path of result.written) console.log(`wrote ${path}`)
      console.log(`db: exported ${result.total} files, ${result.written.length} changed`)
      context.report(result.problems.map((problem) => failureOf(problem)))
    })

  db.command('prune')
    .description(`delete expired or revoked sessions and sign-in attempts older than the lockout window (the server also does it every ${pruneMinutes} minutes)`)
    .option(...databaseOption)
    .action(async (options: {database?: string}) => {
      const [{pruneSignIns}, {assertMigrated}] = await Promise.all([import('../team/sessions.ts'), import('./migrate.ts')])
      const result = await (await database()).withDatabase(databaseUrl(options.database), async (client) => {
        await assertMigrated(client)
        return pruneSignIns(client)
      })
      console.log(`db: pruned ${result.sessions} session${result.sessions === 1 ? '' : 's'} and ${result.attempts} sign-in attempt${result.attempts === 1 ? '' : 's'}`)
    })

  db.command('audit')
    .description('export the audit trail (who changed which segment, concept or user, when, before and after) as JSON Lines or CSV')
    .option('--out <file>', 'output file: .jsonl or .csv (written atomically), or - for JSON Lines on stdout')
    .option('--export <file>', 'same as --out')
    .addOption(new Option('--entity <entity>', 'only this kind of change').choices(['segment', 'concept', 'user', 'file', 'pattern', 'rule']))
    .option('--since <date>', 'only changes at or after this ISO 8601 date or time')
    .option(...databaseOption)
    .action(async (options: {out?: string; export?: string; entity?: 'segment' | 'concept' | 'user' | 'file' | 'pattern' | 'rule'; since?: string; database?: string}) => {
      const out = options.out ?? options.export
      if (out === undefined) throw new PasserelleError('E_INPUT', 'no output file', {hint: 'pass --out audit.jsonl (or .csv, or - for stdout)'})
      const {exportAudit, parseSince, auditFormatOf} = await import('./audit-export.ts')
      const since = options.since === undefined ? undefined : parseSince(options.since)
      auditFormatOf(out)
      const result = await (await database()).withDatabase(databaseUrl(options.database), (client) =>
        exportAudit(client, {out, ...(options.entity ? {entity: options.entity} : {}), ...(since ? {since} : {})})
      )
      if (out !== '-') console.log(`db: wrote ${result.rows} audit row${result.rows === 1 ? '' : 's'} to ${out} (${result.format})`)
    })
}
