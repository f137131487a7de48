/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The review app's shell: top bar, hash router, one view at a time.
//   #/                       dashboard
//   #/a/<locale>/<slug>?seg= segment table of one article (optionally at a segment)
//   #/glossary?q=&status=    glossary list
//   #/glossary/new           new concept
//   #/glossary/c/<id>        concept editor and usage
//   #/concordance?q=&locale= concordance over all articles and imported TMX
//   #/rules?locale=          machine-output rules editor (rules.ts)
//   #/users                  accounts (team mode, admins only; users.ts)
// A tab is one entry in `tabs` (nav link and routes): adding one touches nothing else.
import type {ProjectInfo} from '../wire.ts'
import {api, reviewerName, setReviewerName} from './api.ts'
import {articleView} from './article.ts'
import {dashboardView} from './dashboard.ts'
import {h, installTooltips, replace} from './dom.ts'
import {concordanceView} from './concordance.ts'
import {conceptView, glossaryView} from './glossary.ts'
import {rulesView} from './rules.ts'
import {usersView} from './users.ts'

/** What a view gives back: how to leave it (listeners to remove). */
export type Cleanup = () => void
export type View = (main: HTMLElement, context: ViewContext) => Cleanup | void | Promise<Cleanup | void>

export interface ViewContext {
  project: ProjectInfo
  params: URLSearchParams
}

/** A top-level tab: its nav link, and the view for a hash path under it (`parts` without the tab's own name), or undefined. */
export interface Tab {
  id: string
  label: string
  /** The hash path's first part (`glossary` for `#/glossary/…`); '' for the dashboard. */
  path: string
  route(parts: string[]): View | undefined
  /** Whether the signed-in user gets this tab (default: everyone); the server still checks every request. */
  shown?(project: ProjectInfo): boolean
}

const tabs: Tab[] = [
  {
    id: 'dashboard',
    label: 'Dashboard',
    path: '',
    route: (parts) => {
      if (parts.length === 0) return dashboardView
      const [locale, slug] = parts[0] === 'a' ? [parts[1], parts[2]] : []
      return locale && slug ? (main, context) => articleView(main, context, locale, slug) : undefined
    }
  },
  {
    id: 'glossary',
    label: 'Glossary',
    path: 'glossary',
    route: ([first, id]) => {
      if (first === 'new') return (main, context) => conceptView(main, context, undefined)
      if (first === 'c' && id) return (main, context) => conceptView(main, context, id)
      return glossaryView
    }
  },
  {id: 'rules', label: 'Rules', path: 'rules', route: () => rulesView},
  {id: 'concordance', label: 'Concordance', path: 'concordance', route: () => concordanceView},
  {id: 'users', label: 'Users', path: 'users', route: () => usersView, shown: (project) => project.user?.role === 'admin'}
]

let cleanup: Cleanup | void = undefined

async function signOutNow(): Promise<void> {
  await api('POST', '/api/signout', {}).catch(() => undefined)
  location.assign('/signin?out=1')
}
let generation = 0

async function start(): Promise<void> {
  installTooltips()
  const app = document.getElementById('app')!
  const project = await api<ProjectInfo>('GET', '/api/project')
  const nameInput = h('input', {
    id: 'reviewer',
    type: 'text',
    placeholder: project.reviewer,
    value: reviewerName(),
    maxlength: 64,
    'aria-label': 'Reviewer name',
    onchange: (event: Event) => setReviewerName((event.target as HTMLInputElement).value)
  })
  const nav = h(
    'nav',
    {class: 'nav', 'aria-label': 'Sections'},
    tabs.filter((tab) => tab.shown?.(project) ?? true).map((tab) => h('a', {href: `#/${tab.path}`, 'data-nav': tab.id}, tab.label))
  )
  const main = h('main', {id: 'main'})
  replace(
    app,
    h(
      'header',
      {class: 'topbar'},
      h('a', {class: 'brand', href: '#/'}, h('span', {class: 'brand-mark'}, 'P'), 'Passerelle', h('span', {class: 'brand-sub'}, 'Review')),
      nav,
      // Team mode: the name on edits is the signed-in user's, so there is nothing to type.
      project.user
        ? h(
            'div',
            {class: 'reviewer signed-in'},
            h('span', {class: 'user-name', title: `${project.user.role}${project.user.locales.length ? ` · ${project.user.locales.join(', ')}` : ''}`}, project.user.email),
            h('button', {type: 'button', class: 'sign-out', onclick: () => void signOutNow()}, 'Sign out')
          )
        : h('label', {class: 'reviewer'}, 'Reviewer', nameInput)
    ),
    main
  )
  const render = async () => {
    const mine = ++generation
    if (cleanup) cleanup()
    cleanup = undefined
    const {view, params, section} = route(location.hash, project)
    for (const link of nav.querySelectorAll('a')) link.classList.toggle('current', link.getAttribute('data-nav') === section)
    // Each render draws into a slot of its own: a view still waiting on the server when the person moves on
    // (the dashboard's status, say) then fills a detached slot instead of covering the view they moved to.
    const slot = h('div', {class: 'view', 'data-view': section}, h('p', {class: 'loading'}, 'Loading…'))
    replace(main, slot)
    try {
      const result = await view(slot, {project, params})
      if (mine === generation) cleanup = result
      else if (result) result()
    } catch (error) {
      if (mine !== generation) return
      replace(slot, h('div', {class: 'banner banner-error', role: 'alert'}, error instanceof Error ? error.message : String(error)))
    }
  }
  window.addEventListener('hashchange', () => void render())
  await render()
}

function route(hash: string, project: ProjectInfo): {view: View; params: URLSearchParams; section: string} {
  const [pathPart = '', query = ''] = hash.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query)
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent)
  for (const tab of tabs) {
    if (!(tab.shown?.(project) ?? true)) continue
    if (tab.path === '' ? parts[0] !== 'a' && parts.length > 0 : parts[0] !== tab.path) continue
    const view = tab.route(tab.path === '' ? parts : parts.slice(1))
    if (view) return {view, params, section: tab.id}
  }
  return {view: dashboardView, params, section: 'dashboard'}
}

void start().catch((error: unknown) => {
  const app = document.getElementById('app')
  if (app) replace(app, h('div', {class: 'banner banner-error', role: 'alert'}, `Cannot start: ${error instanceof Error ? error.message : String(error)}`))
})
