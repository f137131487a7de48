import {describe, expect, it} from 'vitest'
import {hashText, parseArticle} from '../src/segment/index.ts'

const ids = (markdown: string): Map<string, string> =>
  new Map(parseArticle(markdown).segments.map((segment) => [segment.id, segment.source]))

describe('hashText', () => {
  it('is 12 hex characters of SHA-256, stable across runs', () => {
    expect(hashText('Nous devons agir.')).toMatch(/^[0-9a-f]{12}$/)
    // Pinned: a change of the hash function would orphan every stored translation.
    expect(hashText('Nous devons agir.')).toBe('43227f1847ca')
  })

  it('ignores whitespace differences and Unicode normalisation form', () => {
    const base = hashText('Le Pacte mondial est adopté.')
    expect(hashText('  Le Pacte\n mondial\u00a0est   adopté. ')).toBe(base)
    expect(hashText('Le Pacte mondial est adopte\u0301.')).toBe(base)
    expect(hashText('Le pacte mondial est adopté.')).not.toBe(base)
  })
})

describe('segment ids', () => {
  it('are the same for the same sentence in two articles, wherever it stands', () => {
    const a = parseArticle('# Titre\n\nNous devons agir. Maintenant.\n')
    const b = parseArticle('Autre texte.\n\n- Maintenant.\n\n| Maintenant. |\n| --- |\n')
    const now = (segments: typeof a.segments) => segments.filter((segment) => segment.source === 'Maintenant.')
    expect(now(a.segments).map((segment) => segment.id)).toEqual([hashText('Maintenant.')])
    expect(now(b.segments).map((segment) => segment.id)).toEqual([hashText('Maintenant.'), `${hashText('Maintenant.')}-2`])
  })

  it('number tags within each segment, so a sentence has the same text and id in any paragraph', () => {
    const a = parseArticle('Un *premier* mot. Voir [le site](https://www.iom.int).\n')
    const b = parseArticle('Voir [le site](https://www.iom.int). Un **autre** mot.\n')
    const see = (article: typeof a) => article.segments.find((segment) => segment.source.startsWith('Voir'))
    expect(see(a)?.source).toBe('Voir <1>le site</1>.')
    expect(see(a)?.id).toBe(see(b)?.id)
  })

  it('survive reordering of blocks', () => {
    const blocks = ['# Objectifs', 'Le dialogue a pour objectif d’examiner les migrations. Il porte sur le développement.', '- Migration et développement', '| Pays |\n| --- |\n| Belgique |']
    const before = parseArticle(blocks.join('\n\n'))
    const after = parseArticle([...blocks].reverse().join('\n\n'))
    const entries = (article: typeof before) => article.segments.map((segment) => [segment.id, segment.source]).sort()
    expect(entries(after)).toEqual(entries(before))
    expect(entries(before)).toHaveLength(6)
    const unitIds = (article: typeof before) => new Set(article.units.map((unit) => unit.id))
    expect(unitIds(after)).toEqual(unitIds(before))
  })

  it('change only for the sentence that changed', () => {
    const before = ids('Première phrase. Deuxième phrase. Troisième phrase.\n')
    const after = ids('Première phrase. Deuxième phrase modifiée. Troisième phrase.\n')
    const kept = [...before.keys()].filter((id) => after.has(id))
    expect(kept).toHaveLength(2)
    expect([...after.keys()].filter((id) => !before.has(id)).map((id) => after.get(id))).toEqual(['Deuxième phrase modifiée.'])
  })

  it('get -2, -3 for repeats within one article, in document order', () => {
    const article = parseArticle('Merci. Merci.\n\n# Merci.\n')
    const hash = hashText('Merci.')
    expect(article.segments.map((segment) => [segment.id, segment.hash, segment.kind])).toEqual([
      [hash, hash, 'paragraph'],
      [`${hash}-2`, hash, 'paragraph'],
      [`${hash}-3`, hash, 'heading']
    ])
  })

  it('give units ids from their text, and fm: ids for front-matter fields', () => {
    const article = parseArticle('---\ntitle: Titre\ndescription: Résumé.\n---\n\nTexte.\n\nTexte.\n')
    expect(article.units.map((unit) => unit.id)).toEqual(['fm:title', 'fm:description', `u${hashText('Texte.')}`, `u${hashText('Texte.')}-2`])
  })
})
