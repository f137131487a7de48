import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {scoreTexts} from '../src/tm/score.ts'
import {tokenize} from '../src/tm/tokens.ts'
import {formatSegmentText, parseSegmentText} from '../src/tm/text.ts'
import type {TmDifferences} from '../src/tm/types.ts'

interface ScoringCase {
  name: string
  query: string
  candidate: string
  score: number
  differences: TmDifferences
}

function readCases(path: string): ScoringCase[] {
  const cases: ScoringCase[] = []
  for (const block of readFileSync(path, 'utf8').split(/^## /m).slice(1)) {
    const [name = '', ...lines] = block.split('\n')
    const fields = new Map<string, string>()
    for (const line of lines) {
      const match = /^(\w+):\s?(.*)$/.exec(line)
      if (match) fields.set(match[1]!, match[2]!)
    }
    const differences: TmDifferences = {}
    const tags = fields.get('tags')
    if (tags !== undefined) {
      const missing = /missing ([^|]*)/.exec(tags)?.[1]?.trim().split(/\s+/) ?? []
      const extra = /extra ([^|]*)/.exec(tags)?.[1]?.trim().split(/\s+/) ?? []
      differences.tags = {missing, extra, moved: /\bmoved\b/.test(tags)}
    }
    const numbers = fields.get('numbers')
    if (numbers !== undefined) {
      differences.numbers = {
        missing: /missing ([^|]*)/.exec(numbers)?.[1]?.trim().split(/\s+/) ?? [],
        extra: /extra ([^|]*)/.exec(numbers)?.[1]?.trim().split(/\s+/) ?? []
      }
    }
    const query = fields.get('query')
    const candidate = fields.get('candidate')
    const score = fields.get('score')
    if (query === undefined || candidate === undefined || score === undefined) throw new Error(`scoring case "${name}" lacks query, candidate or score`)
    cases.push({name: name.trim(), query, candidate, score: Number(score), differences})
  }
  return cases
}

const cases = readCases(new URL('./fixtures/tm/scoring.txt', import.meta.url).pathname)

describe('TM scoring (test/fixtures/tm/scoring.txt)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(15)
  })

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = scoreTexts(c.query, c.candidate)
    expect(result.score).toBe(c.score)
    expect(result.differences).toEqual(c.differences)
  })
})

describe('scoreTexts', () => {
  it('lets penalties be tuned', () => {
    expect(scoreTexts('Voir <1>le site</1>.', 'Voir le site.', {tag: 0}).score).toBe(99)
    expect(scoreTexts('En 2019 et 2020.', 'En 2017 et 2018.', {number: 5, cap: 10}).score).toBe(89)
  })

  it('never goes below 0 and is 100 only for identical text', () => {
    expect(scoreTexts('Un deux trois.', '<1/>').score).toBe(0)
    expect(scoreTexts('Un.', 'Un.').score).toBe(100)
    expect(scoreTexts('Un.', 'Un. ').score).toBe(99)
  })
})

describe('tokenize', () => {
  it('splits words, elisions, punctuation and numbers; keeps tags and numbers aside', () => {
    const result = tokenize('L’OIM a <1>175</1> États membres depuis 1951, soit 1 000 000 de personnes<2/>.')
    expect(result.tokens).toEqual(['L’', 'OIM', 'a', '\u0001#', 'États', 'membres', 'depuis', '\u0001#', ',', 'soit', '\u0001#', 'de', 'personnes', '.'])
    expect(result.numbers).toEqual(['175', '1951', '1 000 000'])
    expect(result.tags).toEqual([
      {tag: '<1>', at: 3},
      {tag: '</1>', at: 4},
      {tag: '<2/>', at: 13}
    ])
  })

  it('does not join a year and the next number', () => {
    expect(tokenize('en 2006 150 personnes').numbers).toEqual(['2006', '150'])
  })
})

describe('segment text', () => {
  it('reads tags and escapes, writes them back, and keeps a bare & as text', () => {
    const text = 'a &lt; b &amp;amp; <1>c</1><2/> &gt; d'
    const parts = parseSegmentText(text)
    expect(parts).toEqual([
      {type: 'text', value: 'a < b &amp; '},
      {type: 'open', id: 1},
      {type: 'text', value: 'c'},
      {type: 'close', id: 1},
      {type: 'self', id: 2},
      {type: 'text', value: ' > d'}
    ])
    // The segment stage's escaping: `&gt;` means `>`, and segment text writes `>` as is (never `&amp;gt;`).
    expect(formatSegmentText(parts)).toBe(text.replace('&gt;', '>'))
  })
})
