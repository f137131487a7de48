// XLIFF 2.1: the export of a known bundle, its validity (our core-schema
// check and xmllint), byte-for-byte round trips, a CAT-tool-edited file,
// malformed files refused whole with nothing written, and a property over
// generated tagged segments.
import {readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {bundlePath, serializeBundle} from '../src/workflow/store.ts'
import type {Bundle, BundleSegment} from '../src/workflow/types.ts'
import {applyXliff, exportXliff, parseXliff, validateXliff} from '../src/exchange/index.ts'
import {xliffExportProject, xliffImportProject} from '../src/exchange/run.ts'
import {isPasserelleError} from '../src/errors.ts'
import {escapeText, parseArticle} from '../src/segment/index.ts'
import {reconcileBundle} from '../src/workflow/reconcile.ts'
import {available, cli, expected, fixtureBundle, fixtureText, tool} from './fixtures/exchange/helpers.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const options = {sourceLocale: 'fr', targetLocale: 'en'}
const now = '2025-06-01T12:00:00.000Z'
const hasXmllint = await available('xmllint')

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

async function projectWith(bundle: Bundle): Promise<TempProject> {
  return tempProject({[`locales/en/${bundle.article}.json`]: serializeBundle(bundle)})
}

function expectCode(action: () => unknown, code: string, message?: RegExp): void {
  let thrown: unknown
  try {
    action()
  } catch (error) {
    thrown = error
  }
  expect(isPasserelleError(thrown, code as never), `expected ${code}, got ${String(thrown)}`).toBe(true)
  if (message) expect((thrown as Error).message).toMatch(message)
}

describe('XLIFF export', () => {
  it('writes the expected document for a known bundle', async () => {
    const bundle = await fixtureBundle()
    const text = exportXliff([bundle], options)
    expect(text).toBe(await expected('oim-villes.en.xlf', text))
  })

  it('satisfies the XLIFF 2 core schema and processing requirements (our re-statement)', async () => {
    expect(validateXliff(exportXliff([await fixtureBundle()], options))).toEqual([])
  })

  it.skipIf(!hasXmllint)('is well-formed for xmllint', async () => {
    temp = await tempProject()
    const file = join(temp.root, 'out.xlf')
    await writeFile(file, exportXliff([await fixtureBundle()], options))
    const result = await tool('xmllint', ['--noout', file])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('keeps Markdown out of the text: it is in originalData, referenced by the codes', async () => {
    const text = exportXliff([await fixtureBundle()], options)
    expect(text).toContain('<data id="d2">](https://www.iom.int/?a=1&amp;b=2)</data>')
    expect(text).toContain('<source>Voir <pc id="1" dataRefStart="d1" dataRefEnd="d2" type="link"')
    expect(text).not.toMatch(/<source>[^<]*\*\*/)
  })

  it('maps states to XLIFF states with a subState for machine and TM output', async () => {
    const text = exportXliff([await fixtureBundle()], options)
    expect(text).toContain('state="translated" subState="passerelle:mt:apertium"')
    expect(text).toContain('state="translated" subState="passerelle:tm:87"')
    expect(text).toMatch(/<segment id="13a2a84dbd9c" state="final">/)
    expect(text).toMatch(/<segment id="4283e9cc1f3e" state="reviewed">/)
    expect(text).toMatch(/<segment id="a42f597ff2aa" state="initial">/)
  })

  it('exports only units with a segment in the requested states, with their other segments as context', async () => {
    const text = exportXliff([await fixtureBundle()], {...options, states: ['fuzzy']})
    const segments = [...text.matchAll(/<segment id="([0-9a-f]+)"/g)].map((match) => match[1])
    // The fuzzy segment's unit also holds a machine and a translated sentence.
    expect(segments).toEqual(['f1c8f9fd9134', '6d76a79e7903', '93b58048dae6'])
    expect(validateXliff(text)).toEqual([])
  })

  it('refuses to export nothing', async () => {
    expectCode(() => exportXliff([], options), 'E_NOT_FOUND')
  })

  it('round-trips a real article: segmented Markdown, every tag kind', async () => {
    const markdown = await fixtureText('article.md')
    const article = parseArticle(markdown, {file: 'article.md'})
    let bundle = reconcileBundle(undefined, {slug: 'article', sourceHash: 'x', segments: article.segments}, {sourceLocale: 'fr', locale: 'en', now})
    // A target for every segment: the source, as a pseudo-translation would keep tags.
    bundle = {...bundle, segments: bundle.segments.map((segment) => ({...segment, target: segment.source, state: 'machine', origin: {kind: 'engine', engine: 'pseudo'}}))}
    const text = exportXliff([bundle], options)
    expect(validateXliff(text)).toEqual([])
    const result = applyXliff([bundle], parseXliff(text, 'a.xlf'), {now})
    expect(result.report.refused).toEqual([])
    expect(result.report.unchanged).toHaveLength(bundle.segments.length)
    expect(serializeBundle(result.bundles[0]!)).toBe(serializeBundle(bundle))
  })
})

describe('passerelle xliff export', () => {
  it('writes the file, one locale at a time, and reports unknown articles', async () => {
    const bundle = await fixtureBundle()
    temp = await projectWith(bundle)
    const out = join(temp.root, 'out.xlf')
    const result = await cli(temp.project, ['xliff', 'export', '--to', 'en', out])
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/wrote .*out\.xlf: 1 article\(s\), 6 unit\(s\), 9 segment\(s\) \(en\)/)
    expect(await readFile(out, 'utf8')).toBe(await fixtureText('oim-villes.en.xlf'))

    const filtered = await cli(temp.project, ['xliff', 'export', '--to', 'en', '--state', 'fuzzy', '--article', 'oim-villes,nope', out])
    expect(filtered.code).toBe(1)
    expect(filtered.failures.map((failure) => failure.message)).toEqual([expect.stringMatching(/no en bundle for article "nope"/)])
    expect(filtered.out).toMatch(/1 unit\(s\), 3 segment\(s\)/)

    await expect(cli(temp.project, ['xliff', 'export', '--to', 'en,es', out])).rejects.toMatchObject({code: 'E_LOCALE'})
    await expect(cli(temp.project, ['xliff', 'export', '--to', 'en', '--state', 'done', out])).rejects.toThrow(/unknown state "done"/)
  })
})

describe('XLIFF round trip', () => {
  it('export → import changes nothing; export again gives the same bytes', async () => {
    const bundle = await fixtureBundle()
    const text = exportXliff([bundle], options)
    const result = applyXliff([bundle], parseXliff(text, 'out.xlf'), {now})
    expect(result.changed).toEqual([])
    expect(result.report.applied).toEqual([])
    expect(result.report.refused).toEqual([])
    expect(result.report.unchanged).toHaveLength(bundle.segments.length)
    expect(serializeBundle(result.bundles[0]!)).toBe(serializeBundle(bundle))
    expect(exportXliff(result.bundles, options)).toBe(text)
  })

  it('importing the file we exported, unchanged, leaves the bundle file untouched on disk', async () => {
    const bundle = await fixtureBundle()
    temp = await projectWith(bundle)
    const path = bundlePath(temp.project.localesDir, 'en', bundle.article)
    const before = {text: await readFile(path, 'utf8'), mtime: (await stat(path)).mtimeMs}
    const exported = await xliffExportProject(temp.project, {locale: 'en'})
    const file = join(temp.root, 'out.xlf')
    await writeFile(file, exported.text)
    const result = await xliffImportProject(temp.project, file, {now})
    expect(result.written).toEqual([])
    expect(result.report.applied).toEqual([])
    expect(await readFile(path, 'utf8')).toBe(before.text)
    expect((await stat(path)).mtimeMs).toBe(before.mtime)
  })
})

describe('XLIFF import of a CAT-tool-edited file', () => {
  // edited.en.xlf is the export as a CAT tool gives it back: no indentation,
  // <sc>/<ec> for a pair, a <mrk> term annotation, a target xml:lang, and these edits:
  //   f1c8f9fd9134  machine → new target, state final         → applied (approved)
  //   6d76a79e7903  fuzzy → target unchanged, state reviewed   → applied (reviewed)
  //   93b58048dae6  translated → <ph id="3"> dropped           → refused (canDelete="no" code missing)
  //   a42f597ff2aa  new → target with a code not in the source → refused
  //   4283e9cc1f3e  reviewed → state back to translated        → refused
  //   a1165c53dd4b  broken target fixed with <sc>/<ec>          → applied (translated)
  //   f70b9343c45a  source edited in the tool                  → refused (source changed)
  //   00342edf5573  new → translated with a target             → applied
  //   13a2a84dbd9c  untouched                                  → unchanged
  //   unit u000000000000 (unknown)                             → refused
  it('applies what it may and reports exactly what it refused', async () => {
    const bundle = await fixtureBundle()
    const document = parseXliff(await fixtureText('edited.en.xlf'), 'edited.en.xlf')
    const {bundles, report, changed} = applyXliff([bundle], document, {now, by: 'ana'})
    expect(changed).toEqual(['oim-villes'])
    expect(report.applied.map((entry) => [entry.segment, entry.from, entry.to])).toEqual([
      ['f1c8f9fd9134', 'machine', 'approved'],
      ['6d76a79e7903', 'fuzzy', 'reviewed'],
      ['a1165c53dd4b', 'machine', 'translated'],
      ['00342edf5573', 'new', 'translated']
    ])
    expect(report.unchanged.map((entry) => entry.segment)).toEqual(['13a2a84dbd9c'])
    const refused = Object.fromEntries(report.refused.map((entry) => [entry.segment, entry.reason]))
    expect(Object.keys(refused)).toEqual(['a42f597ff2aa', '93b58048dae6', '4283e9cc1f3e', 'f70b9343c45a', '0123456789ab'])
    expect(refused['a42f597ff2aa']).toMatch(/<ph id="9"> is not a code of the source/)
    expect(refused['93b58048dae6']).toMatch(/the target leaves out <ph id="3">, which has canDelete="no"/)
    expect(refused['4283e9cc1f3e']).toMatch(/back from reviewed to translated/)
    expect(refused['f70b9343c45a']).toMatch(/source changed since the export/)
    expect(refused['0123456789ab']).toMatch(/unknown unit "u000000000000"/)
    for (const entry of report.refused) expect(entry.line).toBeGreaterThan(1)

    const after = new Map(bundles[0]!.segments.map((segment) => [segment.id, segment]))
    const approved = after.get('f1c8f9fd9134')!
    expect(approved.target).toBe('See <1>the website of IOM</1> and <2>the report</2>.')
    expect(approved.origin).toEqual({kind: 'import', detail: 'edited.en.xlf', by: 'ana'})
    expect(approved.revision).toBe(2)
    expect(approved.updated).toBe(now)
    expect(after.get('6d76a79e7903')!.origin).toEqual({kind: 'tm', score: 87, detail: 'tm/en.json', by: 'ana'})
    expect(after.get('a1165c53dd4b')!.target).toBe('See <1>here</1> now.')
    expect(after.get('00342edf5573')!.target).toBe('Second line\nwith a soft return.')
    // Refused and unchanged segments are exactly as they were.
    for (const id of ['a42f597ff2aa', '93b58048dae6', '4283e9cc1f3e', 'f70b9343c45a', '13a2a84dbd9c']) {
      expect(after.get(id)).toEqual(bundle.segments.find((segment) => segment.id === id))
    }
    // Importing the same file again: what was applied is now unchanged.
    const again = applyXliff(bundles, document, {now, by: 'ana'})
    expect(again.changed).toEqual([])
    expect(again.report.applied).toEqual([])
  })

  it('writes the applied segments and exits non-zero because some were refused', async () => {
    const bundle = await fixtureBundle()
    temp = await projectWith(bundle)
    await temp.write('edited.en.xlf', await fixtureText('edited.en.xlf'))
    const result = await cli(temp.project, ['xliff', 'import', join(temp.root, 'edited.en.xlf'), '--by', 'ana'])
    expect(result.code).toBe(1)
    expect(result.failures).toHaveLength(5)
    expect(result.failures[0]!.message).toMatch(/edited\.en\.xlf:\d+: oim-villes segment a42f597ff2aa .* refused: /)
    expect(result.out).toContain('en: 4 applied, 1 unchanged, 5 refused')
    const saved = JSON.parse(await readFile(bundlePath(temp.project.localesDir, 'en', 'oim-villes'), 'utf8')) as Bundle
    expect(saved.segments.find((segment) => segment.id === 'f1c8f9fd9134')!.state).toBe('approved')
  })

  it('refuses a segment changed in Passerelle since the export, unless the file agrees with it', async () => {
    const bundle = await fixtureBundle()
    const text = exportXliff([bundle], options)
    // After the export, a reviewer edits the machine segment in the review app.
    const edited = withSegment(bundle, 'f1c8f9fd9134', {target: 'See <1>the IOM website</1> and <2>the report</2>.', state: 'translated', revision: 2})
    // Meanwhile the translator changed the same segment in the CAT tool.
    const theirs = text.replace('See <pc id="1" dataRefStart="d1" dataRefEnd="d2" type="link" canCopy="no" canDelete="no">the IOM site</pc>', 'See <pc id="1" dataRefStart="d1" dataRefEnd="d2" type="link" canCopy="no" canDelete="no">the site of IOM</pc>')
    expect(theirs).not.toBe(text)
    const result = applyXliff([edited], parseXliff(theirs, 'late.xlf'), {now})
    expect(result.report.refused.map((entry) => [entry.segment, entry.reason])).toEqual([
      ['f1c8f9fd9134', 'changed in Passerelle since the export (revision 1, now 2): export again so as not to overwrite it']
    ])
    expect(result.changed).toEqual([])
  })

  it('refuses approval when QA finds an error in the new target', async () => {
    const bundle = await fixtureBundle()
    // The glossary asks for "IOM"; the translator writes "OIM" and marks the segment final.
    const text = exportXliff([bundle], options)
      .replace('<segment id="f1c8f9fd9134" state="translated" subState="passerelle:mt:apertium">', '<segment id="f1c8f9fd9134" state="final">')
      .replace('>the IOM site</pc>', '>the OIM site</pc>')
    const hitsFor = () => [{concept: 'iom', kind: 'term' as const, start: 22, end: 25, text: 'OIM', dnt: false, expected: ['IOM'], forbidden: ['OIM']}]
    const result = applyXliff([bundle], parseXliff(text, 'x.xlf'), {now, hitsFor})
    expect(result.report.refused.map((entry) => entry.segment)).toEqual(['f1c8f9fd9134'])
    expect(result.report.refused[0]!.reason).toMatch(/cannot approve/)
  })
})

describe('malformed XLIFF is refused whole, and nothing changes on disk', () => {
  const cases: [string, (exported: string) => string, string, RegExp][] = [
    ['not XML', () => 'this is not XML at all', 'E_XLIFF', /line 1/],
    ['broken XML', (x) => x.replace('</unit>', '</unt>'), 'E_XLIFF', /not well-formed/],
    ['crossed elements', (x) => x.replace('le site de l’OIM</pc>', 'le site</source> de l’OIM</pc>'), 'E_XLIFF', /not well-formed/],
    ['XLIFF 1.2', () => '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="fr" datatype="plaintext"><body/></file></xliff>', 'E_XLIFF', /XLIFF 1\.2/],
    ['wrong namespace', (x) => x.replace('urn:oasis:names:tc:xliff:document:2.0', 'urn:example:not-xliff'), 'E_XLIFF', /not an XLIFF 2 document/],
    ['undefined entity', (x) => x.replace('IOM &amp; cities', 'IOM&nbsp;cities'), 'E_XLIFF', /undefined entity &nbsp;/],
    ['entity expansion', (x) => x.replace('<xliff', '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<xliff'), 'E_XLIFF', /DOCTYPE/],
    ['two roots', (x) => `${x}<xliff/>`, 'E_XLIFF', /root/]
  ]

  for (const [name, mangle, code, message] of cases) {
    it(name, async () => {
      const bundle = await fixtureBundle()
      const text = mangle(exportXliff([bundle], options))
      expectCode(() => parseXliff(text, 'bad.xlf'), code, message)
      temp = await projectWith(bundle)
      const path = bundlePath(temp.project.localesDir, 'en', bundle.article)
      const before = await readFile(path, 'utf8')
      await temp.write('bad.xlf', text)
      await expect(xliffImportProject(temp.project, join(temp.root, 'bad.xlf'), {now})).rejects.toMatchObject({code})
      expect(await readFile(path, 'utf8')).toBe(before)
      await temp.cleanup()
      temp = undefined
    })
  }

  it('huge files are refused before parsing', async () => {
    const text = exportXliff([await fixtureBundle()], options)
    expectCode(() => parseXliff(text, 'big.xlf', {maxBytes: 1000}), 'E_TOO_LARGE', /over the 1000-byte limit/)
    const huge = text.replace('</xliff>', `<!-- ${'x'.repeat(65 * 1024 * 1024)} --></xliff>`)
    expectCode(() => parseXliff(huge, 'big.xlf'), 'E_TOO_LARGE')
  })

  it('deeply nested codes are refused, not a stack overflow', async () => {
    const text = exportXliff([await fixtureBundle()], options)
    const deep = text.replace('<source>Le rôle des ', `<source>${'<mrk id="m" translate="yes">'.repeat(400)}x${'</mrk>'.repeat(400)}Le rôle des `)
    expectCode(() => parseXliff(deep, 'deep.xlf'), 'E_XLIFF')
  })
})

describe('an invalid segment refuses that segment, not the file', () => {
  // [name, mangle, segment refused, reason]; every other segment of the file is left unchanged.
  const cases: [string, (exported: string) => string, string, RegExp][] = [
    ['tag soup', (x) => x.replace('<source>Voir <pc', '<source>Voir <b>bold</b><pc'), 'f1c8f9fd9134', /cannot hold <b>/],
    ['unit without id', (x) => x.replace('<unit id="fm:title"', '<unit'), '13a2a84dbd9c', /<unit> needs a "id" attribute/],
    ['duplicate unit id', (x) => x.replace('<unit id="u9f2e6d33a371"', '<unit id="fm:title"'), 'a42f597ff2aa', /unit id "fm:title" is used twice/],
    ['dangling dataRef', (x) => x.replace('dataRef="d1"', 'dataRef="d99"'), 'a42f597ff2aa', /points to no <data>/],
    ['bad state', (x) => x.replace('state="final"', 'state="done"'), '13a2a84dbd9c', /state="done"/],
    ['final without target', (x) => x.replace(/<target>IOM &amp; cities<\/target>/, ''), '13a2a84dbd9c', /is final but has no <target>/]
  ]
  for (const [name, mangle, segment, reason] of cases) {
    it(name, async () => {
      const bundle = await fixtureBundle()
      const text = mangle(exportXliff([bundle], options))
      const {report, changed} = applyXliff([bundle], parseXliff(text, 'bad.xlf'), {now})
      expect(report.refused.map((entry) => entry.segment)).toEqual([segment])
      expect(report.refused[0]!.reason).toMatch(reason)
      expect(report.applied).toEqual([])
      expect(report.unchanged).toHaveLength(bundle.segments.length - 1)
      expect(changed).toEqual([])
    })
  }
})

describe('our XLIFF 2 core validation', () => {
  it('reports schema and processing-requirement violations with their line', async () => {
    const text = exportXliff([await fixtureBundle()], options)
    const broken = text
      .replace('<segment id="a42f597ff2aa" state="initial">', '<segment id="a42f597ff2aa" subState="x:y">')
      .replace('type="passerelle:heading"', 'type="heading"')
      .replace('<data id="d4">**</data>', '<data id="d3">**</data>')
    const problems = validateXliff(broken)
    expect(problems.map((problem) => problem.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/type="heading" is not a valid prefix:value/),
        expect.stringMatching(/has a subState but no state/),
        expect.stringMatching(/data id "d3" is used twice/)
      ])
    )
    for (const problem of problems) expect(problem.line).toBeGreaterThan(1)
  })

  it('checks id scopes: target codes must repeat the source code they stand for', async () => {
    const text = exportXliff([await fixtureBundle()], options)
    const swapped = text.replace(
      /<target>Item with <pc id="1"([^>]*)>emphasis<\/pc>/,
      '<target>Item with <ph id="1" dataRef="d1"/>emphasis'
    )
    expect(swapped).not.toBe(text)
    expect(validateXliff(swapped).map((problem) => problem.message).join('\n')).toMatch(/<ph id="1"> in the target is a <pc> in the source/)
  })
})

describe('XLIFF export → parse, on generated segments', () => {
  // Tagged text with &, <, quotes, non-ASCII, control characters, nested and self-closing tags.
  const piece = fc.oneof(
    fc.string({unit: 'grapheme', maxLength: 8}),
    fc.constantFrom('&', '<', '>', '"', "'", ' & ', '&amp;', 'é', '« »', '\n', '\r', '\u0001', '\t', '😀', ']]>')
  )
  const tagged: fc.Arbitrary<{text: string; tags: BundleSegment['tags']}> = fc
    .array(fc.tuple(fc.constantFrom('text', 'open', 'self'), fc.array(piece, {maxLength: 3})), {maxLength: 6})
    .map((parts) => {
      let n = 0
      const tags: BundleSegment['tags'] = {}
      const types = ['link', 'emphasis', 'strong', 'inlineCode', 'break', 'image', 'footnoteReference', 'html', 'unknownThing']
      let text = ''
      const stack: number[] = []
      for (const [kind, texts] of parts) {
        const content = escapeText(texts.join(''))
        if (kind === 'open') {
          n++
          tags[String(n)] = {type: types[n % 3]!, label: `https://x.org/?a=1&b="${n}"`}
          text += `<${n}>${content}`
          stack.push(n)
        } else if (kind === 'self') {
          n++
          tags[String(n)] = {type: types[3 + (n % 6)]!, label: n % 2 ? '`code` <b>' : undefined} as never
          if (tags[String(n)]!.label === undefined) delete tags[String(n)]!.label
          text += `${content}<${n}/>`
        } else {
          text += content
          const closing = stack.pop()
          if (closing !== undefined) text += `</${closing}>`
        }
      }
      while (stack.length > 0) text += `</${stack.pop()}>`
      return {text: `${text}x`, tags}
    })

  it('gives back every source and target, and the document validates', () => {
    fc.assert(
      fc.property(fc.array(tagged, {minLength: 1, maxLength: 4}), (items) => {
        const segments: BundleSegment[] = items.map((item, index) => ({
          id: index.toString(16).padStart(12, '0'),
          hash: index.toString(16).padStart(12, '0'),
          unit: `u${Math.floor(index / 2)}`,
          kind: 'paragraph',
          index: index % 2,
          source: item.text,
          tags: item.tags,
          target: item.text,
          state: 'machine',
          origin: {kind: 'engine', engine: 'pseudo'},
          glossary: [],
          unknown: [],
          qa: [],
          revision: 0,
          updated: now
        }))
        const bundle: Bundle = {schema: 1, article: 'p', sourceLocale: 'fr', locale: 'en', sourceHash: 'x', segments, retired: []}
        const text = exportXliff([bundle], options)
        expect(validateXliff(text)).toEqual([])
        const document = parseXliff(text, 'p.xlf')
        const read = document.files[0]!.units.flatMap((unit) => unit.segments)
        expect(read.map((segment) => segment.source)).toEqual(segments.map((segment) => segment.source))
        expect(read.map((segment) => segment.target)).toEqual(segments.map((segment) => segment.target))
        const applied = applyXliff([bundle], document, {now})
        expect(applied.changed).toEqual([])
      }),
      {numRuns: 200}
    )
  })
})

function withSegment(bundle: Bundle, id: string, change: Partial<BundleSegment>): Bundle {
  return {...bundle, segments: bundle.segments.map((segment) => (segment.id === id ? {...segment, ...change} : segment))}
}

describe('XLIFF import without revision metadata', () => {
  it('refuses to replace human work when the CAT tool dropped the revisions, and still applies machine segments', async () => {
    const bundle = await fixtureBundle()
    // A file whose tool stripped our <mda:metadata>, edited against an older state of the project.
    const stripped = exportXliff([bundle], options).replace(/\s*<mda:metadata>[\s\S]*?<\/mda:metadata>/g, '')
    expect(stripped).not.toContain('mda:meta ')
    // Without codes, so that the edit keeps the file valid (a dropped canDelete="no" code is refused first).
    const human = bundle.segments.find((segment) => (segment.state === 'translated' || segment.state === 'reviewed') && Object.keys(segment.tags).length === 0)!
    const machine = bundle.segments.find((segment) => segment.state !== 'translated' && segment.state !== 'reviewed' && segment.state !== 'approved' && Object.keys(segment.tags).length === 0 && segment.target !== undefined)!
    const edit = (text: string, segment: typeof human, target: string) =>
      text.replace(new RegExp(`(<segment id="${segment.id}"[^>]*>[\\s\\S]*?<target>)[\\s\\S]*?(</target>)`), `$1${target}$2`)
    let file = edit(stripped, human, 'An outdated translation')
    file = edit(file, machine, 'A fresh human translation')
    const result = applyXliff([bundle], parseXliff(file, 'tool.xlf'), {now})
    expect(result.report.refused.map((entry) => [entry.segment, entry.reason])).toContainEqual([
      human.id,
      `the file has no revision for this segment and it holds ${human.state} work in Passerelle: export again, or edit it in the review app`
    ])
    expect(result.report.applied.map((entry) => entry.segment)).toContain(machine.id)
  })
})
