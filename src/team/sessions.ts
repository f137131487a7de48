// Sign-in, sessions and invitations of the team server, in the database.
// Only hashes of session and invitation tokens are stored (a dump hands out
// nothing). Each request looks its session up with the user's row, so that
// disabling a user or revoking a session takes effect on the next request.
// Sign-in is throttled per account and per client address from the
// `signin_attempts` table, so that every server process shares the count.
import {createHash, randomBytes} from 'node:crypto'
import {PasserelleError} from '../errors.ts'
import {inTransaction, withTransaction, type Database, type Pool} from '../db/connect.ts'
import {hashPassword, verifyPassword} from './password.ts'
import {recordAudit} from '../db/audit.ts'
import type {Role} from './permissions.ts'

import {accountLimit, addressLimit, invitationDays, pruneMinutes, sessionHours, windowMinutes} from './limits.ts'

export {accountLimit, addressLimit, invitationDays, pruneMinutes, sessionHours, windowMinutes}

export interface SessionUser {
  id: number
  email: string
  role: Role
  locales: string[]
}

export interface Session {
  user: SessionUser
  csrf: string
  tokenHash: string
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export type SignInResult =
  | {ok: true; token: string; session: Session}
  | {ok: false; reason: 'invalid'}
  | {ok: false; reason: 'locked'; retryAfterSeconds: number}

// A hash to verify against when the account does not exist, so that its absence does not answer faster.
let decoy: Promise<string> | undefined

// Advisory lock classes (pg_advisory_xact_lock(class, key)) serialising the lockout check of one account and
// of one address; every sign-in takes the account's, then the address's, so that no two wait on each other.
const accountLockClass = 746_201_917
const addressLockClass = 746_201_918

/**
 * Check the password and open a new session (a fresh token: a session id a
 * visitor brought along is never adopted, and `replacing` is revoked).
 * Locked accounts and addresses are refused before the password is checked.
 *
 * The lockout is atomic: under the account's and the address's advisory
 * locks, one statement counts the recent failures and records this attempt
 * as a failure; only when the password then proves right is it turned into a
 * success. So concurrent wrong passwords each see the ones before them, and
 * no more than the limit are ever checked against the hash.
 */
export async function signIn(pool: Pool, input: {email: string; password: string; address: string; replacing?: string}): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase().slice(0, 320)
  const address = input.address.slice(0, 64)
  const gate = await admit(pool, email, address)
  if (gate.lockedSeconds > 0) return {ok: false, reason: 'locked', retryAfterSeconds: gate.lockedSeconds}
  const {rows} = await pool.query<{id: string; email: string; role: Role; locales: string[]; password_hash: string | null; disabled_at: Date | null}>(
    'SELECT id, email, role, locales, password_hash, disabled_at FROM users WHERE lower(email) = $1',
    [email]
  )
  const row = rows[0]
  decoy ??= hashPassword('not a password of anyone, ever')
  const verified = await verifyPassword(row?.password_hash ?? (await decoy), input.password)
  const ok = verified && row !== undefined && row.password_hash !== null && row.disabled_at === null
  if (!ok || !row) return {ok: false, reason: 'invalid'}
  const token = newToken()
  // Hex: the page embeds it in a meta tag.
  const csrf = randomBytes(32).toString('hex')
  const hash = tokenHash(token)
  await withTransaction(pool, async (db) => {
    await db.query('UPDATE signin_attempts SET success = true WHERE id = $1', [gate.attempt])
    await db.query('UPDATE users SET last_signin_at = now() WHERE id = $1', [row.id])
    if (input.replacing) await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash(input.replacing)])
    await db.query(`INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`, [
      hash,
      row.id,
      csrf,
      sessionHours
    ])
  })
  return {ok: true, token, session: {user: {id: Number(row.id), email: row.email, role: row.role, locales: row.locales}, csrf, tokenHash: hash}}
}

/**
 * Record this attempt (as a failure until proven otherwise) and say how long
 * the account or address is locked (0: not locked, go on and check the password).
 */
async function admit(pool: Pool, email: string, address: string): Promise<{attempt: string; lockedSeconds: number}> {
  return withTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [accountLockClass, email])
    await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [addressLockClass, address])
    // Failures since the last success, within the window; the lock lasts `window` after the last failure.
    // The counts read the table as it was before this statement's own INSERT (one snapshot).
    const {rows} = await db.query<{attempt: string; account: string; account_last: Date | null; address: string; address_last: Date | null}>(
      `WITH account AS (
         SELECT count(*) AS n, max(at) AS last FROM signin_attempts
         WHERE email = $1 AND NOT success AND at > now() - make_interval(mins => $3)
           AND at > coalesce((SELECT max(at) FROM signin_attempts WHERE email = $1 AND success), '-infinity')
       ), address AS (
         SELECT count(*) AS n, max(at) AS last FROM signin_attempts
         WHERE address = $2 AND NOT success AND at > now() - make_interval(mins => $3)
       ), attempt AS (
         INSERT INTO signin_attempts (email, address, success, at) VALUES ($1, $2, false, clock_timestamp()) RETURNING id
       )
       SELECT attempt.id AS attempt, account.n AS account, account.last AS account_last, address.n AS address, address.last AS address_last
       FROM account, address, attempt`,
      [email, address, windowMinutes]
    )
    const row = rows[0]!
    const until = (last: Date | null) => (last ? Math.max(1, Math.ceil((last.getTime() + windowMinutes * 60_000 - Date.now()) / 1000)) : 0)
    const waits = [Number(row.account) >= accountLimit ? until(row.account_last) : 0, Number(row.address) >= addressLimit ? until(row.address_last) : 0]
    return {attempt: row.attempt, lockedSeconds: Math.max(...waits)}
  })
}

/**
 * Delete what sign-in no longer needs: sessions that expired or were revoked
 * (they can never be used again) and sign-in attempts older than the lockout
 * window (the lockout reads only the window). The server runs it every
 * `pruneMinutes`; `passerelle db prune` runs it on demand.
 */
export async function pruneSignIns(db: Database | Pool): Promise<{sessions: number; attempts: number}> {
  const sessions = await db.query('DELETE FROM sessions WHERE expires_at <= now() OR revoked_at IS NOT NULL')
  const attempts = await db.query('DELETE FROM signin_attempts WHERE at < now() - make_interval(mins => $1)', [windowMinutes])
  return {sessions: sessions.rowCount ?? 0, attempts: attempts.rowCount ?? 0}
}

/** The live session of a token: not revoked, not expired, its user not disabled. */
export async function sessionOf(pool: Pool, token: string | undefined): Promise<Session | undefined> {
  if (!token || token.length > 100) return undefined
  const hash = tokenHash(token)
  const {rows} = await pool.query<{id: string; email: string; role: Role; locales: string[]; csrf_token: string}>(
    `SELECT u.id, u.email, u.role, u.locales, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [hash]
  )
  const row = rows[0]
  return row ? {user: {id: Number(row.id), email: row.email, role: row.role, locales: row.locales}, csrf: row.csrf_token, tokenHash: hash} : undefined
}

export async function signOut(pool: Pool, session: Session): Promise<void> {
  await pool.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [session.tokenHash])
}

/** A one-time invitation for a user without a password; gives back the token (shown once, stored hashed). */
export async function createInvitation(db: Database, userId: number): Promise<string> {
  const token = newToken()
  await db.query(`INSERT INTO invitations (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`, [tokenHash(token), userId, invitationDays])
  return token
}

/** The address an invitation is for, when the token is live (unused, unexpired, user enabled). */
export async function invitationEmail(pool: Pool, token: string): Promise<string | undefined> {
  if (token.length > 100) return undefined
  const {rows} = await pool.query<{email: string}>(
    `SELECT u.email FROM invitations i JOIN users u ON u.id = i.user_id
     WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND u.disabled_at IS NULL`,
    [tokenHash(token)]
  )
  return rows[0]?.email
}

/** Set the password of an invitation's user, once: the invitation is used up in the same transaction. */
export async function acceptInvitation(db: Database, token: string, password: string): Promise<string> {
  const hash = await hashPassword(password)
  return inTransaction(db, async () => {
    const {rows} = await db.query<{user_id: string; email: string}>(
      `UPDATE invitations i SET used_at = now() FROM users u
       WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND u.id = i.user_id AND u.disabled_at IS NULL
       RETURNING i.user_id, u.email`,
      [tokenHash(token)]
    )
    const row = rows[0]
    if (!row) throw new PasserelleError('E_NOT_FOUND', 'this invitation is used, expired or unknown', {hint: 'ask an administrator for a new one'})
    await db.query('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, row.user_id])
    // Other open invitations of this user die with this one.
    await db.query('UPDATE invitations SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [row.user_id])
    await recordAudit(db, {actor: {name: row.email, id: Number(row.user_id)}, entity: 'user', key: row.email.toLowerCase(), action: 'set-password', after: {via: 'invitation'}})
    return row.email
  })
}
