import {describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import type {PasserelleError} from '../src/errors.ts'
import {parseArticle, rebuild, rebuildArticle} from '../src/segment/index.ts'

function thrown(fn: () => unknown): PasserelleError {
  try {
    fn()
  } catch (error) {
    if (isPasserelleError(error)) return error
    throw error
  }
  throw new Error('expected a PasserelleError')
}

const article = `---
# Métadonnées
title: "L'OIM et les partenaires" # gardé entre guillemets
description: >-
  Le 20 juin 2017, l’OIM a organisé un événement. Il portait sur la gouvernance.
date: 2017-06-20
tags: [migration, gouvernance]
---

Texte.
`

describe('front matter: reading', () => {
  it.each([
    ['invalid YAML', '---\ntitle: "non fermé\n---\n\nTexte.\n'],
    ['a list instead of a mapping', '---\n- a\n- b\n---\n\nTexte.\n'],
    ['a scalar instead of a mapping', '---\njuste du texte\n---\n\nTexte.\n'],
    ['duplicate keys', '---\ntitle: A\ntitle: B\n---\n\nTexte.\n'],
    ['a title that is a number', '---\ntitle: 2017\n---\n\nTexte.\n'],
    ['a description that is a list', '---\ndescription: [a, b]\n---\n\nTexte.\n']
  ])('refuses %s with E_FRONTMATTER, naming the file', (_title, markdown) => {
    const error = thrown(() => parseArticle(markdown, {file: 'content/fr/x.md'}))
    expect(error.code).toBe('E_FRONTMATTER')
    expect(error.file).toBe('content/fr/x.md')
    expect(error.hint).toBeTruthy()
  })

  it('gives the line of a YAML error in the file', () => {
    expect(thrown(() => parseArticle('---\ntitle: ok\nbad: [\n---\n')).message).toMatch(/line \d/)
  })

  it('accepts empty front matter, a null title and no front matter', () => {
    expect(parseArticle('---\n---\n\nTexte.\n').frontmatter).toEqual({})
    expect(parseArticle('---\ntitle:\n---\n\nTexte.\n').units.map((unit) => unit.id)).not.toContain('fm:title')
    expect(parseArticle('Texte.\n').frontmatter).toEqual({})
  })

  it('segments title and description (split into sentences), nothing else', () => {
    const parsed = parseArticle(article)
    expect(parsed.frontmatter).toMatchObject({title: "L'OIM et les partenaires", date: '2017-06-20'})
    expect(parsed.segments.filter((segment) => segment.kind === 'frontmatter').map((segment) => [segment.unit, segment.source])).toEqual([
      ['fm:title', "L'OIM et les partenaires"],
      ['fm:description', 'Le 20 juin 2017, l’OIM a organisé un événement.'],
      ['fm:description', 'Il portait sur la gouvernance.']
    ])
  })

  it('escapes < and & in front-matter text like any segment text', () => {
    const parsed = parseArticle('---\ntitle: A < B & C\n---\n')
    expect(parsed.segments[0]?.source).toBe('A &lt; B &amp; C')
    expect(rebuildArticle(parsed, () => 'X &lt; Y &amp; Z')).toBe('---\ntitle: X < Y & Z\n---\n')
  })
})

describe('front matter: rebuilding', () => {
  const parsed = parseArticle(article)
  const english: Record<string, string> = {
    "L'OIM et les partenaires": 'IOM and its partners',
    'Le 20 juin 2017, l’OIM a organisé un événement.': 'On 20 June 2017, IOM organised an event.',
    'Il portait sur la gouvernance.': 'It was about governance.'
  }

  it('writes translated fields, keeping comments, order and the other fields as they were', () => {
    expect(rebuildArticle(parsed, (segment) => english[segment.source])).toBe(`---
# Métadonnées
title: "IOM and its partners" # gardé entre guillemets
description: >-
  On 20 June 2017, IOM organised an event. It was about governance.
date: 2017-06-20
tags: [migration, gouvernance]
---

Texte.
`)
  })

  it('keeps a plain scalar plain and quotes only when YAML needs it', () => {
    const plain = parseArticle('---\ntitle: Titre simple\nslug: x\n---\n')
    expect(rebuildArticle(plain, () => 'Plain title')).toBe('---\ntitle: Plain title\nslug: x\n---\n')
    expect(rebuildArticle(plain, () => 'Title: with a colon')).toBe('---\ntitle: "Title: with a colon"\nslug: x\n---\n')
  })

  it('lets the caller transform the front matter, and returns it', () => {
    const result = rebuild(parsed, (segment) => english[segment.source], {
      frontmatter: ({tags: _tags, ...data}) => ({...data, lang: 'en'})
    })
    expect(result.frontmatter).toEqual({
      title: 'IOM and its partners',
      description: 'On 20 June 2017, IOM organised an event. It was about governance.',
      date: '2017-06-20',
      lang: 'en'
    })
    expect(result.markdown).toContain('date: 2017-06-20\nlang: en\n---')
    expect(result.markdown).not.toContain('tags:')
    expect(result.tree.children[0]?.type).toBe('yaml')
  })

  it('adds a front-matter block when the transform adds fields to an article without one', () => {
    expect(rebuildArticle(parseArticle('Texte.\n'), () => undefined, {frontmatter: () => ({lang: 'en'})})).toBe('---\nlang: en\n---\n\nTexte.\n')
  })

  it('removes the block when the transform empties it', () => {
    expect(rebuildArticle(parseArticle('---\nlang: fr\n---\n\nTexte.\n'), () => undefined, {frontmatter: () => ({})})).toBe('Texte.\n')
  })

  it('refuses tags in a front-matter target (there is no markup to put them on)', () => {
    const refused: string[] = []
    const output = rebuildArticle(parseArticle('---\ntitle: Titre\n---\n'), () => '<1>Title</1>', {onInvalid: (segment) => refused.push(segment.id)})
    expect(output).toBe('---\ntitle: Titre\n---\n')
    expect(refused).toHaveLength(1)
  })
})
