// Matcher fixtures in the formatjs one-file style: `input --- options ---
// expected`, one hit per line. `UPDATE=1` rewrites the expected part (check
// the diff by eye before committing it).
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {beforeAll, describe, expect, it} from 'vitest'
import {compileMatcher, loadTermbase, type Termbase} from '../src/glossary/index.ts'
import type {TermHit} from '../src/types.ts'

const fixtures = join(import.meta.dirname, 'fixtures', 'glossary')
const cases = join(fixtures, 'match')
const update = process.env.UPDATE === '1'

let fixtureTermbase: Termbase
let realTermbase: Termbase

beforeAll(async () => {
  const real = await loadTermbase(join(import.meta.dirname, '..', 'glossary'))
  const fixture = await loadTermbase(join(fixtures, 'termbase'))
  expect(real.problems.map((problem) => problem.toLine())).toEqual([])
  expect(fixture.problems.map((problem) => problem.toLine())).toEqual([])
  realTermbase = real.termbase
  // Patterns are part of the behaviour under test: use the real ones.
  fixtureTermbase = {concepts: fixture.termbase.concepts, patterns: real.termbase.patterns}
})

interface CaseOptions {
  target?: string
  termbase?: 'fixture' | 'real'
}

export function formatHit(hit: TermHit): string {
  const kind = hit.kind === 'pattern' ? 'pattern ' : ''
  const dnt = hit.dnt ? ' dnt' : ''
  const expected = hit.expected.length > 0 ? ` => ${hit.expected.join(' | ')}` : ''
  const forbidden = hit.forbidden.length > 0 ? ` !! ${hit.forbidden.join(' | ')}` : ''
  const deprecated = hit.deprecated?.length ? ` ~~ ${hit.deprecated.join(' | ')}` : ''
  return `${hit.start}-${hit.end} ${kind}${hit.concept} ${JSON.stringify(hit.text)}${dnt}${expected}${forbidden}${deprecated}`
}

describe('glossary matcher fixtures', () => {
  for (const name of readdirSync(cases).filter((file) => file.endsWith('.txt')).sort()) {
    it(name.replace(/\.txt$/, ''), () => {
      const path = join(cases, name)
      const parts = readFileSync(path, 'utf8').split(/^---$/m)
      expect(parts.length, `${name} needs input --- options --- expected`).toBe(3)
      const input = parts[0]!.replace(/\n$/, '')
      const options = JSON.parse(parts[1]!.trim() || '{}') as CaseOptions
      const termbase = options.termbase === 'real' ? realTermbase : fixtureTermbase
      const hits = compileMatcher(termbase, {source: 'fr', ...(options.target ? {target: options.target} : {})}).match(input)
      for (const hit of hits) expect(input.slice(hit.start, hit.end)).toBe(hit.text)
      const actual = hits.length > 0 ? hits.map(formatHit).join('\n') : '(no hits)'
      if (update) {
        writeFileSync(path, `${parts[0]}---${parts[1]}---\n${actual}\n`)
        return
      }
      expect(actual).toBe(parts[2]!.trim())
    })
  }
})

describe('glossary matcher invariants', () => {
  // Fragments that stress the tokeniser: terms, elisions, tags, references, patterns, punctuation.
  const fragments = [
    'OIM', 'l’', "d'", 'ODD', 'Objectifs de développement durable', 'développement durable', 'Nations Unies',
    'Programme des Nations Unies pour le développement', 'ONU', '-', 'Habitat', '<1>', '</1>', '<2/>', '&amp;', '&lt;',
    ' ', ', ', '. ', 'amp', 'États', 'Membres', 'decorte@un.org', '+41 22 717 9416', 'A/RES/67/219', 'é', 'x'
  ]
  const markup = /<\/?\d+\/?>|&[a-z]+;/g

  it('gives sorted, non-overlapping hits whose text is the slice, never inside markup', () => {
    const matcher = compileMatcher(fixtureTermbase, {source: 'fr', target: 'en'})
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), {maxLength: 30}), (parts) => {
        const text = parts.join('')
        const hits = matcher.match(text)
        const spans = [...text.matchAll(markup)].map((match) => [match.index, match.index + match[0].length] as const)
        let cursor = 0
        for (const hit of hits) {
          expect(hit.start).toBeGreaterThanOrEqual(cursor)
          expect(hit.end).toBeGreaterThan(hit.start)
          expect(text.slice(hit.start, hit.end)).toBe(hit.text)
          for (const [start, end] of spans) expect(hit.start < end && start < hit.end).toBe(false)
          cursor = hit.end
        }
      }),
      {numRuns: 300}
    )
  })

  it('finds a term the same way whatever surrounds it', () => {
    const matcher = compileMatcher(fixtureTermbase, {source: 'fr', target: 'en'})
    fc.assert(
      fc.property(fc.constantFrom('', ' ', '(', '« ', '<1>', 'l’', "d'", '\n'), fc.constantFrom('', ' ', ')', ' »', '</1>', '.', ','), (before, after) => {
        const text = `${before}Organisation internationale pour les migrations${after}`
        const hits = matcher.match(text)
        expect(hits.map((hit) => [hit.concept, hit.text])).toEqual([['iom', 'Organisation internationale pour les migrations']])
        expect(hits[0]!.start).toBe(before.length)
      })
    )
  })

  it('ignores retired concepts', () => {
    const hits = compileMatcher(fixtureTermbase, {source: 'fr', target: 'en'}).match('le Bureau du Chef de Cabinet')
    expect(hits).toEqual([])
  })

  it('reports a broken pattern as E_GLOSSARY when compiling', () => {
    expect(() => compileMatcher({concepts: [], patterns: [{id: 'bad', pattern: '('}]}, {source: 'fr'})).toThrow(
      expect.objectContaining({code: 'E_GLOSSARY'})
    )
  })
})

describe('glossary matcher locales', () => {
  it('falls back from a regional target such as en-GB to its language', () => {
    const [hit] = compileMatcher(fixtureTermbase, {source: 'fr', target: 'en-GB'}).match('l’OIM')
    expect(hit?.expected[0]).toBe('IOM')
  })
})
