/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The segment table of one article in one locale: source and target side by
// side, keyboard-first. Targets are edited in place (chips for tags), saved
// with the revision they were read at; a conflict shows both versions.
import {segmentStates, stateRank, type Finding, type SegmentState} from '../../types.ts'
import type {ArticleData, ReviewState, SaveRequest, SaveResponse, SegmentView, Suggestion} from '../wire.ts'
import {api, ApiFailure, path} from './api.ts'
import {append, h, languageName, plural, replace, when} from './dom.ts'
import type {Cleanup, ViewContext} from './main.ts'
import {caretToEnd, chip, createEditor, editorText, insertNodes, missingTags, plainOf, renderTagged, setEditorText} from './tagged.ts'

interface Row {
  segment: SegmentView
  element: HTMLElement
  editor: HTMLDivElement
  source: HTMLElement
  meta: HTMLElement
  tools: HTMLElement
  message: HTMLElement
  suggestions: Suggestion[] | undefined
  busy: boolean
}

type Action = 'save' | 'review' | 'approve'

const kindLabels: Record<string, string> = {heading: 'H', paragraph: '¶', listItem: '•', tableCell: '▦', frontmatter: 'FM', attribute: 'A'}

export async function articleView(main: HTMLElement, context: ViewContext, locale: string, slug: string): Promise<Cleanup> {
  const data = await api<ArticleData>('GET', path('articles', locale, slug))
  const base = path('articles', locale, slug, 'segments')
  const rows: Row[] = []
  let active: Row | undefined

  // ── Header, filters, help ──────────────────────────────────────────────
  const summary = h('div', {class: 'summary'})
  const stateFilter = h(
    'select',
    {id: 'filter-state', 'aria-label': 'Filter by state'},
    h('option', {value: ''}, 'All states'),
    h('option', {value: 'todo'}, 'Not approved'),
    segmentStates.map((state) => h('option', {value: state}, state))
  )
  const qaFilter = h(
    'select',
    {id: 'filter-qa', 'aria-label': 'Filter by QA severity'},
    h('option', {value: ''}, 'Any QA'),
    h('option', {value: 'error'}, 'QA errors'),
    h('option', {value: 'warning'}, 'Errors or warnings'),
    h('option', {value: 'clean'}, 'No findings')
  )
  const search = h('input', {id: 'filter-text', type: 'search', placeholder: 'Search source and target', 'aria-label': 'Search source and target'})
  const staleOnly = h('input', {id: 'filter-stale', type: 'checkbox'})
  const shown = h('span', {class: 'muted', id: 'shown-count'})
  for (const control of [stateFilter, qaFilter, staleOnly]) control.addEventListener('change', applyFilters)
  search.addEventListener('input', applyFilters)

  const table = h('div', {class: 'segments', role: 'list'})
  replace(
    main,
    h(
      'div',
      {class: 'page-head'},
      h('div', {class: 'crumbs'}, h('a', {href: '#/'}, 'Dashboard'), ' / ', languageName(locale), ' / '),
      h('h1', null, articleTitle(data), h('span', {class: 'code'}, slug), h('span', {class: 'code'}, `${data.sourceLocale} → ${locale}`)),
      summary
    ),
    data.problems.length > 0
      ? h('div', {class: 'banner banner-warning'}, h('strong', null, 'Glossary problems'), h('ul', null, data.problems.map((problem) => h('li', null, problem))))
      : null,
    h(
      'div',
      {class: 'toolbar', role: 'search'},
      stateFilter,
      qaFilter,
      search,
      h('label', {class: 'check'}, staleOnly, 'Stale only'),
      shown
    ),
    h(
      'div',
      {class: 'segments-head', 'aria-hidden': 'true'},
      h('span', null, '#'),
      h('span', null, `Source · ${languageName(data.sourceLocale)}`),
      h('span', null, `Target · ${languageName(locale)}`),
      h('span', null, 'Status · QA')
    ),
    table,
    h(
      'footer',
      {class: 'help', 'aria-label': 'Keyboard shortcuts'},
      key('Alt', '↓', '↑', 'next / previous'),
      key('Ctrl', 'Enter', undefined, 'save & next'),
      key('Alt', 'Enter', undefined, 'reviewed & next'),
      key('Ctrl', 'Shift', 'Enter', 'approve & next'),
      key('Ctrl', '1…3', undefined, 'insert TM suggestion'),
      key('Esc', undefined, undefined, 'undo edits')
    )
  )

  for (const segment of data.segments) {
    const row = createRow(segment)
    rows.push(row)
    table.append(row.element)
  }
  updateSummary()
  applyFilters()

  // ── Rows ───────────────────────────────────────────────────────────────
  function createRow(segment: SegmentView): Row {
    const editor = createEditor(segment.target ?? '', {tags: segment.tags, lang: locale, label: `Target of segment ${segment.index + 1}`})
    const row: Row = {
      segment,
      element: h('div', {class: 'seg', role: 'listitem', 'data-id': segment.id}),
      editor,
      source: h('div', {class: 'seg-source', lang: data.sourceLocale}),
      meta: h('div', {class: 'seg-meta'}),
      tools: h('div', {class: 'seg-tools'}),
      message: h('div', {class: 'seg-message', role: 'status', 'aria-live': 'polite'}),
      suggestions: undefined,
      busy: false
    }
    const number = h('div', {class: 'seg-num'}, h('span', {class: 'num'}, String(rows.length + 1)), h('span', {class: 'kind', 'data-tip': segment.kind}, kindLabels[segment.kind] ?? ''))
    append(row.element, [number, row.source, h('div', {class: 'seg-target'}, editor, row.tools, row.message), row.meta])
    editor.addEventListener('focus', () => activate(row, false))
    editor.addEventListener('input', () => refreshDirty(row))
    // A click elsewhere in the row goes to its editor, unless the reviewer is selecting source text to copy.
    row.element.addEventListener('click', (event) => {
      if ((event.target as Element).closest('.seg-target, a, button')) return
      if (!(window.getSelection()?.isCollapsed ?? true)) return
      activate(row, true)
    })
    refreshRow(row)
    return row
  }

  function refreshRow(row: Row): void {
    const segment = row.segment
    replace(row.source, renderTagged(segment.source, {tags: segment.tags, hits: segment.hits}))
    row.element.dataset.state = segment.state
    row.element.classList.toggle('stale', segment.stale === true)
    row.element.classList.toggle('has-error', segment.qa.some((finding) => finding.severity === 'error'))
    replace(
      row.meta,
      h('div', {class: 'badges'}, h('span', {class: `badge state-${segment.state}`, 'data-role': 'state'}, segment.state), segment.stale ? h('span', {class: 'badge badge-stale', 'data-tip': 'The source changed since this target was written'}, 'stale') : null),
      originLine(segment),
      findingsList(segment.qa, {segment, acknowledge: (finding) => void acknowledge(row, finding)})
    )
    if (row === active) renderTools(row)
    refreshDirty(row)
  }

  function refreshDirty(row: Row): void {
    const dirty = editorText(row.editor) !== (row.segment.target ?? '')
    row.element.classList.toggle('dirty', dirty)
    if (row === active) renderMissingTags(row)
  }

  // ── Active row: tools, suggestions ─────────────────────────────────────
  function activate(row: Row, focus: boolean): void {
    if (active !== row) {
      active?.element.classList.remove('active')
      if (active) replace(active.tools)
      active = row
      row.element.classList.add('active')
      renderTools(row)
      void loadSuggestions(row)
      history.replaceState(null, '', `#/a/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}?seg=${encodeURIComponent(row.segment.id)}`)
    }
    if (focus) {
      row.editor.focus()
      caretToEnd(row.editor)
    }
    row.element.scrollIntoView({block: 'nearest'})
  }

  function renderTools(row: Row): void {
    const button = (label: string, hint: string, action: () => void, kind = '') =>
      h('button', {type: 'button', class: `btn ${kind}`, 'data-tip': hint, onclick: (event: Event) => (event.preventDefault(), action())}, label)
    replace(
      row.tools,
      h(
        'div',
        {class: 'actions'},
        button('Save', 'Ctrl+Enter: save as translated and go to the next segment', () => void submit(row, 'save', false), 'btn-primary'),
        button('Reviewed', 'Alt+Enter: mark reviewed and go on', () => void submit(row, 'review', false)),
        button('Approve', 'Ctrl+Shift+Enter: approve and go on (refused while QA errors remain)', () => void submit(row, 'approve', false), 'btn-approve'),
        button('Undo edits', 'Esc: back to the saved target', () => revert(row), 'btn-quiet'),
        h('span', {class: 'missing-tags'})
      ),
      h('div', {class: 'suggestions'}, row.suggestions === undefined ? null : suggestionList(row))
    )
    renderMissingTags(row)
  }

  function renderMissingTags(row: Row): void {
    const holder = row.tools.querySelector('.missing-tags')
    if (!holder) return
    const missing = missingTags(row.segment.source, editorText(row.editor))
    replace(
      holder,
      missing.length === 0
        ? null
        : [
            h('span', {class: 'muted'}, 'Missing tags:'),
            missing.map((tag) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip-button',
                  'data-tip': 'Insert at the caret',
                  onmousedown: (event: Event) => event.preventDefault(),
                  onclick: () => {
                    const fragment = document.createDocumentFragment()
                    fragment.append(chip(tag.kind, tag.n, row.segment.tags[String(tag.n)]))
                    insertNodes(row.editor, fragment)
                  }
                },
                chip(tag.kind, tag.n, row.segment.tags[String(tag.n)])
              )
            )
          ]
    )
  }

  async function loadSuggestions(row: Row): Promise<void> {
    if (row.suggestions !== undefined) return
    try {
      const result = await api<{suggestions: Suggestion[]}>('GET', `${base}/${encodeURIComponent(row.segment.id)}/suggestions`)
      row.suggestions = result.suggestions
    } catch {
      row.suggestions = []
    }
    if (row === active) {
      const holder = row.tools.querySelector('.suggestions')
      if (holder) replace(holder, suggestionList(row))
    }
  }

  function suggestionList(row: Row): HTMLElement | null {
    const list = row.suggestions ?? []
    if (list.length === 0) return h('div', {class: 'muted small'}, data.tm ? 'No translation-memory match.' : 'No translation memory yet.')
    return h(
      'ol',
      {class: 'suggestion-list'},
      list.map((suggestion, index) =>
        h(
          'li',
          {
            class: 'suggestion',
            'data-tip': `Ctrl+${index + 1}: replace the target with this`,
            onmousedown: (event: Event) => event.preventDefault(),
            onclick: () => useSuggestion(row, index)
          },
          h('kbd', null, `Ctrl+${index + 1}`),
          h('span', {class: `score score-${suggestion.kind}`}, suggestion.kind === 'previous' ? 'previous' : `${Math.min(100, suggestion.score)} %`),
          h('span', {class: 'suggestion-text'}, renderTagged(suggestion.target, {tags: row.segment.tags})),
          h('span', {class: 'suggestion-source muted'}, renderTagged(suggestion.source, {tags: row.segment.tags}))
        )
      )
    )
  }

  function useSuggestion(row: Row, index: number): void {
    const suggestion = row.suggestions?.[index]
    if (!suggestion) return
    setEditorText(row.editor, suggestion.target, row.segment.tags)
    row.editor.focus()
    caretToEnd(row.editor)
    refreshDirty(row)
  }

  function revert(row: Row): void {
    setEditorText(row.editor, row.segment.target ?? '', row.segment.tags)
    replace(row.message)
    refreshDirty(row)
  }

  // ── Saving ─────────────────────────────────────────────────────────────
  async function submit(row: Row, action: Action, advance: boolean, revisionOverride?: number): Promise<void> {
    if (row.busy) return
    const target = editorText(row.editor)
    const dirty = target !== (row.segment.target ?? '')
    const state: ReviewState | undefined = action === 'review' ? 'reviewed' : action === 'approve' ? 'approved' : undefined
    if (target.trim() === '') return showMessage(row, 'error', 'The target is empty.')
    const request: SaveRequest = {revision: revisionOverride ?? row.segment.revision}
    if (dirty || action === 'save') request.target = target
    if (state) request.state = state
    const nothingToDo = !dirty && (state ? stateRank(row.segment.state) >= stateRank(state) : stateRank(row.segment.state) >= stateRank('translated'))
    if (nothingToDo && revisionOverride === undefined) {
      if (advance) move(1)
      return
    }
    row.busy = true
    row.element.classList.add('busy')
    try {
      const response = await api<SaveResponse>('PUT', `${base}/${encodeURIComponent(row.segment.id)}`, request)
      row.segment = response.segment
      setEditorText(row.editor, row.segment.target ?? '', row.segment.tags)
      refreshRow(row)
      showMessage(row, 'ok', `${label(row.segment.state)} · revision ${row.segment.revision}`)
      updateSummary()
      if (advance) move(1)
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 409 && error.body.theirs) showConflict(row, request, error.body.theirs, action)
      else if (error instanceof ApiFailure && error.body.error.code === 'E_QA') showQaRefusal(row, error.body.error.message, error.body.findings ?? [])
      else showMessage(row, 'error', error instanceof Error ? error.message : String(error))
    } finally {
      row.busy = false
      row.element.classList.remove('busy')
    }
  }

  /** Acknowledge one finding of the saved target: it stops blocking approval. */
  async function acknowledge(row: Row, finding: Finding): Promise<void> {
    if (row.busy) return
    row.busy = true
    row.element.classList.add('busy')
    try {
      const response = await api<SaveResponse>('POST', `${base}/${encodeURIComponent(row.segment.id)}/acknowledge`, {
        revision: row.segment.revision,
        rule: finding.rule,
        message: finding.message
      })
      row.segment = response.segment
      refreshRow(row)
      showMessage(row, 'ok', `Acknowledged ${finding.rule} · revision ${row.segment.revision}`)
      updateSummary()
    } catch (error) {
      const reload = error instanceof ApiFailure && error.status === 409 ? ' Reload the page to see the current version.' : ''
      showMessage(row, 'error', `${error instanceof Error ? error.message : String(error)}${reload}`)
    } finally {
      row.busy = false
      row.element.classList.remove('busy')
    }
  }

  function showMessage(row: Row, tone: 'ok' | 'error', text: string): void {
    replace(row.message, h('div', {class: `note note-${tone}`}, text))
  }

  function showQaRefusal(row: Row, message: string, findings: Finding[]): void {
    replace(
      row.message,
      h('div', {class: 'note note-error', 'data-role': 'refusal'}, h('strong', null, 'Not approved. '), message, findingsList(findings.filter((finding) => finding.severity === 'error')))
    )
  }

  function showConflict(row: Row, yours: SaveRequest, theirs: SegmentView, action: Action): void {
    const by = theirs.origin?.by ? ` by ${theirs.origin.by}` : ''
    replace(
      row.message,
      h(
        'div',
        {class: 'conflict', 'data-role': 'conflict', role: 'alert'},
        h('div', {class: 'conflict-title'}, `Someone else saved this segment${by} (${when(theirs.updated)}, revision ${theirs.revision}) while you were editing it.`),
        h(
          'div',
          {class: 'conflict-versions'},
          h(
            'div',
            {class: 'version version-theirs'},
            h('div', {class: 'version-label'}, 'Theirs (saved) ', h('span', {class: `badge state-${theirs.state}`}, theirs.state)),
            h('div', {class: 'version-text', lang: locale}, renderTagged(theirs.target ?? '', {tags: theirs.tags}))
          ),
          h(
            'div',
            {class: 'version version-yours'},
            h('div', {class: 'version-label'}, 'Yours (not saved)', yours.state ? h('span', {class: `badge state-${yours.state}`}, yours.state) : null),
            h('div', {class: 'version-text', lang: locale}, renderTagged(yours.target ?? row.segment.target ?? '', {tags: theirs.tags}))
          )
        ),
        h(
          'div',
          {class: 'actions'},
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              'data-role': 'take-theirs',
              onclick: () => {
                row.segment = theirs
                setEditorText(row.editor, theirs.target ?? '', theirs.tags)
                replace(row.message)
                refreshRow(row)
                updateSummary()
              }
            },
            'Keep theirs'
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'btn btn-primary',
              'data-role': 'keep-mine',
              onclick: () => {
                const mine = yours.target ?? editorText(row.editor)
                row.segment = theirs
                refreshRow(row)
                setEditorText(row.editor, mine, theirs.tags)
                refreshDirty(row)
                void submit(row, action, false, theirs.revision)
              }
            },
            'Save mine over theirs'
          )
        )
      )
    )
  }

  // ── Navigation and filters ─────────────────────────────────────────────
  function visibleRows(): Row[] {
    return rows.filter((row) => !row.element.hidden)
  }

  function move(step: 1 | -1): void {
    const visible = visibleRows()
    if (visible.length === 0) return
    const index = active ? visible.indexOf(active) : -1
    const next = visible[index === -1 ? 0 : Math.max(0, Math.min(visible.length - 1, index + step))]
    if (next) activate(next, true)
  }

  function applyFilters(): void {
    const state = stateFilter.value
    const qa = qaFilter.value
    const words = search.value.trim().toLowerCase()
    let count = 0
    for (const row of rows) {
      const segment = row.segment
      const errors = segment.qa.some((finding) => finding.severity === 'error')
      const warnings = segment.qa.some((finding) => finding.severity === 'warning')
      const visible =
        (state === '' || (state === 'todo' ? segment.state !== 'approved' : segment.state === state)) &&
        (qa === '' || (qa === 'error' ? errors : qa === 'warning' ? errors || warnings : segment.qa.length === 0)) &&
        (!staleOnly.checked || segment.stale === true) &&
        (words === '' || `${plainOf(segment.source)}\n${plainOf(editorText(row.editor))}`.toLowerCase().includes(words))
      row.element.hidden = !visible
      if (visible) count++
    }
    shown.textContent = `${count} of ${plural(rows.length, 'segment')}`
  }

  function updateSummary(): void {
    const counts = new Map<SegmentState, number>()
    for (const row of rows) counts.set(row.segment.state, (counts.get(row.segment.state) ?? 0) + 1)
    const errors = rows.filter((row) => row.segment.qa.some((finding) => finding.severity === 'error')).length
    replace(
      summary,
      segmentStates.filter((state) => counts.has(state)).map((state) => h('span', {class: `badge state-${state}`}, `${counts.get(state)} ${state}`)),
      errors > 0 ? h('span', {class: 'pill pill-error'}, `${plural(errors, 'segment')} with QA errors`) : null,
      data.retired > 0 ? h('span', {class: 'muted'}, `${data.retired} retired`) : null
    )
  }

  // ── Keyboard ───────────────────────────────────────────────────────────
  const onKey = (event: KeyboardEvent) => {
    const ctrl = event.ctrlKey || event.metaKey
    if (event.altKey && !ctrl && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault()
      move(event.key === 'ArrowDown' ? 1 : -1)
      return
    }
    if (!active) return
    if (event.key === 'Enter' && ctrl && event.shiftKey) {
      event.preventDefault()
      void submit(active, 'approve', true)
    } else if (event.key === 'Enter' && ctrl) {
      event.preventDefault()
      void submit(active, 'save', true)
    } else if (event.key === 'Enter' && event.altKey) {
      event.preventDefault()
      void submit(active, 'review', true)
    } else if (ctrl && !event.shiftKey && /^Digit[1-3]$/.test(event.code)) {
      event.preventDefault()
      useSuggestion(active, Number(event.code.slice(5)) - 1)
    } else if (ctrl && event.key.toLowerCase() === 's') {
      event.preventDefault()
      void submit(active, 'save', false)
    } else if (event.key === 'Escape' && document.activeElement === active.editor) {
      event.preventDefault()
      revert(active)
    }
  }
  document.addEventListener('keydown', onKey)
  const onUnload = (event: BeforeUnloadEvent) => {
    if (rows.some((row) => row.element.classList.contains('dirty'))) event.preventDefault()
  }
  window.addEventListener('beforeunload', onUnload)

  const wanted = context.params.get('seg')
  const first = rows.find((row) => row.segment.id === wanted) ?? (wanted ? undefined : rows.find((row) => !row.element.hidden && row.segment.state !== 'approved'))
  if (first) activate(first, true)

  return () => {
    document.removeEventListener('keydown', onKey)
    window.removeEventListener('beforeunload', onUnload)
  }
}

/** The article's front-matter title as plain text, else its slug. */
function articleTitle(data: ArticleData): string {
  const title = data.segments.find((segment) => segment.unit === 'fm:title')
  return title ? plainOf(title.source) : data.slug
}

function label(state: SegmentState): string {
  return state === 'approved' ? 'Approved' : state === 'reviewed' ? 'Reviewed' : state === 'translated' ? 'Saved' : state
}

function key(a: string, b: string | undefined, c: string | undefined, what: string): HTMLElement {
  return h('span', {class: 'key'}, h('kbd', null, a), b ? h('kbd', null, b) : null, c ? h('kbd', null, c) : null, h('span', null, what))
}

function originLine(segment: SegmentView): HTMLElement | null {
  const origin = segment.origin
  if (!origin) return null
  const parts: string[] = []
  if (origin.kind === 'engine') parts.push(origin.engine ?? 'machine')
  else if (origin.kind === 'tm') parts.push(`TM${origin.score === undefined ? '' : ` ${origin.score} %`}`)
  else if (origin.kind === 'import') parts.push('import')
  else parts.push('human')
  if (origin.by) parts.push(origin.by)
  if (origin.postEdits?.length) parts.push(`post-edited: ${origin.postEdits.join(', ')}`)
  return h('div', {class: 'origin', 'data-tip': [origin.detail, `updated ${when(segment.updated)}`, `revision ${segment.revision}`].filter(Boolean).join(' · ')}, h('span', {class: `origin-kind origin-${origin.kind}`}, parts.join(' · ')))
}

/**
 * Findings as a list. With `options`, each error gets an Acknowledge button,
 * and a finding the reviewer acknowledged (shown as `info`) says by whom.
 */
function findingsList(findings: readonly Finding[], options?: {segment: SegmentView; acknowledge: (finding: Finding) => void}): HTMLElement | null {
  if (findings.length === 0) return null
  return h(
    'ul',
    {class: 'findings'},
    findings.map((finding) => {
      const acknowledged = options?.segment.acknowledged?.find((item) => item.rule === finding.rule && item.message === finding.message)
      return h(
        'li',
        {class: `finding finding-${finding.severity}${acknowledged ? ' finding-acknowledged' : ''}`, 'data-rule': finding.rule},
        h('span', {class: 'rule'}, finding.rule),
        ' ',
        finding.message,
        acknowledged ? h('span', {class: 'ack-note', 'data-tip': `acknowledged ${when(acknowledged.at)}`}, ` · acknowledged${acknowledged.by ? ` by ${acknowledged.by}` : ''}`) : null,
        options && finding.severity === 'error'
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn-ack',
                'data-role': 'acknowledge',
                'data-tip': 'The check is wrong for this target: acknowledge it so that it no longer blocks approval',
                onclick: (event: Event) => (event.preventDefault(), options.acknowledge(finding))
              },
              'Acknowledge'
            )
          : null
      )
    })
  )
}
