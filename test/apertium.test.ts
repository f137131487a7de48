import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {fromApertiumHtml, toApertiumHtml} from '../src/engines/apertium/html.ts'
import {stripMarkers} from '../src/engines/apertium/markers.ts'
import {isPasserelleError} from '../src/errors.ts'
import type {TermHit} from '../src/types.ts'

const cases = readFileSync(new URL('fixtures/apertium/from-html.txt', import.meta.url), 'utf8')
  .replace(/^#.*\n/gm, '')
  .split(/^===\n/m)
  .map((block) => {
    const [name, rest] = [block.slice(0, block.indexOf('\n')), block.slice(block.indexOf('\n') + 1)]
    const [input, expected] = rest.split(/^---\n/m)
    return {name, input: input!.replace(/\n$/, ''), expected: expected!.replace(/\n$/, '')}
  })

describe('Apertium HTML mapping', () => {
  it.each(cases)('$name', ({input, expected}) => {
    expect(fromApertiumHtml(input)).toBe(expected)
  })

  it('maps numbered tags to inline HTML Apertium keeps, escaping a literal >', () => {
    expect(toApertiumHtml('Voir <1>le <2>site</2></1>, <3/> &lt; 5 > 3')).toBe(
      'Voir <b data-t="1">le <b data-t="2">site</b></b>, <br data-t="3"> &lt; 5 &gt; 3'
    )
  })

  it('round-trips tagged text when the engine changes nothing', () => {
    const text = 'A <1>b <2>c</2> d</1> e <3/> f &amp; g &lt; h > i'
    expect(fromApertiumHtml(toApertiumHtml(text))).toBe(text)
  })

  it('strips unknown-word markers and records the words', () => {
    expect(stripMarkers('El *Zorglub y #vino @tarde, 5 * 3, a@b')).toEqual({text: 'El Zorglub y vino tarde, 5 * 3, a@b', unknown: ['Zorglub']})
  })
})

const installed = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'})
  } catch {
    return ''
  }
})()

// CI installs Apertium (scripts/setup.sh); the integration tests must run there.
describe.runIf(installed.includes('fr-es') || process.env.CI)('Apertium engine (real processes)', () => {
  const hit = (text: string, start: number, expected: string[], dnt = false): TermHit => ({
    concept: dnt ? 'email' : 'iom',
    kind: dnt ? 'pattern' : 'term',
    start,
    end: start + text.length,
    text,
    dnt,
    expected,
    forbidden: []
  })
  const source = "Le rôle de l'OIM est clé pour <1>le site <2>officiel</2> de la ville</1>, écrivez à <3/> ou ipopp@iom.int."
  const batch = [
    {id: 'a', text: source, hits: [hit('OIM', 13, ['IOM']), hit('ipopp@iom.int', source.indexOf('ipopp'), [], true)]},
    {id: 'b', text: 'Les maires de Malines et de Zorglubville sont ravis.', hits: []}
  ]

  it('translates fr→es directly with one process per batch, keeping tags, terms and dnt items', async () => {
    const engine = createApertiumEngine()
    await engine.check('fr', 'es')
    const [a, b] = await engine.translate(batch, {from: 'fr', to: 'es'})
    expect(engine.calls).toBe(1)
    expect(a!.text).toMatch(/^El rol del IOM es/)
    expect(a!.text).toContain('<1>')
    expect(a!.text).toContain('<2>oficial</2>')
    expect(a!.text).toContain('<3/>')
    expect(a!.text).toContain('ipopp@iom.int')
    expect(b!.unknown).toContain('Zorglubville')
    expect(engine.route('fr', 'es')).toBe('fr-es')
  })

  it('translates fr→en through Spanish (two processes per batch) and fr→ca directly', async () => {
    const engine = createApertiumEngine()
    const [en] = await engine.translate(batch, {from: 'fr', to: 'en'})
    expect(engine.calls).toBe(2)
    expect(en!.text).toMatch(/^The role of the IOM is key/)
    expect(en!.text).toMatch(/<1>.*<2>official<\/2>.*<\/1>/)
    expect(engine.route('fr', 'en')).toBe('fr-es|spa-eng')
    const [ca] = await engine.translate(batch, {from: 'fr', to: 'ca'})
    expect(ca!.text).toMatch(/^El paper/)
    expect(engine.calls).toBe(3)
  })

  it('refuses a target it has no route to, and a missing binary, with typed errors', async () => {
    const engine = createApertiumEngine()
    await expect(engine.check('fr', 'de')).rejects.toSatisfy((error) => isPasserelleError(error, 'E_LOCALE'))
    const missing = createApertiumEngine({binary: '/nonexistent/apertium'})
    await expect(missing.check('fr', 'es')).rejects.toSatisfy((error) => isPasserelleError(error, 'E_ENGINE_MISSING'))
  })
})
