// The committed termbase (`glossary/`) checked against the issue and the seeds.
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {protect} from '../src/engines/protect.ts'
import * as glossary from '../src/glossary/index.ts'
import {compileMatcher, findForbidden, loadTermbase, targetHasTerm, type Termbase} from '../src/glossary/index.ts'
import type {TermHit} from '../src/types.ts'
import {needsShared, seedsDir} from './helpers/shared.ts'

let termbase: Termbase

beforeAll(async () => {
  const loaded = await loadTermbase(join(import.meta.dirname, '..', 'glossary'))
  expect(loaded.problems.map((problem) => problem.toLine())).toEqual([])
  termbase = loaded.termbase
})

it('should expose the public api', () => {
  expect(Object.keys(glossary).sort()).toEqual([
    'canonicalConcept',
    'canonicalPattern',
    'canonicalTerm',
    'compileMatcher',
    'conceptSchema',
    'duplicateSourceTerms',
    'findForbidden',
    'isAllCapitals',
    'loadTermbase',
    'parseGlossaryFile',
    'patternSchema',
    'rankTargets',
    'readGlossary',
    'saveTermbase',
    'serializeGlossaryFile',
    'sourceTermKey',
    'sourceTermOwners',
    'targetHasTerm',
    'termSchema',
    'tokenize',
    'withTermbaseLock'
  ])
})

describe('the termbase', () => {
  // The list, then the other institutional names found in the seeds.
  const required = [
    'OIM', 'Organisation internationale pour les migrations', 'GCM', 'Pacte mondial pour des migrations sûres, ordonnées et régulières',
    'ODD', 'Objectifs de développement durable', 'Programme 2030', 'PNUD', 'HCR', 'OIT', 'BIT', 'CIT', 'FMMD', 'DAES', 'UNICEF',
    'CNUCED', 'ONUDC', 'FNUAP', 'UNITAR', 'UNESCO', 'FAO', 'ONU-Habitat', 'Nouveau Programme pour les villes',
    'Dialogue de haut niveau', 'Groupe mondial sur la migration', 'Assemblée générale', 'États Membres',
    'Nations Unies', 'ONU', 'Secrétaire général', 'Directeur général', 'Directrice générale', 'ICMD', 'DDC', 'Habitat III',
    'Office des Nations Unies à Genève', 'Sommet sur les ODD', 'objectifs du Millénaire pour le développement',
    'Forum mondial sur la migration et le développement', "Centre international de formation de l'OIT", 'CIF', 'HCDH',
    'Université des Nations Unies', 'Banque mondiale', 'Organisation mondiale de la Santé', 'système des Nations Unies',
    'Cadre de gouvernance des migrations', 'Indice de gouvernance des migrations', "Dialogue d'Abou Dhabi",
    'Division de la population', 'Fonds de développement des Nations Unies pour la femme', 'Economist Intelligence Unit'
  ]
  for (const locale of ['en', 'es']) {
    it(`has every institutional concept with ${locale} terms`, () => {
      const matcher = compileMatcher(termbase, {source: 'fr', target: locale})
      for (const name of required) {
        const hits = matcher.match(name)
        expect(hits.map((hit) => hit.text), name).toEqual([name])
        expect(hits[0]!.dnt || hits[0]!.expected.length > 0, name).toBe(true)
      }
    })
  }

  it('gives every concept preferred en and es terms, or marks it do-not-translate', () => {
    for (const concept of termbase.concepts) {
      if (concept.dnt) {
        expect(concept.terms.fr?.length, concept.id).toBeGreaterThan(0)
        continue
      }
      for (const locale of ['fr', 'en', 'es']) {
        expect(concept.terms[locale]?.some((term) => term.status === 'preferred'), `${concept.id} ${locale}`).toBe(true)
      }
      expect(concept.definition, concept.id).toBeTruthy()
    }
  })

  it('recognises each French term alone as its own concept (no term shadows another)', () => {
    const matcher = compileMatcher(termbase, {source: 'fr'})
    for (const concept of termbase.concepts) {
      for (const term of concept.terms.fr ?? []) {
        const hits = matcher.match(term.text)
        expect(hits.map((hit) => [hit.concept, hit.text]), term.text).toEqual([[concept.id, term.text]])
      }
    }
  })

  it('never lets a forbidden or deprecated term pass for an expected one', () => {
    for (const concept of termbase.concepts) {
      for (const [locale, terms] of Object.entries(concept.terms)) {
        const good = (terms ?? []).filter((term) => term.status === 'preferred' || term.status === 'admitted').map((term) => term.text)
        const bad = (terms ?? []).filter((term) => term.status === 'deprecated' || term.status === 'forbidden').map((term) => term.text)
        for (const text of bad) {
          const probe: TermHit = {concept: concept.id, kind: 'term', start: 0, end: 0, text: '', dnt: false, expected: good, forbidden: bad}
          expect(targetHasTerm(text, probe, locale), `${concept.id} ${locale}: ${text}`).toBe(false)
          // Reported as the token span found (`U.N` for `U.N.`: the final stop is punctuation).
          const used = findForbidden(text, probe, locale)
          expect(used, `${concept.id} ${locale}: ${text}`).toHaveLength(1)
          expect(text.startsWith(used[0]!), `${concept.id} ${locale}: ${text}`).toBe(true)
        }
      }
    }
  })
})

describe.runIf(needsShared('seeds', 'glossary matching on the real seeds (test/glossary-data.test.ts)'))('the seeds', () => {
  let seeds: string[] = []
  beforeAll(() => {
    seeds = readdirSync(seedsDir)
      .filter((name) => name.endsWith('.txt'))
      .sort()
      .map((name) => readFileSync(join(seedsDir, name), 'utf8'))
  })

  function hitsOf(target: string): Array<{hit: TermHit; line: string}> {
    const matcher = compileMatcher(termbase, {source: 'fr', target})
    return seeds.flatMap((seed) => seed.split('\n').flatMap((line) => matcher.match(line).map((hit) => ({hit, line}))))
  }

  it('finds the required terms and do-not-translate items', () => {
    const found = hitsOf('en')
    const texts = new Set(found.map(({hit}) => hit.text))
    for (const text of ['OIM', 'ODD', 'Objectifs de développement durable', 'PNUD', 'États Membres', 'Etats membres', 'decorte@un.org', 'A/RES/67/219', '+41 22 717 9416']) {
      expect(texts.has(text), text).toBe(true)
    }
    const elided = found.find(({hit, line}) => hit.text === 'OIM' && line.slice(hit.start - 2, hit.start) === 'l’')
    expect(elided?.hit.concept).toBe('iom')
    const kinds = new Map(found.map(({hit}) => [hit.text, `${hit.kind} ${hit.concept}`]))
    expect(kinds.get('decorte@un.org')).toBe('pattern email')
    expect(kinds.get('A/RES/67/219')).toBe('pattern un-symbol')
    expect(kinds.get('+41 22 717 9416')).toBe('pattern phone')
    expect(kinds.get('États Membres')).toBe('term member-states')
  })

  for (const target of ['en', 'es', 'ca']) {
    it(`restores, through placeholder protection, a target that satisfies every ${target} hit`, () => {
      const found = hitsOf(target)
      expect(found.length).toBeGreaterThan(100)
      for (const {hit, line} of found) {
        expect(hit.dnt || hit.expected.length > 0, hit.text).toBe(true)
        const shielded = protect(line, [hit])
        const {text, lost} = shielded.restore(shielded.text)
        expect(lost).toEqual([])
        expect(targetHasTerm(text, hit, target), `${hit.concept}: ${text}`).toBe(true)
        expect(findForbidden(text, hit, target)).toEqual([])
      }
    })
  }
})
