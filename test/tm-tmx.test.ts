import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {isPasserelleError, PasserelleError} from '../src/errors.ts'
import {escapeText as escapeSegmentText} from '../src/segment/index.ts'
import {exportTmx, isoDate, parseTmx, tmxDate} from '../src/tm/tmx.ts'
import type {TmUnit} from '../src/tm/types.ts'
import {segmentStates} from '../src/types.ts'

const fixtures = new URL('./fixtures/tm/', import.meta.url).pathname
const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8')
const scratch = mkdtempSync(join(tmpdir(), 'passerelle-tmx-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

const sample: TmUnit[] = [
  {
    source: 'Voir <1>le site</1> de l’OIM &amp; de l’ONU<2/> : a &lt; b, « 175 » "États".',
    target: 'See <1>the website</1> of IOM &amp; the UN<2/>: a &lt; b, “175” "States".',
    sourceLocale: 'fr',
    targetLocale: 'en',
    hash: '0123456789ab',
    state: 'approved',
    origin: {kind: 'engine', engine: 'apertium', detail: 'fr-es|spa-eng', score: 87, by: 'Zoé Martin'},
    article: 'belgique-conference',
    unit: 'u0123456789ab',
    context: {previousHash: 'aaaaaaaaaaaa', nextHash: 'bbbbbbbbbbbb'},
    retired: true,
    created: '2017-11-16T09:30:00.000Z',
    updated: '2018-01-02T10:30:00.000Z'
  },
  {
    source: 'Texte simple.',
    target: 'Plain text.',
    sourceLocale: 'fr',
    targetLocale: 'en',
    state: 'translated',
    origin: {kind: 'human'}
  }
]

describe('exportTmx', () => {
  const text = exportTmx(sample, {sourceLocale: 'fr', targetLocale: 'en'})

  it('writes a TMX 1.4b header, props, dates and inline elements (not escaped tags)', () => {
    expect(text).toContain(
      '<header creationtool="Passerelle" creationtoolversion="0.1.0" segtype="sentence" o-tmf="Passerelle" adminlang="en" srclang="fr" datatype="unknown"/>'
    )
    expect(text).toContain('<tu creationdate="20171116T093000Z" changedate="20180102T103000Z" changeid="Zoé Martin">')
    expect(text).toContain('<prop type="x-passerelle-state">approved</prop>')
    expect(text).toContain('<prop type="x-passerelle-origin">engine</prop>')
    expect(text).toContain('<prop type="x-passerelle-article">belgique-conference</prop>')
    expect(text).toContain('<prop type="x-passerelle-hash">0123456789ab</prop>')
    expect(text).toContain(
      '<tuv xml:lang="fr"><seg>Voir <bpt i="1" x="1">&lt;1&gt;</bpt>le site<ept i="1">&lt;/1&gt;</ept> de l’OIM &amp; de l’ONU<ph x="2">&lt;2/&gt;</ph> : a &lt; b, « 175 » &quot;États&quot;.</seg></tuv>'
    )
  })

  it('only writes the requested pair', () => {
    const mixed = [...sample, {...sample[1]!, targetLocale: 'es', target: 'Texto.'}, {...sample[1]!, sourceLocale: 'de'}]
    expect(parseTmx(exportTmx(mixed, {sourceLocale: 'fr', targetLocale: 'es'}), 'x.tmx').units.map((unit) => unit.target)).toEqual(['Texto.'])
    expect(parseTmx(exportTmx(mixed, {sourceLocale: 'fr'}), 'x.tmx').units).toHaveLength(3)
  })

  it('writes an unbalanced tag as <it>, and reads it back', () => {
    const unbalanced = {...sample[1]!, source: 'Début <1>sans fin', target: 'fin</2> seule'}
    const written = exportTmx([unbalanced], {sourceLocale: 'fr'})
    expect(written).toContain('<it pos="begin" x="1">&lt;1&gt;</it>')
    expect(written).toContain('<it pos="end" x="2">&lt;/2&gt;</it>')
    expect(parseTmx(written, 'x.tmx').units[0]).toMatchObject({source: 'Début <1>sans fin', target: 'fin</2> seule'})
  })

  it('drops characters XML cannot carry', () => {
    const written = exportTmx([{...sample[1]!, source: 'a\u0001b\r\nc\ud800'}], {sourceLocale: 'fr'})
    expect(parseTmx(written, 'x.tmx').units[0]?.source).toBe('ab\nc\ufffd')
  })

  it('is well-formed XML', () => {
    expect(parseTmx(text, 'sample.tmx').problems).toEqual([])
  })
})

describe('TMX round trip', () => {
  it('parses back what it wrote', () => {
    expect(parseTmx(exportTmx(sample, {sourceLocale: 'fr'}), 'x.tmx').units).toEqual(sample)
  })

  const textPiece = fc.oneof(
    fc.string({unit: fc.constantFrom('a', 'é', ' ', '&', '<', '>', '"', "'", '’', '«', '»', '\n', '\t', '1', '中', '😀', ']', ';')}),
    fc.string({unit: 'grapheme', maxLength: 8}),
    fc.constantFrom('&amp;', '&lt;1&gt;', ']]>', '<![CDATA[x]]>', '&#233;', ' ')
  )
  const segment = fc
    .array(fc.oneof(textPiece.map((value) => ({kind: 'text' as const, value})), fc.constantFrom({kind: 'pair' as const}, {kind: 'self' as const})), {maxLength: 8})
    .map((pieces) => {
      let next = 1
      return pieces
        .map((piece) => {
          if (piece.kind === 'text') return escapeSegmentText(piece.value)
          const id = next++
          return piece.kind === 'self' ? `<${id}/>` : `<${id}>${escapeSegmentText('x')}</${id}>`
        })
        .join('')
    })
    .filter((text) => text.trim() !== '')
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, {nil: undefined})
  const iso = fc.date({min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true}).map((date) => {
    date.setUTCMilliseconds(0)
    return date.toISOString()
  })
  const label = fc.string({unit: 'grapheme', minLength: 1, maxLength: 12}).filter((value) => value.trim() === value && value !== '')
  const generatedUnit: fc.Arbitrary<TmUnit> = fc
    .record({
      source: segment,
      target: segment,
      sourceLocale: fc.constantFrom('fr', 'fr-FR'),
      targetLocale: fc.constantFrom('en', 'en-GB', 'es', 'ca'),
      hash: optional(fc.stringMatching(/^[0-9a-f]{12}$/)),
      state: fc.constantFrom(...segmentStates),
      origin: fc.record(
        {
          kind: fc.constantFrom('engine' as const, 'tm' as const, 'human' as const, 'import' as const),
          engine: label,
          detail: label,
          score: fc.double({min: 0, max: 100, noNaN: true}),
          by: label
        },
        {requiredKeys: ['kind']}
      ),
      article: optional(label),
      unit: optional(label),
      context: optional(fc.record({previousHash: fc.stringMatching(/^[0-9a-f]{12}$/), nextHash: fc.stringMatching(/^[0-9a-f]{12}$/)}, {requiredKeys: []})),
      retired: optional(fc.constant(true as const)),
      created: optional(iso),
      updated: optional(iso)
    })
    .map((unit) => {
      const clean = {...unit} as TmUnit & Record<string, unknown>
      for (const key of Object.keys(clean)) if (clean[key] === undefined) delete clean[key]
      if (clean.context && Object.keys(clean.context).length === 0) delete clean.context
      return clean
    })

  it('export → parse → export is byte-identical (generated units with tags, &, <, quotes, non-ASCII)', () => {
    fc.assert(
      fc.property(fc.array(generatedUnit, {maxLength: 6}), (units) => {
        const first = exportTmx(units, {sourceLocale: 'fr'})
        const parsed = parseTmx(first, 'generated.tmx')
        expect(parsed.problems).toEqual([])
        expect(exportTmx(parsed.units, {sourceLocale: 'fr'})).toBe(first)
      }),
      {numRuns: 300}
    )
  })

  it('parse(export(units)) gives the units back', () => {
    fc.assert(
      fc.property(fc.array(generatedUnit, {maxLength: 6}), (units) => {
        const expected = units.map((unit) => ({...unit, source: unit.source.replace(/\r\n?/g, '\n'), target: unit.target.replace(/\r\n?/g, '\n')}))
        expect(parseTmx(exportTmx(units, {sourceLocale: 'fr'}), 'generated.tmx').units).toEqual(expected)
      }),
      {numRuns: 200}
    )
  })
})

describe('TMX dates', () => {
  it('converts ISO 8601 and TMX dates both ways', () => {
    expect(tmxDate('2017-11-16T09:30:05.123Z')).toBe('20171116T093005Z')
    expect(tmxDate('2017-11-16T10:30:05+01:00')).toBe('20171116T093005Z')
    expect(tmxDate('yesterday')).toBeUndefined()
    expect(isoDate('20171116T093005Z')).toBe('2017-11-16T09:30:05.000Z')
    expect(isoDate('20171332T093005Z')).toBeUndefined()
    expect(isoDate('2017-11-16')).toBeUndefined()
  })
})

describe('parseTmx on files from other tools', () => {
  const parsed = parseTmx(fixture('foreign.tmx'), 'foreign.tmx')

  it('takes every target language, numbers native codes as tags, decodes character references', () => {
    expect(parsed.sourceLocale).toBe('fr-FR')
    expect(parsed.tus).toBe(3)
    expect(parsed.units.map((unit) => [unit.sourceLocale, unit.targetLocale, unit.source, unit.target])).toEqual([
      ['fr-FR', 'en-US', 'Le <1>Pacte mondial</1> a été adopté en 2018 à Marrakech.', 'The <1>Global Compact</1> was adopted in 2018 in Marrakesh.'],
      ['fr-FR', 'es-ES', 'Le <1>Pacte mondial</1> a été adopté en 2018 à Marrakech.', 'El <1>Pacto Mundial</1> se adoptó en 2018 en Marrakech.'],
      ['fr-FR', 'en-US', 'Ligne un<1/>ligne deux &amp; <2>trois</2> été<3/> <4/>', 'Line one<1/>line two &amp; <2>three</2> summer<3/> <4/>'],
      ['en-US', 'fr-FR', 'Not from French.', 'Pas depuis le français.']
    ])
  })

  it('keeps who and when, and marks the origin as an import from the file', () => {
    expect(parsed.units[0]).toMatchObject({
      state: 'translated',
      origin: {kind: 'import', detail: 'foreign.tmx', by: 'asmith'},
      created: '2017-06-20T09:15:00.000Z',
      updated: '2018-01-02T10:30:00.000Z'
    })
    expect(parsed.units[1]?.updated).toBe('2019-03-05T12:00:00.000Z')
  })

  it('reads units whose <tu srclang> overrides the header', () => {
    expect(parsed.problems).toEqual([])
    const tmx = fixture('foreign.tmx')
    // `*all*`: a <tu> without srclang reads from its first variant (as translate-toolkit does), or from the project's language when given.
    const all = tmx.replace('srclang="fr-FR" datatype', 'srclang="*all*" datatype')
    const english = parseTmx(all, 'all.tmx')
    expect(english.units.map((unit) => unit.sourceLocale)).toEqual(['fr-FR', 'fr-FR', 'fr-FR', 'en-US'])
    expect(english.problems).toEqual([])
    const french = parseTmx(all, 'all.tmx', {sourceLocale: 'fr'})
    expect(french.units.map((unit) => [unit.sourceLocale, unit.targetLocale])).toEqual([
      ['fr-FR', 'en-US'],
      ['fr-FR', 'es-ES'],
      ['fr-FR', 'en-US'],
      ['fr-FR', 'en-US']
    ])
  })
})

describe('TMX 1.4 code pairing and language rules', () => {
  it('matches codes across variants by x, whatever its value (x="0" is bold, not underline)', () => {
    const parsed = parseTmx(fixture('x-zero.tmx'), 'x-zero.tmx')
    expect(parsed.problems).toEqual([])
    expect(parsed.units.map((unit) => [unit.source, unit.target])).toEqual([
      ['Le gros <1>chat</1> <2>noir</2> dort.', 'The big <2>black</2> <1>cat</1> sleeps.'],
      ['Première <1/>phrase, <2/>fin.', 'First <2/>sentence, <1/>end.']
    ])
  })

  it("reads translate-toolkit's po2tmx output from its first variant (its header always says srclang=\"en\")", () => {
    for (const [name, target] of [
      ['po2tmx-fr-en.tmx', 'Member States adopted the Compact.'],
      ['po2tmx-fr-es.tmx', 'Los Estados Miembros adoptaron el Pacto.']
    ] as const) {
      const parsed = parseTmx(fixture(name), name)
      expect(parsed.problems).toEqual([])
      expect(parsed.units.map((unit) => [unit.sourceLocale, unit.source, unit.target])).toEqual([['fr', 'Les États Membres ont adopté le Pacte.', target]])
    }
  })
})

describe('malformed TMX', () => {
  const cases: [string, RegExp][] = [
    ['not-xml.tmx', /^not well-formed XML at line 7/],
    ['not-text.tmx', /^not well-formed XML/],
    ['wrong-root.tmx', /^root element is <xliff>, not <tmx>$/],
    ['no-body.tmx', /^<tmx> has no <body>$/],
    ['no-srclang.tmx', /^<header> srclang is missing$/]
  ]
  it.each(cases)('%s throws E_TMX naming the file', (name, message) => {
    let caught: unknown
    try {
      parseTmx(fixture(`malformed/${name}`), `tm/${name}`)
    } catch (error) {
      caught = error
    }
    expect(isPasserelleError(caught, 'E_TMX')).toBe(true)
    const error = caught as PasserelleError
    expect(error.message).toMatch(message)
    expect(error.file).toBe(`tm/${name}`)
    expect(error.hint).toBeTruthy()
    expect(error.toLine()).not.toContain('\n')
    expect(error.toLine().startsWith(`tm/${name}: `)).toBe(true)
  })

  it('refuses entity declarations (a DOCTYPE internal subset) and does not decode HTML entities', () => {
    const unit = '<tu><tuv xml:lang="fr"><seg>Caf&amp;eacute; &x;</seg></tuv><tuv xml:lang="en"><seg>Coffee&nbsp;x</seg></tuv></tu>'
    const withSubset = `<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x "EXPANDED">]>\n<tmx version="1.4"><header srclang="fr" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>${unit}</body></tmx>`
    expect(() => parseTmx(withSubset, 'bomb.tmx')).toThrow(/DOCTYPE with an internal subset is not accepted, line 2/)
    const plain = withSubset.replace(/<!DOCTYPE[^\n]*\n/, '').replace(' &x;', '').replace('Coffee&nbsp;x', 'Coffee x')
    const parsed = parseTmx(plain, 'ok.tmx')
    expect(parsed.units.map((item) => item.source)).toEqual(['Caf&amp;eacute;'])
  })

  it('keeps the good units of a file with bad ones, and says which and where', () => {
    const parsed = parseTmx(fixture('partly-bad.tmx'), 'partly-bad.tmx')
    expect(parsed.tus).toBe(7)
    // A header language no variant has: the first variant is the source (translate-toolkit); a lone <ept> is an isolated code.
    expect(parsed.units.map((unit) => [unit.source, unit.target])).toEqual([
      ['Le nombre de migrants devrait continuer de croître.', 'The number of migrants should keep growing.'],
      ['Die Zahl der Migranten wächst.', 'The number of migrants grows.'],
      ['Voir le site<1/>.', 'See the site.'],
      ['Agir <1>maintenant</1>.', 'Act <1>now</1>.']
    ])
    expect(parsed.problems.every((problem) => problem.code === 'E_TMX' && problem.file === 'partly-bad.tmx')).toBe(true)
    expect(parsed.problems.map((problem) => [problem.message, problem.line, problem.column])).toEqual([
      ['<tu> 3 (line 13, tuid "bad-lang"): xml:lang "anglais britannique" is not a language tag', 13, 5],
      ['<tu> 5 (line 21, tuid "bad-state"): x-passerelle-state "done" is not a segment state', 21, 5]
    ])
    // Valid TMX that holds no pair is not an error: it is skipped and said.
    expect(parsed.skipped).toEqual([{tu: 6, line: 26, column: 5, reason: expect.stringMatching(/^no translation/)}])
  })
})

// ---------------------------------------------------------------- other tools read our files

const has = (command: string, args: string[]): boolean => spawnSync(command, args, {encoding: 'utf8'}).status === 0
const hasXmllint = has('xmllint', ['--version'])
const python = '/usr/bin/python3'
const hasToolkit = has(python, ['-c', 'import translate.storage.tmx'])

describe('interoperability', () => {
  const file = join(scratch, 'export.tmx')
  writeFileSync(file, exportTmx(sample, {sourceLocale: 'fr'}))

  // The LISA TMX 1.4b DTD ships with no Debian or npm package here, and copies
  // from public repositories are not ours to commit: xmllint checks that the
  // file is well-formed XML, translate-toolkit that a real peer reads it.
  it.skipIf(!hasXmllint)(`xmllint: well-formed${hasXmllint ? '' : ' — SKIPPED: xmllint is not installed'}`, () => {
    const result = spawnSync('xmllint', ['--noout', file], {encoding: 'utf8'})
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it.skipIf(!hasXmllint)(`xmllint rejects a broken file (the check can fail)${hasXmllint ? '' : ' — SKIPPED: xmllint is not installed'}`, () => {
    const broken = join(scratch, 'broken.tmx')
    writeFileSync(broken, exportTmx(sample, {sourceLocale: 'fr'}).replace('</body>', '</bdy>'))
    expect(spawnSync('xmllint', ['--noout', broken]).status).not.toBe(0)
  })

  it.skipIf(!hasToolkit)(`translate-toolkit reads our TMX back${hasToolkit ? '' : ' — SKIPPED: translate-toolkit (python3-translate-toolkit) is not installed'}`, () => {
    const script = [
      'import json, sys',
      'from translate.storage import tmx',
      'store = tmx.tmxfile.parsefile(sys.argv[1])',
      'print(json.dumps([[u.source, u.target] for u in store.units]))'
    ].join('\n')
    const result = spawnSync(python, ['-c', script, file], {encoding: 'utf8'})
    expect(result.stderr).toBe('')
    // The toolkit gives the text content; our native codes are the tags themselves,
    // so a unit reads as its segment text with `&lt;`/`&amp;` decoded.
    const decode = (text: string): string => text.replace(/&lt;/g, '<').replace(/&amp;/g, '&')
    expect(JSON.parse(result.stdout)).toEqual(sample.map((unit) => [decode(unit.source), decode(unit.target)]))
  })
})
