// Who may do what in team mode: one pure rule, `can`, that the server asks
// for every request whatever the client sends. Admins may do everything;
// other roles hold a fixed set of actions, and the locale-bound ones only in
// the user's locales (none listed: every locale). A disabled user may do nothing.

export const roles = ['translator', 'reviewer', 'terminologist', 'publisher', 'admin'] as const
export type Role = (typeof roles)[number]

export const actions = [
  'project.read', // see articles, segments, glossary, status
  'segment.edit', // change a target
  'segment.markTranslated',
  'segment.review', // mark reviewed
  'segment.approve',
  'segment.comment',
  'finding.acknowledge', // acknowledge a QA finding
  'xliff.export',
  'xliff.import',
  'mt.request', // queue machine translation
  'glossary.edit',
  'glossary.import', // TBX / CSV into the termbase
  'tm.import',
  'build',
  'db.sync', // db import / db export
  'audit.read',
  'users.manage'
] as const
export type Action = (typeof actions)[number]

/** Actions that apply to one target locale: the user must hold it. */
const localeBound: ReadonlySet<Action> = new Set([
  'segment.edit',
  'segment.markTranslated',
  'segment.review',
  'segment.approve',
  'finding.acknowledge',
  'xliff.export',
  'xliff.import',
  'mt.request'
])

const grants: Record<Exclude<Role, 'admin'>, ReadonlySet<Action>> = {
  translator: new Set(['project.read', 'segment.edit', 'segment.markTranslated', 'segment.comment', 'xliff.export', 'xliff.import', 'mt.request']),
  reviewer: new Set([
    'project.read',
    'segment.edit',
    'segment.markTranslated',
    'segment.review',
    'segment.approve',
    'segment.comment',
    'finding.acknowledge',
    'xliff.export',
    'xliff.import',
    'mt.request'
  ]),
  terminologist: new Set(['project.read', 'segment.comment', 'glossary.edit', 'glossary.import', 'tm.import']),
  publisher: new Set(['project.read', 'build', 'db.sync', 'audit.read'])
}

export interface Actor {
  role: Role
  /** Target locales the user works in; empty: every locale. */
  locales: readonly string[]
  disabled?: boolean
}

export interface ActionContext {
  /** The target locale acted on; required for locale-bound actions. */
  locale?: string
}

export function isLocaleBound(action: Action): boolean {
  return localeBound.has(action)
}

export function can(user: Actor, action: Action, context: ActionContext = {}): boolean {
  if (user.disabled) return false
  if (user.role === 'admin') return true
  if (!grants[user.role].has(action)) return false
  if (!localeBound.has(action)) return true
  // A locale-bound action without a locale is refused: the server must say what it acts on.
  if (context.locale === undefined) return false
  return user.locales.length === 0 || user.locales.includes(context.locale)
}
