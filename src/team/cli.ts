// `passerelle users …`: accounts of the team server. The password comes on
// stdin, never as an argument (arguments show in `ps` and shell history).
import type {Command} from 'commander'
import type {CliContext} from '../cli-context.ts'
import {databaseUrl} from '../db/cli.ts'
import {PasserelleError} from '../errors.ts'
import {roles} from './permissions.ts'
import {invitationDays, invitationLink} from './limits.ts'

// The database code (`pg`, argon2) loads only when a users command runs.
async function load() {
  const [{withDatabase}, users, {parseLocaleList}] = await Promise.all([import('../db/connect.ts'), import('./users.ts'), import('../config.ts')])
  return {withDatabase, parseLocaleList, ...users}
}

/** The password piped on stdin, or undefined when none is (a terminal, or empty input): then the user gets an invitation. */
async function readPassword(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  // One trailing newline is the shell's, not the password's.
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  return password === '' ? undefined : password
}

/** The server's address for invitation links: --public-url, PASSERELLE_PUBLIC_URL, else the default local one. */
function publicUrl(option: string | undefined): URL {
  const value = option ?? process.env.PASSERELLE_PUBLIC_URL ?? 'http://127.0.0.1:4173/'
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http')
    return url
  } catch {
    throw new PasserelleError('E_INPUT', `'${value}' is not an http(s) address`, {hint: 'pass --public-url https://translate.example.org/'})
  }
}

export function registerUserCommands(program: Command, context: CliContext): void {
  const users = program.command('users').description('team server accounts: add, list, disable, enable, role, invite')
  const databaseOption = ['--database <url>', 'PostgreSQL URL (or set PASSERELLE_DATABASE_URL)'] as const

  users
    .command('add <email>')
    .description('add an account; the password is read from stdin, or, with none, a one-time invitation link is printed')
    .requiredOption('--role <role>', roles.join('|'))
    .option('--locales <list>', 'target locales the user works in, comma-separated (default: all)')
    .option('--public-url <url>', 'address of the team server, for the invitation link (or set PASSERELLE_PUBLIC_URL)')
    .option(...databaseOption)
    .action(async (email: string, options: {role: string; locales?: string; database?: string; publicUrl?: string}) => {
      const project = await context.project()
      const {withDatabase, parseLocaleList, addUser} = await load()
      const locales = options.locales ? parseLocaleList(options.locales, project.config) : []
      const base = publicUrl(options.publicUrl)
      const password = await readPassword()
      const user = await withDatabase(databaseUrl(options.database), (db) => addUser(db, {email, role: options.role, locales, ...(password === undefined ? {} : {password})}))
      console.log(`users: added ${user.email} (${user.role}, ${user.locales.length ? user.locales.join(',') : 'all locales'})`)
      if (user.invitation) {
        console.log(`users: invitation (one use, expires in ${invitationDays} days): ${invitationLink(user.invitation, base)}`)
      }
    })

  users
    .command('list')
    .description('list accounts')
    .option('--json', 'machine-readable output')
    .option(...databaseOption)
    .action(async (options: {json?: boolean; database?: string}) => {
      const {withDatabase, listUsers} = await load()
      const list = await withDatabase(databaseUrl(options.database), (db) => listUsers(db))
      if (options.json) {
        console.log(JSON.stringify(list, null, 2))
        return
      }
      for (const user of list) {
        console.log(`${user.email}\t${user.role}\t${user.locales.length ? user.locales.join(',') : 'all locales'}\t${user.state}`)
      }
    })

  users
    .command('disable <email>')
    .description('disable an account and end its sessions')
    .option(...databaseOption)
    .action(async (email: string, options: {database?: string}) => {
      const {withDatabase, disableUser} = await load()
      const user = await withDatabase(databaseUrl(options.database), (db) => disableUser(db, email))
      console.log(`users: ${user.email} is disabled`)
    })

  users
    .command('enable <email>')
    .description('enable a disabled account again (they sign in anew)')
    .option(...databaseOption)
    .action(async (email: string, options: {database?: string}) => {
      const {withDatabase, enableUser} = await load()
      const user = await withDatabase(databaseUrl(options.database), (db) => enableUser(db, email))
      console.log(`users: ${user.email} is enabled`)
    })

  users
    .command('invite <email>')
    .description('print a new one-time invitation link for an account without a password (its open links stop working)')
    .option('--public-url <url>', 'address of the team server, for the invitation link (or set PASSERELLE_PUBLIC_URL)')
    .option(...databaseOption)
    .action(async (email: string, options: {database?: string; publicUrl?: string}) => {
      const {withDatabase, inviteUser} = await load()
      const base = publicUrl(options.publicUrl)
      const user = await withDatabase(databaseUrl(options.database), (db) => inviteUser(db, email))
      console.log(`users: invitation for ${user.email} (one use, expires in ${invitationDays} days): ${invitationLink(user.invitation, base)}`)
    })

  users
    .command('revoke-invitation <email>')
    .description("withdraw an account's open invitation: the link stops working")
    .option(...databaseOption)
    .action(async (email: string, options: {database?: string}) => {
      const {withDatabase, revokeInvitation} = await load()
      const user = await withDatabase(databaseUrl(options.database), (db) => revokeInvitation(db, email))
      console.log(`users: the invitation of ${user.email} is revoked`)
    })

  users
    .command('role <email>')
    .description("change an account's role or locales (an audit row records both sides)")
    .option('--role <role>', roles.join('|'))
    .option('--locales <list>', "target locales the user works in, comma-separated ('all' for every locale)")
    .option(...databaseOption)
    .action(async (email: string, options: {role?: string; locales?: string; database?: string}) => {
      if (options.role === undefined && options.locales === undefined) {
        throw new PasserelleError('E_INPUT', 'nothing to change', {hint: 'pass --role <role> and/or --locales <list>'})
      }
      const project = await context.project()
      const {withDatabase, parseLocaleList, setUserRole} = await load()
      const locales = options.locales === undefined ? undefined : options.locales === 'all' ? [] : parseLocaleList(options.locales, project.config)
      const user = await withDatabase(databaseUrl(options.database), (db) =>
        setUserRole(db, email, {...(options.role === undefined ? {} : {role: options.role}), ...(locales === undefined ? {} : {locales})})
      )
      console.log(`users: ${user.email} is ${user.role} (${user.locales.length ? user.locales.join(',') : 'all locales'})`)
    })
}
