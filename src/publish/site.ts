// The site navigation menu from `_site.md` (rebuilt in the page's language):
// each list item is a menu entry, links written in it are kept, and the
// heading above a list labels its group. Prose paragraphs are not navigation
// and are left out.
import type {Heading, List, ListItem, PhrasingContent, Root, RootContent} from 'mdast'
import type {FallbackOptions} from './fallback.ts'
import {markdownTreeToHtml} from './html.ts'

export interface MenuGroup {
  /** The heading's inline HTML, if the list has one above it. */
  label?: string
  items: {html: string}[]
}

export async function siteMenu(tree: Root, fallback: FallbackOptions): Promise<MenuGroup[]> {
  const groups: MenuGroup[] = []
  let heading: Heading | undefined
  for (const node of tree.children) {
    if (node.type === 'heading') heading = node
    if (node.type !== 'list') continue
    const items: {html: string}[] = []
    for (const phrasing of listEntries(node)) items.push({html: await inlineHtml(phrasing, fallback)})
    if (items.length === 0) continue
    groups.push({...(heading ? {label: await inlineHtml(heading.children, fallback)} : {}), items})
    heading = undefined
  }
  return groups
}

/** The inline content of every item, nested lists flattened in reading order. */
function listEntries(list: List): PhrasingContent[][] {
  return list.children.flatMap((item: ListItem) =>
    item.children.flatMap((child: RootContent): PhrasingContent[][] => {
      if (child.type === 'paragraph' && child.children.length > 0) return [child.children]
      if (child.type === 'list') return listEntries(child)
      return []
    })
  )
}

async function inlineHtml(children: PhrasingContent[], fallback: FallbackOptions): Promise<string> {
  const html = await markdownTreeToHtml({type: 'root', children: [{type: 'paragraph', children}]}, fallback)
  return html.replace(/^<p>/, '').replace(/<\/p>$/, '')
}
