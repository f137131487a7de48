// gettext PO and i18next JSON v4 exports: the expected files, read back by
// gettext-parser and i18next, and run through translate-toolkit (pofilter,
// pocount, po2tmx), as the world outside Passerelle would use them.
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import * as gettextParser from 'gettext-parser'
import i18next from 'i18next'
import {afterEach, describe, expect, it} from 'vitest'
import {serializeBundle} from '../src/workflow/store.ts'
import {exportI18next, exportPo, i18nextResource} from '../src/exchange/index.ts'
import {available, cli, expected, fixtureBundle, tool} from './fixtures/exchange/helpers.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const hasToolkit = (await available('pofilter')) && (await available('pocount')) && (await available('po2tmx'))

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

describe('PO export', () => {
  it('writes the expected file for a known bundle', async () => {
    const text = exportPo(await fixtureBundle())
    expect(text).toBe(await expected('oim-villes.en.po', text))
  })

  it('gives one entry per segment: msgctxt id, msgid source, msgstr target, fuzzy for machine, TM and stale', async () => {
    const bundle = await fixtureBundle()
    const parsed = gettextParser.po.parse(exportPo(bundle))
    expect(parsed.headers.Language).toBe('en')
    for (const segment of bundle.segments) {
      const entry = parsed.translations[segment.id]?.[segment.source]
      expect(entry, segment.id).toBeDefined()
      expect(entry!.msgstr).toEqual([segment.target ?? ''])
      expect(entry!.comments?.reference).toBe('content/fr/oim-villes.md')
      const fuzzy = segment.target !== undefined && (segment.state === 'machine' || segment.state === 'fuzzy' || segment.stale === true)
      expect(entry!.comments?.flag === 'fuzzy', segment.id).toBe(fuzzy)
    }
    expect(parsed.translations['f70b9343c45a']!['Le texte a changé ici.']!.comments!.previous).toBe('msgid "Le texte était différent."')
    expect(parsed.translations['f1c8f9fd9134']!['Voir <1>le site de l’OIM</1> et <2>le rapport</2>.']!.comments!.extracted).toContain('glossary: OIM → IOM')
  })

  it.skipIf(!hasToolkit)('pofilter runs on it and its xmltags check finds the broken target', async () => {
    temp = await tempProject({'en.po': exportPo(await fixtureBundle())}, {glossary: false})
    const result = await tool('pofilter', ['-t', 'xmltags', 'en.po', 'out.po'], temp.root)
    expect(result.code).toBe(0)
    const flagged = gettextParser.po.parse(await readFile(join(temp.root, 'out.po')))
    const ids = Object.keys(flagged.translations).filter((context) => context !== '')
    expect(ids).toEqual(['a1165c53dd4b'])
  })

  it.skipIf(!hasToolkit)('pocount counts translated, fuzzy and untranslated entries as we do', async () => {
    temp = await tempProject({'en.po': exportPo(await fixtureBundle())}, {glossary: false})
    const result = await tool('pocount', ['--csv', 'en.po'], temp.root)
    expect(result.code).toBe(0)
    // --csv: Filename, Translated Messages, Translated Source Words, Translated Target Words, Fuzzy Messages, Fuzzy Source Words, Untranslated Messages, …
    const row = result.stdout.trim().split('\n').at(-1)!.split(',').map((cell) => cell.trim())
    expect([row[1], row[4], row[6]]).toEqual(['3', '4', '2'])
  })

  it.skipIf(!hasToolkit)('po2tmx turns it into a TMX with the confirmed translations', async () => {
    temp = await tempProject({'en.po': exportPo(await fixtureBundle())}, {glossary: false})
    const result = await tool('po2tmx', ['-l', 'en', 'en.po', 'en.tmx'], temp.root)
    expect(result.code).toBe(0)
    const tmx = await readFile(join(temp.root, 'en.tmx'), 'utf8')
    expect(tmx.match(/<tu>/g)).toHaveLength(3)
    expect(tmx).toContain('Write to &lt;1/&gt;.')
  })
})

describe('i18next export', () => {
  it('keeps publishable, non-stale targets, keyed by segment id', async () => {
    const bundle = await fixtureBundle()
    expect(Object.keys(i18nextResource(bundle, {minState: 'machine'}))).toEqual([
      '13a2a84dbd9c',
      'f1c8f9fd9134',
      '6d76a79e7903',
      '93b58048dae6',
      '4283e9cc1f3e'
    ])
    // a1165c53dd4b has a broken target (`See <1>here now.`): not publishable, as in `build`.
    expect(i18nextResource(bundle, {minState: 'machine'})).not.toHaveProperty('a1165c53dd4b')
    expect(i18nextResource(bundle, {minState: 'reviewed'})).toEqual({
      '13a2a84dbd9c': 'IOM &amp; cities',
      '4283e9cc1f3e': 'Item with <1>emphasis</1><2/>and a line break.'
    })
  })

  it('loads into i18next as one namespace per article', async () => {
    const bundle = await fixtureBundle()
    const resource = JSON.parse(exportI18next(bundle, {minState: 'translated'})) as Record<string, string>
    const instance = i18next.createInstance()
    await instance.init({
      lng: 'en',
      resources: {en: {[bundle.article]: resource}},
      ns: [bundle.article],
      keySeparator: false,
      nsSeparator: false,
      initAsync: false,
      interpolation: {escapeValue: false}
    })
    expect(instance.t('93b58048dae6', {ns: bundle.article})).toBe('Write to <1/>.')
    expect(instance.exists('f1c8f9fd9134', {ns: bundle.article})).toBe(false)
  })
})

describe('passerelle export', () => {
  it('writes <dir>/<locale>/<slug>.po and .json', async () => {
    const bundle = await fixtureBundle()
    temp = await tempProject({'locales/en/oim-villes.json': serializeBundle(bundle)}, {glossary: false})
    const po = await cli(temp.project, ['export', '--format', 'po', '--to', 'en', join(temp.root, 'out')])
    expect(po.code).toBe(0)
    expect(await readFile(join(temp.root, 'out', 'en', 'oim-villes.po'), 'utf8')).toBe(exportPo(bundle))
    const json = await cli(temp.project, ['export', '--format', 'i18next', '--to', 'en', '--min-state', 'reviewed', join(temp.root, 'out')])
    expect(json.code).toBe(0)
    expect(JSON.parse(await readFile(join(temp.root, 'out', 'en', 'oim-villes.json'), 'utf8'))).toEqual(i18nextResource(bundle, {minState: 'reviewed'}))
  })

  it('reports an unknown article and exits 1', async () => {
    temp = await tempProject({'locales/en/oim-villes.json': serializeBundle(await fixtureBundle())}, {glossary: false})
    const result = await cli(temp.project, ['export', '--format', 'po', '--to', 'en', '--article', 'nope', join(temp.root, 'out')])
    expect(result.code).toBe(1)
    expect(result.failures[0]!.message).toMatch(/no en bundle for article "nope" \(E_NOT_FOUND\)/)
  })
})

