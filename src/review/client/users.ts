/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The admin page (team mode, admins only): every account with its role,
// locales, state and last sign-in; invite someone (a one-time link, shown
// once); change a role or locales; disable and enable; renew or revoke an
// invitation. The server decides and refuses (the last active admin, a
// non-admin): this page shows what it answers.
import type {UserResponse, UsersData} from '../team-users.ts'
import type {User} from '../../team/users.ts'
import {roles} from '../../team/permissions.ts'
import {api, ApiFailure} from './api.ts'
import {h, languageName, replace, when} from './dom.ts'
import type {ViewContext} from './main.ts'

const stateLabels: Record<User['state'], string> = {active: 'active', disabled: 'disabled', invited: 'invited', 'no-password': 'no password'}

export async function usersView(main: HTMLElement, context: ViewContext): Promise<void> {
  const me = context.project.user?.email.toLowerCase()
  const locales = context.project.locales
  const status = h('div', {id: 'users-status', class: 'users-status', 'aria-live': 'polite'})
  const link = h('div', {id: 'invitation', class: 'invitation', hidden: true})
  const body = h('tbody', {'data-role': 'users'})
  const count = h('span', {class: 'muted', id: 'users-count'})

  const say = (kind: 'ok' | 'error', text: string) => replace(status, h('div', {class: `note note-${kind}`, role: kind === 'error' ? 'alert' : 'status'}, text))
  /** Run one change; show its error (the server's message) or `done`, then list the accounts again. */
  const act = async (work: () => Promise<UserResponse>, done: (response: UserResponse) => string): Promise<boolean> => {
    replace(status)
    try {
      const response = await work()
      if (response.invitation) showLink(response.user.email, response.invitation)
      say('ok', done(response))
      await refresh()
      return true
    } catch (error) {
      // The server's message, and what to do about it when it says.
      const hint = error instanceof ApiFailure ? error.body.error.hint : undefined
      say('error', `${error instanceof Error ? error.message : String(error)}${hint ? ` (${hint})` : ''}`)
      return false
    }
  }

  function showLink(email: string, invitation: NonNullable<UserResponse['invitation']>): void {
    const field = h('input', {type: 'text', readonly: true, value: invitation.link, 'aria-label': `Invitation link for ${email}`, 'data-role': 'invitation-link'})
    link.hidden = false
    replace(
      link,
      h('p', null, h('strong', null, `Invitation link for ${email}`), ` — works once, until ${when(invitation.expires)}. Copy it now: it is not shown again.`),
      h(
        'div',
        {class: 'invitation-row'},
        field,
        h('button', {type: 'button', class: 'btn', onclick: () => void navigator.clipboard?.writeText(invitation.link).then(() => say('ok', 'Link copied.'), () => field.select())}, 'Copy'),
        h('button', {type: 'button', class: 'btn btn-quiet', onclick: () => ((link.hidden = true), replace(link))}, 'Done')
      )
    )
  }

  // ── Invite ─────────────────────────────────────────────────────────────
  const email = h('input', {id: 'invite-email', type: 'email', required: true, maxlength: 320, placeholder: 'name@example.org', autocomplete: 'off'})
  const role = roleSelect('invite-role', 'translator')
  const inviteLocales = localeChecks('invite', locales, [])
  const invite = h(
    'form',
    {
      class: 'invite-form',
      'aria-label': 'Invite someone',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        const ok = await act(
          () => api<UserResponse>('POST', '/api/users', {email: email.value.trim(), role: role.value, locales: checked(inviteLocales)}),
          (response) => `Invited ${response.user.email} as ${response.user.role}.`
        )
        if (ok) email.value = ''
      }
    },
    h('label', null, 'Email ', email),
    h('label', null, 'Role ', role),
    h('fieldset', {class: 'locale-checks'}, h('legend', null, 'Locales (none: all)'), inviteLocales),
    h('button', {type: 'submit', class: 'btn btn-primary', id: 'invite-submit'}, 'Invite')
  )

  // ── Accounts ───────────────────────────────────────────────────────────
  function userRow(user: User): HTMLElement {
    const self = user.email.toLowerCase() === me
    const encoded = encodeURIComponent(user.email)
    const roleField = roleSelect(undefined, user.role)
    roleField.setAttribute('aria-label', `Role of ${user.email}`)
    roleField.setAttribute('data-role', 'role')
    const localeField = localeChecks(`u${user.id}`, locales, user.locales)
    const save = h('button', {type: 'button', class: 'btn', 'data-role': 'save', disabled: true}, 'Save')
    const changed = () => (save.disabled = roleField.value === user.role && checked(localeField).join(',') === [...user.locales].sort().join(','))
    roleField.addEventListener('change', changed)
    localeField.addEventListener('change', changed)
    save.addEventListener('click', () =>
      void act(
        () => api<UserResponse>('PUT', `/api/users/${encoded}`, {role: roleField.value, locales: checked(localeField)}),
        (response) => `${response.user.email} is now ${response.user.role} (${response.user.locales.length ? response.user.locales.join(', ') : 'all locales'}).`
      )
    )
    const post = (what: string, done: (response: UserResponse) => string) => () => void act(() => api<UserResponse>('POST', `/api/users/${encoded}/${what}`, {}), done)
    const actions = [
      save,
      user.disabled
        ? h('button', {type: 'button', class: 'btn', 'data-role': 'enable', onclick: post('enable', (r) => `${r.user.email} is enabled: they can sign in again.`)}, 'Enable')
        : h('button', {type: 'button', class: 'btn btn-danger', 'data-role': 'disable', onclick: post('disable', (r) => `${r.user.email} is disabled and signed out.`)}, 'Disable'),
      user.state === 'invited'
        ? h('button', {type: 'button', class: 'btn', 'data-role': 'revoke', onclick: post('invitation/revoke', (r) => `The invitation of ${r.user.email} is revoked: its link no longer works.`)}, 'Revoke invitation')
        : null,
      user.state === 'invited' || user.state === 'no-password'
        ? h('button', {type: 'button', class: 'btn', 'data-role': 'reinvite', onclick: post('invitation', (r) => `New invitation link for ${r.user.email}.`)}, 'New link')
        : null
    ]
    return h(
      'tr',
      {'data-email': user.email, 'data-state': user.state},
      h('td', {class: 'left', 'data-role': 'email'}, user.email, self ? h('span', {class: 'pill'}, 'you') : null),
      h('td', null, roleField),
      h('td', null, localeField),
      h(
        'td',
        {'data-role': 'state'},
        h('span', {class: `user-state user-state-${user.state}`}, stateLabels[user.state]),
        user.invitationExpires ? h('span', {class: 'muted small'}, ` until ${when(user.invitationExpires)}`) : null
      ),
      h('td', {'data-role': 'last-signin'}, user.lastSignIn ? when(user.lastSignIn) : h('span', {class: 'muted'}, 'never')),
      h('td', null, h('div', {class: 'user-actions'}, actions))
    )
  }

  async function refresh(): Promise<void> {
    const data = await api<UsersData>('GET', '/api/users')
    replace(body, data.users.map(userRow))
    const active = data.users.filter((user) => user.state === 'active').length
    count.textContent = `${data.users.length} accounts, ${active} active`
  }

  await refresh()
  replace(
    main,
    h('div', {class: 'page-head'}, h('h1', null, 'Users'), count),
    h('section', {class: 'card', 'aria-label': 'Invite someone'}, h('div', {class: 'card-head'}, h('h2', null, 'Invite someone')), invite, link),
    status,
    h(
      'section',
      {class: 'card', 'aria-label': 'Accounts'},
      h(
        'div',
        {class: 'table-scroll'},
        h(
          'table',
          {class: 'grid users-table'},
          h('thead', null, h('tr', null, h('th', {class: 'left'}, 'Email'), h('th', null, 'Role'), h('th', {'data-tip': 'None ticked: every locale'}, 'Locales'), h('th', null, 'State'), h('th', null, 'Last sign-in'), h('th', null, 'Actions'))),
          body
        )
      )
    )
  )

  function localeChecks(prefix: string, all: readonly string[], selected: readonly string[]): HTMLElement {
    return h(
      'span',
      {class: 'locale-checks', 'data-role': 'locales'},
      all.map((code) =>
        h('label', {class: 'check', 'data-tip': languageName(code)}, h('input', {type: 'checkbox', value: code, id: `${prefix}-locale-${code}`, checked: selected.includes(code)}), code)
      )
    )
  }
}

function roleSelect(id: string | undefined, value: string): HTMLSelectElement {
  const select = h('select', id ? {id} : null, roles.map((role) => h('option', {value: role, selected: role === value}, role)))
  select.value = value
  return select
}

function checked(container: HTMLElement): string[] {
  return [...container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:checked')].map((input) => input.value).sort()
}
