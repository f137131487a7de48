/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The segment table of one article in one locale: source and target side by
// side, keyboard-first. Targets are edited in place (chips for tags), saved
// with the revision they were read at; a conflict shows both versions.
import {segmentStates, stateRank, type Finding, type SegmentState} from '../../types.ts'
import type {ArticleData, BulkApproveResponse, CheckResponse, MachineData, MachineSuggestion, ReviewState, SaveRequest, SaveResponse, SegmentHistoryData, SegmentView, Suggestion} from '../wire.ts'
import {api, ApiFailure, path} from './api.ts'
import {append, h, languageName, plural, replace, when} from './dom.ts'
import type {Cleanup, ViewContext} from './main.ts'
import {concordancePanel} from './concordance.ts'
import {glossaryPanel, historyPanel, stalePanel, suggestionsPanel} from './panels.ts'
import {watchArticle} from './live.ts'
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
  machine: MachineSuggestion[] | undefined
  machineProblems: string[]
  machineBusy: boolean
  history: SegmentHistoryData | undefined
  historyOpen: boolean
  /** QA and glossary state of the target as typed (undefined: as saved). */
  live: CheckResponse | undefined
  liveTimer: ReturnType<typeof setTimeout> | undefined
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

  const bulk = h('button', {type: 'button', class: 'btn', id: 'bulk-approve', 'data-tip': 'Approve every row the filters show, except those with QA errors (asks first)', onclick: () => confirmBulk()}, 'Approve shown…')
  const bulkBox = h('div', {class: 'bulk-confirm', id: 'bulk-confirm', hidden: true, role: 'alertdialog', 'aria-label': 'Confirm bulk approval'})
  const concordanceInput = h('input', {id: 'concordance-input', type: 'search', placeholder: 'Concordance (Alt+K on a selection)', 'aria-label': 'Concordance: a word or phrase in all articles and memories'})
  const concordanceBox = h('div', {class: 'concordance-box', id: 'concordance-box', hidden: true})
  const runConcordance = (q: string) => {
    concordanceInput.value = q
    if (q.trim() === '') {
      concordanceBox.hidden = true
      return
    }
    concordanceBox.hidden = false
    void concordancePanel(concordanceBox, q.trim(), locale)
  }
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
      shown,
      bulk,
      h(
        'form',
        {class: 'concordance-form', onsubmit: (event: Event) => (event.preventDefault(), runConcordance(concordanceInput.value))},
        concordanceInput,
        h('button', {type: 'submit', class: 'btn'}, 'Look up')
      )
    ),
    bulkBox,
    concordanceBox,
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
      'details',
      {class: 'help', 'aria-label': 'Keyboard shortcuts'},
      h('summary', null, 'Shortcuts'),
      h(
        'div',
        {class: 'help-keys'},
        key('Alt', '↓', '↑', 'next / previous'),
        key('Ctrl', 'Enter', undefined, 'save & next'),
        key('Alt', 'Enter', undefined, 'reviewed & next'),
        key('Ctrl', 'Shift', 'Enter', 'approve & next'),
        key('Ctrl', 'Shift', '1…3', 'use TM suggestion'),
        key('Alt', 'M', undefined, 'machine translation'),
        key('Alt', 'K', undefined, 'concordance of the selection'),
        key('Esc', undefined, undefined, 'undo edits')
      )
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
      machine: undefined,
      machineProblems: [],
      machineBusy: false,
      history: undefined,
      historyOpen: false,
      live: undefined,
      liveTimer: undefined,
      busy: false
    }
    const number = h('div', {class: 'seg-num'}, h('span', {class: 'num'}, String(rows.length + 1)), h('span', {class: 'kind', 'data-tip': segment.kind}, kindLabels[segment.kind] ?? ''))
    append(row.element, [number, row.source, h('div', {class: 'seg-target'}, editor, row.tools, row.message), row.meta])
    editor.addEventListener('focus', () => activate(row, false))
    editor.addEventListener('input', () => {
      refreshDirty(row)
      scheduleCheck(row)
    })
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
    renderMeta(row)
    if (row === active) renderTools(row)
    refreshDirty(row)
  }

  /** State, origin and QA: the saved target's findings, or those of the target as typed once checked. */
  function renderMeta(row: Row): void {
    const segment = row.segment
    replace(
      row.meta,
      h('div', {class: 'badges'}, h('span', {class: `badge state-${segment.state}`, 'data-role': 'state'}, segment.state), segment.stale ? h('span', {class: 'badge badge-stale', 'data-tip': 'The source changed since this target was written'}, 'stale') : null),
      originLine(segment),
      row.live
        ? [h('div', {class: 'muted small', 'data-role': 'live-qa'}, row.live.qa.length === 0 ? 'QA as typed: no findings' : 'QA as typed (not saved):'), findingsList(row.live.qa)]
        : findingsList(segment.qa, {segment, acknowledge: (finding) => void acknowledge(row, finding)})
    )
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
      h('div', {class: 'panels'})
    )
    renderPanels(row)
    renderMissingTags(row)
  }

  /** The panels of the active row, rebuilt from the row's state (cheap: only one row is active). */
  function renderPanels(row: Row): void {
    const holder = row.tools.querySelector('.panels')
    if (!holder || row !== active) return
    const segment = row.segment
    replace(
      holder,
      stalePanel(segment, {
        usePrevious: () => putInEditor(row, segment.previous?.target ?? ''),
        accept: () => void submit(row, 'save', false)
      }),
      suggestionsPanel(
        segment,
        {tm: row.suggestions, hasTm: data.tm, machine: row.machine, machineProblems: row.machineProblems, machineBusy: row.machineBusy},
        {use: (target) => putInEditor(row, target), machine: () => void loadMachine(row)}
      ),
      glossaryPanel(row.live?.hits ?? segment.hits, (text) => {
        row.editor.focus()
        const fragment = document.createDocumentFragment()
        fragment.append(text)
        insertNodes(row.editor, fragment)
        refreshDirty(row)
      }),
      h(
        'details',
        {class: 'panel-details', 'data-role': 'history-toggle', open: row.historyOpen, ontoggle: (event: Event) => {
          row.historyOpen = (event.target as HTMLDetailsElement).open
          if (row.historyOpen && !row.history) void loadHistory(row)
        }},
        h('summary', null, 'History and comments'),
        row.history ? historyPanel(segment, row.history, {
          revert: (target) => {
            putInEditor(row, target)
            void submit(row, 'save', false, undefined, 'revert')
          },
          comment: (text, replyTo) => void comment(row, text, replyTo),
          resolve: (id, resolved) => void resolveComment(row, id, resolved)
        }) : null
      )
    )
  }

  function putInEditor(row: Row, target: string): void {
    setEditorText(row.editor, target, row.segment.tags)
    row.editor.focus()
    caretToEnd(row.editor)
    refreshDirty(row)
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
    renderPanels(row)
  }

  async function loadMachine(row: Row): Promise<void> {
    if (row.machineBusy) return
    row.machineBusy = true
    renderPanels(row)
    try {
      const result = await api<MachineData>('POST', `${base}/${encodeURIComponent(row.segment.id)}/mt`, {})
      row.machine = result.suggestions
      row.machineProblems = result.problems
    } catch (error) {
      row.machineProblems = [error instanceof Error ? error.message : String(error)]
    } finally {
      row.machineBusy = false
      renderPanels(row)
    }
  }

  async function loadHistory(row: Row): Promise<void> {
    try {
      row.history = await api<SegmentHistoryData>('GET', `${base}/${encodeURIComponent(row.segment.id)}/history`)
    } catch (error) {
      row.history = {edits: [], comments: [], problems: [error instanceof Error ? error.message : String(error)]}
    }
    renderPanels(row)
  }

  async function comment(row: Row, text: string, replyTo?: string): Promise<void> {
    try {
      const result = await api<{comments: SegmentHistoryData['comments']; problems: string[]}>('POST', `${base}/${encodeURIComponent(row.segment.id)}/comments`, {text, ...(replyTo ? {replyTo} : {})})
      row.history = {edits: row.history?.edits ?? [], comments: result.comments, problems: result.problems}
      row.element.classList.toggle('has-comments', result.comments.some((thread) => !thread.resolved))
      renderPanels(row)
    } catch (error) {
      showMessage(row, 'error', error instanceof Error ? error.message : String(error))
    }
  }

  async function resolveComment(row: Row, id: string, resolved: boolean): Promise<void> {
    try {
      const result = await api<{comments: SegmentHistoryData['comments']; problems: string[]}>('POST', `${base}/${encodeURIComponent(row.segment.id)}/comments/${encodeURIComponent(id)}/resolve`, {resolved})
      row.history = {edits: row.history?.edits ?? [], comments: result.comments, problems: result.problems}
      renderPanels(row)
    } catch (error) {
      showMessage(row, 'error', error instanceof Error ? error.message : String(error))
    }
  }

  /** QA and glossary of the target as typed, a moment after the last key (nothing saved). */
  function scheduleCheck(row: Row): void {
    clearTimeout(row.liveTimer)
    row.liveTimer = setTimeout(() => void liveCheck(row), 250)
  }

  async function liveCheck(row: Row): Promise<void> {
    const target = editorText(row.editor)
    if (target === (row.segment.target ?? '')) {
      row.live = undefined
    } else {
      try {
        row.live = await api<CheckResponse>('POST', `${base}/${encodeURIComponent(row.segment.id)}/check`, {target})
      } catch {
        return
      }
      if (editorText(row.editor) !== target) return
      // Saved meanwhile: the saved target's findings (with their Acknowledge buttons) are the ones to show.
      if (target === (row.segment.target ?? '')) row.live = undefined
    }
    renderMeta(row)
    renderPanels(row)
  }

  async function loadHistoryIfOpen(row: Row): Promise<void> {
    if (row.historyOpen) await loadHistory(row)
  }

  /** Replace the target with the n-th suggestion that is not already applied (Ctrl+Shift+n). */
  function useSuggestion(row: Row, index: number): void {
    const suggestion = (row.suggestions ?? []).filter((item) => !item.applied)[index]
    if (!suggestion) return
    putInEditor(row, suggestion.target)
  }

  function revert(row: Row): void {
    setEditorText(row.editor, row.segment.target ?? '', row.segment.tags)
    replace(row.message)
    clearTimeout(row.liveTimer)
    row.live = undefined
    renderMeta(row)
    renderPanels(row)
    refreshDirty(row)
    // Someone may have saved this segment while it was being edited here: show their version now.
    if (context.project.live?.events) rereadSoon()
  }

  // ── Saving ─────────────────────────────────────────────────────────────
  async function submit(row: Row, action: Action, advance: boolean, revisionOverride?: number, via?: 'revert'): Promise<void> {
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
      const response = await api<SaveResponse>('PUT', `${base}/${encodeURIComponent(row.segment.id)}${via ? `?via=${via}` : ''}`, request)
      row.segment = response.segment
      row.live = undefined
      clearTimeout(row.liveTimer)
      if (row.history) row.history = undefined
      if (row === active) void loadHistoryIfOpen(row)
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

  // ── Bulk approval ──────────────────────────────────────────────────────
  function confirmBulk(): void {
    const shownRows = visibleRows().filter((row) => row.segment.state !== 'approved' && row.segment.target !== undefined && row.segment.target !== '')
    const clean = shownRows.filter((row) => !row.segment.qa.some((finding) => finding.severity === 'error') && !row.element.classList.contains('dirty'))
    const held = shownRows.length - clean.length
    bulkBox.hidden = false
    replace(
      bulkBox,
      h('div', {class: 'bulk-text'}, clean.length === 0 ? 'No shown row can be approved (approved already, no target, unsaved edits or QA errors).' : `Approve ${plural(clean.length, 'shown segment')}?`, held > 0 ? ` ${held} with QA errors or unsaved edits will be left as they are.` : ''),
      h(
        'div',
        {class: 'actions'},
        clean.length > 0 ? h('button', {type: 'button', class: 'btn btn-approve', 'data-role': 'bulk-confirm', onclick: () => void bulkApprove(clean)}, `Approve ${clean.length}`) : null,
        h('button', {type: 'button', class: 'btn btn-quiet', 'data-role': 'bulk-cancel', onclick: () => (bulkBox.hidden = true)}, 'Cancel')
      )
    )
  }

  async function bulkApprove(selected: Row[]): Promise<void> {
    replace(bulkBox, h('div', {class: 'muted'}, 'Approving…'))
    try {
      const result = await api<BulkApproveResponse>('POST', path('articles', locale, slug, 'approve'), {segments: selected.map((row) => ({id: row.segment.id, revision: row.segment.revision}))})
      const fresh = await api<ArticleData>('GET', path('articles', locale, slug))
      for (const segment of fresh.segments) {
        const row = rows.find((item) => item.segment.id === segment.id)
        if (row && !row.element.classList.contains('dirty')) {
          row.segment = segment
          refreshRow(row)
        }
      }
      updateSummary()
      applyFilters()
      replace(
        bulkBox,
        h('div', {class: 'note note-ok', 'data-role': 'bulk-result'}, `Approved ${plural(result.approved.length, 'segment')}.`, result.skipped.length > 0 ? ` Skipped ${result.skipped.length}: ${result.skipped.map((item) => item.message).join('; ')}` : ''),
        h('button', {type: 'button', class: 'btn btn-quiet', onclick: () => (bulkBox.hidden = true)}, 'Close')
      )
    } catch (error) {
      replace(bulkBox, h('div', {class: 'note note-error'}, error instanceof Error ? error.message : String(error)))
    }
  }

  // ── Keyboard ───────────────────────────────────────────────────────────
  const onKey = (event: KeyboardEvent) => {
    const ctrl = event.ctrlKey || event.metaKey
    if (event.altKey && !ctrl && event.code === 'KeyK') {
      event.preventDefault()
      const selected = window.getSelection()?.toString().trim() ?? ''
      runConcordance(selected || concordanceInput.value)
      return
    }
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
    } else if (ctrl && event.shiftKey && !event.altKey && /^Digit[1-3]$/.test(event.code)) {
      // Ctrl+1…9 (and Alt+1…9 on Linux) switch browser tabs: suggestions take Ctrl+Shift.
      event.preventDefault()
      useSuggestion(active, Number(event.code.slice(5)) - 1)
    } else if (event.altKey && !ctrl && event.code === 'KeyM') {
      event.preventDefault()
      void loadMachine(active)
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

  // ── Live updates (team mode) ───────────────────────────────────────────
  // A segment saved elsewhere replaces the row in place, unless the row is
  // being edited here: then it says so, and saving shows the conflict.
  let reread: ReturnType<typeof setTimeout> | undefined
  const rereadSoon = () => {
    clearTimeout(reread)
    reread = setTimeout(() => void rereadArticle(), 100)
  }
  async function rereadArticle(): Promise<void> {
    let fresh: ArticleData
    try {
      fresh = await api<ArticleData>('GET', path('articles', locale, slug))
    } catch {
      return
    }
    const byId = new Map(fresh.segments.map((segment) => [segment.id, segment]))
    for (const row of rows) {
      const theirs = byId.get(row.segment.id)
      if (!theirs || theirs.revision === row.segment.revision) continue
      if (row.busy || row.element.classList.contains('dirty')) {
        showChangedUnderneath(row, theirs)
        continue
      }
      row.segment = theirs
      row.live = undefined
      clearTimeout(row.liveTimer)
      row.history = undefined
      setEditorText(row.editor, theirs.target ?? '', theirs.tags)
      refreshRow(row)
      showMessage(row, 'ok', `Updated live: ${label(theirs.state)}${theirs.origin?.by ? ` by ${theirs.origin.by}` : ''} · revision ${theirs.revision}`)
      row.element.classList.add('live-updated')
      setTimeout(() => row.element.classList.remove('live-updated'), 2000)
    }
    updateSummary()
  }
  function showChangedUnderneath(row: Row, theirs: SegmentView): void {
    const by = theirs.origin?.by ? ` by ${theirs.origin.by}` : ''
    replace(
      row.message,
      h(
        'div',
        {class: 'note note-error', 'data-role': 'changed-underneath', role: 'alert'},
        h('strong', null, `Changed${by} while you edit (revision ${theirs.revision}): `),
        theirs.target ?? '(no target)',
        '. Saving will show both versions; Esc takes theirs.'
      )
    )
  }
  const stopWatching = context.project.live?.events
    ? watchArticle(locale, slug, {
        change: (id, revision) => {
          const row = rows.find((item) => item.segment.id === id)
          if (row && revision > row.segment.revision) rereadSoon()
        },
        resync: rereadSoon
      })
    : undefined

  const wanted = context.params.get('seg')
  const first = rows.find((row) => row.segment.id === wanted) ?? (wanted ? undefined : rows.find((row) => !row.element.hidden && row.segment.state !== 'approved'))
  if (first) activate(first, true)

  return () => {
    stopWatching?.()
    clearTimeout(reread)
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
