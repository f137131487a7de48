import fc from 'fast-check'
import {XMLValidator} from 'fast-xml-parser'
import {describe, expect, it} from 'vitest'
import {alignWhitespace, fromDeeplXml, toDeeplXml} from '../src/engines/deepl/xml.ts'

const valid = (xml: string) => XMLValidator.validate(`<r>${xml}</r>`) === true

describe('toDeeplXml', () => {
  it('maps paired, nested and self-closing tags to valid XML', () => {
    const text = 'Voir <1>le <2>site</2> de l’OIM</1> et <3/>.'
    const xml = toDeeplXml(text)
    expect(xml).toBe('Voir <x i="1">le <x i="2">site</x> de l’OIM</x> et <x i="3"/>.')
    expect(valid(xml)).toBe(true)
  })

  it('keeps &lt; and &amp; and escapes what XML would refuse', () => {
    expect(toDeeplXml('a &lt; b &amp; c > d')).toBe('a &lt; b &amp; c > d')
    expect(toDeeplXml('R&D \u0007ok')).toBe('R&amp;D ok')
    expect(valid(toDeeplXml('R&D <b> &lt;'))).toBe(true)
  })

  it('turns unmatched and crossing tags into standalone markers', () => {
    const text = '<1>a <2>b</1> c</2> <3>'
    const xml = toDeeplXml(text)
    expect(valid(xml)).toBe(true)
    expect(xml).toContain('<x i="3" t="b"/>')
    expect(fromDeeplXml(xml, text)).toBe(text)
  })

  it('wraps keep spans in <k>, skipping spans that cross tags or cut entities', () => {
    const text = 'Le Missing Migrants Project et <1>R&amp;D</1>.'
    const xml = toDeeplXml(text, [
      {start: 3, end: 27},
      {start: 30, end: 34}, // crosses <1>
      {start: 36, end: 38} // ends inside &amp;
    ])
    expect(xml).toBe('Le <k>Missing Migrants Project</k> et <x i="1">R&amp;D</x>.')
  })
})

describe('fromDeeplXml', () => {
  it('is tolerant of spacing, quoting and expanded empty tags', () => {
    const source = 'Voir <1>le site</1> et <2/>.'
    expect(fromDeeplXml(`See < x  i = '1' >the site</ x > and <x i="2" />.`, source)).toBe('See <1>the site</1> and <2/>.')
    expect(fromDeeplXml('See <x i="1">the site</x> and <x i="2"></x>.', source)).toBe('See <1>the site</1> and <2/>.')
    expect(fromDeeplXml('See <x\n i="1"\n>the site</x\n> and <x i="2"/>.', source)).toBe('See <1>the site</1> and <2/>.')
  })

  it('brings entities back to segment form', () => {
    expect(fromDeeplXml('a &lt; b &gt; c &amp; d &quot;e&quot; &#39;f&#x27; &apos;')).toBe(`a &lt; b > c &amp; d "e" 'f' '`)
  })

  it('drops keep tags and stray closing tags, keeps unknown tags as text', () => {
    expect(fromDeeplXml('<k>IOM</k> says</x> <b>hi</b>')).toBe('IOM says &lt;b>hi&lt;/b>')
  })

  it('round-trips any segment text', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', ' ', 'é', '«', '»', '&amp;', '&lt;', '>', '"', "'", '深', '\n', '.'),
      fc.integer({min: 1, max: 4}).map((n) => `<${n}>`),
      fc.integer({min: 1, max: 4}).map((n) => `</${n}>`),
      fc.integer({min: 1, max: 4}).map((n) => `<${n}/>`)
    )
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 30}), (pieces) => {
        const text = pieces.join('')
        const xml = toDeeplXml(text)
        expect(valid(xml)).toBe(true)
        expect(fromDeeplXml(xml, text)).toBe(text)
      }),
      {numRuns: 500}
    )
  })

  it('round-trips with any keep spans, which never break the XML', () => {
    const piece = fc.constantFrom('a', ' ', 'é', '&amp;', '&lt;', '<1>', '</1>', '<2/>', 'OIM')
    const input = fc.array(piece, {maxLength: 20}).chain((pieces) => {
      const text = pieces.join('')
      const offset = fc.integer({min: 0, max: text.length})
      return fc.tuple(fc.constant(text), fc.array(fc.tuple(offset, offset), {maxLength: 4}))
    })
    fc.assert(
      fc.property(input, ([text, pairs]) => {
        const spans = pairs.map(([a, b]) => ({start: Math.min(a, b), end: Math.max(a, b)}))
        const xml = toDeeplXml(text, spans)
        expect(valid(xml)).toBe(true)
        expect(fromDeeplXml(xml, text)).toBe(text)
      }),
      {numRuns: 500}
    )
  })
})

describe('alignWhitespace', () => {
  it('moves spaces DeepL put inside tags back outside, and restores outer whitespace', () => {
    const source = 'Voir <1>le site</1>, puis <2>ici</2>.'
    expect(alignWhitespace('See <1> the site </1>, then<2> here</2>.', source)).toBe('See <1>the site</1>, then <2>here</2>.')
    expect(alignWhitespace('  Hello  world ', 'Bonjour le monde\n')).toBe('Hello world\n')
    expect(alignWhitespace('a  b', 'x  y')).toBe('a  b')
  })

  it('keeps spaces the source had inside tags', () => {
    expect(alignWhitespace('<1> a </1>', '<1> b </1>')).toBe('<1> a </1>')
  })
})
