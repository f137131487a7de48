import {describe, expect, it} from 'vitest'
import {findForbidden, targetHasTerm} from '../src/glossary/index.ts'
import type {TermHit} from '../src/types.ts'

function hit(expected: string[], forbidden: string[] = [], extra: Partial<TermHit> = {}): TermHit {
  return {concept: 'c', kind: 'term', start: 0, end: 3, text: 'xxx', dnt: false, expected, forbidden, ...extra}
}

// [target locale, expected terms, target text, present?]
const presence: Array<[string, string[], string, boolean]> = [
  ['en', ['SDGs', 'SDG'], 'the SDG targets', true],
  ['en', ['SDG'], 'all 17 SDGs', true],
  ['en', ['SDGs'], 'the sdgs', false],
  ['en', ['Member States'], 'member states of the UN', true],
  ['en', ['Member States'], 'each Member State', true],
  ['en', ['Member States'], 'Member Statesman', false],
  ['en', ['IOM'], 'IOM’s report', true],
  ['en', ['IOM'], 'IOMX', false],
  ['en', ['IOM'], 'the iom', false],
  ['en', ['UN'], 'the UN and UN-Habitat', true],
  ['en', ['UN'], 'UN-Habitat only', false],
  ['en', ['UN-Habitat'], 'UN Habitat', true],
  ['en', ['Secretary-General'], 'the Secretary General said', true],
  ['en', ['International Organization for Migration'], 'the International Organisation for Migration', false],
  ['en', ['International Organization for Migration'], 'the INTERNATIONAL ORGANIZATION FOR MIGRATION', true],
  ['en', ['2030 Agenda'], 'the Agenda 2030', false],
  ['en', ['IOM'], 'see <1>IOM</1>', true],
  ['en', ['United Nations'], '<1>United</1> Nations', false],
  ['en', ['United Nations'], 'United Nations', true],
  ['es', ['UN'], 'un acuerdo', false],
  ['es', ['ONU'], 'la ONU', true],
  ['es', ['Naciones Unidas'], 'las naciones unidas', true],
  ['es', ['Organización Internacional para las Migraciones'], 'la Organizacion Internacional para las Migraciones', true],
  ['es', ['Organización Internacional para las Migraciones'], 'la Organización Internacional para la Migración', false],
  ['es', ['Estados Miembros'], 'cada Estado Miembro', true],
  ['es', ['Objetivos de Desarrollo Sostenible'], 'los objetivos de desarrollo sostenibles', true],
  ['es', ['Objetivos de Desarrollo Sostenible'], 'los Objetivos del Desarrollo Sostenible', false],
  ['es', ['desarrollo sostenible'], 'desarrollo duradero', false],
  ['ca', ['OIM'], "de l'OIM", true],
  ['ca', ['ODS'], 'd’ODS', true],
  ['ca', ['Nacions Unides'], 'la Nació Unida', true],
  ['fr', ['États Membres'], 'les Etats membres', true],
  ['en', [], 'anything', false]
]

describe('targetHasTerm', () => {
  for (const [locale, expected, target, present] of presence) {
    it(`${locale}: ${JSON.stringify(expected)} ${present ? 'in' : 'not in'} ${JSON.stringify(target)}`, () => {
      expect(targetHasTerm(target, hit(expected), locale)).toBe(present)
    })
  }

  it('wants do-not-translate text verbatim', () => {
    const phone = hit([], [], {kind: 'pattern', concept: 'phone', text: '+41 22 717 9416', dnt: true})
    expect(targetHasTerm('Tel: +41 22 717 9416.', phone, 'en')).toBe(true)
    expect(targetHasTerm('Tel: +41 22 717 94 16.', phone, 'en')).toBe(false)
    const name = hit([], [], {text: 'Economist Intelligence Unit', dnt: true})
    expect(targetHasTerm('la Economist Intelligence Unit', name, 'es')).toBe(true)
    expect(targetHasTerm('la Unidad de Inteligencia del Economist', name, 'es')).toBe(false)
  })
})

describe('findForbidden', () => {
  it('reports forbidden and deprecated terms as written in the target', () => {
    const iom = hit(['IOM', 'International Organization for Migration'], ['International Organisation for Migration'])
    expect(findForbidden('The International Organisation for Migration (IOM)', iom, 'en')).toEqual(['International Organisation for Migration'])
    expect(findForbidden('the international organisations for migration', iom, 'en')).toEqual(['international organisations for migration'])
    expect(findForbidden('The International Organization for Migration', iom, 'en')).toEqual([])
    const development = hit(['desarrollo sostenible'], ['desarrollo sustentable'])
    expect(findForbidden('el desarrollo sustentable y el desarrollo sostenible', development, 'es')).toEqual(['desarrollo sustentable'])
  })

  it('does not count a forbidden term inside an expected one', () => {
    const compact = hit(['Global Compact for Migration'], ['Global Compact'])
    expect(findForbidden('the Global Compact for Migration', compact, 'en')).toEqual([])
    expect(findForbidden('the Global Compact for Migration and the Global Compact', compact, 'en')).toEqual(['Global Compact'])
  })

  it('has nothing to report for do-not-translate items', () => {
    expect(findForbidden('x', hit([], ['x'], {dnt: true}), 'en')).toEqual([])
  })
})

describe('the same target checked again', () => {
  it('reads it with the locale asked for each time (a target is tokenised once per locale, then reused)', () => {
    const international = hit(['international'])
    // French folds `-aux` plurals to `-al`; English does not.
    expect(targetHasTerm('bureaux internationaux', international, 'fr')).toBe(true)
    expect(targetHasTerm('bureaux internationaux', international, 'en')).toBe(false)
    expect(targetHasTerm('bureaux internationaux', international, 'fr')).toBe(true)
    expect(targetHasTerm('bureau national', international, 'fr')).toBe(false)
    expect(findForbidden('bureaux internationaux', hit(['bureau'], ['international']), 'fr')).toEqual(['internationaux'])
    expect(findForbidden('bureaux internationaux', hit(['bureau'], ['international']), 'en')).toEqual([])
  })
})
