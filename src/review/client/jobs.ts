/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The dashboard's machine-translation panel (team mode): recent translate
// jobs with their progress, refreshed while any is under way, and a form to
// queue machine translation of a language's untranslated segments (the
// server checks that the user may request MT in that language).
import type {JobRequestResponse, JobsData} from '../../live/routes.ts'
import type {JobView} from '../../jobs/progress.ts'
import {api, ApiFailure} from './api.ts'
import {h, languageName, replace} from './dom.ts'
import type {Cleanup, ViewContext} from './main.ts'

const open = new Set<JobView['state']>(['queued', 'running', 'retrying'])

export function jobsPanel(context: ViewContext): {element: HTMLElement; cleanup: Cleanup} {
  const body = h('tbody', {'data-role': 'jobs'})
  const status = h('div', {class: 'seg-message', role: 'status', 'aria-live': 'polite'})
  const locale = h('select', {id: 'jobs-locale', 'aria-label': 'Language to machine-translate'}, context.project.locales.map((code) => h('option', {value: code}, `${languageName(code)} (${code})`)))
  const button = h('button', {type: 'submit', class: 'btn primary', id: 'jobs-request'}, 'Machine-translate what is untranslated')
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  async function refresh(): Promise<void> {
    clearTimeout(timer)
    let data: JobsData
    try {
      data = await api<JobsData>('GET', '/api/jobs')
    } catch (error) {
      replace(status, h('div', {class: 'note note-error'}, error instanceof Error ? error.message : String(error)))
      return
    }
    replace(body, data.jobs.length === 0 ? h('tr', null, h('td', {colspan: '6', class: 'muted'}, 'No jobs yet.')) : data.jobs.map(jobRow))
    if (!stopped && data.jobs.some((job) => open.has(job.state))) timer = setTimeout(() => void refresh(), 1500)
  }

  const form = h(
    'form',
    {
      class: 'jobs-form',
      onsubmit: async (event: Event) => {
        event.preventDefault()
        button.disabled = true
        try {
          const response = await api<JobRequestResponse>('POST', '/api/jobs', {locale: locale.value})
          replace(status, h('div', {class: 'note note-ok'}, `Queued ${response.jobs.length} job${response.jobs.length === 1 ? '' : 's'}: a worker will pick them up.`))
          await refresh()
        } catch (error) {
          replace(status, h('div', {class: 'note note-error'}, error instanceof ApiFailure || error instanceof Error ? error.message : String(error)))
        } finally {
          button.disabled = false
        }
      }
    },
    locale,
    button
  )
  const element = h(
    'section',
    {class: 'card', id: 'jobs-panel', 'aria-label': 'Machine translation jobs'},
    h('div', {class: 'card-head'}, h('h2', null, 'Machine translation jobs'), form),
    status,
    h(
      'div',
      {class: 'table-scroll'},
      h(
        'table',
        {class: 'grid'},
        h('thead', null, h('tr', null, h('th', {class: 'left'}, 'Articles'), h('th', null, 'Language'), h('th', null, 'State'), h('th', null, 'Progress'), h('th', null, 'Characters'), h('th', null, 'Worker'))),
        body
      )
    )
  )
  void refresh()
  return {
    element,
    cleanup: () => {
      stopped = true
      clearTimeout(timer)
    }
  }
}

function jobRow(job: JobView): HTMLElement {
  const total = job.total ?? 0
  const bar = h('div', {class: 'job-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(total), 'aria-valuenow': String(job.done)}, h('span'))
  ;(bar.firstChild as HTMLElement).style.width = total === 0 ? (job.state === 'done' ? '100%' : '0%') : `${Math.round((job.done / total) * 100)}%`
  const articles = job.articles.length === 1 ? job.articles[0]! : `${job.articles[0]} and ${job.articles.length - 1} more`
  return h(
    'tr',
    {'data-job': job.id, 'data-state': job.state},
    h('td', {class: 'left', 'data-tip': job.articles.join(', ')}, articles),
    h('td', null, job.locale),
    h('td', {class: `job-state-${job.state}`, 'data-role': 'job-state', 'data-tip': job.message ?? ''}, job.state + (job.attempts > 1 ? ` (attempt ${job.attempts})` : '')),
    h('td', null, bar, h('span', {class: 'muted small', 'data-role': 'job-progress'}, job.total === undefined ? 'waiting' : `${job.done} / ${job.total}`)),
    h('td', null, job.characters.toLocaleString('en-GB')),
    h('td', {class: 'muted small'}, job.worker ?? '–')
  )
}
