// The admin page's API (team mode): accounts listed, invited, changed,
// disabled and enabled, invitations renewed or revoked. Each route is only a
// door to the user store (`src/team/users.ts`, which `passerelle users …`
// calls too): the store checks, writes the audit row and refuses to leave the
// project without an active admin. `team.ts` maps every route here to
// `users.manage` (admins only) and requires the session's CSRF token.
import type {Context, Hono} from 'hono'
import {z} from 'zod'
import {parseLocaleList, type Config} from '../config.ts'
import type {AuditActor} from '../db/audit.ts'
import {withClient as withPooledClient, type Database, type Pool} from '../db/connect.ts'
import {invitationDays, invitationLink} from '../team/limits.ts'
import {roles} from '../team/permissions.ts'
import {addUser, disableUser, enableUser, inviteUser, listUsers, revokeInvitation, setUserRole, type User} from '../team/users.ts'
import {readJson} from './security.ts'
import {parseBody} from './validate.ts'

/** GET /api/users. */
export interface UsersData {
  users: User[]
  /** Days an invitation link works. */
  invitationDays: number
}

/** What a change answers: the user as they are now, and a new invitation link (shown once: only its hash is kept). */
export interface UserResponse {
  user: User
  invitation?: {link: string; expires: string}
}

const localesSchema = z.array(z.string().max(35)).max(50)
const inviteSchema = z.strictObject({email: z.string().min(3).max(320), role: z.enum(roles), locales: localesSchema})
const changeSchema = z.strictObject({role: z.enum(roles).optional(), locales: localesSchema.optional()})

export interface UserRoutesOptions {
  pool: Pool
  config: Config
  /** The server's public address for invitation links; else the address the admin's browser used. */
  publicUrl?: string
  actor(c: Context): AuditActor
}

export function registerUserRoutes(app: Hono, options: UserRoutesOptions): void {
  const {pool} = options
  const withClient = <T>(work: (db: Database) => Promise<T>): Promise<T> => withPooledClient(pool, work)
  // Locales as `users add --locales` takes them (target locales only); none: every locale.
  const locales = (list: readonly string[]) => (list.length === 0 ? [] : parseLocaleList(list.join(','), options.config))
  const emailOf = (c: Context) => c.req.param('email') ?? ''
  const linkOf = (c: Context, token: string) => invitationLink(token, options.publicUrl ?? new URL('/', c.req.url).href)
  const invitation = (c: Context, user: User & {invitation: string}): UserResponse => {
    const {invitation: token, ...rest} = user
    return {user: rest, invitation: {link: linkOf(c, token), expires: rest.invitationExpires ?? ''}}
  }

  app.get('/api/users', async (c) => c.json({users: await withClient((db) => listUsers(db)), invitationDays} satisfies UsersData))

  app.post('/api/users', async (c) => {
    const body = parseBody(inviteSchema, await readJson(c))
    const added = await withClient((db) => addUser(db, {email: body.email, role: body.role, locales: locales(body.locales), actor: options.actor(c)}))
    // No password from the page, ever: the person sets theirs through the link.
    return c.json(invitation(c, added as User & {invitation: string}), 201)
  })

  app.put('/api/users/:email', async (c) => {
    const body = parseBody(changeSchema, await readJson(c))
    const change = {...(body.role === undefined ? {} : {role: body.role}), ...(body.locales === undefined ? {} : {locales: locales(body.locales)})}
    return c.json({user: await withClient((db) => setUserRole(db, emailOf(c), change, options.actor(c)))} satisfies UserResponse)
  })

  app.post('/api/users/:email/disable', async (c) => c.json({user: await withClient((db) => disableUser(db, emailOf(c), options.actor(c)))} satisfies UserResponse))
  app.post('/api/users/:email/enable', async (c) => c.json({user: await withClient((db) => enableUser(db, emailOf(c), options.actor(c)))} satisfies UserResponse))
  app.post('/api/users/:email/invitation', async (c) => c.json(invitation(c, await withClient((db) => inviteUser(db, emailOf(c), options.actor(c))))))
  app.post('/api/users/:email/invitation/revoke', async (c) =>
    c.json({user: await withClient((db) => revokeInvitation(db, emailOf(c), options.actor(c)))} satisfies UserResponse)
  )
}
