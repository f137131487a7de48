import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import type {Engine} from '../src/engines/types.ts'
import {isPasserelleError} from '../src/errors.ts'
import {loadTermbase} from '../src/glossary/index.ts'
import {withPostEdit} from '../src/postedit/index.ts'
import {corpusChrf, parseReferences, scoreReferences} from '../src/quality/index.ts'
import {repoRoot} from './helpers/project.ts'

describe('chrF', () => {
  // Expected values from sacreBLEU's own test suite (test/test_chrf.py).
  it.each([
    {hyp: ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.'], ref: ['Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.'], options: {epsSmoothing: true}, score: 39.14078509},
    {hyp: ['Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.'], ref: ['Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.'], options: {epsSmoothing: true}, score: 57.15704367},
    {hyp: [' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'], ref: ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'], options: {beta: 3, epsSmoothing: true}, score: 63.36173},
    {hyp: ['aa'], ref: ['ab'], options: {beta: 3}, score: 25},
    {hyp: ['a', 'b'], ref: ['a', 'c'], options: {beta: 3}, score: 50},
    {hyp: ['a b c'], ref: ['abc'], options: {beta: 3}, score: 100},
    {hyp: [''], ref: ['reference'], options: {beta: 3}, score: 0}
  ])('sacreBLEU value $score', ({hyp, ref, options, score}) => {
    expect(corpusChrf(hyp, ref, options)).toBeCloseTo(score, 4)
  })

  it('defaults to sacreBLEU 2 defaults (β = 2, effective-order averaging): a recall loss costs more than a precision loss', () => {
    const ref = ['Trafficking in persons is a serious crime.']
    expect(corpusChrf(ref, ref)).toBe(100)
    expect(corpusChrf(['Trafficking in persons is a crime.'], ref)).toBeLessThan(corpusChrf(['Trafficking in persons is a very serious crime.'], ref))
  })
})

describe('reference files', () => {
  it('reads source<TAB>reference pairs with their line numbers', () => {
    expect(parseReferences('a\tb\n\nc\td\n', 'refs.tsv')).toEqual([
      {source: 'a', reference: 'b', line: 1},
      {source: 'c', reference: 'd', line: 3}
    ])
  })

  it('a line without exactly two columns is an error naming the file and line', () => {
    try {
      parseReferences('a\tb\nonly one column\n', 'refs.tsv')
      expect.unreachable()
    } catch (error) {
      expect(isPasserelleError(error, 'E_INPUT')).toBe(true)
      expect((error as Error & {toLine(): string}).toLine()).toMatch(/^refs\.tsv: line 2: expected 'source<TAB>reference'/)
    }
  })
})

/** An engine that answers from a table, to score known outputs. */
function tableEngine(table: Record<string, string>): Engine {
  return {
    name: 'table',
    calls: 0,
    maxBatch: {segments: 3, characters: 100_000},
    route: () => 'table',
    check: async () => {},
    translate: async (batch) => batch.map((segment) => ({id: segment.id, text: table[segment.text] ?? '', unknown: []}))
  }
}

describe('scoring machine output against references', () => {
  const pairs = parseReferences(readFileSync(new URL('fixtures/quality/fr-en.tsv', import.meta.url), 'utf8'), 'fr-en.tsv')

  it('scores a perfect engine 100 and counts glossary hits the output and the references honour', async () => {
    const {termbase} = await loadTermbase(`${repoRoot}glossary`)
    const perfect = Object.fromEntries(pairs.map((pair) => [pair.source.replace(/&/g, '&amp;').replace(/</g, '&lt;'), pair.reference]))
    const report = await scoreReferences(pairs, {engine: tableEngine(perfect), termbase, from: 'fr', to: 'en'})
    expect(report.pairs).toBe(8)
    expect(report.chrf).toBe(100)
    expect(report.terms.total).toBeGreaterThanOrEqual(5)
    expect(report.terms.machine).toBe(report.terms.total)

    // Drop one term from one output: adherence and chrF both go down.
    const worse = {...perfect, [pairs[1]!.source]: 'Human trade is a serious crime.'}
    const second = await scoreReferences(pairs, {engine: tableEngine(worse), termbase, from: 'fr', to: 'en'})
    expect(second.terms.machine).toBe(report.terms.total - 1)
    expect(second.chrf).toBeLessThan(100)
    expect(second.lines[1]!.chrf).toBeLessThan(50)
  })
})

const installed = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'})
  } catch {
    return ''
  }
})()
if (!installed.includes('fr-es') && !process.env.CI) console.log('quality.test: skipping the Apertium runs (apertium-fr-es not installed)')

describe.runIf(installed.includes('fr-es') || process.env.CI)('quality of Apertium output on the fixture parallel set', () => {
  it.each(['en', 'es'])('%s: post-edits and rules raise chrF; term adherence stays 100 percent', async (to) => {
    const refs = parseReferences(readFileSync(new URL(`fixtures/quality/fr-${to}.tsv`, import.meta.url), 'utf8'), `fr-${to}.tsv`)
    const {termbase} = await loadTermbase(`${repoRoot}glossary`)
    const bare = await scoreReferences(refs, {engine: createApertiumEngine(), termbase, from: 'fr', to})
    const edited = await scoreReferences(refs, {engine: withPostEdit(createApertiumEngine(), {glossaryDir: `${repoRoot}glossary`}), termbase, from: 'fr', to})
    expect(edited.chrf).toBeGreaterThan(bare.chrf)
    expect(edited.terms.machine).toBe(edited.terms.total)
  }, 60_000)
})
