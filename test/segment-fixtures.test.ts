// Fixture folders, remark style: test/fixtures/segment/<case>/
//   input.md       the article
//   segments.json  expected segments
//   targets.json   optional: source text → target text (a translation to rebuild with)
//   output.md      expected rebuild; missing means "rebuilds to input.md exactly"
// `UPDATE=1 npx vitest run test/segment-fixtures` rewrites segments.json and output.md: check them by eye.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {normalizeMarkdown, parseArticle, rebuildArticle} from '../src/segment/index.ts'
import type {Segment} from '../src/types.ts'

const root = new URL('./fixtures/segment/', import.meta.url)
const update = process.env.UPDATE === '1'
const names = readdirSync(root, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

describe('segment fixtures', () => {
  it('finds the fixture folders', () => {
    expect(names.length).toBeGreaterThanOrEqual(10)
  })

  describe.each(names)('%s', (name) => {
    const file = (base: string): URL => new URL(`${name}/${base}`, root)
    const input = readFileSync(file('input.md'), 'utf8')
    const load = () => parseArticle(input, {file: `${name}/input.md`})

    it('segments as expected', () => {
      const article = load()
      const actual = `${JSON.stringify(article.segments, null, 2)}\n`
      if (update) writeFileSync(file('segments.json'), actual)
      expect(actual).toBe(readFileSync(file('segments.json'), 'utf8'))
    })

    it('rebuilds', () => {
      const article = load()
      const targets = existsSync(file('targets.json'))
        ? (JSON.parse(readFileSync(file('targets.json'), 'utf8')) as Record<string, string>)
        : undefined
      const invalid: string[] = []
      const output = rebuildArticle(article, (segment: Segment) => targets?.[segment.source], {
        onInvalid: (segment) => invalid.push(segment.source)
      })
      if (!targets) expect(output).toBe(normalizeMarkdown(input))
      if (update) {
        if (output === input) expect(existsSync(file('output.md'))).toBe(false)
        else writeFileSync(file('output.md'), output)
      }
      expect(output).toBe(existsSync(file('output.md')) ? readFileSync(file('output.md'), 'utf8') : input)
      // Targets starting with "!" are malformed on purpose: they must be refused and the source kept.
      const refused = Object.entries(targets ?? {})
        .filter(([, target]) => target.startsWith('!'))
        .map(([source]) => source)
      expect(invalid).toEqual(refused)
    })
  })
})
