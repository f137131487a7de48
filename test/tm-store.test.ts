import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {Bundle} from '../src/workflow/types.ts'
import {parseBundle} from '../src/workflow/store.ts'
import {writeBundleFile} from './helpers/bundle.ts'
import {bundlePath} from '../src/workflow/store.ts'
import {isPasserelleError} from '../src/errors.ts'
import {exportProjectTm, importTmxFile, indexedMemory, loadProjectTm} from '../src/tm/store.ts'
import type {TmUnit} from '../src/tm/types.ts'
import {TranslationMemory} from '../src/tm/memory.ts'
import {parseTmx} from '../src/tm/tmx.ts'

const fixtures = new URL('./fixtures/tm/', import.meta.url).pathname
let root: string
let paths: {localesDir: string; tmDir: string}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'passerelle-tm-'))
  paths = {localesDir: join(root, 'locales'), tmDir: join(root, 'tm')}
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

function bundle(article: string, locale: string, rows: [source: string, target: string, state: 'machine' | 'translated' | 'approved'][]): Bundle {
  return fromFileShape({
    schema: 1,
    article,
    sourceLocale: 'fr',
    locale,
    sourceHash: 'x',
    segments: rows.map(([source, target, state], index) => {
      const hash = `${article.length}${index}`.padStart(12, '0')
      return {id: hash, hash, unit: 'u', kind: 'paragraph', index, source, tags: {}, target, state, glossary: [], unknown: [], qa: [], revision: 1, updated: '2024-05-01T10:00:00.000Z'}
    }),
    retired: []
  })
}

async function writeProject(): Promise<void> {
  await writeBundleFile(paths.localesDir, bundle('conference', 'en', [
      ['La conférence aura lieu à Malines.', 'The conference will take place in Mechelen.', 'approved'],
      ['Le nombre de migrants devrait continuer de croître.', 'Machine output.', 'machine']
    ])
  )
  await writeBundleFile(paths.localesDir, bundle('pacte', 'en', [['La conférence aura lieu à Malines.', 'The conference will take place in Mechelen.', 'translated']])
  )
  await writeBundleFile(paths.localesDir, bundle('pacte', 'es', [['La conférence aura lieu à Malines.', 'La conferencia tendrá lugar en Malinas.', 'translated']]))
}

describe('importTmxFile', () => {
  it('stores a normalised copy in tm/ and reports what it refused', async () => {
    const report = await importTmxFile(join(fixtures, 'partly-bad.tmx'), {tmDir: paths.tmDir})
    expect(report).toMatchObject({stored: join(paths.tmDir, 'partly-bad.tmx'), tus: 7, imported: 3, refused: 3, skipped: 1})
    expect(report.problems.every((problem) => isPasserelleError(problem, 'E_TMX'))).toBe(true)
    const stored = readFileSync(report.stored, 'utf8')
    expect(stored).toContain('creationtool="Passerelle"')
    const reread = parseTmx(stored, report.stored)
    expect(reread.problems).toEqual([])
    expect(reread.units.map((unit) => [unit.target, unit.origin])).toEqual([
      ['The number of migrants should keep growing.', {kind: 'import', detail: 'partly-bad.tmx'}],
      ['See the site.', {kind: 'import', detail: 'partly-bad.tmx'}],
      ['Act <1>now</1>.', {kind: 'import', detail: 'partly-bad.tmx'}]
    ])
    expect(readdirSync(paths.tmDir)).toEqual(['partly-bad.tmx'])
  })

  it('reads a unit from its variant in the project’s language, and refuses units without one', async () => {
    const report = await importTmxFile(join(fixtures, 'foreign.tmx'), {tmDir: paths.tmDir, sourceLocale: 'fr', name: 'Client TM (2018)'})
    expect(report.stored).toBe(join(paths.tmDir, 'Client-TM-2018.tmx'))
    // The en-US → fr-FR unit serves a French project from its French side.
    expect(report).toMatchObject({tus: 3, imported: 4, refused: 0})
    const other = await importTmxFile(join(fixtures, 'foreign.tmx'), {tmDir: paths.tmDir, sourceLocale: 'de', name: 'German'}).catch((error: unknown) => error)
    expect(isPasserelleError(other, 'E_TMX')).toBe(true)
  })

  it('throws E_TMX and stores nothing when the file is not TMX or has no usable unit', async () => {
    for (const name of ['malformed/wrong-root.tmx', 'malformed/not-xml.tmx']) {
      await expect(importTmxFile(join(fixtures, name), {tmDir: paths.tmDir})).rejects.toSatisfy((error) => isPasserelleError(error, 'E_TMX'))
    }
    const empty = join(root, 'empty.tmx')
    writeFileSync(empty, readFileSync(join(fixtures, 'partly-bad.tmx'), 'utf8').replace(/<tu tuid="(good-\d|lone-ept)">[\s\S]*?<\/tu>/g, ''))
    await expect(importTmxFile(empty, {tmDir: paths.tmDir})).rejects.toThrow(/no usable translation unit/)
    expect(() => readdirSync(paths.tmDir)).toThrow()
  })
})

describe('loadProjectTm', () => {
  it('merges human work from the bundles with imported TMX files', async () => {
    await writeProject()
    await importTmxFile(join(fixtures, 'partly-bad.tmx'), {tmDir: paths.tmDir})
    const {tm, problems} = await loadProjectTm(paths)
    expect(problems).toEqual([])
    expect(tm.size).toBe(6)
    const [exact] = tm.lookup({source: 'La conférence aura lieu à Malines.', targetLocale: 'en'})
    expect(exact).toMatchObject({kind: 'exact', unit: {state: 'approved', article: 'conference'}})
    const [imported] = tm.lookup({source: 'Le nombre de migrants devrait continuer de croître.', targetLocale: 'en'})
    expect(imported?.unit.target).toBe('The number of migrants should keep growing.')
  })

  it('reports a broken bundle or TMX file and loads the rest', async () => {
    await writeProject()
    await mkdir(paths.tmDir, {recursive: true})
    writeFileSync(join(paths.tmDir, 'broken.tmx'), '<tmx>')
    writeFileSync(bundlePath(paths.localesDir, 'en', 'broken'), '{not json')
    const {tm, problems} = await loadProjectTm(paths)
    expect(tm.size).toBe(3)
    expect(problems.map((problem) => problem.code).sort()).toEqual(['E_BUNDLE', 'E_TMX'])
  })

  it('is empty for a project without bundles or tm/', async () => {
    const {tm, problems} = await loadProjectTm(paths)
    expect([tm.size, problems]).toEqual([0, []])
  })
})

describe('exportProjectTm', () => {
  it('writes one pair, each source/target once, and the file imports back', async () => {
    await writeProject()
    const file = join(root, 'out', 'en.tmx')
    const result = await exportProjectTm({...paths, targetLocale: 'en', file})
    expect(result.units).toBe(1)
    const parsed = parseTmx(readFileSync(file, 'utf8'), file)
    expect(parsed.units).toEqual([
      expect.objectContaining({source: 'La conférence aura lieu à Malines.', targetLocale: 'en', state: 'approved', article: 'conference'})
    ])
    const again = await importTmxFile(file, {tmDir: paths.tmDir})
    expect(readFileSync(again.stored, 'utf8')).toBe(readFileSync(file, 'utf8'))
  })

  it('exports Spanish apart from English', async () => {
    await writeProject()
    const file = join(root, 'es.tmx')
    await exportProjectTm({...paths, targetLocale: 'es', sourceLocale: 'fr', file})
    expect(parseTmx(readFileSync(file, 'utf8'), file).units.map((unit) => unit.target)).toEqual(['La conferencia tendrá lugar en Malinas.'])
  })
})

describe('importTmxFile under a name already taken', () => {
  it('refuses to replace another memory silently, re-imports the same file, and replaces with --replace', async () => {
    await importTmxFile(join(fixtures, 'foreign.tmx'), {tmDir: paths.tmDir, sourceLocale: 'fr', name: 'vendor'})
    const first = readFileSync(join(paths.tmDir, 'vendor.tmx'), 'utf8')
    // The same file again is fine (idempotent).
    await importTmxFile(join(fixtures, 'foreign.tmx'), {tmDir: paths.tmDir, sourceLocale: 'fr', name: 'vendor'})
    await expect(importTmxFile(join(fixtures, 'partly-bad.tmx'), {tmDir: paths.tmDir, sourceLocale: 'fr', name: 'vendor'})).rejects.toSatisfy((error) =>
      isPasserelleError(error, 'E_CONFLICT')
    )
    expect(readFileSync(join(paths.tmDir, 'vendor.tmx'), 'utf8')).toBe(first)
    await importTmxFile(join(fixtures, 'partly-bad.tmx'), {tmDir: paths.tmDir, sourceLocale: 'fr', name: 'vendor', replace: true})
    expect(readFileSync(join(paths.tmDir, 'vendor.tmx'), 'utf8')).not.toBe(first)
  })
})

/** A bundle as the file would hold it, read back through the file edge. */
function fromFileShape(data: unknown): Bundle {
  return parseBundle(JSON.stringify(data), 'test bundle')
}

describe('indexedMemory', () => {
  const units = ['Le nombre de migrants devrait continuer de croître.', 'Bureau de la stratégie et de la performance', 'La migration est un phénomène mondial.'].map(
    (source, index): TmUnit => ({source, target: `T${index}`, sourceLocale: 'fr', targetLocale: 'en', state: 'translated', origin: {kind: 'human'}})
  )
  const query = {source: 'Le nombre des migrants devrait continuer de croître.', targetLocale: 'en'}

  it('writes the index once, then reads it back for the same units, and builds anew for others', async () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'passerelle-tmindex-')), 'cache', 'tm')
    try {
      const built = await indexedMemory(units, cache, {from: 1})
      const files = readdirSync(cache)
      expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.tmindex$/)])
      const again = await indexedMemory(units, cache, {from: 1})
      expect(again.lookup(query)).toEqual(built.lookup(query))
      expect(again.lookup(query).map((match) => match.unit.target)).toEqual(['T0'])
      expect(readdirSync(cache)).toEqual(files)
      // Another source: another key, another file; the first stays for the unchanged memory.
      const changed = [...units.slice(0, 2), {...units[2]!, source: 'La migration est un phénomène humain.'}]
      expect((await indexedMemory(changed, cache, {from: 1})).units()).toEqual(changed)
      expect(readdirSync(cache)).toHaveLength(2)
      // The file named by the units' hash is what is read: an index of other sentences there answers for them.
      writeFileSync(join(cache, files[0]!), new TranslationMemory(changed).exportIndex())
      expect((await indexedMemory(units, cache, {from: 1})).lookup({source: 'La migration est un phénomène humain.', targetLocale: 'en'})[0]?.score).toBe(99)
      // A damaged file is rebuilt, not trusted.
      writeFileSync(join(cache, files[0]!), 'not an index')
      expect((await indexedMemory(units, cache, {from: 1})).lookup(query)).toEqual(built.lookup(query))
    } finally {
      rmSync(cache.split('/cache/')[0]!, {recursive: true, force: true})
    }
  })

  it('builds small memories without touching the cache', async () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'passerelle-tmindex-')), 'tm')
    try {
      expect((await indexedMemory(units, cache)).size).toBe(3)
      expect(() => readdirSync(cache)).toThrow()
    } finally {
      rmSync(cache.replace(/\/tm$/, ''), {recursive: true, force: true})
    }
  })
})
