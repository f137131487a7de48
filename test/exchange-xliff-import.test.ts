// XLIFF 2 import as CAT tools other than Passerelle write it, one small
// fixture per rule (test/fixtures/exchange/import-rules): segments without
// id, <sc>/<ec> for <pc>, language tags in another case, xml:space="default",
// and a problem in one segment refusing that segment only. Also what
// `passerelle validate` prints and exits with. None of this needs ../shared.
import {execFile} from 'node:child_process'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'
import {bundlePath, parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {applyXliff, parseXliff} from '../src/exchange/index.ts'
import {xliffImportProject} from '../src/exchange/run.ts'
import {validateText} from '../src/exchange/validate.ts'
import {fixtureBundle, fixtures, fixtureText} from './fixtures/exchange/helpers.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const now = '2025-06-01T12:00:00.000Z'

async function importRule(name: string) {
  const bundle = await fixtureBundle()
  const text = await fixtureText(join('import-rules', name))
  const result = applyXliff([bundle], parseXliff(text, name), {now})
  const after = new Map(result.bundles[0]!.segments.map((segment) => [segment.id, segment]))
  return {bundle, after, ...result}
}

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

describe('XLIFF import rules', () => {
  it('matches segments without id by unit and position', async () => {
    const {report, after} = await importRule('id-less.en.xlf')
    expect(report.applied.map((entry) => [entry.segment, entry.from, entry.to])).toEqual([['f1c8f9fd9134', 'machine', 'translated']])
    expect(after.get('f1c8f9fd9134')!.target).toBe('See <1>the IOM website</1> and <2>the report</2>.')
    expect(report.unchanged.map((entry) => entry.segment)).toEqual(['6d76a79e7903', '93b58048dae6', 'f70b9343c45a', '00342edf5573'])
    // A third segment where the unit has two sentences: refused, saying so.
    expect(report.refused.map((entry) => [entry.segment, entry.reason])).toEqual([
      ['#3', 'segment 3 of unit "ua03f2386ae06" has no id and the unit has 2 sentences in Passerelle (export again)']
    ])
  })

  it('accepts <sc>/<ec> in a target where the source has <pc>, and the reverse', async () => {
    const {report, after} = await importRule('sc-ec.en.xlf')
    expect(report.refused).toEqual([])
    expect(report.applied.map((entry) => entry.segment)).toEqual(['a1165c53dd4b', '4283e9cc1f3e'])
    expect(after.get('a1165c53dd4b')!.target).toBe('See <1>here</1> now.')
    expect(after.get('4283e9cc1f3e')!.target).toBe('Item with <1>emphasis</1><2/>and a soft line break.')
  })

  it('compares language tags case-insensitively (srcLang="FR", trgLang="En", xml:lang on <xliff> and <file>)', async () => {
    const {report, after} = await importRule('bcp47-case.en.xlf')
    expect(report.refused).toEqual([])
    expect(report.applied.map((entry) => entry.segment)).toEqual(['a1165c53dd4b'])
    expect(after.get('a1165c53dd4b')!.target).toBe('See <1>here</1> now.')
  })

  it('accepts an <sm>/<em> annotation that spans an <ignorable> and a segment (annotations carry no text)', async () => {
    const {report, after} = await importRule('sm-em.en.xlf')
    expect(report.refused).toEqual([])
    expect(report.applied.map((entry) => entry.segment)).toEqual(['f1c8f9fd9134'])
    expect(after.get('f1c8f9fd9134')!.target).toBe('See <1>the IOM website</1> and <2>the report</2>.')
  })

  it('collapses white space under xml:space="default" and keeps it under "preserve"', async () => {
    const {report, after} = await importRule('xml-space.en.xlf')
    expect(report.refused).toEqual([])
    // The source, wrapped and indented in the file, still matches "Deuxième ligne\navec retour souple.".
    expect(after.get('00342edf5573')!.target).toBe('Second line with a soft return.')
    expect(after.get('f1c8f9fd9134')!.target).toBe('See <1>the  IOM  site</1> and <2>the report</2>.')
  })

  it('refuses the invalid segment (or the unit outside its segments), applies the rest and writes it', async () => {
    const {report, after, bundle} = await importRule('per-segment.en.xlf')
    expect(report.refused.map((entry) => [entry.segment, entry.line])).toEqual([
      ['f1c8f9fd9134', 6],
      ['6d76a79e7903', 10],
      ['00342edf5573', 20]
    ])
    const reasons = report.refused.map((entry) => entry.reason)
    expect(reasons[0]).toMatch(/^target refused: line 8: <target> cannot hold <b>/)
    expect(reasons[1]).toMatch(/^not valid XLIFF 2: line 10: <segment> state="done" is not a valid value/)
    expect(reasons[2]).toMatch(/^not valid XLIFF 2: line 18: data id "d1" is used twice in unit "ua03f2386ae06"/)
    expect(report.applied.map((entry) => entry.segment)).toEqual(['a1165c53dd4b'])
    expect(after.get('a1165c53dd4b')!.target).toBe('See <1>here</1> now.')
    for (const id of ['f1c8f9fd9134', '6d76a79e7903', '00342edf5573']) {
      expect(after.get(id)).toEqual(bundle.segments.find((segment) => segment.id === id))
    }

    // Through the project: the valid segment is on disk, the file is not refused whole.
    temp = await tempProject({[`locales/en/${bundle.article}.json`]: serializeBundle(bundle)})
    await temp.write('per-segment.en.xlf', await fixtureText(join('import-rules', 'per-segment.en.xlf')))
    const result = await xliffImportProject(temp.project, join(temp.root, 'per-segment.en.xlf'), {now})
    expect(result.report.refused).toHaveLength(3)
    const saved = parseBundle(await readFile(bundlePath(temp.project.localesDir, 'en', bundle.article), 'utf8'), 'saved')
    expect(saved.segments.find((segment) => segment.id === 'a1165c53dd4b')!.target).toBe('See <1>here</1> now.')
  })

  for (const [label, encode] of [
    ['UTF-16 with a BOM', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')])],
    ['ISO-8859-1, as its XML declaration says', (text: string) => Buffer.from(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1')]
  ] as const) {
    it(`reads a file in ${label} through the shared decoder`, async () => {
      const bundle = await fixtureBundle()
      temp = await tempProject({[`locales/en/${bundle.article}.json`]: serializeBundle(bundle)})
      const path = join(temp.root, 'encoded.xlf')
      await writeFile(path, encode(await fixtureText(join('import-rules', 'sc-ec.en.xlf'))))
      const result = await xliffImportProject(temp.project, path, {now})
      expect(result.report.applied.map((entry) => entry.segment)).toEqual(['a1165c53dd4b', '4283e9cc1f3e'])
      const saved = parseBundle(await readFile(bundlePath(temp.project.localesDir, 'en', bundle.article), 'utf8'), 'saved')
      expect(saved.segments.find((segment) => segment.id === '4283e9cc1f3e')!.source).toBe('Élément avec <1>emphase</1><2/>et saut de ligne.')
    })
  }
})

describe('validate', () => {
  it('lists each problem with line and column, sorted', async () => {
    const text = (await fixtureText(join('import-rules', 'per-segment.en.xlf'))).replace('srcLang="fr"', 'srcLang="f"')
    const {format, problems} = validateText(text, 'per-segment.en.xlf', {xsd: false})
    expect(format).toBe('xliff')
    expect(problems.map(({line, column, code}) => [line, column, code])).toEqual([
      [3, 1, 'xliff-schema'],
      [8, 21, 'xliff-schema'],
      [10, 7, 'xliff-schema'],
      [18, 9, 'xliff-rule']
    ])
    expect(problems[0]!.message).toBe('<xliff> srcLang="f" is not a valid language tag')
  })

  it('passes a valid file, and reports a file that is not XML at its line', () => {
    expect(validateText('<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr"><file id="f"><unit id="u"><segment><source>a</source></segment></unit></file></xliff>', 'ok.xlf', {xsd: false}).problems).toEqual([])
    const broken = validateText('<?xml version="1.0"?>\n<xliff>\n<file></xliff>', 'broken.xlf', {xsd: false})
    expect(broken.problems).toHaveLength(1)
    expect(broken.problems[0]).toMatchObject({line: 3, code: 'xml'})
  })

  it('accepts a monolingual <tu> (valid TMX: the reader skips it) and reports a TMX error at its line', () => {
    const tmx = (extra: string) => `<?xml version="1.0"?>
<tmx version="1.4">
  <header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>
  <body>
    <tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>
    ${extra}
  </body>
</tmx>
`
    const valid = validateText(tmx('<tu><tuv xml:lang="fr"><seg>Seul</seg></tuv></tu>'), 'memory.tmx')
    expect(valid.format).toBe('tmx')
    expect(valid.problems).toEqual([])
    const invalid = validateText(tmx('<note>not allowed in body</note>'), 'memory.tmx')
    expect(invalid.problems).toHaveLength(1)
    expect(invalid.problems[0]).toMatchObject({line: 6, column: 5, code: 'tmx'})
  })

  it('reports a TBX error at its line', () => {
    const result = validateText('<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="fr">\n  <tbxHeader/>\n</tbx>\n', 'terms.tbx')
    expect(result.format).toBe('tbx')
    expect(result.problems.length).toBeGreaterThan(0)
    expect(result.problems[0]).toMatchObject({line: 2, column: 1, code: 'tbx'})
  })
})

describe('passerelle validate (the command)', () => {
  const run = promisify(execFile)
  const bin = join(repoRoot, 'bin', 'passerelle.js')
  const validate = async (...args: string[]): Promise<{code: number; stdout: string; stderr: string}> => {
    try {
      const {stdout, stderr} = await run(process.execPath, [bin, 'validate', '--no-xsd', ...args], {encoding: 'utf8'})
      return {code: 0, stdout, stderr}
    } catch (error) {
      const failed = error as {code: number; stdout: string; stderr: string}
      return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
    }
  }

  it('exits 0 for a valid file, 1 for an invalid one (printing file:line:column), 2 for a usage error', async () => {
    const valid = await validate(join(fixtures, 'import-rules', 'sc-ec.en.xlf'))
    expect(valid.code).toBe(0)
    expect(valid.stdout).toMatch(/sc-ec\.en\.xlf: valid XLIFF 2\n$/)

    const path = join(fixtures, 'import-rules', 'per-segment.en.xlf')
    const invalid = await validate(path)
    expect(invalid.code).toBe(1)
    expect(invalid.stdout.split('\n')).toEqual([
      `${path}:8:21: <target> cannot hold <b> (inline content is text, cp, ph, pc, sc, ec, mrk, sm, em) [xliff-schema]`,
      `${path}:10:7: <segment> state="done" is not a valid value (initial, translated, reviewed, final) [xliff-schema]`,
      `${path}:18:9: data id "d1" is used twice in unit "ua03f2386ae06" [xliff-rule]`,
      `${path}: invalid XLIFF 2, 3 problems`,
      ''
    ])

    expect((await validate()).code).toBe(2)
    expect((await validate(join(fixtures, 'no-such-file.xlf'))).code).toBe(2)
  })
})
