// Every TMX and TBX file of ../shared/conformance (OmegaT, Okapi, the TMX
// Compliance Kit, Weblate, the LTAC TBX dialect examples, termbase tools), and
// our TBX export against the official TBX-Core RNG and TBX-Basic DCA
// Schematron. Skips, saying so, when ../shared is absent.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {exportTbx, parseTbx} from '../src/exchange/tbx.ts'
import {loadTermbase} from '../src/glossary/index.ts'
import {readTextFile} from '../src/io/read-text.ts'
import {importTmxFile, parseTmx} from '../src/tm/index.ts'
import {conformanceDir, haveSuite, suiteFiles} from './helpers/conformance.ts'
import {repoRoot} from './helpers/project.ts'
import {compileSchematron} from './helpers/schematron.ts'

const scratch = mkdtempSync(join(tmpdir(), 'passerelle-conformance-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))
const languageOf = (locale: string) => locale.split('-')[0]!.toLowerCase()

const tmxFiles = suiteFiles('tmx', '.tmx')
describe.skipIf(!haveSuite('tmx'))('TMX from OmegaT, Okapi, the TMX Compliance Kit and Weblate', () => {
  it('has the files the README counts', () => {
    expect(tmxFiles.length).toBe(92)
    console.log(`conformance/tmx: ${tmxFiles.length} files`)
  })

  it.each(tmxFiles)('%s is read with no refused unit; with a French variant it imports into a French project', async (name) => {
    const path = join(conformanceDir, 'tmx', name)
    const text = await readTextFile(path, {encoding: 'xml', maxBytes: 256 * 1024 * 1024})
    const parsed = parseTmx(text, path)
    expect(parsed.problems.map((problem) => problem.toLine())).toEqual([])
    expect(parsed.units.length + parsed.skipped.length).toBeGreaterThanOrEqual(parsed.tus)
    const french = parsed.units.some((unit) => languageOf(unit.sourceLocale) === 'fr' || languageOf(unit.targetLocale) === 'fr')
    if (!french) return
    const report = await importTmxFile(path, {tmDir: join(scratch, 'tm'), sourceLocale: 'fr', name: name.replace(/\W+/g, '-'), replace: true})
    expect(report.imported).toBeGreaterThan(0)
    const stored = parseTmx(readFileSync(report.stored, 'utf8'), report.stored)
    expect(stored.units.every((unit) => languageOf(unit.sourceLocale) === 'fr')).toBe(true)
  })

  it('pairs codes by x as the spec says: the 0-based Compliance Kit file reads as the 1-based one', async () => {
    const read = async (name: string) => parseTmx(await readTextFile(join(conformanceDir, 'tmx/omegat', name), {encoding: 'xml'}), name).units.map((unit) => [unit.source, unit.target])
    const zero = await read('tmx__TMXComplianceKit__ImportTest2A-0index.tmx')
    // Units 1-4; in unit 5 the 0-based copy itself gives the same code x="0" and x="1".
    expect(zero.slice(0, 4)).toEqual((await read('tmx__TMXComplianceKit__ImportTest2A.tmx')).slice(0, 4))
    expect(zero[0]).toEqual(['The big <1>black</1> <2>cat</2> sleeps.', 'Le gros <2>chat</2> <1>noir</1> dors.'])
  })

  it('reads the UTF-16 files (LE and BE) of the Compliance Kit', async () => {
    for (const name of ['tmx__TMXComplianceKit__ImportTest1G.tmx', 'tmx__TMXComplianceKit__ImportTest2B.tmx']) {
      const parsed = parseTmx(await readTextFile(join(conformanceDir, 'tmx/omegat', name), {encoding: 'xml'}), name)
      expect(parsed.tus).toBeGreaterThan(0)
      expect(parsed.problems).toEqual([])
    }
  })
})

const tbxFiles = suiteFiles('tbx', '.tbx')
describe.skipIf(!haveSuite('tbx'))('TBX from the LTAC dialect examples, Okapi, OmegaT and Weblate', () => {
  it('has the files the README counts', () => {
    expect(tbxFiles.length).toBe(15)
    console.log(`conformance/tbx: ${tbxFiles.length} files`)
  })

  it.each(tbxFiles)('%s is read whole: every entry kept, none refused', async (name) => {
    const path = join(conformanceDir, 'tbx', name)
    const parsed = parseTbx(await readTextFile(path, {encoding: 'xml'}), path, {sourceLocale: 'en'})
    expect(parsed.problems.map((problem) => problem.toLine())).toEqual([])
    expect(parsed.concepts.length).toBeGreaterThan(0)
  })

  it('keeps the 223 concepts of a file with an empty <term/>, and reads a windows-1254 file', async () => {
    const sdl = parseTbx(await readTextFile(join(conformanceDir, 'tbx/okapi__sdl_tbx.tbx'), {encoding: 'xml'}), 'sdl')
    expect(sdl.concepts).toHaveLength(223)
    const turkish = parseTbx(await readTextFile(join(conformanceDir, 'tbx/okapi__test02_win1254.tbx'), {encoding: 'xml'}), 'win1254')
    expect(Object.values(turkish.concepts[0]!.terms).flat().map((term) => term!.text).join(' ')).toMatch(/[ğışİŞĞ]/)
  })

  it('reads DCA and DCT styles of one termbase to the same concepts and terms', async () => {
    for (const dialect of ['TBX-Basic', 'TBX-Min']) {
      const read = async (style: string) =>
        parseTbx(await readTextFile(join(conformanceDir, `tbx/${dialect}__Example_Astronomy_${style}_VALID.tbx`), {encoding: 'xml'}), style).concepts
      const [dca, dct] = [await read('DCA'), await read('DCT')]
      expect(dct.map((concept) => [concept.id, concept.terms])).toEqual(dca.map((concept) => [concept.id, concept.terms]))
      // The two Basic examples carry the same subject fields (the Min DCT example has none).
      if (dialect === 'TBX-Basic') expect(dct.map((concept) => concept.domain)).toEqual(dca.map((concept) => concept.domain))
    }
  })

  it('normalises a subject field written over two lines', async () => {
    const ibm = parseTbx(await readTextFile(join(conformanceDir, 'tbx/okapi__ibm_tbx.tbx'), {encoding: 'xml'}), 'ibm')
    expect(ibm.concepts.find((concept) => concept.id === 'c2')?.domain).toBe('Hardware \\ Other Processing Units and Specialized Devices')
  })
})

// ---------------------------------------------------------------- our export against the official rules

const rules = join(conformanceDir, 'tbx', 'rules')
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0
if (!hasXmllint) console.log('SKIP TBX RNG validation: xmllint is missing (apt-get install libxml2-utils, see scripts/setup.sh)')

describe.skipIf(!haveSuite('tbx/rules'))('TBX-Basic export against the TBX-Core RNG and the TBX-Basic DCA Schematron', () => {
  // The integrated Core RNG leaves each `*.types` choice for a dialect to fill in ("for use in
  // non-namespace environments (DCA style), replace … with the allowed values"); the dialect's
  // values are the Schematron's to check, so the extension points accept any value here.
  const rng = join(scratch, 'tbx-core-dca.rng')
  // Read in beforeAll, not while collecting: a skipped describe still runs its body.
  let schematron: ReturnType<typeof compileSchematron>
  beforeAll(() => {
    writeFileSync(
      rng,
      readFileSync(join(rules, 'TBX-Core__TBXcoreStructV03_TBX-Core_integrated.rng'), 'utf8').replace(/(<define name="[A-Za-z]+\.types">\s*<choice>[\s\S]*?)<empty\/>/g, '$1<text/>')
    )
    schematron = compileSchematron(readFileSync(join(rules, 'TBX-Basic__TBX-Basic_DCA.sch'), 'utf8'))
  })
  const relaxng = (text: string, name: string) => {
    const file = join(scratch, name)
    writeFileSync(file, text)
    const result = spawnSync('xmllint', ['--noout', '--relaxng', rng, file], {encoding: 'utf8'})
    return {status: result.status, errors: result.stderr.split('\n').filter((line) => line.includes('error'))}
  }
  const exports = async () => {
    const out: [string, string][] = []
    for (const dir of ['glossary', 'test/fixtures/exchange/glossary']) {
      const {termbase} = await loadTermbase(join(repoRoot, dir))
      if (termbase.concepts.length > 0) out.push([dir, exportTbx(termbase, {sourceLocale: 'fr'})])
    }
    return out
  }

  it('the harness accepts the official TBX-Basic DCA example and rejects what the rules forbid', () => {
    const example = readFileSync(join(conformanceDir, 'tbx/TBX-Basic__Example_Astronomy_DCA_VALID.tbx'), 'utf8')
    expect(schematron(example)).toEqual([])
    if (hasXmllint) expect(relaxng(example, 'example.tbx').status).toBe(0)
    const broken = example.replace('<termNote type="partOfSpeech">noun', '<termNote type="partOfSpeech">properNoun').replace('type="subjectField"', 'type="x-domain"')
    expect(schematron(broken).map((failure) => failure.node)).toEqual(['descrip/@type="x-domain"', 'termNote'])
    if (hasXmllint) expect(relaxng(example.replace('<termSec>', '<termSec><note>before the term</note>'), 'broken.tbx').status).not.toBe(0)
  })

  it('every termbase in the repository exports with zero RNG and zero Schematron failures', async () => {
    const all = await exports()
    expect(all.map(([dir]) => dir)).toEqual(['glossary', 'test/fixtures/exchange/glossary'])
    for (const [dir, text] of all) {
      expect(schematron(text), dir).toEqual([])
      if (hasXmllint) expect(relaxng(text, 'export.tbx'), dir).toEqual({status: 0, errors: []})
    }
  })
})

// ---------------------------------------------------------------- TBX 2008 for translate-toolkit

const python = '/usr/bin/python3'
const hasToolkit = spawnSync(python, ['-c', 'import translate.storage.tbx']).status === 0
if (!hasToolkit) console.log("SKIP TBX 2008 read-back: translate-toolkit is missing (apt-get install translate-toolkit, see scripts/setup.sh)")

describe.skipIf(!hasToolkit)('glossary export --tbx 2008', () => {
  it("writes <martif> that translate-toolkit's TBX reader reads back: source and target terms per concept", async () => {
    const {termbase} = await loadTermbase(join(repoRoot, 'test/fixtures/exchange/glossary'))
    const text = exportTbx(termbase, {sourceLocale: 'fr', version: '2008'})
    expect(text).toMatch(/<martif type="TBX" xml:lang="fr">/)
    const file = join(scratch, 'martif.tbx')
    writeFileSync(file, text)
    const script = 'import json,sys\nfrom translate.storage import tbx\nstore = tbx.tbxfile.parsefile(sys.argv[1])\nprint(json.dumps([[u.getid(), u.source, u.target] for u in store.units]))'
    const result = spawnSync(python, ['-c', script, file], {encoding: 'utf8'})
    expect(result.stderr).toBe('')
    const units = JSON.parse(result.stdout) as [string, string, string | null][]
    // translate-toolkit reads the first language as the source and the second as the target.
    expect(units).toEqual(
      termbase.concepts.map((concept) => {
        const [first, second] = Object.values(concept.terms)
        return [concept.id, first![0]!.text, second?.[0]?.text ?? null]
      })
    )
    // And our reader gets everything back.
    expect(parseTbx(text, 'martif.tbx').concepts).toEqual(termbase.concepts)
  })
})
