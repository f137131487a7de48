import fc from 'fast-check'
import type {PhrasingContent} from 'mdast'
import {describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {escapeText, parseTags, renderTagged, unescapeText} from '../src/segment/index.ts'
import type {TagBindings} from '../src/segment/index.ts'

const link: PhrasingContent = {type: 'link', url: 'https://www.iom.int', title: null, children: [{type: 'text', value: 'site'}]}
const strong: PhrasingContent = {type: 'strong', children: [{type: 'text', value: 'gras'}]}
const code: PhrasingContent = {type: 'inlineCode', value: 'a < {b}'}
const tags: TagBindings = {
  1: {kind: 'paired', node: link},
  2: {kind: 'paired', node: strong},
  3: {kind: 'selfClosing', node: code}
}

const text = (value: string): PhrasingContent => ({type: 'text', value})

function code_(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return isPasserelleError(error) ? error.code : `not a PasserelleError: ${String(error)}`
  }
  return undefined
}

describe('renderTagged', () => {
  it('keeps French apostrophes (ICU quoting characters)', () => {
    expect(renderTagged("l'OIM et l'ONU ont dit 'oui' ''", {})).toEqual([text("l'OIM et l'ONU ont dit 'oui' ''")])
  })

  it('keeps braces, #, and ICU-looking syntax as text', () => {
    const value = "{count, plural, one {# pays} other {# pays}} et l'{x} '{'"
    expect(renderTagged(value, {})).toEqual([text(value)])
  })

  it('decodes &lt; and &amp;, and entities engines send back', () => {
    expect(renderTagged('a &lt; b &amp;&amp; c > d &quot;e&quot; &#39;f&#x27; M&D', {})).toEqual([text(`a < b && c > d "e" 'f' M&D`)])
  })

  it('rebuilds paired tags as copies of the source node with translated children', () => {
    const nodes = renderTagged("See the <1>IOM's site</1>.", tags)
    expect(nodes).toEqual([text('See the '), {...link, children: [text("IOM's site")]}, text('.')])
    expect(nodes[1]).not.toBe(link)
  })

  it('rebuilds nested tags, in the order the target gives', () => {
    expect(renderTagged('<2>bold</2> then <1>a <2>bold</2> link</1>', tags)).toEqual([
      {...strong, children: [text('bold')]},
      text(' then '),
      {...link, children: [text('a '), {...strong, children: [text('bold')]}, text(' link')]}
    ])
  })

  it('rebuilds self-closing tags as copies of the source node', () => {
    const nodes = renderTagged("l'<3/> {x}", tags)
    expect(nodes).toEqual([text("l'"), code, text(' {x}')])
    expect(nodes[1]).not.toBe(code)
  })

  it('accepts a paired tag used twice, a self-closing tag used twice, and omitted tags', () => {
    const nodes = renderTagged('<1>a</1> and <1>b</1> <3/><3/>', tags)
    expect(nodes).toEqual([{...link, children: [text('a')]}, text(' and '), {...link, children: [text('b')]}, text(' '), code, code])
    expect(nodes[0]).not.toBe(nodes[2])
    expect(renderTagged('no tags at all', tags)).toEqual([text('no tags at all')])
  })

  it('accepts empty text and an empty paired tag', () => {
    expect(renderTagged('', tags)).toEqual([])
    expect(renderTagged('<1></1>', tags)).toEqual([{...link, children: []}])
  })

  it('does not change the source nodes', () => {
    const before = structuredClone(tags)
    renderTagged('<1>x <2>y</2></1> <3/>', tags)
    expect(tags).toEqual(before)
  })

  it.each([
    ['an unknown tag number', '<4>x</4>'],
    ['an unknown self-closing tag', 'x <9/>'],
    ['an unclosed tag', '<1>x'],
    ['a closing tag that is not open', 'x</1>'],
    ['crossing tags (tag soup)', '<1><2>a</1></2>'],
    ['HTML instead of numbered tags', '<b>x</b>'],
    ['a raw < (must be &lt;)', 'a < b'],
    ['a paired tag written self-closing', '<1/>'],
    ['a self-closing tag written paired', '<3>x</3>'],
    ['a tag nested in itself', '<1>a <1>b</1></1>'],
    ['tag zero', '<0>x</0>']
  ])('refuses %s with E_INPUT', (_title, value) => {
    expect(code_(() => renderTagged(value, tags))).toBe('E_INPUT')
  })

  it('renders any escaped text back to exactly that text (ICU escaping is complete)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme'}), fc.string({unit: fc.constantFrom("'", '{', '}', '<', '>', '#', '&', '|', 'a', ' ')}), (a, b) => {
        const value = a + b
        const rendered = renderTagged(escapeText(value), {})
        expect(rendered.map((node) => (node.type === 'text' ? node.value : '?')).join('')).toBe(value)
      })
    )
  })

  // Text without tags skips formatjs; with a tag it goes through ICU escaping and formatting.
  it('renders any escaped text around a tag back to exactly that text', () => {
    const unit = fc.constantFrom("'", '{', '}', '<', '>', '#', '&', '|', 'a', ' ', '?')
    fc.assert(
      fc.property(fc.string({unit}), fc.string({unit: 'grapheme'}), (a, b) => {
        const rendered = renderTagged(`${escapeText(a)}<3/>${escapeText(b)}`, tags)
        expect(rendered.filter((node) => node.type === 'inlineCode')).toEqual([code])
        expect(rendered.map((node) => (node.type === 'text' ? node.value : '\u0000')).join('')).toBe(`${a}\u0000${b}`)
      })
    )
  })
})

describe('parseTags', () => {
  it('lists paired and self-closing numbers in order of first appearance', () => {
    const parsed = parseTags('<2>a <3/></2> <1>b</1> <3/> <2>c</2>')
    expect(parsed.paired).toEqual([2, 1])
    expect(parsed.selfClosing).toEqual([3])
  })

  it('accepts `<1 />` as engines echo it', () => {
    expect(parseTags('x <1 />').selfClosing).toEqual([1])
  })

  it('treats escaped < as text', () => {
    expect(parseTags('a &lt;1> b').tokens).toEqual([{type: 'text', value: 'a &lt;1> b', start: 0, end: 10}])
  })

  it('refuses a number used both ways', () => {
    expect(code_(() => parseTags('<1>a</1> <1/>'))).toBe('E_INPUT')
  })
})

describe('escapeText / unescapeText', () => {
  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('&', 'a', 'm', 'p', 'l', 't', ';', '<', '#', '1', 'x')}), (value) => {
        expect(unescapeText(escapeText(value))).toBe(value)
      })
    )
  })

  it('escapes only & and <', () => {
    expect(escapeText(`a<b>&"'`)).toBe(`a&lt;b>&amp;"'`)
  })
})
