// Source-language fallback made visible. The build wraps each segment it
// could not publish in two private-use characters; after Markdown → HTML,
// this plugin turns each pair into `<span lang="fr" class="fallback">`, so
// screen readers switch voice and, when the marker is on, readers see which
// passages are still in French. The Markdown output only loses the marks.
import type {Element, ElementContent, Root, Text} from 'hast'

const start = '\uE000'
const end = '\uE001'
const marks = /[\uE000\uE001]/g

export function markFallback(text: string): string {
  return `${start}${text}${end}`
}

export function hasFallbackMark(text: string): boolean {
  return text.includes(start)
}

export function stripFallbackMarks(text: string): string {
  return text.replace(marks, '')
}

export interface FallbackOptions {
  /** The source language, for `lang`. */
  lang: string
  /** Add the `fallback-marked` class that the stylesheet highlights. */
  marker: boolean
}

type Mark = {type: 'mark'; start: boolean}
type Child = ElementContent | Mark

export function rehypeFallback(options: FallbackOptions) {
  const className = options.marker ? ['fallback', 'fallback-marked'] : ['fallback']
  const wrap = (children: ElementContent[]): Element => ({type: 'element', tagName: 'span', properties: {lang: options.lang, className}, children})

  const process = (parent: Root | Element) => {
    const split: Child[] = []
    for (const child of parent.children as Child[]) {
      if (child.type === 'text' && hasAnyMark(child.value)) {
        for (const piece of child.value.split(/([\uE000\uE001])/)) {
          if (piece === start || piece === end) split.push({type: 'mark', start: piece === start})
          else if (piece !== '') split.push({type: 'text', value: piece} satisfies Text)
        }
      } else {
        if (child.type === 'element') {
          process(child)
          stripProperties(child)
        }
        split.push(child)
      }
    }
    // A segment's tags are balanced within it, so its two marks share a parent; a mark without its pair is dropped.
    const out: ElementContent[] = []
    for (let i = 0; i < split.length; i++) {
      const item = split[i]!
      if (item.type !== 'mark') {
        out.push(item)
        continue
      }
      if (!item.start) continue
      const close = split.findIndex((other, j) => j > i && other.type === 'mark')
      if (close < 0 || (split[close] as Mark).start) continue
      out.push(wrap(split.slice(i + 1, close) as ElementContent[]))
      i = close
    }
    parent.children = out as typeof parent.children
  }
  return (tree: Root) => process(tree)
}

function stripProperties(element: Element): void {
  for (const [name, value] of Object.entries(element.properties)) {
    if (typeof value === 'string' && hasAnyMark(value)) element.properties[name] = stripFallbackMarks(value)
  }
}

function hasAnyMark(text: string): boolean {
  return text.includes(start) || text.includes(end)
}
