// `passerelle db …`: the team database's schema and its sync with the project's files.
import type {Command} from 'commander'
import type {CliContext} from '../cli-context.ts'
import {failureOf, PasserelleError} from '../errors.ts'
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
      console.log(`db: imported ${content} content, ${glossary} glossary, ${tm} tm files and ${locales} bundles (${result.segments} segments)`)
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

  db.command('audit')
    .description('export the audit trail (who changed what, when, before and after) as JSON Lines or CSV')
    .requiredOption('--export <file>', 'file to write; .csv gives CSV, anything else JSON Lines (- for stdout)')
    .option('--entity <kind>', 'only segment, concept, user or file rows')
    .option(...databaseOption)
    .action(async (options: {export: string; entity?: string; database?: string}) => {
      const [{readAudit, formatAudit}, {assertMigrated}, {writeFileAtomic}] = await Promise.all([import('./audit.ts'), import('./migrate.ts'), import('../io/atomic.ts')])
      if (options.entity !== undefined && !['segment', 'concept', 'user', 'file'].includes(options.entity)) {
        throw new PasserelleError('E_INPUT', `unknown audit entity '${options.entity}'`, {hint: 'use segment, concept, user or file'})
      }
      const format = options.export.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl'
      const records = await (await database()).withDatabase(databaseUrl(options.database), async (client) => {
        await assertMigrated(client)
        return readAudit(client, options.entity ? {entity: options.entity} : {})
      })
      const text = formatAudit(records, format)
      if (options.export === '-') process.stdout.write(text)
      else {
        await writeFileAtomic(options.export, text)
        console.log(`db: wrote ${records.length} audit rows to ${options.export}`)
      }
    })
}
