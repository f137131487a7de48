// Every real article in content/fr/ (generated from the seed pages) must
// segment and rebuild to itself. Runs on whatever articles exist.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {normalizeMarkdown, parseArticle, parseTags, rebuildArticle} from '../src/segment/index.ts'

const folder = new URL('../content/fr/', import.meta.url)
const files = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.md')).sort() : []

describe.skipIf(files.length === 0)('content/fr articles', () => {
  it.each(files)('%s segments and round-trips', (name) => {
    const markdown = readFileSync(new URL(name, folder), 'utf8')
    const article = parseArticle(markdown, {file: `content/fr/${name}`})
    expect(article.segments.length).toBeGreaterThan(0)
    expect(new Set(article.segments.map((segment) => segment.id)).size).toBe(article.segments.length)
    for (const segment of article.segments) {
      expect(segment.source).toMatch(/\p{L}/u)
      expect(segment.source).toBe(segment.source.trim())
      const {paired, selfClosing} = parseTags(segment.source)
      expect([...paired, ...selfClosing].sort((a, b) => a - b)).toEqual(Object.keys(segment.tags).map(Number))
    }
    expect(rebuildArticle(article, (segment) => segment.source)).toBe(normalizeMarkdown(markdown))
  })
})
