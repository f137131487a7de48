// Article bodies: the rebuilt Markdown tree to HTML. remark-rehype drops raw
// HTML by default, so a `<script>` in a source or a translation never
// reaches the page; unsafe URLs are dropped (urls.ts) and fallback text is
// marked with the source language (fallback.ts).
import type {Root} from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {rehypeFallback, type FallbackOptions} from './fallback.ts'
import {rehypeSafeUrls} from './urls.ts'

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

export async function markdownTreeToHtml(tree: Root, fallback?: FallbackOptions): Promise<string> {
  const processor = unified()
    .use(remarkRehype)
    .use(rehypeSafeUrls)
    .use(rehypeFallback, fallback ?? {lang: 'fr', marker: false})
    .use(rehypeStringify)
  const hast = await processor.run(structuredClone(tree))
  return processor.stringify(hast)
}
