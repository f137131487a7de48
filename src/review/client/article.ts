/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The segment table of one article in one locale: source and target side by
// side, keyboard-first. Targets are edited in place (chips for tags), saved
// with the revision they were read at; a conflict shows both versions.
// Windowed: every segment has a Row (its data, filters, navigation and bulk
// approval work over all of them), but only the rows near the screen are
// built and in the DOM, absolutely placed in a table as tall as all shown
// rows (measured heights where known, the average otherwise). A long article
// opens with its rows as the bundle recorded them; their live checks come in
// batches, those on screen first (`POST …/views`).
import {segmentStates, stateRank, type Finding, type SegmentState} from '../../types.ts'
import type {ArticleData, BulkApproveResponse, CheckResponse, MachineData, MachineSuggestion, ReviewState, SaveRequest, SaveResponse, SegmentHistoryData, SegmentView, Suggestion, ViewsResponse} from '../wire.ts'
import {api, ApiFailure, path} from './api.ts'
import {append, h, languageName, plural, replace, when} from './dom.ts'
import type {Cleanup, ViewContext} from './main.ts'
import {concordancePanel} from './concordance.ts'
import {glossaryPanel, historyPanel, stalePanel, suggestionsPanel} from './panels.ts'
import {watchArticle} from './live.ts'
import {caretToEnd, chip, createEditor, editorText, insertNodes, missingTags, plainOf, renderTagged, setEditorText} from './tagged.ts'

interface Row {
  segment: SegmentView
  /** 1-based position in the article. */
  position: number
  /** Measured height in px (undefined until the row was on screen). */
  height: number | undefined
  /** Whether the DOM fields below exist (built when the row first comes near the screen; kept after). */
  built: boolean
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
  /** The conflict on screen (both versions), until the person resolves it or saves again. */
  conflict: {yours: SaveRequest; action: Action; revision: number} | undefined
}

type Action = 'save' | 'review' | 'approve'

const kindLabels: Record<string, string> = {heading: 'H', paragraph: '¶', listItem: '•', tableCell: '▦', frontmatter: 'FM', attribute: 'A'}

export async function articleView(main: HTMLElement, context: ViewContext, locale: string, slug: string): Promise<Cleanup> {
  const data = await api<ArticleData>('GET', `${path('articles', locale, slug)}?rows=recorded`)
  const base = path('articles', locale, slug, 'segments')
  const rows: Row[] = []
  const byId = new Map<string, Row>()
  let active: Row | undefined
  /** The rows the filters let through, in order, and the top of each in the table (px). */
  let shownRows: Row[] = []
  let tops: number[] = []
  const shownIndex = new Map<Row, number>()
  const mounted = new Set<Row>()
  const rowOf = new WeakMap<Element, Row>()
  /** Height of a row not yet measured: set once from the first rows measured, then fixed, so that far rows do not drift as others are measured. */
  let estimate: number | undefined
  /** Rows placed beyond the screen on each side (px), and the pending animation frame of a layout. */
  const overscan = 800
  let frame = 0
  /** Rows whose live views were asked for, and whether the background batches run. */
  const requested = new Set<Row>()
  let background = false
  /**
   * Rows that may still show a recorded view, in article order: the only ones
   * the background batches look at, so that a scroll frame never walks all
   * the rows of a long article. A row leaves when its live view comes (or,
   * lazily, when the batches find it live already); it comes back when a
   * reread gives it a recorded view again (`recheck`).
   */
  const unchecked = new Set<Row>()

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
    byId.set(segment.id, row)
    if (segment.recorded) unchecked.add(row)
  }
  // Rows change height (panels open, messages, a narrower window): place the others again.
  const resizes = new ResizeObserver((entries) => {
    let changed = false
    for (const entry of entries) {
      const row = rowOf.get(entry.target)
      const height = (entry.target as HTMLElement).offsetHeight
      if (row && mounted.has(row) && height > 0 && height !== row.height) {
        measure(row, height)
        changed = true
      }
    }
    if (changed) scheduleLayout()
  })
  const onScroll = () => scheduleLayout()
  window.addEventListener('scroll', onScroll, {passive: true})
  window.addEventListener('resize', onScroll)
  updateSummary()
  applyFilters()

  // ── Rows ───────────────────────────────────────────────────────────────
  /** A row's data only: its DOM is built when it first comes near the screen (`build`). */
  function createRow(segment: SegmentView): Row {
    return {
      segment,
      position: rows.length + 1,
      height: undefined,
      built: false,
      suggestions: undefined,
      machine: undefined,
      machineProblems: [],
      machineBusy: false,
      history: undefined,
      historyOpen: false,
      live: undefined,
      liveTimer: undefined,
      busy: false,
      conflict: undefined
    } as unknown as Row
  }

  function build(row: Row): void {
    if (row.built) return
    const segment = row.segment
    const editor = createEditor(segment.target ?? '', {tags: segment.tags, lang: locale, label: `Target of segment ${segment.index + 1}`})
    Object.assign(row, {
      built: true,
      element: h('div', {class: 'seg', role: 'listitem', 'data-id': segment.id}),
      editor,
      source: h('div', {class: 'seg-source', lang: data.sourceLocale}),
      meta: h('div', {class: 'seg-meta'}),
      tools: h('div', {class: 'seg-tools'}),
      message: h('div', {class: 'seg-message', role: 'status', 'aria-live': 'polite'})
    })
    rowOf.set(row.element, row)
    const number = h('div', {class: 'seg-num'}, h('span', {class: 'num'}, String(row.position)), h('span', {class: 'kind', 'data-tip': segment.kind}, kindLabels[segment.kind] ?? ''))
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
  }

  function refreshRow(row: Row): void {
    if (!row.built) return
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

  /** Unsaved edits (only a built row can have any). */
  function isDirty(row: Row): boolean {
    return row.built && editorText(row.editor) !== (row.segment.target ?? '')
  }

  function refreshDirty(row: Row): void {
    if (!row.built) return
    const dirty = editorText(row.editor) !== (row.segment.target ?? '')
    row.element.classList.toggle('dirty', dirty)
    if (row === active) renderMissingTags(row)
  }

  // ── Active row: tools, suggestions ─────────────────────────────────────
  function activate(row: Row, focus: boolean): void {
    reveal(row)
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
    row.conflict = undefined
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
    row.conflict = undefined
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
    row.conflict = {yours, action, revision: theirs.revision}
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
                row.conflict = undefined
                row.segment = theirs
                if (theirs.recorded) unchecked.add(row)
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
                if (theirs.recorded) unchecked.add(row)
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
    return shownRows
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
    const next: Row[] = []
    for (const row of rows) {
      const segment = row.segment
      const errors = segment.qa.some((finding) => finding.severity === 'error')
      const warnings = segment.qa.some((finding) => finding.severity === 'warning')
      const visible =
        (state === '' || (state === 'todo' ? segment.state !== 'approved' : segment.state === state)) &&
        (qa === '' || (qa === 'error' ? errors : qa === 'warning' ? errors || warnings : segment.qa.length === 0)) &&
        (!staleOnly.checked || segment.stale === true) &&
        (words === '' || `${plainOf(segment.source)}\n${plainOf(row.built ? editorText(row.editor) : (segment.target ?? ''))}`.toLowerCase().includes(words))
      if (visible) next.push(row)
    }
    shownRows = next
    shownIndex.clear()
    next.forEach((row, index) => shownIndex.set(row, index))
    shown.textContent = `${next.length} of ${plural(rows.length, 'segment')}`
    layout(false)
  }

  // ── Window: only the rows near the screen are in the DOM ───────────────
  function measure(row: Row, height: number): void {
    row.height = height
  }

  function heightOf(row: Row): number {
    return row.height ?? estimate ?? 96
  }

  function computeTops(): number {
    tops = new Array<number>(shownRows.length)
    let top = 0
    for (let index = 0; index < shownRows.length; index++) {
      tops[index] = top
      top += heightOf(shownRows[index]!)
    }
    return top
  }

  /** The table's scroll range on screen, in table coordinates. */
  function viewport(): {top: number; bottom: number} {
    const top = -table.getBoundingClientRect().top
    return {top, bottom: top + window.innerHeight}
  }

  /** Index of the first shown row whose bottom is below `y`. */
  function indexAt(y: number): number {
    let low = 0
    let high = shownRows.length - 1
    while (low < high) {
      const middle = (low + high) >> 1
      if (tops[middle]! + heightOf(shownRows[middle]!) > y) high = middle
      else low = middle + 1
    }
    return Math.max(0, low)
  }

  function scheduleLayout(): void {
    if (frame) return
    frame = requestAnimationFrame(() => {
      frame = 0
      layout(true)
    })
  }

  /**
   * Place the rows near the screen and drop the others from the DOM. With
   * `anchored`, the first row on screen stays where it is when rows above it
   * turn out taller or shorter than estimated.
   */
  function layout(anchored: boolean | Row): void {
    if (!table.isConnected) return
    let anchor: {row: Row; top: number} | undefined
    if (anchored !== false && shownRows.length > 0 && tops.length === shownRows.length) {
      const view = viewport()
      const row = anchored === true ? (view.top > 0 ? shownRows[indexAt(view.top)] : undefined) : anchored
      const index = row ? shownIndex.get(row) : undefined
      if (row && index !== undefined) anchor = {row, top: tops[index]!}
    }
    for (let pass = 0; pass < 4; pass++) {
      table.style.height = `${computeTops()}px`
      if (anchor) {
        const moved = tops[shownIndex.get(anchor.row)!]! - anchor.top
        if (moved !== 0) window.scrollBy(0, moved)
        anchor.top += moved
      }
      const view = viewport()
      const wanted = new Set<Row>()
      if (shownRows.length > 0) {
        for (let index = indexAt(view.top - overscan); index < shownRows.length && tops[index]! < view.bottom + overscan; index++) wanted.add(shownRows[index]!)
      }
      // The row being edited stays in the DOM (its caret, its panels) while it is shown.
      if (active && shownIndex.has(active)) wanted.add(active)
      for (const row of mounted) {
        if (wanted.has(row)) continue
        resizes.unobserve(row.element)
        row.element.remove()
        mounted.delete(row)
      }
      const added: Row[] = []
      for (const row of wanted) {
        build(row)
        row.element.style.top = `${tops[shownIndex.get(row)!]}px`
        if (!mounted.has(row)) {
          // In article order, so that the DOM reads as the screen does; rows in place never move (the active one keeps its caret).
          const after = [...table.children].find((child) => (rowOf.get(child)?.position ?? 0) > row.position) ?? null
          table.insertBefore(row.element, after)
          mounted.add(row)
          resizes.observe(row.element)
          added.push(row)
        }
      }
      // Measure what was just placed; place again if the estimates were off.
      let changed = false
      for (const row of added) {
        const height = row.element.offsetHeight
        if (height > 0 && height !== row.height) {
          measure(row, height)
          changed = true
        }
      }
      if (estimate === undefined && added.length > 0) {
        estimate = Math.round(added.reduce((sum, row) => sum + heightOf(row), 0) / added.length)
        changed = true
      }
      if (!changed) break
    }
    requestLiveViews()
  }

  /** Bring a row on screen (scrolling the window as little as needed) and into the DOM. */
  function reveal(row: Row): void {
    const index = shownIndex.get(row)
    if (index === undefined) {
      build(row)
      return
    }
    if (tops.length !== shownRows.length) computeTops()
    const tableTop = table.getBoundingClientRect().top + window.scrollY
    const top = tableTop + tops[index]!
    const bottom = top + heightOf(row)
    // The top bar and the column heads stay on top of the page.
    const covered = 110
    if (top < window.scrollY + covered) window.scrollTo(0, top - covered)
    else if (bottom > window.scrollY + window.innerHeight) window.scrollTo(0, Math.min(top - covered, bottom - window.innerHeight + 16))
    // Rows measured on the way keep this one where it was scrolled to.
    layout(row)
  }

  // ── Live checks of rows opened as recorded ─────────────────────────────
  /** A row given a recorded view again (a reread): its live view is to be asked for anew. */
  function recheck(row: Row): void {
    requested.delete(row)
    if (row.segment.recorded) unchecked.add(row)
  }

  /** The next rows of `unchecked` not asked for yet (dropping those found live meanwhile). */
  function nextBatch(size: number): Row[] {
    const batch: Row[] = []
    for (const row of unchecked) {
      if (!row.segment.recorded) unchecked.delete(row)
      else if (!requested.has(row)) batch.push(row)
      if (batch.length === size) break
    }
    return batch
  }

  /**
   * Rows on screen first, then the others in batches, one request at a time
   * each. Runs on every layout (each scroll frame): it looks at the rows in
   * the DOM (the window) and at the size of `unchecked`, never at all rows.
   */
  function requestLiveViews(): void {
    const onScreen: Row[] = []
    for (const row of mounted) if (row.segment.recorded && !requested.has(row)) onScreen.push(row)
    if (onScreen.length > 0) void fetchViews(onScreen)
    if (!background && unchecked.size > 0) {
      background = true
      void (async () => {
        try {
          for (;;) {
            const batch = nextBatch(100)
            if (batch.length === 0 || !table.isConnected) break
            await fetchViews(batch)
            // Leave the server room for what the translator asks (saves, suggestions) between batches.
            await new Promise((resolve) => setTimeout(resolve, 100))
          }
        } finally {
          background = false
        }
      })()
    }
  }

  async function fetchViews(batch: Row[]): Promise<void> {
    for (const row of batch) requested.add(row)
    let result: ViewsResponse
    try {
      result = await api<ViewsResponse>('POST', path('articles', locale, slug, 'views'), {ids: batch.map((row) => row.segment.id)})
    } catch {
      for (const row of batch) requested.delete(row)
      return
    }
    let changed = false
    for (const segment of result.segments) {
      const row = byId.get(segment.id)
      // A save meanwhile already gave this row its live view; never step back a revision.
      if (!row?.segment.recorded || segment.revision < row.segment.revision || isDirty(row) || row.busy) continue
      const before = row.segment.qa.map((finding) => finding.severity).join()
      row.segment = segment
      unchecked.delete(row)
      if (before !== segment.qa.map((finding) => finding.severity).join()) changed = true
      refreshRow(row)
    }
    if (changed) {
      updateSummary()
      if (qaFilter.value !== '') applyFilters()
    }
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
    const clean = shownRows.filter((row) => !row.segment.qa.some((finding) => finding.severity === 'error') && !isDirty(row))
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
      const fresh = await api<ArticleData>('GET', `${path('articles', locale, slug)}?rows=recorded`)
      for (const segment of fresh.segments) {
        const row = byId.get(segment.id)
        if (row && !isDirty(row)) {
          row.segment = segment
          recheck(row)
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
    if (rows.some((row) => isDirty(row))) event.preventDefault()
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
      // As recorded: the rows whose revision moved get their live checks through `POST …/views` like any other.
      fresh = await api<ArticleData>('GET', `${path('articles', locale, slug)}?rows=recorded`)
    } catch {
      return
    }
    const latest = new Map(fresh.segments.map((segment) => [segment.id, segment]))
    for (const row of rows) {
      const theirs = latest.get(row.segment.id)
      if (!theirs || theirs.revision === row.segment.revision) continue
      if (row.conflict) {
        // Both versions are on screen already: a later save elsewhere updates theirs, it never hides the choice.
        if (theirs.revision !== row.conflict.revision) showConflict(row, row.conflict.yours, theirs, row.conflict.action)
        continue
      }
      if (row.busy || isDirty(row)) {
        showChangedUnderneath(row, theirs)
        continue
      }
      row.segment = theirs
      recheck(row)
      row.live = undefined
      clearTimeout(row.liveTimer)
      row.history = undefined
      // A row never built yet shows the new version when it comes on screen.
      if (!row.built) continue
      setEditorText(row.editor, theirs.target ?? '', theirs.tags)
      refreshRow(row)
      showMessage(row, 'ok', `Updated live: ${label(theirs.state)}${theirs.origin?.by ? ` by ${theirs.origin.by}` : ''} · revision ${theirs.revision}`)
      row.element.classList.add('live-updated')
      setTimeout(() => row.element.classList.remove('live-updated'), 2000)
    }
    updateSummary()
    requestLiveViews()
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
          const row = byId.get(id)
          if (row && revision > row.segment.revision) rereadSoon()
        },
        resync: rereadSoon
      })
    : undefined

  const wanted = context.params.get('seg')
  const first = byId.get(wanted ?? '') ?? (wanted ? undefined : shownRows.find((row) => row.segment.state !== 'approved'))
  if (first) activate(first, true)

  return () => {
    stopWatching?.()
    clearTimeout(reread)
    document.removeEventListener('keydown', onKey)
    window.removeEventListener('beforeunload', onUnload)
    window.removeEventListener('scroll', onScroll)
    window.removeEventListener('resize', onScroll)
    resizes.disconnect()
    if (frame) cancelAnimationFrame(frame)
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
