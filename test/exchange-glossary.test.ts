// TBX and CSV: export of a known termbase, round trips to an identical
// termbase (in memory and on disk), merge reports, files from peer tools
// (translate-toolkit's csv2tbx, Weblate-style TBX 2008), malformed files.
import {readFile, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {exportCsv, exportTbx, mergeTermbase, parseCsv, parseTbx} from '../src/exchange/index.ts'
import {glossaryExportProject, glossaryImportProject} from '../src/exchange/run.ts'
import {loadTermbase, saveTermbase} from '../src/glossary/index.ts'
import {canonicalConcept} from '../src/glossary/schema.ts'
import type {Termbase} from '../src/glossary/types.ts'
import {available, cli, expected, fixtureText, fixtures, tool} from './fixtures/exchange/helpers.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const hasXmllint = await available('xmllint')
const hasCsv2tbx = await available('csv2tbx')

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

async function fixtureTermbase(): Promise<Termbase> {
  const {termbase, problems} = await loadTermbase(join(fixtures, 'glossary'))
  expect(problems).toEqual([])
  return termbase
}

/** A temp project whose glossary folder is the fixture's. */
async function glossaryProject(): Promise<TempProject> {
  return tempProject({'glossary/terms.yaml': await fixtureText('glossary/terms.yaml')}, {glossary: false})
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8')
  return out
}

function thrown(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  return undefined
}

const formats = [
  {name: 'TBX', file: 'terms.tbx', write: (termbase: Termbase) => exportTbx(termbase, {sourceLocale: 'fr'}), read: (text: string) => parseTbx(text, 'terms.tbx')},
  {name: 'CSV', file: 'terms.csv', write: (termbase: Termbase) => exportCsv(termbase), read: (text: string) => parseCsv(text, 'terms.csv')}
]

for (const format of formats) {
  describe(`${format.name} export and round trip`, () => {
    it('writes the expected file for a known termbase', async () => {
      const text = format.write(await fixtureTermbase())
      expect(text).toBe(await expected(format.file, text))
    })

    it('export → import gives the same concepts, nothing lost and nothing to report', async () => {
      const termbase = await fixtureTermbase()
      const parsed = format.read(format.write(termbase))
      expect(parsed.warnings).toEqual([])
      expect(parsed.concepts).toEqual(termbase.concepts.map((concept) => canonicalConcept(concept)))
      const merged = mergeTermbase(termbase, parsed.concepts)
      expect(merged.report).toEqual({added: [], changed: [], unchanged: ['iom', 'irregular-migration', 'un-desa', 'old-term'], conflicts: []})
      expect(merged.termbase).toEqual(termbase)
    })

    it('export → import on disk leaves the glossary files byte for byte as they were', async () => {
      temp = await glossaryProject()
      const before = await snapshot(temp.project.glossaryDir)
      const file = join(temp.root, format.file)
      const exported = await glossaryExportProject(temp.project, {format: format.name === 'TBX' ? 'tbx' : 'csv'})
      expect(exported.failures).toEqual([])
      await writeFile(file, exported.text)
      const result = await glossaryImportProject(temp.project, file)
      expect(result.written).toEqual([])
      expect(result.report.unchanged).toHaveLength(4)
      // Saving the merged termbase itself rewrites nothing either.
      const {termbase} = await loadTermbase(temp.project.glossaryDir)
      const merged = mergeTermbase(termbase, format.read(exported.text).concepts)
      expect(await saveTermbase(temp.project.glossaryDir, merged.termbase)).toEqual([])
      expect(await snapshot(temp.project.glossaryDir)).toEqual(before)
    })
  })
}

describe('TBX specifics', () => {
  it.skipIf(!hasXmllint)('is well-formed for xmllint', async () => {
    temp = await tempProject({}, {glossary: false})
    const file = join(temp.root, 'terms.tbx')
    await writeFile(file, exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'}))
    const result = await tool('xmllint', ['--noout', file])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('writes TBX-Basic status values, with forbidden as superseded', async () => {
    const text = exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'})
    expect(text).toContain('<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="fr">')
    expect(text).toContain('<termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>')
    expect(text).toContain('<descrip type="subjectField">migration</descrip>')
    // What TBX-Basic has no category for travels as a note that import reads back.
    expect(text).toContain('<note>passerelle:doNotTranslate=yes</note>')
    expect(text).not.toContain('properNoun</termNote>')
  })

  it('writes an id that starts with a digit as a valid XML id, and reads it back', () => {
    const concept = {id: '2030-agenda', terms: {fr: [{text: 'Programme 2030', status: 'preferred' as const}]}}
    const text = exportTbx({concepts: [concept]}, {sourceLocale: 'fr'})
    expect(text).toContain('<conceptEntry id="_2030-agenda">')
    expect(parseTbx(text, 'ids.tbx').concepts).toEqual([concept])
    expect(parseTbx(exportTbx({concepts: [concept]}, {sourceLocale: 'fr', version: '2008'}), 'ids.tbx').concepts).toEqual([concept])
  })

  it.skipIf(!hasCsv2tbx)("reads translate-toolkit's TBX 2008 (csv2tbx), naming concepts that have no usable id", async () => {
    temp = await tempProject({'g.csv': 'source,target\n"migration irrégulière","irregular migration"\nOIM,IOM\n'}, {glossary: false})
    const result = await tool('csv2tbx', ['-i', 'g.csv', '-o', 'g.tbx'], temp.root)
    expect(result.code).toBe(0)
    const parsed = parseTbx(await readFile(join(temp.root, 'g.tbx'), 'utf8'), 'g.tbx', {sourceLocale: 'en'})
    expect(parsed.concepts.map((concept) => [concept.id, concept.terms])).toEqual([
      ['migration-irreguliere', {en: [{text: 'migration irrégulière', status: 'preferred'}], xx: [{text: 'irregular migration', status: 'preferred'}]}],
      ['oim', {en: [{text: 'OIM', status: 'preferred'}], xx: [{text: 'IOM', status: 'preferred'}]}]
    ])
    expect(parsed.warnings).toEqual([
      expect.stringMatching(/concept id "migration irrégulière" is named "migration-irreguliere"/),
      expect.stringMatching(/concept id "OIM" is named "oim"/)
    ])
  })

  it("reads Weblate's conventions: forbidden status, translationNote no, explanations", async () => {
    const parsed = parseTbx(await fixtureText('weblate.tbx'), 'weblate.tbx', {sourceLocale: 'en'})
    expect(parsed.concepts).toEqual([
      {
        id: 'address-bar',
        definition: 'The field where a URL is typed.',
        terms: {
          en: [{text: 'address bar', status: 'preferred'}],
          fr: [
            {text: "barre d'adresse", status: 'preferred', partOfSpeech: 'noun', gender: 'feminine', note: 'Use in UI strings.'},
            {text: "barre d'URL", status: 'forbidden'}
          ]
        }
      },
      {id: 'weblate', dnt: true, terms: {en: [{text: 'Weblate', status: 'preferred'}], fr: [{text: 'Weblate', status: 'preferred'}]}}
    ])
    expect(parsed.warnings).toEqual([expect.stringMatching(/concept without an id is named "address-bar"/), expect.stringMatching(/concept without an id is named "weblate"/)])
  })
})

describe('merge', () => {
  it('reports new, changed, unchanged and conflicting concepts; conflicts are not applied', async () => {
    const termbase = await fixtureTermbase()
    const incoming = parseCsv(await fixtureText('merge.csv'), 'merge.csv')
    const {termbase: merged, report} = mergeTermbase(termbase, incoming.concepts)
    expect(report).toEqual({
      added: ['climate-migration'],
      changed: [{concept: 'irregular-migration', fields: ['definition', 'terms.en']}],
      unchanged: ['un-desa'],
      conflicts: [
        {concept: 'iom', locale: 'en', status: 'preferred', ours: ['IOM', 'International Organization for Migration'], theirs: ['UN Migration', 'International Organization for Migration']}
      ]
    })
    const byId = new Map(merged.concepts.map((concept) => [concept.id, concept]))
    expect(byId.get('iom')).toEqual(termbase.concepts.find((concept) => concept.id === 'iom'))
    // Languages the file does not give are kept.
    expect(byId.get('irregular-migration')!.terms.ca).toEqual([{text: 'migració irregular', status: 'admitted', partOfSpeech: 'noun', gender: 'feminine'}])
    // Term by term: named terms are updated, new ones added, and none is dropped.
    expect(byId.get('irregular-migration')!.terms.en!.map((term) => `${term.text}:${term.status}`)).toEqual([
      'irregular migration:preferred',
      'illegal migration:forbidden',
      'irregular movement:admitted'
    ])
    expect(merged.concepts.at(-1)!.id).toBe('climate-migration')
    expect(merged.patterns).toEqual(termbase.patterns)
  })

  it('applies conflicting concepts when asked for theirs', async () => {
    const termbase = await fixtureTermbase()
    const incoming = parseCsv(await fixtureText('merge.csv'), 'merge.csv')
    const {termbase: merged, report} = mergeTermbase(termbase, incoming.concepts, {conflicts: 'theirs'})
    expect(report.conflicts).toHaveLength(1)
    expect(report.changed.map((entry) => entry.concept)).toEqual(['irregular-migration', 'iom'])
    const iom = merged.concepts.find((concept) => concept.id === 'iom')!
    // Their preferred acronym replaces ours; the forbidden misspelling the file does not mention is kept.
    expect(iom.terms.en!.map((term) => `${term.text}:${term.status}`)).toEqual([
      'International Organization for Migration:preferred',
      'International Organisation for Migration:forbidden',
      'UN Migration:preferred'
    ])
    expect(iom.terms.fr).toEqual(termbase.concepts.find((concept) => concept.id === 'iom')!.terms.fr)
  })

  it('on the command line: writes the merge, prints the report, exits 1 for the kept conflict', async () => {
    temp = await glossaryProject()
    await temp.write('merge.csv', await fixtureText('merge.csv'))
    const result = await cli(temp.project, ['glossary', 'import', join(temp.root, 'merge.csv')])
    expect(result.code).toBe(1)
    expect(result.out).toContain('new climate-migration')
    expect(result.out).toContain('changed irregular-migration: definition, terms.en')
    expect(result.out).toContain('conflict iom (en, preferred): ours IOM | International Organization for Migration, theirs UN Migration | International Organization for Migration — kept ours')
    expect(result.out).toContain('1 new, 1 changed, 1 unchanged, 1 conflict(s)')
    const {termbase} = await loadTermbase(temp.project.glossaryDir)
    // The new concept has no domain: the glossary saver puts it in concepts.yaml.
    expect(termbase.concepts.map((concept) => concept.id).sort()).toEqual(['climate-migration', 'iom', 'irregular-migration', 'old-term', 'un-desa'])
    expect(termbase.concepts.find((concept) => concept.id === 'iom')!.terms.en![0]!.text).toBe('IOM')
  })

  it('a new concept whose source term belongs to another concept is a conflict, never a second concept', async () => {
    const termbase = await fixtureTermbase()
    // What csv2tbx makes of a spreadsheet row "OIM,IOM": a concept named from its term.
    const copy = {id: 'oim', terms: {fr: [{text: 'OIM', status: 'preferred' as const}], en: [{text: 'IOM', status: 'preferred' as const}]}}
    const kept = mergeTermbase(termbase, [copy], {sourceLocale: 'fr'})
    expect(kept.report.added).toEqual([])
    expect(kept.report.conflicts).toEqual([{concept: 'oim', locale: 'fr', status: 'preferred', ours: ['OIM'], theirs: ['OIM'], owner: 'iom'}])
    expect(kept.termbase.concepts).toEqual(termbase.concepts)
    // A known concept that takes another's source term is a conflict too.
    const grab = {...termbase.concepts[1]!, terms: {...termbase.concepts[1]!.terms, fr: [...termbase.concepts[1]!.terms.fr!, {text: 'Oim', status: 'admitted' as const}]}}
    expect(mergeTermbase(termbase, [grab]).report.conflicts.map((conflict) => conflict.owner)).toEqual(['iom'])
  })

  it('on the command line: a TBX entry that cannot be used is reported with its line, the others are merged, exit 1', async () => {
    temp = await glossaryProject()
    const text = exportTbx({concepts: [{id: 'climate-migration', terms: {fr: [{text: 'migration climatique', status: 'preferred'}]}}, {id: 'broken', terms: {fr: [{text: 'x', status: 'preferred'}]}}]}, {sourceLocale: 'fr'})
    await temp.write('new.tbx', text.replace('<term>x</term>', '<term>   </term>'))
    const result = await cli(temp.project, ['glossary', 'import', join(temp.root, 'new.tbx')])
    expect(result.code).toBe(1)
    expect(result.out).toContain('new climate-migration')
    expect(result.failures.map((failure) => failure.message)).toEqual([expect.stringMatching(/new\.tbx: line \d+: concept "broken" skipped/)])
    const {termbase} = await loadTermbase(temp.project.glossaryDir)
    expect(termbase.concepts.map((concept) => concept.id)).toContain('climate-migration')
  })

  it('glossary check lists source terms shared by two concepts and exits 1; a clean termbase exits 0', async () => {
    temp = await glossaryProject()
    const clean = await cli(temp.project, ['glossary', 'check'])
    expect(clean.code).toBe(0)
    expect(clean.out).toContain('4 concept(s): 0 shared source term(s), 0 other problem(s)')
    await temp.write('glossary/x-extra.yaml', 'concepts:\n  - id: oms\n    terms:\n      fr:\n        - text: OIM\n          status: preferred\n  - id: bad\n    terms: {}\n')
    const result = await cli(temp.project, ['glossary', 'check'])
    expect(result.code).toBe(1)
    expect(result.out).toContain('oms: source term "OIM" (fr) already belongs to concept iom ("OIM")')
    expect(result.out).toContain('5 concept(s): 1 shared source term(s), 1 other problem(s)')
  })

  it('glossary export on the command line writes TBX and CSV', async () => {
    temp = await glossaryProject()
    const tbx = await cli(temp.project, ['glossary', 'export', join(temp.root, 'out.tbx')])
    expect(tbx.code).toBe(0)
    expect(tbx.out).toMatch(/wrote .*out\.tbx: 4 concept\(s\)/)
    expect(await readFile(join(temp.root, 'out.tbx'), 'utf8')).toBe(await fixtureText('terms.tbx'))
    const csv = await cli(temp.project, ['glossary', 'export', '--format', 'csv', join(temp.root, 'out.txt')])
    expect(csv.code).toBe(0)
    expect(await readFile(join(temp.root, 'out.txt'), 'utf8')).toBe(await fixtureText('terms.csv'))
  })
})

describe('bad TBX entries are skipped with their line, the others read', () => {
  const cases: [string, (text: string) => string, RegExp][] = [
    ['duplicate concept id', (text) => text.replace('<conceptEntry id="un-desa">', '<conceptEntry id="iom">'), /concept "iom" skipped: concept id "iom" is used twice/],
    ['unknown status', (text) => text.replace('admittedTerm-admn-sts', 'maybeTerm'), /skipped: .*unknown administrativeStatus "maybeTerm"/],
    ['a concept whose only term is blank', (text) => text.replace('<term>UN DESA</term>', '<term>  </term>'), /concept "un-desa" skipped: not a valid concept: terms/]
  ]
  for (const [name, mangle, message] of cases) {
    it(name, async () => {
      const text = mangle(exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'}))
      const parsed = parseTbx(text, 'bad.tbx')
      expect(parsed.problems).toHaveLength(1)
      const [problem] = parsed.problems
      expect(problem!.code).toBe('E_TBX')
      expect(problem!.message).toMatch(message)
      expect(problem!.line).toBe(Number(/^line (\d+)/.exec(problem!.message)?.[1]))
      expect(problem!.column).toBeGreaterThan(0)
      expect(parsed.concepts).toHaveLength(3)
    })
  }

  it('an empty <term/> is left out, its concept and the file are read', async () => {
    const text = exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'}).replace('<term>IOM</term>', '<term/>')
    const parsed = parseTbx(text, 'empty-term.tbx')
    expect(parsed.problems).toEqual([])
    expect(parsed.concepts.map((concept) => concept.id)).toEqual(['iom', 'irregular-migration', 'un-desa', 'old-term'])
    expect(parsed.concepts[0]!.terms.en!.map((term) => term.text)).not.toContain('IOM')
    expect(parsed.warnings).toContainEqual(expect.stringMatching(/empty <term> was skipped/))
  })

  it('fields wrapped over several lines are read as one line', async () => {
    const text = exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'})
      .replace('<descrip type="subjectField">migration</descrip>', '<descrip type="subjectField">migration\n          policy</descrip>')
      .replace('<term>IOM</term>', '<term>\n              IOM\n            </term>')
    const parsed = parseTbx(text, 'wrapped.tbx')
    expect(parsed.problems).toEqual([])
    expect(parsed.concepts.find((concept) => concept.id === 'irregular-migration')?.domain).toBe('migration policy')
    expect(parsed.concepts[0]!.terms.en![0]!.text).toBe('IOM')
  })

  it('reads DCT style (the data category as the element name) as DCA', async () => {
    const text = exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'})
      .replace('style="dca"', 'style="dct" xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic"')
      .replace(/<descrip type="subjectField">([^<]*)<\/descrip>/g, '<min:subjectField>$1</min:subjectField>')
      .replace(/<termNote type="administrativeStatus">([^<]*)<\/termNote>/g, '<min:administrativeStatus>$1</min:administrativeStatus>')
      .replace(/<termNote type="(termType|partOfSpeech|grammaticalGender)">([^<]*)<\/termNote>/g, '<basic:$1>$2</basic:$1>')
    expect(text).not.toContain('type="administrativeStatus"')
    const parsed = parseTbx(text, 'dct.tbx')
    expect(parsed.problems).toEqual([])
    expect(parsed.concepts).toEqual((await fixtureTermbase()).concepts.map((concept) => canonicalConcept(concept)))
  })
})

describe('malformed glossary files are refused whole, and nothing changes on disk', () => {
  const tbxCases: [string, (text: string) => string, RegExp][] = [
    ['not XML', () => 'concepts: [not, xml]', /line 1/],
    ['broken XML', (text) => text.replace('</termSec>', '</termsec>'), /not well-formed/],
    ['wrong root', (text) => text.replace(/<tbx [^>]*>/, '<glossary>').replace('</tbx>', '</glossary>'), /not a TBX document/],
    ['wrong namespace', (text) => text.replace('urn:iso:std:iso:30042:ed-2', 'urn:example'), /not a TBX document/],
    ['entity declarations', (text) => text.replace('<tbx ', '<!DOCTYPE tbx [<!ENTITY a "a">]>\n<tbx '), /DOCTYPE/],
    ['unknown style', (text) => text.replace('style="dca"', 'style="dcx"'), /style="dcx"/]
  ]
  for (const [name, mangle, message] of tbxCases) {
    it(`TBX: ${name}`, async () => {
      const original = exportTbx(await fixtureTermbase(), {sourceLocale: 'fr'})
      const text = mangle(original)
      expect(text).not.toBe(original)
      const error = thrown(() => parseTbx(text, 'bad.tbx'))
      expect(isPasserelleError(error, 'E_TBX'), String(error)).toBe(true)
      expect((error as Error).message).toMatch(message)
      await expectNothingWritten('bad.tbx', text)
    })
  }

  const csvCases: [string, (text: string) => string, RegExp][] = [
    ['unclosed quote', (text) => `${text}iom,,en,"unclosed,preferred\n`, /not valid CSV/],
    ['no term column', (text) => text.replace('concept,domain,locale,term,', 'concept,domain,locale,word,'), /no "term" column/],
    ['bad status', (text) => text.replace('iom,organisations,en,IOM,preferred', 'iom,organisations,en,IOM,favourite'), /line 6: concept iom: status "favourite"/],
    ['rows disagree on the domain', (text) => text.replace('iom,organisations,en,IOM,', 'iom,agencies,en,IOM,'), /line 6: concept iom: domain "agencies" differs from "organisations" on line 2/],
    ['bad yes/no', (text) => text.replace(',yes,The UN migration agency.', ',maybe,The UN migration agency.'), /line 2: concept iom: caseSensitive "maybe" is not yes or no/],
    ['invalid id', (text) => text.replaceAll('un-desa,', 'UN DESA,'), /concept "UN DESA" is not valid/]
  ]
  for (const [name, mangle, message] of csvCases) {
    it(`CSV: ${name}`, async () => {
      const original = exportCsv(await fixtureTermbase())
      const text = mangle(original)
      expect(text).not.toBe(original)
      const error = thrown(() => parseCsv(text, 'bad.csv'))
      expect(isPasserelleError(error, 'E_TBX'), String(error)).toBe(true)
      expect((error as Error).message).toMatch(message)
      await expectNothingWritten('bad.csv', text)
    })
  }

  it('reads semicolon-separated CSV as spreadsheets in French write it', async () => {
    const termbase = await fixtureTermbase()
    const text = exportCsv({concepts: [termbase.concepts[1]!]}).replaceAll(',', ';')
    expect(parseCsv(text, 'fr.csv').concepts).toEqual([canonicalConcept(termbase.concepts[1]!)])
  })

  async function expectNothingWritten(name: string, text: string): Promise<void> {
    temp = await glossaryProject()
    const before = await snapshot(temp.project.glossaryDir)
    await temp.write(name, text)
    await expect(glossaryImportProject(temp.project, join(temp.root, name))).rejects.toMatchObject({code: 'E_TBX'})
    expect(await snapshot(temp.project.glossaryDir)).toEqual(before)
    await temp.cleanup()
    temp = undefined
  }
})
