/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The terminologist's views: the concept list (search, status filter,
// retired), and the concept editor (terms per language with status, type and
// note; do-not-translate; retire) beside its usage report.
import type {Concept, Term} from '../../glossary/types.ts'
import type {TermStatus} from '../../types.ts'
import type {ConceptView, GlossaryData, GlossaryImportResponse, UsageData} from '../wire.ts'
import type {ConceptHistoryData, ConceptHistoryEntry} from '../concept-history.ts'
import {api, ApiFailure, path} from './api.ts'
import {h, languageName, plural, replace} from './dom.ts'
import type {ViewContext} from './main.ts'
import {renderTagged} from './tagged.ts'

const statuses: readonly TermStatus[] = ['preferred', 'admitted', 'deprecated', 'forbidden']
const termTypes = ['fullForm', 'acronym', 'abbreviation', 'shortForm', 'variant'] as const
const partsOfSpeech = ['noun', 'properNoun', 'verb', 'adjective', 'other'] as const
const genders = ['masculine', 'feminine', 'neuter'] as const
const numbers = ['singular', 'plural'] as const

export async function glossaryView(main: HTMLElement, context: ViewContext): Promise<void> {
  const search = h('input', {id: 'glossary-search', type: 'search', placeholder: 'Search terms, ids, definitions', value: context.params.get('q') ?? '', 'aria-label': 'Search the glossary'})
  const status = h('select', {id: 'glossary-status', 'aria-label': 'Filter by term status'}, h('option', {value: ''}, 'Any status'), statuses.map((item) => h('option', {value: item}, item)))
  status.value = context.params.get('status') ?? ''
  const retired = h('input', {id: 'glossary-retired', type: 'checkbox'})
  retired.checked = context.params.get('retired') === '1'
  const list = h('div', {class: 'glossary-list'})
  const count = h('span', {class: 'muted'})
  let timer: ReturnType<typeof setTimeout> | undefined
  let languages: string[] = []

  const load = async () => {
    const query = new URLSearchParams()
    if (search.value.trim()) query.set('q', search.value.trim())
    if (status.value) query.set('status', status.value)
    if (retired.checked) query.set('retired', '1')
    const data = await api<GlossaryData>('GET', `/api/glossary?${query}`)
    languages = data.languages
    count.textContent = `${data.concepts.length} of ${plural(data.total, 'concept')}`
    replace(
      list,
      data.problems.length > 0 ? h('div', {class: 'banner banner-warning'}, h('strong', null, 'Glossary problems'), h('ul', null, data.problems.map((problem) => h('li', null, problem)))) : null,
      data.concepts.length === 0
        ? h('div', {class: 'empty'}, 'No concept matches.')
        : h(
            'table',
            {class: 'grid glossary-table'},
            h('thead', null, h('tr', null, h('th', {class: 'left'}, 'Concept'), languages.map((language) => h('th', {class: 'left'}, languageName(language))), h('th', {class: 'left'}, 'Notes'))),
            h(
              'tbody',
              null,
              data.concepts.map(({concept}) =>
                h(
                  'tr',
                  {'data-concept': concept.id, class: concept.retired ? 'retired' : undefined},
                  h(
                    'td',
                    {class: 'left'},
                    h('a', {href: `#/glossary/c/${encodeURIComponent(concept.id)}`, class: 'concept-link'}, concept.id),
                    concept.domain ? h('div', {class: 'muted small'}, concept.domain) : null,
                    h('div', {class: 'flags'}, concept.dnt ? h('span', {class: 'pill pill-dnt'}, 'do not translate') : null, concept.retired ? h('span', {class: 'pill'}, 'retired') : null)
                  ),
                  languages.map((language) => h('td', {class: 'left'}, (concept.terms[language] ?? []).map(termPill))),
                  h('td', {class: 'left muted small'}, concept.definition ?? concept.note ?? '')
                )
              )
            )
          )
    )
  }
  const reload = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void load().catch(showError), 150)
  }
  const showError = (error: unknown) => replace(list, h('div', {class: 'banner banner-error'}, error instanceof Error ? error.message : String(error)))
  search.addEventListener('input', reload)
  status.addEventListener('change', reload)
  retired.addEventListener('change', reload)

  replace(
    main,
    h(
      'div',
      {class: 'page-head'},
      h('h1', null, 'Glossary'),
      h('p', {class: 'muted'}, 'Concepts with their terms per language. Saved to the glossary folder that translate and QA read.')
    ),
    h('div', {class: 'toolbar'}, search, status, h('label', {class: 'check'}, retired, 'Show retired'), count, h('a', {class: 'btn btn-primary push', href: '#/glossary/new', id: 'new-concept'}, 'New concept')),
    exchangeBar(() => load().catch(showError)),
    list
  )
  await load()
}

// ── TBX and CSV in and out ──────────────────────────────────────────────────

/**
 * Export links (downloads) and the import: a file is first merged as a
 * preview (the CLI's report: new, changed, unchanged, conflicts), then
 * imported when the terminologist confirms.
 */
function exchangeBar(reload: () => Promise<void>): HTMLElement {
  const file = h('input', {id: 'glossary-import-file', type: 'file', accept: '.tbx,.xml,.csv,.tsv', 'aria-label': 'TBX or CSV file to import'})
  const box = h('div', {class: 'import-report', id: 'glossary-import-report', role: 'region', 'aria-label': 'Glossary import', hidden: true})
  let upload: {name: string; text: string} | undefined
  const send = (apply: boolean, theirs: boolean) => api<GlossaryImportResponse>('POST', '/api/glossary/import', {name: upload!.name, text: upload!.text, conflicts: theirs ? 'theirs' : 'keep', apply})
  const fail = (error: unknown) => replace(box, h('div', {class: 'note note-error', 'data-role': 'import-error'}, error instanceof Error ? error.message : String(error)))

  file.addEventListener('change', () => {
    const chosen = file.files?.[0]
    if (!chosen) return
    box.hidden = false
    replace(box, h('div', {class: 'muted'}, `Reading ${chosen.name}…`))
    void (async () => {
      try {
        upload = {name: chosen.name, text: await chosen.text()}
        const preview = await send(false, false)
        const theirs = h('input', {type: 'checkbox', id: 'glossary-import-theirs'})
        const changes = preview.report.added.length + preview.report.changed.length
        replace(
          box,
          reportView(upload.name, preview),
          h(
            'div',
            {class: 'actions'},
            preview.report.conflicts.length > 0 ? h('label', {class: 'check'}, theirs, 'Apply the conflicting concepts too (the file’s terms win)') : null,
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-primary',
                'data-role': 'import-confirm',
                onclick: () =>
                  void (async () => {
                    try {
                      const done = await send(true, theirs.checked)
                      replace(box, reportView(upload!.name, done), h('button', {type: 'button', class: 'btn btn-quiet', onclick: () => (box.hidden = true)}, 'Close'))
                      file.value = ''
                      await reload()
                    } catch (error) {
                      fail(error)
                    }
                  })()
              },
              changes > 0 || preview.report.conflicts.length > 0 ? 'Import' : 'Nothing to import'
            ),
            h('button', {type: 'button', class: 'btn btn-quiet', 'data-role': 'import-cancel', onclick: () => ((box.hidden = true), (file.value = ''))}, 'Cancel')
          )
        )
      } catch (error) {
        fail(error)
      }
    })()
  })

  return h(
    'div',
    {class: 'exchange'},
    h('div', {class: 'toolbar'}, h('label', {class: 'btn', for: 'glossary-import-file'}, 'Import TBX or CSV…'), file, h('a', {class: 'btn', href: '/api/glossary/export?format=tbx', download: 'glossary.tbx', id: 'export-tbx'}, 'Export TBX'), h('a', {class: 'btn', href: '/api/glossary/export?format=csv', download: 'glossary.csv', id: 'export-csv'}, 'Export CSV')),
    box
  )
}

/** The merge report as the CLI prints it, one line per concept. */
function reportView(name: string, result: GlossaryImportResponse): HTMLElement {
  const {added, changed, unchanged, conflicts} = result.report
  const applied = result.applied
  return h(
    'div',
    {class: 'report', 'data-role': applied ? 'import-result' : 'import-preview'},
    h(
      'div',
      {class: 'report-head', 'data-role': 'import-summary'},
      h('strong', null, applied ? `Imported ${name}: ` : `${name} would bring: `),
      `${added.length} new, ${changed.length} changed, ${unchanged.length} unchanged, ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}`
    ),
    h(
      'ul',
      {class: 'report-lines'},
      added.map((id) => h('li', {'data-kind': 'new'}, h('span', {class: 'pill'}, 'new'), ' ', id)),
      changed.map((entry) => h('li', {'data-kind': 'changed'}, h('span', {class: 'pill'}, 'changed'), ` ${entry.concept}: ${entry.fields.join(', ')}`)),
      conflicts.map((conflict) =>
        h(
          'li',
          {'data-kind': 'conflict', class: 'finding-error'},
          h('span', {class: 'pill pill-error'}, 'conflict'),
          ` ${conflict.concept} (${conflict.locale}, ${conflict.status}): `,
          conflict.owner === undefined
            ? `ours ${conflict.ours.join(' | ')}, theirs ${conflict.theirs.join(' | ')}`
            : `source term “${conflict.theirs[0] ?? ''}” already belongs to concept ${conflict.owner} (“${conflict.ours[0] ?? ''}”)`
        )
      ),
      result.warnings.map((warning) => h('li', {'data-kind': 'warning', class: 'muted'}, warning)),
      result.problems.map((problem) => h('li', {'data-kind': 'problem', class: 'finding-error'}, problem))
    ),
    applied ? h('div', {class: 'muted small'}, result.written.length > 0 ? `Wrote ${result.written.join(', ')}.` : 'Nothing written.') : null
  )
}

function termPill(term: Term): HTMLElement {
  return h('span', {class: `term-pill status-${term.status}`, 'data-tip': [term.status, term.type, term.partOfSpeech, term.gender, term.number, term.note].filter(Boolean).join(' · ')}, term.text)
}

// ── Concept editor ──────────────────────────────────────────────────────────

interface TermRow {
  element: HTMLElement
  read(): Term | undefined
}

export async function conceptView(main: HTMLElement, context: ViewContext, id: string | undefined): Promise<void> {
  const existing = id === undefined ? undefined : await api<ConceptView>('GET', path('glossary', id))
  let version = existing?.version
  const concept: Concept = existing?.concept ?? {id: '', terms: {}}
  const languages = [...new Set([context.project.sourceLocale, ...context.project.locales, ...Object.keys(concept.terms)])]

  const idInput = h('input', {id: 'concept-id', type: 'text', value: concept.id, required: true, pattern: '[a-z0-9]+([\\-.][a-z0-9]+)*', placeholder: 'e.g. un-women', disabled: existing !== undefined})
  const domain = h('input', {id: 'concept-domain', type: 'text', value: concept.domain ?? '', placeholder: 'e.g. organisations'})
  const definition = h('textarea', {id: 'concept-definition', rows: 2}, concept.definition ?? '')
  const note = h('textarea', {id: 'concept-note', rows: 2}, concept.note ?? '')
  const dnt = h('input', {id: 'concept-dnt', type: 'checkbox'})
  dnt.checked = concept.dnt === true
  const message = h('div', {class: 'form-message', role: 'status', 'aria-live': 'polite'})
  const termRows = new Map<string, TermRow[]>()

  const sections = languages.map((language) => {
    const body = h('div', {class: 'term-rows'})
    const rowsOf: TermRow[] = []
    termRows.set(language, rowsOf)
    const add = (term?: Term) => {
      const row = termRow(language, term, () => {
        rowsOf.splice(rowsOf.indexOf(row), 1)
        row.element.remove()
      })
      rowsOf.push(row)
      body.append(row.element)
      return row
    }
    for (const term of concept.terms[language] ?? []) add(term)
    return h(
      'fieldset',
      {class: 'terms', 'data-language': language},
      h('legend', null, languageName(language), h('span', {class: 'code'}, language)),
      body,
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-quiet add-term',
          'data-language': language,
          onclick: () => add().element.querySelector('input')?.focus()
        },
        '+ Add term'
      )
    )
  })

  const read = (): Concept => {
    const terms: Concept['terms'] = {}
    for (const [language, rows] of termRows) {
      const list = rows.map((row) => row.read()).filter((term): term is Term => term !== undefined)
      if (list.length > 0) terms[language] = list
    }
    const text = (value: string) => (value.trim() === '' ? undefined : value.trim())
    const result: Concept = {id: idInput.value.trim(), terms}
    const domainValue = text(domain.value)
    if (domainValue) result.domain = domainValue
    const definitionValue = text(definition.value)
    if (definitionValue) result.definition = definitionValue
    const noteValue = text(note.value)
    if (noteValue) result.note = noteValue
    if (dnt.checked) result.dnt = true
    if (concept.retired) result.retired = true
    return result
  }

  const save = async (change?: Partial<Concept>) => {
    const body = {concept: {...read(), ...change}, ...(version ? {version} : {})}
    if (change?.retired === false) delete (body.concept as Partial<Concept>).retired
    try {
      const saved = existing
        ? await api<ConceptView>('PUT', path('glossary', concept.id), body)
        : await api<ConceptView>('POST', '/api/glossary', body)
      version = saved.version
      if (!existing) {
        location.hash = `#/glossary/c/${encodeURIComponent(saved.concept.id)}`
        return
      }
      Object.assign(concept, saved.concept)
      if (!saved.concept.retired) delete concept.retired
      replace(message, h('div', {class: 'note note-ok'}, `Saved ${saved.concept.id}.`))
      renderStatus()
      void loadUsage()
      void loadHistory()
    } catch (error) {
      const text = error instanceof ApiFailure ? `${error.message}${error.body.error.hint ? ` — ${error.body.error.hint}` : ''}` : String(error)
      replace(message, h('div', {class: 'note note-error'}, text))
    }
  }

  const statusLine = h('div', {class: 'flags'})
  const retireButton = h('button', {type: 'button', class: 'btn btn-danger', id: 'concept-retire'})
  const renderStatus = () => {
    replace(statusLine, concept.retired ? h('span', {class: 'pill'}, 'retired: no longer matched') : null)
    retireButton.textContent = concept.retired ? 'Restore' : 'Retire'
    retireButton.hidden = existing === undefined
  }
  retireButton.addEventListener('click', () => void save({retired: !concept.retired}))
  renderStatus()

  const form = h(
    'form',
    {class: 'card concept-form', novalidate: true, onsubmit: (event: Event) => (event.preventDefault(), void save())},
    h('div', {class: 'form-grid'}, field('Concept id', idInput), field('Domain', domain), field('Definition', definition), field('Note', note)),
    h('label', {class: 'check'}, dnt, 'Do not translate (terms stay as written in every language)'),
    statusLine,
    sections,
    h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'btn btn-primary', id: 'concept-save'}, existing ? 'Save concept' : 'Create concept'), retireButton, h('a', {class: 'btn btn-quiet', href: '#/glossary'}, 'Back to the list')),
    message
  )

  // ── Usage ──
  const usageLocale = h('select', {id: 'usage-locale', 'aria-label': 'Usage in locale'}, context.project.locales.map((locale) => h('option', {value: locale}, languageName(locale))))
  const violationsOnly = h('input', {id: 'usage-violations', type: 'checkbox'})
  const usageList = h('div', {class: 'usage-list'})
  let usage: UsageData | undefined
  const renderUsage = () => {
    if (!usage) return
    const entries = usage.entries.filter((entry) => !violationsOnly.checked || entry.violation)
    replace(
      usageList,
      h('p', {class: 'muted'}, `${plural(usage.entries.length, 'segment')}, ${plural(usage.violations, 'violation')}`),
      ...usage.problems.map((problem) => h('p', {class: 'pill pill-error'}, problem)),
      entries.map((entry) =>
        h(
          'a',
          {class: `usage-item${entry.violation ? ' violation' : ''}`, href: `#/a/${encodeURIComponent(entry.locale)}/${encodeURIComponent(entry.slug)}?seg=${encodeURIComponent(entry.id)}`, 'data-segment': entry.id},
          h('div', {class: 'usage-head'}, h('span', {class: 'muted small'}, entry.slug), h('span', {class: `badge state-${entry.state}`}, entry.state), entry.violation === 'forbidden' ? h('span', {class: 'pill pill-error'}, `forbidden: ${entry.forbiddenUsed.join(', ')}`) : entry.violation === 'missing' ? h('span', {class: 'pill pill-warning'}, `missing: ${entry.expected[0] ?? ''}`) : entry.within ? h('span', {class: 'pill', 'data-tip': 'QA checks the longer term instead'}, `within ${entry.within}`) : null),
          h('div', {class: 'usage-source', lang: context.project.sourceLocale}, renderTagged(entry.source, {highlight: {start: entry.start, end: entry.end}})),
          entry.target === undefined ? h('div', {class: 'muted small'}, 'not translated') : h('div', {class: 'usage-target'}, renderTagged(entry.target))
        )
      )
    )
  }
  const loadUsage = async () => {
    if (!existing) return
    usage = await api<UsageData>('GET', `${path('glossary', concept.id, 'usage')}?locale=${encodeURIComponent(usageLocale.value)}`)
    renderUsage()
  }
  usageLocale.addEventListener('change', () => void loadUsage())
  violationsOnly.addEventListener('change', renderUsage)

  // ── History (team mode: the server keeps an audit row per change; in file mode git does, and the card stays hidden) ──
  const historyCard = h('section', {class: 'card concept-history', id: 'concept-history', hidden: true}, h('h2', null, 'History'))
  const historyList = h('ol', {class: 'history-list'})
  historyCard.append(historyList)
  const loadHistory = async () => {
    if (!existing) return
    try {
      const data = await api<ConceptHistoryData>('GET', path('glossary', concept.id, 'history'))
      replace(historyList, data.entries.map(historyItem))
      historyCard.hidden = false
    } catch (error) {
      if (!(error instanceof ApiFailure && error.status === 404)) throw error
      historyCard.hidden = true
    }
  }

  replace(
    main,
    h('div', {class: 'page-head'}, h('div', {class: 'crumbs'}, h('a', {href: '#/glossary'}, 'Glossary'), ' / '), h('h1', null, existing ? concept.id : 'New concept')),
    h(
      'div',
      {class: 'concept-layout'},
      form,
      existing
        ? h('div', null, h('section', {class: 'card usage'}, h('h2', null, 'Usage'), h('div', {class: 'toolbar'}, usageLocale, h('label', {class: 'check'}, violationsOnly, 'Violations only')), usageList), historyCard)
        : null
    )
  )
  if (!existing) idInput.focus()
  await Promise.all([loadUsage(), loadHistory()])
}

/** One change: when, who, what, and which fields and languages it touched. */
function historyItem(entry: ConceptHistoryEntry): HTMLElement {
  const when = new Date(entry.at)
  const label = entry.action === 'create' ? 'created' : entry.action === 'delete' ? 'deleted' : 'edited'
  const changed: string[] = []
  const {before, after} = entry
  if (before && after && 'terms' in before && 'terms' in after) {
    for (const key of ['domain', 'definition', 'note', 'dnt', 'retired'] as const) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(key)
    }
    const languages = new Set([...Object.keys(before.terms), ...Object.keys(after.terms)])
    for (const language of languages) {
      if (JSON.stringify(before.terms[language]) !== JSON.stringify(after.terms[language])) changed.push(`${languageName(language)} terms`)
    }
  } else if (before && after && 'pattern' in before && 'pattern' in after) {
    // A do-not-translate pattern.
    for (const key of ['pattern', 'flags', 'description'] as const) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(key)
    }
  }
  return h(
    'li',
    {class: 'history-item', 'data-action': entry.action},
    h('div', {class: 'history-head'}, h('strong', null, `${label} by ${entry.actor}`), h('time', {class: 'muted small', datetime: entry.at, title: entry.at}, when.toLocaleString())),
    changed.length ? h('div', {class: 'muted small'}, `changed: ${changed.join(', ')}`) : null
  )
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h('label', {class: 'field'}, h('span', null, label), control)
}

function termRow(language: string, term: Term | undefined, remove: () => void): TermRow {
  const text = h('input', {type: 'text', class: 'term-text', value: term?.text ?? '', placeholder: 'term', 'aria-label': `${language} term`})
  const status = h('select', {class: 'term-status', 'aria-label': 'status'}, statuses.map((item) => h('option', {value: item}, item)))
  status.value = term?.status ?? 'preferred'
  const type = h('select', {class: 'term-type', 'aria-label': 'type'}, h('option', {value: ''}, '—'), termTypes.map((item) => h('option', {value: item}, item)))
  type.value = term?.type ?? ''
  const pos = h('select', {class: 'term-pos', 'aria-label': 'part of speech'}, h('option', {value: ''}, '—'), partsOfSpeech.map((item) => h('option', {value: item}, item)))
  pos.value = term?.partOfSpeech ?? ''
  // Gender and number: article and adjective agreement in the target (Spanish "la Unión Europea") depends on them.
  const gender = h('select', {class: 'term-gender', 'aria-label': 'gender'}, h('option', {value: ''}, 'gender —'), genders.map((item) => h('option', {value: item}, item)))
  gender.value = term?.gender ?? ''
  const number = h('select', {class: 'term-number', 'aria-label': 'number'}, h('option', {value: ''}, 'number —'), numbers.map((item) => h('option', {value: item}, item)))
  number.value = term?.number ?? ''
  const note = h('input', {type: 'text', class: 'term-note', value: term?.note ?? '', placeholder: 'note', 'aria-label': 'note'})
  const element = h(
    'div',
    {class: 'term-row'},
    text,
    status,
    type,
    pos,
    gender,
    number,
    note,
    h('button', {type: 'button', class: 'btn btn-quiet btn-icon', 'aria-label': 'Remove term', 'data-tip': 'Remove this term', onclick: remove}, '×')
  )
  return {
    element,
    read() {
      const value = text.value.trim()
      if (value === '') return undefined
      // Keep what this form does not show (case sensitivity).
      const result: Term = {...term, text: value, status: status.value as TermStatus}
      if (type.value) result.type = type.value as Term['type']
      else delete result.type
      if (pos.value) result.partOfSpeech = pos.value as Term['partOfSpeech']
      else delete result.partOfSpeech
      if (gender.value) result.gender = gender.value as Term['gender']
      else delete result.gender
      if (number.value) result.number = number.value as Term['number']
      else delete result.number
      if (note.value.trim()) result.note = note.value.trim()
      else delete result.note
      return result
    }
  }
}
