// The user store in the team database: the one owner of account changes,
// called by `passerelle users …` and by the admin page alike. Every change is
// an audit row in the same transaction; disabling a user revokes their
// sessions at once; no change may leave the project without an active admin.
import {PasserelleError} from '../errors.ts'
import {inTransaction, type Database} from '../db/connect.ts'
import {assertMigrated} from '../db/migrate.ts'
import {recordAudit, type AuditActor} from '../db/audit.ts'
import {hashPassword} from './password.ts'
import {createInvitation} from './sessions.ts'
import {can, roles, type Action, type Role} from './permissions.ts'

/**
 * active: may sign in; disabled: may not; invited: no password yet, a live
 * invitation link; no-password: no password and no live link (it expired or
 * was revoked: send a new one).
 */
export type UserState = 'active' | 'disabled' | 'invited' | 'no-password'

export interface User {
  id: number
  email: string
  role: Role
  locales: string[]
  disabled: boolean
  state: UserState
  created: string
  /** Last successful sign-in (ISO 8601), or null. */
  lastSignIn: string | null
  /** When the live invitation expires (state `invited`). */
  invitationExpires?: string
}

interface UserRow {
  id: string
  email: string
  role: Role
  locales: string[]
  disabled_at: Date | null
  created_at: Date
  has_password: boolean
  last_signin_at: Date | null
  invitation_expires: Date | null
}

// Every query that gives back users reads these columns, the live invitation included.
const columns = `u.id, u.email, u.role, u.locales, u.disabled_at, u.created_at, u.password_hash IS NOT NULL AS has_password, u.last_signin_at,
  (SELECT max(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()) AS invitation_expires`

function toUser(row: UserRow): User {
  const state: UserState = row.disabled_at !== null ? 'disabled' : row.has_password ? 'active' : row.invitation_expires ? 'invited' : 'no-password'
  return {
    id: Number(row.id),
    email: row.email,
    role: row.role,
    locales: row.locales,
    disabled: row.disabled_at !== null,
    state,
    created: row.created_at.toISOString(),
    lastSignIn: row.last_signin_at?.toISOString() ?? null,
    ...(state === 'invited' && row.invitation_expires ? {invitationExpires: row.invitation_expires.toISOString()} : {})
  }
}

const cli: AuditActor = {name: 'cli'}
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

function checkRole(role: string): asserts role is Role {
  if (!(roles as readonly string[]).includes(role)) throw new PasserelleError('E_INPUT', `unknown role '${role}'`, {hint: `use one of ${roles.join(', ')}`})
}

async function readUser(db: Database, email: string): Promise<User> {
  const {rows} = await db.query<UserRow>(`SELECT ${columns} FROM users u WHERE lower(u.email) = lower($1)`, [email.trim()])
  if (!rows[0]) throw new PasserelleError('E_NOT_FOUND', `no user ${email}`, {hint: 'see `passerelle users list`'})
  return toUser(rows[0])
}

/**
 * Lock the user's row for the change, with every admin's row first (one
 * statement, in id order, so that two changes never wait on each other):
 * the count of active admins then holds until the change commits.
 */
async function lockUser(db: Database, email: string): Promise<User & {otherActiveAdmins: number}> {
  const {rows} = await db.query<{id: string; email: string; role: Role; disabled_at: Date | null; has_password: boolean}>(
    `SELECT id, email, role, disabled_at, password_hash IS NOT NULL AS has_password FROM users
     WHERE role = 'admin' OR lower(email) = lower($1) ORDER BY id FOR UPDATE`,
    [email.trim()]
  )
  const target = rows.find((row) => row.email.toLowerCase() === email.trim().toLowerCase())
  if (!target) throw new PasserelleError('E_NOT_FOUND', `no user ${email}`, {hint: 'see `passerelle users list`'})
  const otherActiveAdmins = rows.filter((row) => row !== target && row.role === 'admin' && row.disabled_at === null && row.has_password).length
  return {...(await readUser(db, target.email)), otherActiveAdmins}
}

/** Refuse a change that takes the last active admin away: nobody could manage users any more. */
function keepAnAdmin(user: User & {otherActiveAdmins: number}, what: string): void {
  if (user.role === 'admin' && user.state === 'active' && user.otherActiveAdmins === 0) {
    throw new PasserelleError('E_CONFLICT', `${user.email} is the last active admin: ${what} would leave nobody to manage users`, {
      hint: 'make another user admin (and let them sign in once) first'
    })
  }
}

export async function addUser(
  db: Database,
  input: {email: string; role: string; locales?: readonly string[]; password?: string; actor?: AuditActor}
): Promise<User & {invitation?: string}> {
  await assertMigrated(db)
  const email = input.email.trim()
  if (!emailPattern.test(email) || email.length > 320) throw new PasserelleError('E_INPUT', `'${email}' is not an email address`, {hint: 'give the address the person signs in with'})
  checkRole(input.role)
  // No password: the user sets one through a one-time invitation.
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password)
  return inTransaction(db, async () => {
    const {rows} = await db.query<{id: string}>(
      `INSERT INTO users (email, role, locales, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
      [email, input.role, [...(input.locales ?? [])], passwordHash]
    )
    const row = rows[0]
    if (!row) throw new PasserelleError('E_INPUT', `a user ${email} already exists`, {hint: 'pick another address, or disable the existing user first'})
    const invitation = passwordHash === null ? await createInvitation(db, Number(row.id)) : undefined
    const user = await readUser(db, email)
    await recordAudit(db, {actor: input.actor ?? cli, entity: 'user', key: email.toLowerCase(), action: 'add', after: {email: user.email, role: user.role, locales: user.locales}})
    return invitation === undefined ? user : {...user, invitation}
  })
}

export async function listUsers(db: Database): Promise<User[]> {
  await assertMigrated(db)
  const {rows} = await db.query<UserRow>(`SELECT ${columns} FROM users u ORDER BY lower(u.email)`)
  return rows.map(toUser)
}

/** Disable a user and revoke their open sessions. Disabling a disabled user changes nothing. */
export async function disableUser(db: Database, email: string, actor: AuditActor = cli): Promise<User> {
  await assertMigrated(db)
  return inTransaction(db, async () => {
    const user = await lockUser(db, email)
    if (user.disabled) return withoutCount(user)
    keepAnAdmin(user, 'disabling them')
    await db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [user.id])
    // The one path that ends a disabled user's sessions (sessionOf also refuses a disabled user's).
    await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id])
    await recordAudit(db, {actor, entity: 'user', key: user.email.toLowerCase(), action: 'disable', before: {disabled: false}, after: {disabled: true}})
    return readUser(db, user.email)
  })
}

/** Enable a disabled user again: they sign in anew (their old sessions stay revoked). */
export async function enableUser(db: Database, email: string, actor: AuditActor = cli): Promise<User> {
  await assertMigrated(db)
  return inTransaction(db, async () => {
    const user = await lockUser(db, email)
    if (!user.disabled) return withoutCount(user)
    await db.query('UPDATE users SET disabled_at = NULL WHERE id = $1', [user.id])
    await recordAudit(db, {actor, entity: 'user', key: user.email.toLowerCase(), action: 'enable', before: {disabled: true}, after: {disabled: false}})
    return readUser(db, user.email)
  })
}

/** Change a user's role and/or locales; one audit row with both sides. Nothing changes: no row. */
export async function setUserRole(db: Database, email: string, change: {role?: string; locales?: readonly string[]}, actor: AuditActor = cli): Promise<User> {
  await assertMigrated(db)
  if (change.role !== undefined) checkRole(change.role)
  return inTransaction(db, async () => {
    const user = await lockUser(db, email)
    const role = change.role ?? user.role
    const locales = change.locales === undefined ? user.locales : [...change.locales]
    if (role === user.role && locales.join(',') === user.locales.join(',')) return withoutCount(user)
    if (role !== 'admin') keepAnAdmin(user, `making them ${role}`)
    await db.query('UPDATE users SET role = $2, locales = $3 WHERE id = $1', [user.id, role, locales])
    await recordAudit(db, {actor, entity: 'user', key: user.email.toLowerCase(), action: 'role', before: {role: user.role, locales: user.locales}, after: {role, locales}})
    return readUser(db, user.email)
  })
}

/** A new one-time invitation for a user who has no password yet; open ones stop working. Gives back the token (shown once). */
export async function inviteUser(db: Database, email: string, actor: AuditActor = cli): Promise<User & {invitation: string}> {
  await assertMigrated(db)
  return inTransaction(db, async () => {
    const user = await lockUser(db, email)
    if (user.state === 'active') throw new PasserelleError('E_CONFLICT', `${user.email} has a password already`, {hint: 'an invitation is only for someone who has not set one'})
    if (user.disabled) throw new PasserelleError('E_CONFLICT', `${user.email} is disabled`, {hint: 'enable the user first'})
    await db.query('UPDATE invitations SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL', [user.id])
    const invitation = await createInvitation(db, user.id)
    await recordAudit(db, {actor, entity: 'user', key: user.email.toLowerCase(), action: 'invite'})
    return {...(await readUser(db, user.email)), invitation}
  })
}

/** Withdraw a user's open invitation: its link stops working at once. */
export async function revokeInvitation(db: Database, email: string, actor: AuditActor = cli): Promise<User> {
  await assertMigrated(db)
  return inTransaction(db, async () => {
    const user = await lockUser(db, email)
    const {rowCount} = await db.query('UPDATE invitations SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()', [user.id])
    if (!rowCount) throw new PasserelleError('E_NOT_FOUND', `${user.email} has no open invitation`, {hint: 'see `passerelle users list`'})
    await recordAudit(db, {actor, entity: 'user', key: user.email.toLowerCase(), action: 'revoke-invitation'})
    return readUser(db, user.email)
  })
}

function withoutCount(user: User & {otherActiveAdmins: number}): User {
  const {otherActiveAdmins: _count, ...rest} = user
  return rest
}

/**
 * The audit actor of a change made from the command line in a user's name
 * (`glossary import --database --as <email>`): the user must exist, be
 * enabled and hold the action, as the team server would ask of them.
 */
export async function actorFor(db: Database, email: string, action: Action): Promise<{name: string; id: number}> {
  const {rows} = await db.query<UserRow>(`SELECT ${columns} FROM users u WHERE lower(u.email) = lower($1)`, [email.trim()])
  const row = rows[0]
  if (!row) throw new PasserelleError('E_NOT_FOUND', `no user ${email}`, {hint: 'give --as the address of a team user (see `passerelle users list`)'})
  const user = toUser(row)
  if (user.disabled) throw new PasserelleError('E_INPUT', `user ${user.email} is disabled`, {hint: 'give --as the address of an enabled user'})
  if (!can(user, action)) {
    throw new PasserelleError('E_INPUT', `user ${user.email} (${user.role}) may not do ${action}`, {hint: 'give --as the address of a terminologist or an admin'})
  }
  return {name: user.email, id: user.id}
}
