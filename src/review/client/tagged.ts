/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Tagged segment text in the page: numbered inline tags become chips (atomic,
// non-editable elements), glossary hits become highlighted marks with the
// expected target terms as a tooltip, and the text in between becomes text
// nodes (entities decoded). The target editor is a contenteditable line whose
// chips cannot be split: it serialises back to tagged text, escaping `&` and
// `<` in what the reviewer typed.
import {escapeText, unescapeText} from '../../segment/escape.ts'
import {tokenizeTagged} from '../../segment/tags.ts'
import type {TagInfo} from '../../types.ts'
import type {HitView} from '../wire.ts'
import {h} from './dom.ts'

export type ChipKind = 'open' | 'close' | 'self'

export function tagText(kind: ChipKind, n: number): string {
  return kind === 'open' ? `<${n}>` : kind === 'close' ? `</${n}>` : `<${n}/>`
}

export function chip(kind: ChipKind, n: number, info?: TagInfo): HTMLSpanElement {
  const what = info ? `${info.type}${info.label ? `: ${info.label}` : ''}` : 'inline tag'
  return h(
    'span',
    {
      class: `chip chip-${kind}`,
      contenteditable: 'false',
      'data-tag': tagText(kind, n),
      'data-tip': `${tagText(kind, n)} ${what}`,
      'aria-label': `tag ${tagText(kind, n)}`
    },
    String(n)
  )
}

export interface RenderOptions {
  tags?: Readonly<Record<string, TagInfo>>
  hits?: readonly HitView[]
  /** A span to mark (usage report), UTF-16 offsets into the text. */
  highlight?: {start: number; end: number}
}

/** Tagged text as DOM nodes: chips for tags, marks for glossary hits. */
export function renderTagged(text: string, options: RenderOptions = {}): DocumentFragment {
  const fragment = document.createDocumentFragment()
  const hits = options.hits ?? []
  const spans = [...hits.map((hit) => ({start: hit.start, end: hit.end, hit})), ...(options.highlight ? [{...options.highlight, hit: undefined}] : [])]
  for (const token of tokenizeTagged(text)) {
    if (token.type !== 'text') {
      fragment.append(chip(token.type, token.n, options.tags?.[String(token.n)]))
      continue
    }
    const cuts = new Set([token.start, token.end])
    for (const span of spans) {
      if (span.start > token.start && span.start < token.end) cuts.add(span.start)
      if (span.end > token.start && span.end < token.end) cuts.add(span.end)
    }
    const points = [...cuts].sort((a, b) => a - b)
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i]!
      const end = points[i + 1]!
      const value = unescapeText(text.slice(start, end))
      const span = spans.find((item) => item.start <= start && end <= item.end)
      if (!span) fragment.append(value)
      else if (span.hit) fragment.append(termMark(span.hit, value))
      else fragment.append(h('mark', {class: 'term term-focus'}, value))
    }
  }
  return fragment
}

function termMark(hit: HitView, value: string): HTMLElement {
  let state = 'term-neutral'
  let tip: string
  if (hit.dnt) {
    tip = `Do not translate: keep “${hit.text}” as is`
    if (hit.found !== undefined) state = hit.found ? 'term-ok' : 'term-missing'
  } else {
    const expected = hit.expected.length > 0 ? `→ ${hit.expected.join(' · ')}` : '→ no target term in the glossary'
    const forbidden = hit.forbidden.length > 0 ? `\nNot: ${hit.forbidden.join(' · ')}` : ''
    const status = hit.forbiddenUsed.length > 0 ? `\nTarget uses ${hit.forbiddenUsed.map((t) => `“${t}”`).join(', ')}` : hit.found === false ? '\nMissing in the target' : ''
    tip = `${hit.kind === 'pattern' ? 'Pattern' : 'Term'} ${hit.concept}: ${expected}${forbidden}${status}`
    if (hit.forbiddenUsed.length > 0) state = 'term-forbidden'
    else if (hit.found !== undefined && hit.expected.length > 0) state = hit.found ? 'term-ok' : 'term-missing'
  }
  return h(
    'mark',
    {class: `term ${state}${hit.dnt ? ' term-dnt' : ''}`, 'data-concept': hit.concept, 'data-expected': hit.expected.join('|'), 'data-tip': tip},
    value
  )
}

// ── The target editor ─────────────────────────────────────────────────────

const taggedMime = 'application/x-passerelle-tagged'

/** A single-line contenteditable whose tags are chips. */
export function createEditor(text: string, options: {tags?: Readonly<Record<string, TagInfo>>; lang: string; label: string}): HTMLDivElement {
  const editor = h('div', {
    class: 'editor',
    contenteditable: 'true',
    role: 'textbox',
    'aria-label': options.label,
    'aria-multiline': 'false',
    spellcheck: 'true',
    lang: options.lang
  })
  setEditorText(editor, text, options.tags)
  editor.addEventListener('keydown', (event) => {
    // A segment is one line: Enter alone does nothing (with modifiers it is a command).
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey && !event.altKey) event.preventDefault()
  })
  editor.addEventListener('copy', (event) => copySelection(editor, event, false))
  editor.addEventListener('cut', (event) => copySelection(editor, event, true))
  editor.addEventListener('paste', (event) => {
    event.preventDefault()
    const data = event.clipboardData
    const tagged = data?.getData(taggedMime)
    if (tagged) insertTagged(editor, tagged.replace(/[\r\n]+/g, ' '), options.tags)
    else insertTagged(editor, escapeText((data?.getData('text/plain') ?? '').replace(/[\r\n]+/g, ' ')), options.tags)
  })
  editor.addEventListener('drop', (event) => event.preventDefault())
  return editor
}

export function setEditorText(editor: HTMLElement, text: string, tags?: Readonly<Record<string, TagInfo>>): void {
  editor.replaceChildren(renderTagged(text, tags ? {tags} : {}))
}

/** The editor's content as tagged text. */
export function editorText(editor: Node): string {
  let out = ''
  for (const node of editor.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) out += escapeText((node as Text).data)
    else if (node instanceof HTMLElement) {
      const tag = node.getAttribute('data-tag')
      if (tag !== null && /^<\/?\d+\/?>$/.test(tag)) out += tag
      else if (node.tagName !== 'BR') out += editorText(node)
    }
  }
  return out
}

/** Insert tagged text (or one chip) at the caret, or at the end when the caret is elsewhere. */
export function insertTagged(editor: HTMLElement, tagged: string, tags?: Readonly<Record<string, TagInfo>>): void {
  const fragment = renderTagged(tagged, tags ? {tags} : {})
  insertNodes(editor, fragment)
}

export function insertNodes(editor: HTMLElement, fragment: DocumentFragment): void {
  const selection = window.getSelection()
  let range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : undefined
  if (!range || !editor.contains(range.commonAncestorContainer)) {
    range = document.createRange()
    range.selectNodeContents(editor)
    range.collapse(false)
  }
  range.deleteContents()
  const last = fragment.lastChild
  range.insertNode(fragment)
  if (last) {
    range.setStartAfter(last)
    range.collapse(true)
    selection?.removeAllRanges()
    selection?.addRange(range)
  }
  editor.normalize()
  editor.dispatchEvent(new Event('input', {bubbles: true}))
}

export function caretToEnd(editor: HTMLElement): void {
  const range = document.createRange()
  range.selectNodeContents(editor)
  range.collapse(false)
  const selection = window.getSelection()
  selection?.removeAllRanges()
  selection?.addRange(range)
}

function copySelection(editor: HTMLElement, event: ClipboardEvent, cut: boolean): void {
  const selection = window.getSelection()
  if (!selection || selection.rangeCount === 0 || !event.clipboardData) return
  const range = selection.getRangeAt(0)
  if (!editor.contains(range.commonAncestorContainer)) return
  const holder = document.createElement('div')
  holder.append(range.cloneContents())
  event.preventDefault()
  event.clipboardData.setData(taggedMime, editorText(holder))
  event.clipboardData.setData('text/plain', holder.textContent ?? '')
  if (cut) {
    range.deleteContents()
    editor.dispatchEvent(new Event('input', {bubbles: true}))
  }
}

/** Tags of `source` missing from `target` (by tag text), in source order. */
export function missingTags(source: string, target: string): {kind: ChipKind; n: number}[] {
  const have = new Map<string, number>()
  for (const token of tokenizeTagged(target)) if (token.type !== 'text') have.set(tagText(token.type, token.n), (have.get(tagText(token.type, token.n)) ?? 0) + 1)
  const missing: {kind: ChipKind; n: number}[] = []
  for (const token of tokenizeTagged(source)) {
    if (token.type === 'text') continue
    const key = tagText(token.type, token.n)
    const count = have.get(key) ?? 0
    if (count > 0) have.set(key, count - 1)
    else missing.push({kind: token.type, n: token.n})
  }
  return missing
}

/** Plain text of tagged text (tags removed, entities decoded), for search. */
export function plainOf(text: string): string {
  return tokenizeTagged(text)
    .map((token) => (token.type === 'text' ? unescapeText(token.value) : ' '))
    .join('')
}
