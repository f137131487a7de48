// The rules of the ingest core, one by one: slugs, dates, blocks, the shared
// navigation, escaping, and the public API.
import {readFile} from 'node:fs/promises'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import * as ingest from '../src/ingest/index.ts'
import {cleanSiteLines, findFullDate, findSharedBlock, ingestPages, linesToBlocks, slugify, statedDate, uniqueSlug} from '../src/ingest/index.ts'
import {parsedTree, seedPaths} from './ingest-helpers.ts'
import {needsShared} from './helpers/shared.ts'

describe('public api', () => {
  it('should expose the public api', () => {
    expect(Object.keys(ingest).sort()).toEqual([
      'blockTexts',
      'buildTree',
      'cleanSiteLines',
      'defaultSiteTitle',
      'findFullDate',
      'findSharedBlock',
      'ingestFiles',
      'ingestPages',
      'linesToBlocks',
      'maxSlugLength',
      'parseMarkdown',
      'siteSlug',
      'slugify',
      'statedDate',
      'stringifyTree',
      'uniqueSlug'
    ])
  })
})

describe('slugify', () => {
  it('folds accents and ligatures, lowercases, joins words with hyphens', () => {
    expect(slugify('L’OIM à Genève : « Cœur » & Æther — Straße')).toBe('l-oim-a-geneve-coeur-aether-strasse')
  })
  it('cuts at a word boundary within 60 characters', () => {
    const slug = slugify('Les autorités locales à Turin sont formées à la gouvernance des migrations')
    expect(slug).toBe('les-autorites-locales-a-turin-sont-formees-a-la-gouvernance')
    expect(slug.length).toBeLessThanOrEqual(60)
    expect(slugify('a'.repeat(59) + ' bc')).toBe('a'.repeat(59))
    expect(slugify('a'.repeat(57) + ' bc')).toBe(`${'a'.repeat(57)}-bc`)
    expect(slugify('x'.repeat(80))).toBe('x'.repeat(60))
  })
  it('gives an empty slug when nothing is left, and is stable', () => {
    expect(slugify('« — »')).toBe('')
    expect(slugify('Même titre')).toBe(slugify('Même titre'))
  })
  it('numbers collisions from -2', () => {
    expect(uniqueSlug('titre', new Set(['titre', 'titre-2']))).toBe('titre-3')
    expect(uniqueSlug('a'.repeat(60), new Set(['a'.repeat(60)]))).toHaveLength(60)
  })
  it('gives two articles with the same title distinct slugs', () => {
    const menu = 'Accueil\nMenu\n'
    const pages = ['Même titre', 'Même titre', 'Autre', 'Encore'].map((title, index) => ({name: `${index}.txt`, text: `${menu}${title}\nParis - Texte ${index}.\n`}))
    const result = ingestPages(pages)
    expect(result.articles.map((page) => page.slug)).toEqual(['meme-titre', 'meme-titre-2', 'autre', 'encore'])
    expect(result.site?.markdown).toContain('Accueil')
    expect(result.site?.markdown).not.toContain('Même titre')
  })
})

describe('dates', () => {
  it('reads full French dates, the first day of a range', () => {
    expect(findFullDate('le 20 juin 2017')).toBe('2017-06-20')
    expect(findFullDate('les 16 et 17 novembre 2017, à Malines')).toBe('2017-11-16')
    expect(findFullDate('du 1er au 3 Décembre 2019')).toBe('2019-12-01')
    expect(findFullDate('16-17 août 2018')).toBe('2018-08-16')
    expect(findFullDate('du 30 novembre au 2 décembre 2017')).toBe('2017-11-30')
    expect(findFullDate('du 31 décembre au 2 janvier 2018')).toBe('2017-12-31')
  })
  it('gives none for partial or impossible dates', () => {
    expect(findFullDate('cette semaine (20-24/11)')).toBeUndefined()
    expect(findFullDate('Date d’établissement : 2006')).toBeUndefined()
    expect(findFullDate('en octobre 2016')).toBeUndefined()
    expect(findFullDate('le 30 février 2017')).toBeUndefined()
  })
  it('takes the date from the title or a dateline lead only', () => {
    expect(statedDate('Titre', 'Suisse - Le 20 juin 2017, l’OIM…')).toBe('2017-06-20')
    expect(statedDate('Titre', 'Genève, le 3 mai 2017 – L’OIM…')).toBe('2017-05-03')
    expect(statedDate('Sommet du 4 avril 2022', 'Un texte.')).toBe('2022-04-04')
    expect(statedDate('Titre', 'L’Assemblée générale a, dans sa résolution 58/208 du 23 décembre 2003, décidé…')).toBeUndefined()
    expect(statedDate('Titre', undefined)).toBeUndefined()
  })
})

describe('blocks', () => {
  it('makes a heading of a short line before text or a list, not before a short line', () => {
    expect(linesToBlocks(['Objectifs', 'Un texte qui suit.', 'Liste', '- a', 'Fin sans point'])).toEqual([
      {kind: 'heading', depth: 2, text: 'Objectifs'},
      {kind: 'paragraph', text: 'Un texte qui suit.'},
      {kind: 'heading', depth: 2, text: 'Liste'},
      {kind: 'list', items: ['a']},
      {kind: 'paragraph', text: 'Fin sans point'}
    ])
  })
  it('never makes a heading of a sentence, a field, a line with an e-mail, or a long line', () => {
    const lines = ['Nous devons agir. Maintenant.', 'Courriel : a@b.org', 'Écrire à a@b.org', 'x'.repeat(81), 'Texte final.']
    expect(linesToBlocks(lines).every((block) => block.kind === 'paragraph')).toBe(true)
  })
  it('reads a heading-like item followed by a lone dash as a tab label', () => {
    expect(linesToBlocks(['- Observateurs', '-', '- FAO', '- BIT'])).toEqual([
      {kind: 'heading', depth: 2, text: 'Observateurs'},
      {kind: 'list', items: ['FAO', 'BIT']}
    ])
  })
  it('splits lists at a lone dash after an item that ends a sentence', () => {
    expect(linesToBlocks(['- un ;', '- deux.', '-', '- trois'])).toEqual([
      {kind: 'list', items: ['un ;', 'deux.']},
      {kind: 'list', items: ['trois']}
    ])
  })
  it('puts back an item whose dash the scraper dropped', () => {
    expect(linesToBlocks(['- HCR', 'Université des Nations Unies (UNU)', '- Banque mondiale'])).toEqual([
      {kind: 'list', items: ['HCR', 'Université des Nations Unies (UNU)', 'Banque mondiale']}
    ])
  })
  it('gives a heading and its subtitle levels 2 and 3, and only the last of longer runs a heading', () => {
    expect(linesToBlocks(['Rapport phare', 'Exploiter la mobilité', 'Ce rapport montre.'])).toEqual([
      {kind: 'heading', depth: 2, text: 'Rapport phare'},
      {kind: 'heading', depth: 3, text: 'Exploiter la mobilité'},
      {kind: 'paragraph', text: 'Ce rapport montre.'}
    ])
    expect(linesToBlocks(['Agir', 'Travailler avec nous', 'Engagez-vous', '- Don']).map((block) => block.kind)).toEqual([
      'paragraph',
      'paragraph',
      'heading',
      'list'
    ])
  })
  it('keeps an address as paragraphs', () => {
    const address = ['Population Division', 'United Nations Headquarters, 2 United Nations Plaza', 'Rm. DC2-1950', 'New York, NY 10017 États-Unis', 'Télécopie : + 1-212-963-2147']
    expect(linesToBlocks(address).every((block) => block.kind === 'paragraph')).toBe(true)
  })
})

describe('shared navigation', () => {
  it.runIf(needsShared('seeds', 'shared navigation of the real seeds (test/ingest-rules.test.ts)'))('is the longest leading run shared by a majority of the pages', async () => {
    const pages = await Promise.all(seedPaths.map(async (path) => (await readFile(path, 'utf8')).split('\n')))
    const block = findSharedBlock(pages)
    expect(block).toHaveLength(29)
    expect(block.at(-1)).toBe('- 2030 AGENDA')
    expect(findSharedBlock(pages.slice(0, 1))).toEqual([])
    expect(findSharedBlock([['a', 'b', 'x'], ['a', 'b', 'y'], ['c']])).toEqual(['a', 'b'])
    // Two pages of four sharing more (a title) do not extend the block.
    expect(findSharedBlock([['m', 't'], ['m', 't'], ['m', 'u'], ['m', 'v']])).toEqual(['m'])
  })
  it('is cleaned: lone dashes dropped, doubled labels kept once, teasers split off', () => {
    expect(cleanSiteLines(['-', 'Qui', 'QuiL’Organisation…', 'Structure', 'Structure', '- Bureau', '-', 'Agir', 'Agirx'])).toEqual([
      'Qui',
      'L’Organisation…',
      'Structure',
      '- Bureau',
      'Agir',
      'Agirx'
    ])
  })
})

describe('escaping', () => {
  const roundTrips = (lines: string[]): void => {
    const result = ingestPages([{name: 'page.txt', text: lines.join('\n')}])
    for (const page of result.articles) expect(parsedTree(page.markdown)).toEqual(page.tree)
  }

  it('writes Markdown that parses back to the built tree, whatever the characters', () => {
    // Every character that means something in Markdown, glued in any order.
    // `@` and `www.` are left to the next property: GFM autolinks glued to
    // escaped characters (`www.\@a`, `a@b.org-.x`) keep backslashes or break
    // the autolink, quirks no tree of the original text can round-trip.
    const character = fc.constantFrom(...'ab Zé1.9*_#[]()<>&;\\`!-+=~|:/'.split(''), '- ', '1. ', '&amp;', '***', '---')
    const line = fc.string({unit: character, minLength: 1, maxLength: 24}).filter((text) => text.trim() !== '')
    fc.assert(fc.property(fc.array(line, {minLength: 2, maxLength: 6}), roundTrips), {numRuns: 300})
  })

  it('writes Markdown that parses back to the built tree, with e-mails and URLs among words', () => {
    const word = fc.constantFrom(
      'la', 'OIM', '*vite*', '_a_', '[note]', '<b>', 'M&D', '5', '*', '#2', '1.', 'a_b', '`code`', '\\', '«', '»', ':',
      'decorte@un.org', 'a.b+c@iom.int', '(ipopp@iom.int)', 'www.iom.int', 'www.iom.int/fr/news_2017', 'https://www.iom.int/fr.',
      'http://x.org/a_b?c=d&e=f', '<https://x.org>', '[lien](http://x.org)'
    )
    const line = fc.array(word, {minLength: 1, maxLength: 8}).map((words) => words.join(' '))
    fc.assert(fc.property(fc.array(line, {minLength: 2, maxLength: 6}), roundTrips), {numRuns: 200})
  })
})
