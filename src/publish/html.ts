// HTML page shells around the article body. Everything interpolated here is
// escaped; the body comes from remark-rehype, which drops raw HTML by default,
// so a `<script>` in a source or a translation never reaches the page.
import type {Root} from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'

const rtl = new Set(['ar', 'he', 'fa', 'ur'])

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

export async function markdownTreeToHtml(tree: Root): Promise<string> {
  const processor = unified().use(remarkRehype).use(rehypeStringify)
  const hast = await processor.run(structuredClone(tree))
  return processor.stringify(hast)
}

export interface PageShell {
  locale: string
  title: string
  body: string
  /** Locale → relative URL of the same page in that locale (hreflang alternates). */
  alternates: Record<string, string>
  defaultLocale: string
  nav?: string
  lead?: string
}

export function htmlPage(page: PageShell): string {
  const links = Object.entries(page.alternates)
    .map(([locale, href]) => `<link rel="alternate" hreflang="${escapeHtml(locale)}" href="${escapeHtml(href)}">`)
    .concat(
      page.alternates[page.defaultLocale]
        ? [`<link rel="alternate" hreflang="x-default" href="${escapeHtml(page.alternates[page.defaultLocale]!)}">`]
        : []
    )
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(page.locale)}" dir="${rtl.has(page.locale.split('-')[0]!) ? 'rtl' : 'ltr'}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    ...links,
    '</head>',
    '<body>',
    ...(page.nav ? [`<nav>\n${page.nav}\n</nav>`] : []),
    '<main>',
    '<article>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    ...(page.lead ? [page.lead] : []),
    page.body,
    '</article>',
    '</main>',
    '</body>',
    '</html>',
    ''
  ].join('\n')
}
