import {readFileSync} from 'node:fs'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseTags, sentenceSpans, splitSentences} from '../src/segment/index.ts'

interface Case {
  title: string
  input: string
  expected: string[]
}

// One-file cases (formatjs style): `# title`, input, `---`, one sentence per line; `===` between
// cases; `\n` stands for a line break.
function readCases(path: URL): Case[] {
  const text = readFileSync(path, 'utf8')
  const cases: Case[] = []
  for (const block of text.split(/^===$/m).slice(1)) {
    const lines = block.split('\n')
    const title = lines.find((line) => line.startsWith('# '))?.slice(2) ?? ''
    const body = lines.filter((line) => !line.startsWith('# ')).join('\n')
    const [input, expected] = body.split(/^---$/m)
    if (input === undefined || expected === undefined) throw new Error(`bad case "${title}" in ${path.pathname}`)
    const unescape = (line: string): string => line.replaceAll('\\n', '\n')
    cases.push({
      title,
      input: unescape(input.trim()),
      expected: expected.split('\n').filter((line) => line.trim() !== '').map(unescape)
    })
  }
  return cases
}

const cases = readCases(new URL('./fixtures/segment/sentences.txt', import.meta.url))

describe('splitSentences: French rules (test/fixtures/segment/sentences.txt)', () => {
  it('has at least 30 cases, some from the seed articles', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
    expect(cases.filter((item) => item.title.startsWith('[seed]')).length).toBeGreaterThanOrEqual(5)
  })

  it.each(cases)('$title', ({input, expected}) => {
    expect(splitSentences(input)).toEqual(expected)
  })
})

// Tagged text built from sentence-like pieces, balanced tags, whitespace of all kinds.
const word = fc.constantFrom('M.', 'Mme', 'art.', '3', 'etc.', 'Le', 'la', "l'OIM", '«', '»', 'Bonjour.', 'Fin', '?', '!', '…', 'J.', 'decorte@un.org', 'A/RES/67/219', '1.5', '3,2', '&lt;', '&amp;', 'p.', 'ex.', 'Puis', 'migration')
const space = fc.constantFrom(' ', '  ', '\n', '\u00a0', ' \n ')
const taggedText = fc
  .array(fc.tuple(fc.array(word, {minLength: 1, maxLength: 6}), fc.constantFrom('none', 'paired', 'self'), space), {maxLength: 8})
  .map((chunks) => {
    let n = 0
    return chunks
      .map(([words, tag, gap]) => {
        const text = words.join(' ')
        if (tag === 'paired') {
          n++
          return `<${n}>${text}</${n}>${gap}`
        }
        if (tag === 'self') return `${text} <${++n}/>${gap}`
        return text + gap
      })
      .join('')
  })

describe('sentenceSpans: invariants', () => {
  it('spans are ordered, non-empty, trimmed, with only whitespace between them', () => {
    fc.assert(
      fc.property(taggedText, (text) => {
        const spans = sentenceSpans(text)
        let cursor = 0
        for (const {start, end} of spans) {
          expect(start).toBeGreaterThanOrEqual(cursor)
          expect(end).toBeGreaterThan(start)
          expect(text.slice(cursor, start).trim()).toBe('')
          const sentence = text.slice(start, end)
          expect(sentence).toBe(sentence.trim())
          cursor = end
        }
        expect(text.slice(cursor).trim()).toBe('')
      })
    )
  })

  it('every sentence of balanced text has balanced tags (no split inside an open tag or a tag)', () => {
    fc.assert(
      fc.property(taggedText, (text) => {
        for (const sentence of splitSentences(text)) expect(() => parseTags(sentence)).not.toThrow()
      })
    )
  })

  it('gives nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([])
    expect(splitSentences(' \n\u00a0')).toEqual([])
  })
})
