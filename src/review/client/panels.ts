/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The panels of the segment being edited, each a small function from data to
// DOM with callbacks for its actions: stale context, suggestions (TM and
// machine translation on demand), glossary terms, history and comments.
// `article.ts` decides when to show them; none of them saves by itself.
import type {CommentThread, EditEvent, HitView, MachineSuggestion, SegmentView, Suggestion} from '../wire.ts'
import {wordDiff} from './diff.ts'
import {h, when, type Child} from './dom.ts'
import {plainOf, renderTagged} from './tagged.ts'

export function panel(role: string, title: string, ...body: Child[]): HTMLElement {
  return h('section', {class: `panel panel-${role}`, 'data-panel': role, 'aria-label': title}, h('h3', {class: 'panel-title'}, title), ...body)
}

/** Old source beside the new one as a word diff, the previous target, and the actions to take it or accept the edited target. */
export function stalePanel(segment: SegmentView, actions: {usePrevious: () => void; accept: () => void}): HTMLElement | null {
  if (!segment.stale && !segment.previous) return null
  const previous = segment.previous
  return panel(
    'stale',
    segment.stale ? 'The source changed since this target was written' : 'Earlier version of this sentence',
    previous ? h('div', {class: 'stale-row'}, h('span', {class: 'stale-label'}, 'Source change'), h('span', {class: 'stale-diff', 'data-role': 'source-diff'}, wordDiff(plainOf(previous.source), plainOf(segment.source)))) : null,
    previous
      ? h('div', {class: 'stale-row'}, h('span', {class: 'stale-label'}, 'Previous target'), h('span', {class: 'stale-previous', 'data-role': 'previous-target'}, renderTagged(previous.target, {tags: segment.tags})))
      : null,
    h(
      'div',
      {class: 'actions'},
      previous ? h('button', {type: 'button', class: 'btn', 'data-role': 'use-previous', onclick: actions.usePrevious}, 'Edit the previous target') : null,
      segment.stale ? h('button', {type: 'button', class: 'btn btn-primary', 'data-role': 'accept-stale', 'data-tip': 'Save the target as it is in the editor: the segment is no longer stale', onclick: actions.accept}, 'Accept target') : null
    )
  )
}

export interface SuggestionActions {
  use: (target: string) => void
  machine: () => void
}

/** TM matches (score, source differences, the applied one marked) and machine translations asked for. */
export function suggestionsPanel(
  segment: SegmentView,
  state: {tm: Suggestion[] | undefined; hasTm: boolean; machine: MachineSuggestion[] | undefined; machineProblems: string[]; machineBusy: boolean},
  actions: SuggestionActions
): HTMLElement {
  const tm = state.tm
  let shortcut = 0
  const list =
    tm === undefined
      ? h('div', {class: 'muted small'}, 'Looking up the translation memory…')
      : tm.length === 0
        ? h('div', {class: 'muted small', 'data-role': 'no-tm'}, state.hasTm ? 'No translation-memory match.' : 'No translation memory yet.')
        : h(
            'ol',
            {class: 'suggestion-list'},
            tm.map((suggestion) => {
              const number = suggestion.applied ? undefined : ++shortcut
              return h(
                'li',
                {
                  class: `suggestion${suggestion.applied ? ' suggestion-applied' : ''}`,
                  'data-kind': suggestion.kind,
                  'data-tip': number ? `Ctrl+Shift+${number}: replace the target with this` : 'The current target came from this match',
                  onmousedown: (event: Event) => event.preventDefault(),
                  onclick: () => actions.use(suggestion.target)
                },
                number ? h('kbd', null, `⇧${number}`) : h('span', {class: 'applied-mark', 'data-role': 'applied'}, 'applied'),
                h('span', {class: `score score-${suggestion.kind}`}, suggestion.kind === 'previous' ? 'previous' : `${Math.min(100, suggestion.score)} %`),
                h('span', {class: 'suggestion-text'}, renderTagged(suggestion.target, {tags: segment.tags})),
                h(
                  'span',
                  {class: 'suggestion-source muted', 'data-role': 'match-diff'},
                  suggestion.source === segment.source ? renderTagged(suggestion.source, {tags: segment.tags}) : wordDiff(plainOf(suggestion.source), plainOf(segment.source))
                ),
                suggestion.article ? h('span', {class: 'suggestion-from muted small'}, suggestion.origin?.kind === 'import' ? 'TMX' : suggestion.article) : null
              )
            })
          )
  const machine = state.machine
  return panel(
    'suggestions',
    'Suggestions',
    list,
    h(
      'div',
      {class: 'machine'},
      h(
        'button',
        {type: 'button', class: 'btn btn-quiet', 'data-role': 'machine', 'data-tip': 'Alt+M: ask the configured engines (nothing is saved)', disabled: state.machineBusy, onclick: actions.machine},
        state.machineBusy ? 'Translating…' : 'Machine translation'
      ),
      machine === undefined
        ? null
        : h(
            'ol',
            {class: 'suggestion-list', 'data-role': 'machine-list'},
            machine.map((item) =>
              h(
                'li',
                {class: 'suggestion suggestion-machine', 'data-tip': 'Put this in the editor (not saved until you save)', onmousedown: (event: Event) => event.preventDefault(), onclick: () => actions.use(item.target)},
                h('span', {class: 'score score-machine'}, item.engine),
                h('span', {class: 'suggestion-text'}, renderTagged(item.target, {tags: segment.tags})),
                h('span', {class: 'suggestion-source muted small'}, item.route)
              )
            )
          ),
      state.machineProblems.map((problem) => h('div', {class: 'note note-error small'}, problem))
    )
  )
}

/** The terms found in the source with their expected targets; a click inserts one; forbidden ones are marked. */
export function glossaryPanel(hits: readonly HitView[], insert: (text: string) => void): HTMLElement | null {
  if (hits.length === 0) return null
  return panel(
    'glossary',
    'Glossary',
    h(
      'ul',
      {class: 'term-list'},
      hits.map((hit) =>
        h(
          'li',
          {class: `term-entry${hit.forbiddenUsed.length > 0 ? ' term-entry-forbidden' : hit.found === false ? ' term-entry-missing' : ''}`, 'data-concept': hit.concept},
          h('span', {class: 'term-source'}, hit.text),
          ' → ',
          hit.dnt
            ? termButton(hit.text, insert, 'keep as is')
            : hit.expected.length === 0
              ? h('span', {class: 'muted'}, 'no target term')
              : hit.expected.map((term) => termButton(term, insert)),
          hit.forbidden.length > 0 ? h('span', {class: 'term-forbidden-list'}, ' not ', hit.forbidden.map((term) => h('s', {class: `term-forbidden${hit.forbiddenUsed.includes(term) ? ' used' : ''}`, 'data-role': 'forbidden'}, term))) : null,
          hit.forbiddenUsed.length > 0 ? h('span', {class: 'pill pill-error'}, 'forbidden term used') : hit.found === false ? h('span', {class: 'pill pill-warning'}, 'missing') : null
        )
      )
    )
  )
}

function termButton(term: string, insert: (text: string) => void, note?: string): HTMLElement {
  return h(
    'button',
    {type: 'button', class: 'term-insert', 'data-role': 'insert-term', 'data-tip': `Insert “${term}” at the caret${note ? ` (${note})` : ''}`, onmousedown: (event: Event) => event.preventDefault(), onclick: () => insert(term)},
    term
  )
}

export interface HistoryActions {
  revert: (target: string) => void
  comment: (text: string, replyTo?: string) => void
  resolve: (comment: string, resolved: boolean) => void
}

/** Who changed what and when (newest first, with a target diff and revert), and the comment threads. */
export function historyPanel(
  segment: SegmentView,
  data: {edits: EditEvent[]; comments: CommentThread[]; problems: string[]} | undefined,
  actions: HistoryActions
): HTMLElement {
  if (!data) return panel('history', 'History and comments', h('div', {class: 'muted small'}, 'Loading…'))
  const input = h('textarea', {class: 'comment-input', rows: 2, placeholder: 'Add a comment for the other reviewers', 'aria-label': 'New comment'})
  return panel(
    'history',
    'History and comments',
    data.problems.map((problem) => h('div', {class: 'note note-error small'}, problem)),
    h(
      'div',
      {class: 'comments'},
      data.comments.length === 0 ? h('div', {class: 'muted small'}, 'No comments.') : null,
      data.comments.map((thread) =>
        h(
          'div',
          {class: `comment-thread${thread.resolved ? ' resolved' : ''}`, 'data-comment': thread.id},
          commentLine(thread.by, thread.at, thread.text),
          thread.replies.map((reply) => h('div', {class: 'comment-reply'}, commentLine(reply.by, reply.at, reply.text))),
          h(
            'div',
            {class: 'comment-actions'},
            thread.resolved ? h('span', {class: 'pill', 'data-role': 'resolved'}, `resolved${thread.resolvedBy ? ` by ${thread.resolvedBy}` : ''}`) : null,
            h('button', {type: 'button', class: 'btn-link', 'data-role': 'resolve', onclick: () => actions.resolve(thread.id, !thread.resolved)}, thread.resolved ? 'Reopen' : 'Resolve'),
            h(
              'button',
              {
                type: 'button',
                class: 'btn-link',
                'data-role': 'reply',
                onclick: () => {
                  const text = input.value.trim()
                  if (text) actions.comment(text, thread.id)
                }
              },
              'Reply with the text below'
            )
          )
        )
      ),
      h('div', {class: 'comment-new'}, input, h('button', {type: 'button', class: 'btn', 'data-role': 'add-comment', onclick: () => input.value.trim() && actions.comment(input.value.trim())}, 'Comment'))
    ),
    h(
      'ol',
      {class: 'history-list'},
      data.edits.length === 0 ? h('li', {class: 'muted small'}, 'No change recorded yet.') : null,
      data.edits.map((edit) =>
        h(
          'li',
          {class: 'history-entry', 'data-revision': String(edit.revision)},
          h(
            'div',
            {class: 'history-head'},
            h('span', {class: 'history-who'}, edit.by ?? 'someone'),
            h('span', {class: 'muted'}, when(edit.at)),
            edit.from.state === edit.to.state ? null : h('span', {class: 'history-states'}, h('span', {class: `badge state-${edit.from.state}`}, edit.from.state), ' → ', h('span', {class: `badge state-${edit.to.state}`}, edit.to.state)),
            edit.via ? h('span', {class: 'pill'}, edit.via) : null
          ),
          edit.from.target !== edit.to.target ? h('div', {class: 'history-diff', 'data-role': 'target-diff'}, wordDiff(plainOf(edit.from.target ?? ''), plainOf(edit.to.target ?? ''))) : null,
          edit.from.target !== undefined && edit.from.target !== segment.target && edit.from.target !== ''
            ? h('button', {type: 'button', class: 'btn-link', 'data-role': 'revert', 'data-tip': 'Save this earlier target again (recorded as a revert)', onclick: () => actions.revert(edit.from.target!)}, 'Revert to the target before this change')
            : null
        )
      )
    )
  )
}

function commentLine(by: string | undefined, at: string, text: string): HTMLElement {
  return h('div', {class: 'comment'}, h('span', {class: 'comment-by'}, by ?? 'someone'), ' ', h('span', {class: 'muted small'}, when(at)), h('div', {class: 'comment-text'}, text))
}
