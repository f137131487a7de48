// `passerelle db …`: the team database's schema and its sync with the project's files.
import type {Command} from 'commander'
import type {CliContext} from '../cli-context.ts'
import {PasserelleError} from '../errors.ts'
import {withDatabase} from './connect.ts'
import {migrate} from './migrate.ts'

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

export function registerDbCommands(program: Command, _context: CliContext): void {
  const db = program.command('db').description('team database (PostgreSQL): schema, and sync with the project files')

  db.command('migrate')
    .description('create or upgrade the database schema (safe to re-run)')
    .option(...databaseOption)
    .action(async (options: {database?: string}) => {
      const result = await withDatabase(databaseUrl(options.database), (client) => migrate(client))
      console.log(
        result.applied.length === 0
          ? `db: schema up to date (version ${result.version})`
          : `db: applied migration${result.applied.length === 1 ? '' : 's'} ${result.applied.join(', ')}; schema at version ${result.version}`
      )
    })
}
