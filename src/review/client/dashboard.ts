/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Dashboard: per locale and article, progress by state, stale segments, QA
// findings and term adherence; each article links to its segment table.
import {segmentStates} from '../../types.ts'
import type {Counts} from '../../status/index.ts'
import type {DashboardData} from '../wire.ts'
import {api} from './api.ts'
import {h, languageName, percent, replace} from './dom.ts'
import type {Cleanup, ViewContext} from './main.ts'
import {jobsPanel} from './jobs.ts'

export async function dashboardView(main: HTMLElement, context: ViewContext): Promise<Cleanup | void> {
  const data = await api<DashboardData>('GET', '/api/status')
  const sections = data.locales.map((locale) =>
    h(
      'section',
      {class: 'card locale-card', 'data-locale': locale.locale},
      h(
        'div',
        {class: 'card-head'},
        h('h2', null, languageName(locale.locale), h('span', {class: 'code'}, locale.locale)),
        h(
          'div',
          {class: 'card-stats'},
          stat('Words', locale.words.toLocaleString('en-GB')),
          stat('Approved', percent(locale.wordStates.approved, locale.words)),
          stat('Human-checked', percent(locale.states.translated + locale.states.reviewed + locale.states.approved, locale.segments)),
          stat('QA errors', String(locale.qaErrors), locale.qaErrors > 0 ? 'bad' : 'good'),
          stat('Term adherence', adherence(locale))
        )
      ),
      progressBar(locale),
      h(
        'div',
        {class: 'table-scroll'},
      h(
        'table',
        {class: 'grid dashboard-table'},
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', {class: 'left'}, 'Article'),
            h('th', null, 'Segments'),
            h('th', null, 'Words'),
            h('th', {class: 'bar-col'}, 'Progress'),
            ...segmentStates.map((state) => h('th', {class: 'state-col', 'data-tip': `segments and source words ${state}`}, h('span', {class: `dot state-${state}`}), state)),
            h('th', null, 'Stale'),
            h('th', null, 'QA errors'),
            h('th', null, 'Warnings'),
            h('th', null, 'Terms')
          )
        ),
        h(
          'tbody',
          null,
          locale.articles.map((article) =>
            h(
              'tr',
              {'data-article': article.article},
              h(
                'td',
                {class: 'left'},
                h('a', {class: 'article-link', href: `#/a/${encodeURIComponent(locale.locale)}/${encodeURIComponent(article.article)}`}, h('span', {class: 'article-title'}, article.title ?? article.article)),
                article.title ? h('span', {class: 'code article-slug'}, article.article) : null
              ),
              h('td', null, String(article.segments)),
              h('td', {'data-role': 'words'}, article.words.toLocaleString('en-GB')),
              h('td', {class: 'bar-col'}, progressBar(article)),
              ...segmentStates.map((state) =>
                h(
                  'td',
                  {class: `state-col${article.states[state] === 0 ? ' zero' : ''}`, 'data-state': state},
                  String(article.states[state]),
                  article.states[state] === 0 ? null : h('div', {class: 'muted small', 'data-role': 'state-words'}, `${article.wordStates[state].toLocaleString('en-GB')} w`)
                )
              ),
              h('td', {class: article.stale === 0 ? 'zero' : 'warn'}, String(article.stale)),
              h('td', null, article.qaErrors > 0 ? h('span', {class: 'pill pill-error'}, String(article.qaErrors)) : h('span', {class: 'zero'}, '0')),
              h('td', null, article.qaWarnings > 0 ? h('span', {class: 'pill pill-warning'}, String(article.qaWarnings)) : h('span', {class: 'zero'}, '0')),
              h('td', null, adherence(article))
            )
          )
        )
      )
      )
    )
  )
  const jobs = context.project.live?.jobs ? jobsPanel(context) : undefined
  replace(
    main,
    h('div', {class: 'page-head'}, h('h1', null, 'Dashboard'), h('p', {class: 'muted'}, 'Progress of every article per target language. Open an article to review it.')),
    data.failures.length > 0 ? h('div', {class: 'banner banner-error', role: 'alert'}, h('strong', null, 'Unreadable bundles'), h('ul', null, data.failures.map((failure) => h('li', null, failure.message)))) : null,
    jobs?.element ?? null,
    sections.length > 0 ? sections : h('div', {class: 'empty'}, 'No translations yet. Run ', h('code', null, 'passerelle translate'), ' to create them.')
  )
  return jobs?.cleanup
}

function stat(label: string, value: string, tone?: 'good' | 'bad'): HTMLElement {
  return h('div', {class: `stat${tone ? ` stat-${tone}` : ''}`}, h('span', {class: 'stat-value'}, value), h('span', {class: 'stat-label'}, label))
}

function adherence(counts: Counts): string {
  return counts.termAdherence === null ? '–' : `${Math.round(counts.termAdherence * 100)} %`
}

export function progressBar(counts: Counts): HTMLElement {
  const total = counts.segments || 1
  return h(
    'div',
    {class: 'progress', role: 'img', 'aria-label': segmentStates.map((state) => `${counts.states[state]} ${state}`).join(', ')},
    segmentStates
      .filter((state) => counts.states[state] > 0)
      .map((state) => {
        const part = h('span', {class: `progress-part state-${state}`, 'data-tip': `${counts.states[state]} ${state}`})
        part.style.width = `${(counts.states[state] / total) * 100}%`
        return part
      })
  )
}
