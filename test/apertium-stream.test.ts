// Segment text ↔ Apertium stream format (what the long-lived pipelines read
// and write), without Apertium: the blocks we send, and real pipeline output
// read back (captured from `apertium-wblank-mode -z` runs of fr-es and spa-eng).
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {fromApertiumHtml, toApertiumHtml} from '../src/engines/apertium/html.ts'
import {stripMarkers} from '../src/engines/apertium/markers.ts'
import {fromApertiumStream, toApertiumStream} from '../src/engines/apertium/stream.ts'

/** What the engine does with one output block: markers out, tag copies merged. */
const read = (block: string) => {
  const {n, html} = fromApertiumStream(block)
  const stripped = stripMarkers(html)
  return {n, text: fromApertiumHtml(stripped.text), unknown: stripped.unknown}
}

describe('Apertium stream format', () => {
  it('writes paired tags as word-bound blanks, point tags as superblanks, escapes reserved characters, ends with a full stop', () => {
    expect(toApertiumStream('Le <1>site <2>officiel</2></1>, <3/> R&amp;D &lt; 5 > 3 [x] {y} ^z$ a/b \\ c @d #e *f', 7)).toBe(
      '[s7]Le [[t:b:1]]site [[t:b:2]]officiel[[/]][[/]], [t:p:3] R&D \\< 5 \\> 3 \\[x\\] \\{y\\} \\^z\\$ a\\/b \\\\ c \\@d #e *f.[]\n'
    )
  })

  it('reads a reordered span copied onto several words back as one span, and drops the added full stop', () => {
    const output = '[s0]El [[t:b:1]]website[[/]] [[t:b:1]]oficial[[/]] de la [[t:b:2]]Comisión[[/]] [[t:b:2; t:b:3]]europea[[/]] está abierto..[]\n'
    expect(read(output)).toEqual({n: 0, text: 'El <1>website oficial</1> de la <2>Comisión <3>europea</3></2> está abierto.', unknown: []})
  })

  it('reads point tags, escapes and unknown-word markers', () => {
    const output = '[s12]Ver [t:p:1] y \\<x\\> & las \\[ganchos\\] \\^ha\\$ *Zorglubville \\@*b..[]\n'
    expect(read(output)).toEqual({n: 12, text: 'Ver <1/> y &lt;x> &amp; las [ganchos] ^ha$ Zorglubville b.', unknown: ['Zorglubville', 'b']})
  })

  it('keeps a block without its head or its full stop readable, with no segment number', () => {
    expect(fromApertiumStream('Hola mundo')).toEqual({n: undefined, html: 'Hola mundo'})
  })

  it('gives back what the HTML mapping gives for any tagged text the pipeline leaves alone', () => {
    const word = fc.stringMatching(/^[a-zA-Zéà0-9 .,;:!?'()\[\]{}^$@/\\#*+~|-]{1,12}$/)
    const tagged: fc.Arbitrary<string> = fc.letrec<{node: string}>((tie) => ({
      node: fc.oneof(
        {depthSize: 'small', withCrossShrink: true},
        word,
        fc.constantFrom('&lt;', '&amp;', '>'),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => a + b),
        fc.tuple(fc.integer({min: 1, max: 9}), word).map(([n, inner]) => `<${n}>${inner}</${n}>`),
        fc.integer({min: 1, max: 9}).map((n) => `<${n}/>`)
      )
    })).node
    fc.assert(
      fc.property(tagged, fc.nat(999), (text, n) => {
        const block = fromApertiumStream(toApertiumStream(text, n))
        expect(block.n).toBe(n)
        expect(fromApertiumHtml(block.html)).toBe(fromApertiumHtml(toApertiumHtml(text)))
      }),
      {numRuns: 300}
    )
  })
})
