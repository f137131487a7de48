// The user store in the team database. Every change is an audit row in the
// same transaction; disabling a user revokes their sessions at once.
import {PasserelleError} from '../errors.ts'
import {inTransaction, type Database} from '../db/connect.ts'
import {assertMigrated} from '../db/migrate.ts'
import {recordAudit} from '../db/audit.ts'
import {hashPassword} from './password.ts'
import {createInvitation} from './sessions.ts'
import {can, roles, type Action, type Role} from './permissions.ts'

export interface User {
  id: number
  email: string
  role: Role
  locales: string[]
  disabled: boolean
  created: string
}

interface UserRow {
  id: string
  email: string
  role: Role
  locales: string[]
  disabled_at: Date | null
  created_at: Date
}

function toUser(row: UserRow): User {
  return {id: Number(row.id), email: row.email, role: row.role, locales: row.locales, disabled: row.disabled_at !== null, created: row.created_at.toISOString()}
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export async function addUser(
  db: Database,
  input: {email: string; role: string; locales?: readonly string[]; password?: string; actor?: string}
): Promise<User & {invitation?: string}> {
  await assertMigrated(db)
  const email = input.email.trim()
  if (!emailPattern.test(email)) throw new PasserelleError('E_INPUT', `'${email}' is not an email address`, {hint: 'give the address the person signs in with'})
  if (!(roles as readonly string[]).includes(input.role)) {
    throw new PasserelleError('E_INPUT', `unknown role '${input.role}'`, {hint: `use one of ${roles.join(', ')}`})
  }
  // No password: the user sets one through a one-time invitation.
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password)
  return inTransaction(db, async () => {
    const {rows} = await db.query<UserRow>(
      `INSERT INTO users (email, role, locales, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT ((lower(email))) DO NOTHING
       RETURNING id, email, role, locales, disabled_at, created_at`,
      [email, input.role, [...(input.locales ?? [])], passwordHash]
    )
    const row = rows[0]
    if (!row) throw new PasserelleError('E_INPUT', `a user ${email} already exists`, {hint: 'pick another address, or disable the existing user first'})
    const user = toUser(row)
    await recordAudit(db, {actor: {name: input.actor ?? 'cli'}, entity: 'user', key: email.toLowerCase(), action: 'add', after: {email: user.email, role: user.role, locales: user.locales}})
    return passwordHash === null ? {...user, invitation: await createInvitation(db, user.id)} : user
  })
}

export async function listUsers(db: Database): Promise<User[]> {
  await assertMigrated(db)
  const {rows} = await db.query<UserRow>('SELECT id, email, role, locales, disabled_at, created_at FROM users ORDER BY lower(email)')
  return rows.map(toUser)
}

/** Disable a user and revoke their open sessions. Disabling a disabled user changes nothing. */
export async function disableUser(db: Database, email: string, actor = 'cli'): Promise<User> {
  await assertMigrated(db)
  return inTransaction(db, async () => {
    const {rows} = await db.query<UserRow>('SELECT id, email, role, locales, disabled_at, created_at FROM users WHERE lower(email) = lower($1) FOR UPDATE', [email.trim()])
    const row = rows[0]
    if (!row) throw new PasserelleError('E_NOT_FOUND', `no user ${email}`, {hint: 'see `passerelle users list`'})
    if (row.disabled_at !== null) return toUser(row)
    const {rows: updated} = await db.query<UserRow>(
      'UPDATE users SET disabled_at = now() WHERE id = $1 RETURNING id, email, role, locales, disabled_at, created_at',
      [row.id]
    )
    await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [row.id])
    await recordAudit(db, {actor: {name: actor}, entity: 'user', key: row.email.toLowerCase(), action: 'disable', before: {disabled: false}, after: {disabled: true}})
    return toUser(updated[0]!)
  })
}

/** Change a user's role and/or locales; one audit row with both sides. Nothing changes: no row. */
export async function setUserRole(db: Database, email: string, change: {role?: string; locales?: readonly string[]}, actor = 'cli'): Promise<User> {
  await assertMigrated(db)
  if (change.role !== undefined && !(roles as readonly string[]).includes(change.role)) {
    throw new PasserelleError('E_INPUT', `unknown role '${change.role}'`, {hint: `use one of ${roles.join(', ')}`})
  }
  return inTransaction(db, async () => {
    const {rows} = await db.query<UserRow>('SELECT id, email, role, locales, disabled_at, created_at FROM users WHERE lower(email) = lower($1) FOR UPDATE', [email.trim()])
    const row = rows[0]
    if (!row) throw new PasserelleError('E_NOT_FOUND', `no user ${email}`, {hint: 'see `passerelle users list`'})
    const role = change.role ?? row.role
    const locales = change.locales === undefined ? row.locales : [...change.locales]
    if (role === row.role && locales.join(',') === row.locales.join(',')) return toUser(row)
    const {rows: updated} = await db.query<UserRow>(
      'UPDATE users SET role = $2, locales = $3 WHERE id = $1 RETURNING id, email, role, locales, disabled_at, created_at',
      [row.id, role, locales]
    )
    await recordAudit(db, {actor: {name: actor}, entity: 'user', key: row.email.toLowerCase(), action: 'role', before: {role: row.role, locales: row.locales}, after: {role, locales}})
    return toUser(updated[0]!)
  })
}

/**
 * The audit actor of a change made from the command line in a user's name
 * (`glossary import --database --as <email>`): the user must exist, be
 * enabled and hold the action, as the team server would ask of them.
 */
export async function actorFor(db: Database, email: string, action: Action): Promise<{name: string; id: number}> {
  const {rows} = await db.query<UserRow>('SELECT id, email, role, locales, disabled_at, created_at FROM users WHERE lower(email) = lower($1)', [email.trim()])
  const row = rows[0]
  if (!row) throw new PasserelleError('E_NOT_FOUND', `no user ${email}`, {hint: 'give --as the address of a team user (see `passerelle users list`)'})
  const user = toUser(row)
  if (user.disabled) throw new PasserelleError('E_INPUT', `user ${user.email} is disabled`, {hint: 'give --as the address of an enabled user'})
  if (!can(user, action)) {
    throw new PasserelleError('E_INPUT', `user ${user.email} (${user.role}) may not do ${action}`, {hint: 'give --as the address of a terminologist or an admin'})
  }
  return {name: user.email, id: user.id}
}
