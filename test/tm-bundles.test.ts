import {describe, expect, it} from 'vitest'
import type {Bundle, BundleSegment} from '../src/workflow/types.ts'
import {parseBundle} from '../src/workflow/store.ts'
import {tmFromBundles, unitsFromBundles} from '../src/tm/from-bundles.ts'

let counter = 0
function segment(source: string, change: Partial<BundleSegment> = {}): BundleSegment {
  const hash = (++counter).toString(16).padStart(12, '0')
  return {
    id: hash,
    hash,
    unit: 'u1',
    kind: 'paragraph',
    index: 0,
    source,
    tags: {},
    state: 'new',
    glossary: [],
    unknown: [],
    qa: [],
    revision: 1,
    updated: '2024-05-01T10:00:00.000Z',
    ...change
  }
}

function bundle(article: string, locale: string, segments: BundleSegment[], retired: BundleSegment[] = []): Bundle {
  return fromFileShape({schema: 1, article, sourceLocale: 'fr', locale, sourceHash: 'x', segments, retired})
}

describe('unitsFromBundles', () => {
  const first = segment('Le nombre de migrants devrait continuer de croître.', {target: 'Machine.', state: 'machine', origin: {kind: 'engine', engine: 'apertium'}})
  const second = segment('La migration est une chance.', {target: 'Migration is an opportunity.', state: 'approved', origin: {kind: 'human', by: 'ana'}})
  const third = segment('Les villes accueillent les migrants.', {target: 'Cities welcome migrants.', state: 'reviewed'})
  const stale = segment('Les États membres ont voté en 2019.', {
    target: 'Member states voted in 2018.',
    state: 'translated',
    stale: true,
    previous: {source: 'Les États membres ont voté en 2018.', target: 'Member states voted in 2018.'}
  })
  const fuzzy = segment('Une phrase proposée par la mémoire.', {target: 'A TM suggestion.', state: 'fuzzy', origin: {kind: 'tm', score: 80}})
  const gone = segment('Une phrase retirée.', {target: 'A retired sentence.', state: 'translated'})
  const goneMachine = segment('Une phrase retirée de la machine.', {target: 'Machine.', state: 'machine'})
  const units = unitsFromBundles([bundle('article-a', 'en', [first, second, third, stale, fuzzy], [gone, goneMachine])])

  it('takes human work only (translated, reviewed, approved), live and retired', () => {
    expect(units.map((unit) => [unit.source, unit.state, unit.retired ?? false])).toEqual([
      ['La migration est une chance.', 'approved', false],
      ['Les villes accueillent les migrants.', 'reviewed', false],
      ['Les États membres ont voté en 2018.', 'translated', true],
      ['Une phrase retirée.', 'translated', true]
    ])
  })

  it('keeps locales, article, origin, hash, unit, dates and the neighbourhood', () => {
    expect(units[0]).toEqual({
      source: 'La migration est une chance.',
      target: 'Migration is an opportunity.',
      sourceLocale: 'fr',
      targetLocale: 'en',
      article: 'article-a',
      hash: second.hash,
      state: 'approved',
      origin: {kind: 'human', by: 'ana'},
      unit: 'u1',
      context: {previousHash: first.hash, nextHash: third.hash},
      updated: '2024-05-01T10:00:00.000Z'
    })
    expect(units[1]?.origin).toEqual({kind: 'human'})
  })

  it('gives a changed sentence its former translation as the first suggestion', () => {
    const tm = tmFromBundles([bundle('article-a', 'en', [first, second, third, stale, fuzzy], [gone])])
    const [match] = tm.lookup({source: stale.source, targetLocale: 'en', article: 'article-a'})
    expect(match).toMatchObject({kind: 'fuzzy', unit: {source: 'Les États membres ont voté en 2018.', retired: true}})
    expect(match?.differences.numbers).toEqual({missing: ['2019'], extra: ['2018']})
  })

  it('finds a context match for a sentence in the same place in another locale’s bundle', () => {
    const tm = tmFromBundles([bundle('article-a', 'en', [first, second, third])])
    const [match] = tm.lookup({source: second.source, hash: second.hash, targetLocale: 'en', context: {previousHash: first.hash, nextHash: third.hash}})
    expect(match).toMatchObject({kind: 'context', score: 101})
  })
})

/** A bundle as the file would hold it, read back through the file edge. */
function fromFileShape(data: unknown): Bundle {
  return parseBundle(JSON.stringify(data), 'test bundle')
}
