import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {leverageMatch, repairNumbers} from '../src/tm/leverage.ts'
import {TranslationMemory} from '../src/tm/memory.ts'
import type {TmQuery, TmUnit} from '../src/tm/types.ts'

function unit(source: string, target: string, extra: Partial<TmUnit> = {}): TmUnit {
  return {source, target, sourceLocale: 'fr', targetLocale: 'en', state: 'translated', origin: {kind: 'human'}, ...extra}
}

const sentence = 'Le nombre de migrants devrait continuer de croître.'

describe('TranslationMemory.lookup ranking', () => {
  const tm = new TranslationMemory([
    unit('Le nombre de réfugiés devrait continuer de croître.', 'The number of refugees should keep growing.'),
    unit(sentence, 'The number of migrants should continue to grow.', {hash: 'aaaaaaaaaaaa', article: 'a'}),
    unit(sentence, 'The number of migrants is expected to keep growing.', {
      hash: 'aaaaaaaaaaaa',
      article: 'b',
      context: {previousHash: 'p00000000000', nextHash: 'n00000000000'}
    }),
    unit('Le nombre de migrants devrait continuer de croître !', 'The number of migrants should keep growing!')
  ])

  it('ranks context (101) above exact (100) above fuzzy', () => {
    const matches = tm.lookup({source: sentence, hash: 'aaaaaaaaaaaa', targetLocale: 'en', context: {previousHash: 'p00000000000', nextHash: 'n00000000000'}})
    expect(matches.map((match) => [match.kind, match.score, match.unit.article])).toEqual([
      ['context', 101, 'b'],
      ['exact', 100, 'a'],
      ['fuzzy', 94, undefined],
      ['fuzzy', 88, undefined]
    ])
  })

  it('needs both neighbours for a context match', () => {
    const matches = tm.lookup({source: sentence, targetLocale: 'en', context: {previousHash: 'p00000000000', nextHash: 'x00000000000'}})
    expect(matches.slice(0, 2).map((match) => match.kind)).toEqual(['exact', 'exact'])
  })

  it('finds an exact match by hash even when the text differs (the id is the sentence)', () => {
    const [first] = tm.lookup({source: 'Le nombre de  migrants devrait continuer de croître.', hash: 'aaaaaaaaaaaa', targetLocale: 'en'})
    expect(first).toMatchObject({kind: 'exact', score: 100})
  })

  it('applies the threshold and the limit', () => {
    expect(tm.lookup({source: sentence, targetLocale: 'en'}, {threshold: 90}).map((match) => match.score)).toEqual([100, 100, 94])
    expect(tm.lookup({source: sentence, targetLocale: 'en'}, {limit: 2})).toHaveLength(2)
    const other = 'Le nombre de demandeurs devrait continuer de croître.'
    expect(tm.lookup({source: other, targetLocale: 'en'}).map((match) => match.score)).toEqual([88, 88, 88, 82])
    expect(tm.lookup({source: other, targetLocale: 'en'}, {threshold: 89})).toEqual([])
  })

  it('only serves the requested target language (any region), and source language when given', () => {
    const memory = new TranslationMemory([unit(sentence, 'El número…', {targetLocale: 'es'}), unit(sentence, 'The number…', {targetLocale: 'en-GB'})])
    expect(memory.lookup({source: sentence, targetLocale: 'en'}).map((match) => match.unit.target)).toEqual(['The number…'])
    expect(memory.lookup({source: sentence, targetLocale: 'ca'})).toEqual([])
    expect(memory.lookup({source: sentence, targetLocale: 'es', sourceLocale: 'it'})).toEqual([])
  })

  it('reports a source/target pair once, keeping the best ranked', () => {
    const memory = new TranslationMemory([
      unit(sentence, 'Same.', {article: 'a', state: 'translated'}),
      unit(sentence, 'Same.', {article: 'b', state: 'approved'}),
      unit(sentence, 'Same.', {article: 'c', state: 'reviewed'})
    ])
    const matches = memory.lookup({source: sentence, targetLocale: 'en'})
    expect(matches.map((match) => match.unit.article)).toEqual(['b'])
  })

  it('offers the article’s own retired sentence as the first fuzzy suggestion', () => {
    const memory = new TranslationMemory([
      unit('Le nombre de migrants devrait encore continuer de croître.', 'Elsewhere.', {article: 'other'}),
      unit('Le nombre de migrants va continuer de croître.', 'Before the edit.', {article: 'mine', retired: true})
    ])
    const query = {source: sentence, targetLocale: 'en', article: 'mine'}
    expect(memory.lookup(query).map((match) => [match.unit.target, match.score])).toEqual([
      ['Before the edit.', 88],
      ['Elsewhere.', 89]
    ])
    expect(memory.lookup({...query, article: 'third'}).map((match) => match.unit.target)).toEqual(['Elsewhere.', 'Before the edit.'])
  })
})

describe('tags and numbers', () => {
  const tm = new TranslationMemory([unit('En 2019, <1>175</1> États membres ont voté.', 'In 2019, <1>175</1> member states voted.')])

  it('do not lower the similarity but are reported and cost a point each', () => {
    const [match] = tm.lookup({source: 'En 2020, 176 États membres ont voté.', targetLocale: 'en'})
    expect(match).toMatchObject({
      kind: 'fuzzy',
      score: 96,
      differences: {tags: {missing: [], extra: ['<1>', '</1>'], moved: false}, numbers: {missing: ['2020', '176'], extra: ['2019', '175']}}
    })
  })

  it('repair numbers in the target when only numbers differ', () => {
    const [match] = tm.lookup({source: 'En 2020, <1>176</1> États membres ont voté.', targetLocale: 'en'})
    expect(match?.score).toBe(97)
    const leverage = leverageMatch(match!, {source: 'En 2020, <1>176</1> États membres ont voté.'})
    expect(leverage).toEqual({
      target: 'In 2020, <1>176</1> member states voted.',
      state: 'fuzzy',
      origin: {kind: 'tm', detail: 'fuzzy', score: 97},
      repaired: true
    })
  })

  it('leave the target alone when a number is ambiguous or formatted differently', () => {
    expect(repairNumbers('Les 16 et 17 novembre.', 'On 16 and 17 November.', 'Les 18 et 19 novembre.')).toBe('On 18 and 19 November.')
    expect(repairNumbers('Les 16 et 16.', 'The 16th and 16th.', 'Les 17 et 17.')).toBeUndefined()
    expect(repairNumbers('Plus de 1 000 personnes.', 'Over 1,000 people.', 'Plus de 2 000 personnes.')).toBeUndefined()
    expect(repairNumbers('Voir <1>page 2</1>.', 'See <1>page 2</1>.', 'Voir <1>page 3</1>.')).toBe('See <1>page 3</1>.')
  })
})

describe('leverageMatch', () => {
  const approved = unit(sentence, 'Approved.', {state: 'approved', article: 'a', origin: {kind: 'human', by: 'ana'}})

  it('applies exact and context matches of approved units as translated', () => {
    const tm = new TranslationMemory([approved])
    const [exact] = tm.lookup({source: sentence, targetLocale: 'en'})
    expect(leverageMatch(exact!, {source: sentence})).toEqual({
      target: 'Approved.',
      state: 'translated',
      origin: {kind: 'tm', detail: 'exact:a', score: 100, by: 'ana'},
      repaired: false
    })
    expect(leverageMatch(exact!, {source: sentence}, {approvedExact: 'fuzzy'}).state).toBe('fuzzy')
  })

  it('keeps everything else fuzzy, and caps the origin score at 100', () => {
    const tm = new TranslationMemory([{...approved, context: {previousHash: 'p', nextHash: 'n'}}, unit(sentence, 'Translated only.', {state: 'reviewed'})])
    const matches = tm.lookup({source: sentence, targetLocale: 'en', context: {previousHash: 'p', nextHash: 'n'}})
    expect(matches.map((match) => leverageMatch(match, {source: sentence})).map((l) => [l.state, l.origin.score])).toEqual([
      ['translated', 100],
      ['fuzzy', 100]
    ])
  })
})

// ---------------------------------------------------------------- index = scan

const words = ['le', 'la', 'de', 'des', 'migrants', 'migration', 'Organisation', 'OIM', 'pays', 'États', 'membres', 'développement', 'durable', 'et', 'pour', 'villes', 'conférence', 'mondiale', 'Pacte']
const token = fc.oneof(
  {weight: 8, arbitrary: fc.constantFrom(...words)},
  {weight: 1, arbitrary: fc.constantFrom(',', '.', '«', '»', '!')},
  {weight: 1, arbitrary: fc.integer({min: 0, max: 30}).map(String)},
  {weight: 1, arbitrary: fc.constantFrom('Migrants', 'MIGRATION', 'l’', "l'")}
)
const text = fc.array(token, {minLength: 1, maxLength: 12}).chain((tokens) =>
  fc.constantFrom(0, 1, 2).map((tags) => {
    const joined = tokens.join(' ')
    if (tags === 1) return `<1>${joined}</1>`
    if (tags === 2) return `${joined}<1/>`
    return joined
  })
)
// Units share sources from a small pool (same sentence, other target, article or
// state), so that scores tie and the tie-breakers decide what makes the limit.
const generatedUnit = fc.record({
  source: fc.nat(),
  target: fc.constantFrom('A.', 'B.', 'C.'),
  targetLocale: fc.constantFrom('en', 'es', 'en-GB'),
  state: fc.constantFrom('translated' as const, 'reviewed' as const, 'approved' as const),
  article: fc.constantFrom('a', 'b', 'c'),
  retired: fc.boolean(),
  updated: fc.constantFrom('2024-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z')
})
const generatedQuery = fc.oneof(
  text.map((source) => ({source})),
  fc.record({pick: fc.nat()}),
  fc.record({pick: fc.nat(), change: fc.constantFrom('add', 'drop', 'swap'), word: fc.constantFrom(...words)})
)

describe('index retrieval', () => {
  it('returns the same matches, in the same order, as scoring every unit', () => {
    fc.assert(
      fc.property(
        fc.array(text, {minLength: 3, maxLength: 60}),
        fc.array(generatedUnit, {minLength: 50, maxLength: 300}),
        fc.array(
          fc.tuple(
            generatedQuery,
            fc.integer({min: 0, max: 100}),
            fc.constantFrom(1, 2, 3, 5, 1000),
            fc.constantFrom('a', 'z', undefined),
            // The bounds subtract the number penalty a unit is sure to get: default, none, fractional, uncapped.
            fc.constantFrom(undefined, {number: 0}, {number: 2.5, cap: 4}, {number: 1, tag: 2, cap: 100})
          ),
          {minLength: 5, maxLength: 15}
        ),
        fc.array(fc.nat(), {maxLength: 20}),
        (pool, generated, queries, removed) => {
          const units = generated.map((u) => ({...u, source: pool[u.source % pool.length]!, sourceLocale: 'fr', origin: {kind: 'human' as const}}))
          // The last units are added after the first lookup: they sit in the unsorted postings, the others in the sorted ones.
          const tm = new TranslationMemory(units.slice(0, -3))
          tm.lookup({source: pool[0]!, targetLocale: 'en'})
          tm.addAll(units.slice(-3))
          tm.remove(removed.map((handle) => handle % units.length))
          for (const [spec, threshold, limit, article, penalties] of queries) {
            let source: string
            if ('source' in spec) source = spec.source
            else {
              const words = pool[spec.pick % pool.length]!.split(' ')
              if ('change' in spec && spec.change === 'add') words.push(spec.word)
              else if ('change' in spec && spec.change === 'drop') words.splice(spec.pick % words.length, 1)
              else if ('change' in spec) words[spec.pick % words.length] = spec.word
              source = words.join(' ') || 'vide'
            }
            // Article `a` has retired units (its history outranks scores); `z` and none have not, so trial passes run.
            const query: TmQuery = {source, targetLocale: 'en', ...(article === undefined ? {} : {article})}
            const options = {threshold, limit, ...(penalties === undefined ? {} : {penalties})}
            const indexed = tm.lookup(query, options)
            const scanned = tm.lookup(query, {...options, scan: true})
            expect(indexed).toEqual(scanned)
          }
        }
      ),
      {numRuns: 200}
    )
  })

  it('answers the same from a persisted index as from the memory it was exported from, before and after adding units', () => {
    fc.assert(
      fc.property(fc.array(text, {minLength: 3, maxLength: 40}), fc.array(generatedUnit, {minLength: 20, maxLength: 120}), fc.array(text, {minLength: 1, maxLength: 8}), (pool, generated, queries) => {
        const units = generated.map((u) => ({...u, source: pool[u.source % pool.length]!, sourceLocale: 'fr', origin: {kind: 'human' as const}}))
        const built = new TranslationMemory(units)
        const bytes = built.exportIndex()
        // Not 8-byte aligned, as a Buffer from a file pool may be.
        const shifted = new Uint8Array(bytes.length + 1).subarray(1)
        shifted.set(bytes)
        const loaded = TranslationMemory.fromIndex(units, shifted)
        expect(loaded).toBeDefined()
        const ask = (memory: TranslationMemory) => queries.map((source) => memory.lookup({source, targetLocale: 'en'}, {threshold: 50, limit: 5}))
        expect(ask(loaded!)).toEqual(ask(built))
        const more = {...units[0]!, source: `${queries[0]} encore`, target: 'More.'}
        built.add(more)
        loaded!.add(more)
        expect(ask(loaded!)).toEqual(ask(built))
        expect(loaded!.units()).toEqual(built.units())
      }),
      {numRuns: 60}
    )
  })

  it('refuses a persisted index made for other units, or cut short', () => {
    const units = [unit(sentence, 'Found.'), unit('Bureau de la stratégie', 'Office')]
    const bytes = new TranslationMemory(units).exportIndex()
    expect(TranslationMemory.fromIndex(units.slice(1), bytes)).toBeUndefined()
    expect(TranslationMemory.fromIndex(units, bytes.subarray(0, bytes.length - 16))).toBeUndefined()
    expect(TranslationMemory.fromIndex(units, new Uint8Array(4))).toBeUndefined()
  })

  it('reads only part of the memory for a selective query', () => {
    const filler = Array.from({length: 2000}, (_, i) => unit(`Bureau numéro ${i} de la stratégie et de la performance`, `Office ${i}`))
    const tm = new TranslationMemory([...filler, unit(sentence, 'Found.')])
    const query = {source: 'Le nombre de migrants devrait continuer à croître.', targetLocale: 'en'}
    const stats = {candidates: 0, scored: 0}
    expect(tm.lookup(query, {stats}).map((match) => match.unit.target)).toEqual(['Found.'])
    // One candidate per pass at most (trial thresholds, then 75): the 2 000 others are never read.
    expect(stats.candidates).toBeLessThanOrEqual(3)
    expect(stats.scored).toBe(stats.candidates)
    const scan = {candidates: 0, scored: 0}
    expect(tm.lookup(query, {scan: true, stats: scan})).toEqual(tm.lookup(query))
    expect(scan.candidates).toBe(2001)
  })

  it('stops scoring once the limit is settled', () => {
    const near = Array.from({length: 300}, (_, i) => unit(`Le nombre de migrants devrait continuer de croître ${'vite '.repeat(1 + (i % 3))}`.trim(), `T${i}`))
    const tm = new TranslationMemory(near)
    const stats = {candidates: 0, scored: 0}
    const query = {source: 'Le nombre de migrants devrait continuer de croître vite', targetLocale: 'en'}
    expect(tm.lookup(query, {limit: 3, stats})).toEqual(tm.lookup(query, {limit: 3, scan: true}))
    expect(stats.candidates).toBeLessThanOrEqual(300)
    expect(stats.scored).toBeLessThan(120)
  })
})

describe('TranslationMemory', () => {
  it('refuses a unit without source or target', () => {
    expect(() => new TranslationMemory([unit('', 'x')])).toThrow()
    expect(() => new TranslationMemory([unit('x', '')])).toThrow()
  })

  it('keeps its units in order', () => {
    const tm = new TranslationMemory()
    tm.add(unit('Un.', 'One.'))
    tm.addAll([unit('Deux.', 'Two.')])
    expect(tm.size).toBe(2)
    expect(tm.units().map((u) => u.target)).toEqual(['One.', 'Two.'])
  })
})
