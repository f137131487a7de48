// Hostile Markdown shapes (issue 10): huge paragraphs, deep nesting and an
// unclosed front matter give one error naming the file and line, or work.
import {describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {parseArticle, splitSentences} from '../src/segment/index.ts'

function codeOf(markdown: string): string | undefined {
  try {
    parseArticle(markdown, {file: 'content/fr/x.md'})
    return undefined
  } catch (error) {
    if (isPasserelleError(error)) {
      expect(error.file).toBe('content/fr/x.md')
      return error.code
    }
    throw error
  }
}

describe('hostile Markdown', () => {
  it('splits a 200,000-character paragraph without overflowing the stack', () => {
    const paragraph = 'Le mot est dit. '.repeat(12_500).trim()
    const sentences = splitSentences(paragraph)
    expect(sentences).toHaveLength(12_500)
    expect(sentences.at(-1)).toBe('Le mot est dit.')
  })

  it('refuses 10,000 nested > quotes with E_TOO_DEEP and the line', () => {
    expect(codeOf(`${'>'.repeat(10_000)} profond\n`)).toBe('E_TOO_DEEP')
    expect(() => parseArticle(`---\ntitle: T\n---\n\nIntro.\n\n${'>'.repeat(10_000)} profond\n`, {file: 'a.md'})).toThrow(/line 7\b/)
  })

  it('refuses a 1,500-level list with E_TOO_DEEP before the parser sees it', () => {
    const list = Array.from({length: 1500}, (_, depth) => `${'  '.repeat(depth)}- niveau ${depth}`).join('\n')
    expect(codeOf(list)).toBe('E_TOO_DEEP')
  })

  it('still parses an ordinary nested list and quote', () => {
    const list = Array.from({length: 8}, (_, depth) => `${'  '.repeat(depth)}- niveau ${depth}.`).join('\n')
    expect(parseArticle(`${list}\n\n> > > Citation.\n`).segments).toHaveLength(9)
  })

  it('refuses one sentence longer than the segment limit with E_TOO_LONG', () => {
    expect(codeOf(`${'mot '.repeat(10_000)}fin\n`)).toBe('E_TOO_LONG')
  })

  it('refuses an unclosed front matter instead of translating it as body text', () => {
    expect(codeOf('---\ntitle: Sans fin\n\nLe corps.\n')).toBe('E_FRONTMATTER')
    expect(parseArticle('---\ntitle: Avec fin\n---\n\nLe corps.\n').frontmatter.title).toBe('Avec fin')
  })
})
