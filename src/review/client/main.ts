/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The review app's shell: top bar, hash router, one view at a time.
//   #/                       dashboard
//   #/a/<locale>/<slug>?seg= segment table of one article (optionally at a segment)
//   #/glossary?q=&status=    glossary list
//   #/glossary/new           new concept
//   #/glossary/c/<id>        concept editor and usage
//   #/rules?locale=          machine-output rules editor (rules.ts)
import type {ProjectInfo} from '../wire.ts'
import {api, reviewerName, setReviewerName} from './api.ts'
import {articleView} from './article.ts'
import {dashboardView} from './dashboard.ts'
import {h, installTooltips, replace} from './dom.ts'
import {conceptView, glossaryView} from './glossary.ts'
import {rulesView} from './rules.ts'

/** What a view gives back: how to leave it (listeners to remove). */
export type Cleanup = () => void
export type View = (main: HTMLElement, context: ViewContext) => Cleanup | void | Promise<Cleanup | void>

export interface ViewContext {
  project: ProjectInfo
  params: URLSearchParams
}

let cleanup: Cleanup | void = undefined
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
    {class: 'nav'},
    h('a', {href: '#/', 'data-nav': 'dashboard'}, 'Dashboard'),
    h('a', {href: '#/glossary', 'data-nav': 'glossary'}, 'Glossary'),
    h('a', {href: '#/rules', 'data-nav': 'rules'}, 'Rules')
  )
  const main = h('main', {id: 'main'})
  replace(
    app,
    h(
      'header',
      {class: 'topbar'},
      h('a', {class: 'brand', href: '#/'}, h('span', {class: 'brand-mark'}, 'P'), 'Passerelle', h('span', {class: 'brand-sub'}, 'Review')),
      nav,
      h('label', {class: 'reviewer'}, 'Reviewer', nameInput)
    ),
    main
  )
  const render = async () => {
    const mine = ++generation
    if (cleanup) cleanup()
    cleanup = undefined
    const {view, params, section} = route(location.hash)
    for (const link of nav.querySelectorAll('a')) link.classList.toggle('current', link.getAttribute('data-nav') === section)
    replace(main, h('p', {class: 'loading'}, 'Loading…'))
    try {
      const result = await view(main, {project, params})
      if (mine === generation) cleanup = result
      else if (result) result()
    } catch (error) {
      if (mine !== generation) return
      replace(main, h('div', {class: 'banner banner-error', role: 'alert'}, error instanceof Error ? error.message : String(error)))
    }
  }
  window.addEventListener('hashchange', () => void render())
  await render()
}

function route(hash: string): {view: View; params: URLSearchParams; section: string} {
  const [pathPart = '', query = ''] = hash.replace(/^#/, '').split('?')
  const params = new URLSearchParams(query)
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'a' && parts[1] && parts[2]) {
    const locale = parts[1]
    const slug = parts[2]
    return {view: (main, context) => articleView(main, context, locale, slug), params, section: 'dashboard'}
  }
  if (parts[0] === 'glossary') {
    if (parts[1] === 'new') return {view: (main, context) => conceptView(main, context, undefined), params, section: 'glossary'}
    if (parts[1] === 'c' && parts[2]) {
      const id = parts[2]
      return {view: (main, context) => conceptView(main, context, id), params, section: 'glossary'}
    }
    return {view: glossaryView, params, section: 'glossary'}
  }
  if (parts[0] === 'rules') return {view: rulesView, params, section: 'rules'}
  return {view: dashboardView, params, section: 'dashboard'}
}

void start().catch((error: unknown) => {
  const app = document.getElementById('app')
  if (app) replace(app, h('div', {class: 'banner banner-error', role: 'alert'}, `Cannot start: ${error instanceof Error ? error.message : String(error)}`))
})
