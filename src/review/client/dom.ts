/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// DOM building without HTML strings: every piece of text becomes a text node
// (or an attribute set with setAttribute), so sources holding `<script>` or
// `<img onerror>` stay text. Nothing in the client uses innerHTML.

export type Child = Node | string | number | null | undefined | false | readonly Child[]
type Listener = (event: Event) => void
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`h: ${name} is not an event`)
      element.addEventListener(name.slice(2).toLowerCase(), value)
    } else {
      element.setAttribute(name, value === true ? '' : String(value))
    }
  }
  append(element, children)
  return element
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

export function clear(element: Element): void {
  element.replaceChildren()
}

export function replace(element: Element, ...children: Child[]): void {
  element.replaceChildren()
  append(element, children)
}

/** `English (en)`. */
export function languageName(locale: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], {type: 'language'}).of(locale)
    return name && name !== locale ? name : locale
  } catch {
    return locale
  }
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((part / whole) * 100)} %`
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** A short local time for `updated` stamps. */
export function when(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString('en-GB', {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'})
}

/** One tooltip for the whole page, shown for any element with `data-tip` (glossary terms, tag chips). */
export function installTooltips(): void {
  const tip = h('div', {id: 'tip', role: 'tooltip', hidden: true})
  document.body.append(tip)
  let owner: Element | null = null
  document.addEventListener('mouseover', (event) => {
    const target = (event.target as Element | null)?.closest?.('[data-tip]') ?? null
    if (target === owner) return
    owner = target
    if (!target) {
      tip.hidden = true
      return
    }
    tip.textContent = target.getAttribute('data-tip')
    tip.hidden = false
    const box = target.getBoundingClientRect()
    const width = Math.min(360, window.innerWidth - 16)
    tip.style.maxWidth = `${width}px`
    tip.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - width - 8)) + window.scrollX}px`
    tip.style.top = `${box.bottom + 6 + window.scrollY}px`
  })
}
