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

// One frozen processor per fallback setting: a build converts every page with the same one.
const processors = new Map<string, ReturnType<typeof createProcessor>>()

function createProcessor(fallback: FallbackOptions) {
  return unified().use(remarkRehype).use(rehypeSafeUrls).use(rehypeFallback, fallback).use(rehypeStringify).freeze()
}

export async function markdownTreeToHtml(tree: Root, fallback: FallbackOptions = {lang: 'fr', marker: false}): Promise<string> {
  const key = `${fallback.lang}\u0000${fallback.marker}`
  let processor = processors.get(key)
  if (!processor) {
    processor = createProcessor(fallback)
    processors.set(key, processor)
  }
  const hast = await processor.run(structuredClone(tree))
  return processor.stringify(hast)
}
