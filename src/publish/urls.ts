// Which URLs may become links: http, https, mailto, tel and relative ones.
// Anything else (`javascript:`, `data:`, `vbscript:`…) written in a source or
// a translation is published as plain text, never as a live link.
import type {Element, Root as HastRoot} from 'hast'
import type {Root, RootContent} from 'mdast'

const allowedSchemes = new Set(['http', 'https', 'mailto', 'tel'])

/** Whether a URL is safe to emit as a link or image source. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore tabs, line breaks and leading control characters and spaces in a scheme (`java\tscript:`).
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)
  // No scheme (a path, `#id`, `?q`, `//host`): relative to the page.
  if (!scheme) return true
  return allowedSchemes.has(scheme[1]!.toLowerCase())
}

/**
 * The Markdown tree with unsafe links replaced by their text, unsafe images by
 * their alt text, and unsafe link definitions emptied, so that neither the
 * Markdown nor the HTML output carries them.
 */
export function sanitizeMarkdownUrls(tree: Root): Root {
  const visit = (children: RootContent[]): RootContent[] =>
    children.flatMap((node): RootContent[] => {
      if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && !isSafeUrl(node.url)) {
        if (node.type === 'link') return visit(node.children) as RootContent[]
        if (node.type === 'image') return node.alt ? [{type: 'text', value: node.alt}] : []
        return [{...node, url: ''}]
      }
      if ('children' in node) return [{...node, children: visit(node.children as RootContent[])} as RootContent]
      return [node]
    })
  return {...tree, children: visit(tree.children)}
}

/** rehype plugin, the last line of defence: drop any unsafe `href`/`src` left in the HTML tree. */
export function rehypeSafeUrls() {
  return (tree: HastRoot) => {
    const walk = (node: HastRoot | Element) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue
        for (const name of ['href', 'src', 'action', 'formAction', 'poster', 'cite']) {
          const value = child.properties[name]
          if (typeof value === 'string' && !isSafeUrl(value)) delete child.properties[name]
        }
        walk(child)
      }
    }
    walk(tree)
  }
}
