/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Concordance: a word or phrase looked up across every article, locale and
// imported TMX, each pair with the match highlighted and a link to its
// segment. A panel inside the article view (Alt+K on a selection) and a page
// of its own (#/concordance?q=&locale=).
import type {ConcordanceData, ConcordanceEntry} from '../wire.ts'
import {api} from './api.ts'
import {h, languageName, replace} from './dom.ts'
import type {ViewContext} from './main.ts'

/** Results of one query, rendered into `holder`. */
export async function concordancePanel(holder: HTMLElement, q: string, locale: string | undefined): Promise<void> {
  const query = new URLSearchParams({q})
  if (locale) query.set('locale', locale)
  replace(holder, h('div', {class: 'muted small'}, `Looking up “${q}”…`))
  let data: ConcordanceData
  try {
    data = await api<ConcordanceData>('GET', `/api/concordance?${query}`)
  } catch (error) {
    replace(holder, h('div', {class: 'note note-error'}, error instanceof Error ? error.message : String(error)))
    return
  }
  replace(
    holder,
    h(
      'div',
      {class: 'concordance', 'data-role': 'concordance'},
      h('div', {class: 'concordance-head'}, h('strong', null, `“${data.q}”`), ' ', h('span', {class: 'muted', 'data-role': 'concordance-count'}, data.total === data.entries.length ? `${data.total} found` : `${data.entries.length} of ${data.total} shown`)),
      data.entries.length === 0 ? h('div', {class: 'muted small'}, 'Nowhere in the project or the imported memories.') : h('ol', {class: 'concordance-list'}, data.entries.map(entryView))
    )
  )
}

function entryView(entry: ConcordanceEntry): HTMLElement {
  const where = entry.slug && entry.id ? h('a', {class: 'concordance-link', href: `#/a/${encodeURIComponent(entry.locale)}/${encodeURIComponent(entry.slug)}?seg=${encodeURIComponent(entry.id)}`}, `${entry.locale} · ${entry.slug}`) : h('span', {class: 'pill'}, `TMX · ${entry.locale}${entry.article ? ` · ${entry.article}` : ''}`)
  return h(
    'li',
    {class: 'concordance-entry', 'data-state': entry.state},
    h('div', {class: 'concordance-where'}, where, h('span', {class: `badge state-${entry.state}`}, entry.state)),
    h('div', {class: 'concordance-source'}, highlighted(entry.source, entry.sourceMatch)),
    h('div', {class: 'concordance-target', lang: entry.locale}, entry.target === '' ? h('span', {class: 'muted'}, 'no translation') : highlighted(entry.target, entry.targetMatch))
  )
}

function highlighted(text: string, match: [number, number] | undefined): (string | HTMLElement)[] {
  if (!match) return [text]
  return [text.slice(0, match[0]), h('mark', {class: 'hit'}, text.slice(match[0], match[1])), text.slice(match[1])]
}

/** The concordance page: a search field, a locale choice, the results. */
export async function concordanceView(main: HTMLElement, context: ViewContext): Promise<void> {
  const input = h('input', {id: 'concordance-q', type: 'search', placeholder: 'Word or phrase, in the source or a target', 'aria-label': 'Concordance search', value: context.params.get('q') ?? ''})
  const locale = h('select', {id: 'concordance-locale', 'aria-label': 'Target language'}, h('option', {value: ''}, 'All languages'), context.project.locales.map((item) => h('option', {value: item}, languageName(item))))
  locale.value = context.params.get('locale') ?? ''
  const results = h('div', {class: 'concordance-results'})
  const run = () => {
    const q = input.value.trim()
    const params = new URLSearchParams()
    if (q) params.set('q', q)
    if (locale.value) params.set('locale', locale.value)
    history.replaceState(null, '', `#/concordance${params.size > 0 ? `?${params}` : ''}`)
    if (q) void concordancePanel(results, q, locale.value || undefined)
    else replace(results)
  }
  const form = h('form', {class: 'toolbar', role: 'search', onsubmit: (event: Event) => (event.preventDefault(), run())}, input, locale, h('button', {type: 'submit', class: 'btn btn-primary'}, 'Search'))
  replace(main, h('div', {class: 'page-head'}, h('h1', null, 'Concordance'), h('p', {class: 'muted'}, 'Every pair across all articles, languages and imported TMX that contains a word or phrase.')), form, results)
  if (input.value.trim()) run()
}
