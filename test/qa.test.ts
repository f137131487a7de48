import {mkdtemp, mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import type {Bundle, BundleSegment} from '../src/workflow/types.ts'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import * as qa from '../src/qa/index.ts'
import {blocksApproval, formatQaReport, qaProject, runChecks, summarize, tokenizeTags, type QaInput, type QaTermHit} from '../src/qa/index.ts'
import {checkBundle} from '../src/workflow/qa.ts'
import type {Finding} from '../src/types.ts'
import {makeSegment} from './helpers/bundle.ts'

function input(source: string, target: string, more: Partial<QaInput> = {}): QaInput {
  return {source, target, sourceLocale: 'fr', targetLocale: 'en', hits: [], unknown: [], state: 'machine', ...more}
}

function numberFindings(source: string, target: string, targetLocale: string): Finding[] {
  return runChecks(input(source, target, {targetLocale}), {checks: only('numbers')})
}

/** Options that disable every check but `rule`. */
function only(rule: string): Record<string, false> {
  return Object.fromEntries(qa.ruleIds.filter((id) => id !== rule).map((id) => [id, false]))
}

describe('qa api', () => {
  it('should expose the public api', () => {
    expect(Object.keys(qa).sort()).toEqual(
      [
        'acknowledges',
        'applyAcknowledgements',
        'blocksApproval',
        'checks',
        'createContext',
        'defaultDntClasses',
        'defaultLengthRatio',
        'formatQaReport',
        'qaProject',
        'resolveChecks',
        'ruleIds',
        'runChecks',
        'sortFindings',
        'summarize',
        'tokenizeTags',
        'withAcknowledged'
      ].sort()
    )
  })

  it('has stable kebab-case rule ids', () => {
    expect(qa.ruleIds).toEqual([
      'tags-missing',
      'tags-extra',
      'tags-order',
      'numbers',
      'glossary-missing',
      'glossary-forbidden',
      'glossary-deprecated',
      'dnt-altered',
      'empty',
      'identical',
      'whitespace-edges',
      'double-space',
      'end-punctuation',
      'brackets',
      'quotes',
      'length-ratio',
      'unknown-words'
    ])
  })
})

describe('tokenizeTags', () => {
  it('reads paired, self-closing and stray markup, and leaves escaped text alone', () => {
    const tokens = tokenizeTags('a <1>b</1> <2/> &lt;3 <b> </1/>')
    expect(tokens.map((t) => [t.kind, t.id, t.raw])).toEqual([
      ['open', '1', '<1>'],
      ['close', '1', '</1>'],
      ['self', '2', '<2/>'],
      ['stray', '', '<b>'],
      ['stray', '', '</1/>']
    ])
    expect(tokens[0]).toMatchObject({start: 2, end: 5})
  })
})

describe('runChecks', () => {
  it('sorts errors first and removes duplicates', () => {
    const duplicate: qa.Check = () => [
      {rule: 'zz', severity: 'warning', message: 'w'},
      {rule: 'aa', severity: 'error', message: 'e'},
      {rule: 'zz', severity: 'warning', message: 'w'}
    ]
    const findings = runChecks(input('Agir', 'Act'), {checks: {...only('none'), custom: duplicate}})
    expect(findings).toEqual([
      {rule: 'aa', severity: 'error', message: 'e'},
      {rule: 'zz', severity: 'warning', message: 'w'}
    ])
  })

  it('lets options disable, replace and re-grade checks', () => {
    const source = 'L’OIM est présente dans 171 pays.'
    const target = 'The agency is present in 170 countries.'
    const hits: QaTermHit[] = [{concept: 'iom', kind: 'term', start: 2, end: 5, text: 'OIM', dnt: false, expected: ['IOM'], forbidden: []}]
    const base = runChecks(input(source, target, {hits}))
    expect(base.map((f) => `${f.rule}:${f.severity}`)).toEqual(['numbers:error', 'glossary-missing:warning', 'numbers:warning'])
    expect(blocksApproval(base)).toBe(true)

    const relaxed = runChecks(input(source, target, {hits}), {checks: {numbers: false}, severities: {'glossary-missing': 'error'}})
    expect(relaxed).toEqual([{rule: 'glossary-missing', severity: 'error', message: "expected term 'IOM' (OIM) missing"}])

    const replaced = runChecks(input(source, target, {hits}), {
      checks: {numbers: false},
      targetHasTerm: (text, hit) => text.includes('agency') && hit.concept === 'iom'
    })
    expect(replaced).toEqual([])
  })

  it('throws on API misuse, not on content', () => {
    expect(() => runChecks(input('a', 'b'), {checks: {numbers: 3 as unknown as false}})).toThrow(TypeError)
    expect(() => runChecks({...input('a', 'b'), target: undefined as unknown as string})).toThrow(TypeError)
  })

  it('reports an empty target alone', () => {
    const findings = runChecks(input('Le <1>rapport</1> de 2017.', ''))
    expect(findings).toEqual([{rule: 'empty', severity: 'error', message: 'target is empty'}])
  })

  it('uses the injected glossary matchers', () => {
    const hits: QaTermHit[] = [{concept: 'iom', kind: 'term', start: 2, end: 5, text: 'OIM', dnt: false, expected: ['IOM'], forbidden: ['OIM']}]
    const findings = runChecks(input('L’OIM agit.', 'IOM acts.', {hits}), {findForbidden: () => ['Oim']})
    expect(findings).toEqual([{rule: 'glossary-forbidden', severity: 'error', message: "forbidden term 'Oim' used for 'OIM'; use 'IOM'"}])
  })
})

describe('blocksApproval and summarize', () => {
  const findings: Finding[] = [
    {rule: 'numbers', severity: 'error', message: 'a'},
    {rule: 'quotes', severity: 'warning', message: 'b'},
    {rule: 'numbers', severity: 'warning', message: 'c'}
  ]
  it('blocks on errors only', () => {
    expect(blocksApproval(findings)).toBe(true)
    expect(blocksApproval(findings.slice(1))).toBe(false)
    expect(blocksApproval([])).toBe(false)
  })
  it('counts by severity and rule', () => {
    expect(summarize(findings)).toEqual({errors: 1, warnings: 2, infos: 0, byRule: {numbers: 2, quotes: 1}})
  })
})

describe('number equivalence across locales', () => {
  // Values with at most three decimals, so that Intl's default rounding never changes them.
  const value = fc.tuple(fc.integer({min: 0, max: 10 ** 12}), fc.integer({min: 0, max: 3})).map(([n, k]) => n / 10 ** k)
  const format = (locale: string, n: number, options: Intl.NumberFormatOptions = {}) =>
    new Intl.NumberFormat(locale, {maximumFractionDigits: 3, ...options}).format(n)

  it('judges a number formatted in fr and in en/es/ca equal', () => {
    fc.assert(
      fc.property(value, fc.constantFrom('en', 'es', 'ca', 'en-GB', 'es-MX'), (n, locale) => {
        const findings = numberFindings(`Le total est de ${format('fr', n)} dollars.`, `Total: ${format(locale, n)} dollars.`, locale)
        expect(findings).toEqual([])
      })
    )
  })

  it('judges percentages formatted in fr and in en/es equal', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 100_000}), fc.constantFrom('en', 'es', 'ca'), (n, locale) => {
        const ratio = n / 10 ** 5
        const options = {style: 'percent', maximumFractionDigits: 3} as const
        const findings = numberFindings(`Un taux de ${format('fr', ratio, options)}.`, `A rate of ${format(locale, ratio, options)}.`, locale)
        expect(findings).toEqual([])
      })
    )
  })

  it('reports an error when the values differ', () => {
    fc.assert(
      fc.property(value, value, fc.constantFrom('en', 'es', 'ca'), (a, b, locale) => {
        fc.pre(a !== b)
        const findings = numberFindings(`Le total est de ${format('fr', a)} dollars.`, `Total: ${format(locale, b)} dollars.`, locale)
        expect(findings.some((f) => f.severity === 'error')).toBe(true)
      })
    )
  })

  it('reads each side in its own locale', () => {
    expect(numberFindings('3,5\u00A0%', '3.5%', 'en')).toEqual([])
    expect(numberFindings('1 000,5', '1,000.5', 'en')).toEqual([])
    expect(numberFindings('1\u202F000,5', '1.000,5', 'es')).toEqual([])
    expect(numberFindings('1\u00A0000,5', '1000,5', 'es')).toEqual([])
    expect(numberFindings('le 16 novembre 2017', 'November 16, 2017', 'en')).toEqual([])
    expect(numberFindings('le 16 novembre 2017', '16 de noviembre de 2017', 'es')).toEqual([])
    // `1.000` is one thousand in Spanish, one in English.
    expect(numberFindings('1\u202F000 personnes', '1.000 people', 'en')).toEqual([
      {rule: 'numbers', severity: 'error', message: "number 1 000 written as '1.000' in target, which reads as 1 in en"}
    ])
  })
})

describe('qaProject', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passerelle-qa-'))
  })
  afterEach(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  function segment(id: string, source: string, target: string | undefined, more: Partial<BundleSegment> = {}): BundleSegment {
    return makeSegment(source, target, {id, ...more})
  }

  function bundle(locale: string, article: string, segments: BundleSegment[]): Bundle {
    return {schema: 1, article, sourceLocale: 'fr', locale, sourceHash: 'abc', segments, retired: []}
  }

  async function put(locale: string, slug: string, text: string): Promise<string> {
    await mkdir(join(dir, locale), {recursive: true})
    const file = join(dir, locale, `${slug}.json`)
    await writeFile(file, text)
    return file
  }

  it('checks every bundle, writes changed qa arrays, and counts a malformed bundle as one failure', async () => {
    const good = bundle('en', 'malines', [
      segment('aaaaaaaaaaaa', 'L’OIM organise la conférence les 16 et 17 novembre 2017.', 'IOM is organizing the conference on 16 and 17 November.'),
      segment('bbbbbbbbbbbb', 'Agir', 'Act'),
      segment('cccccccccccc', 'Ce que nous faisons', undefined, {qa: [{rule: 'empty', severity: 'error', message: 'stale'}]})
    ])
    const goodFile = await put('en', 'malines', serializeBundle(good))
    const badFile = await put('en', 'broken', '{"schema": 1, "article": ')
    const spanish = bundle('es', 'malines', [segment('aaaaaaaaaaaa', 'Agir', 'Actuar')])
    const spanishFile = await put('es', 'malines', serializeBundle(spanish))
    const spanishBefore = await stat(spanishFile)

    const hitsFor = (source: string): QaTermHit[] => {
      const start = source.indexOf('OIM')
      return start === -1 ? [] : [{concept: 'iom', kind: 'term', start, end: start + 3, text: 'OIM', dnt: false, expected: ['IOM'], forbidden: ['OIM']}]
    }
    const report = await qaProject({localesDir: dir, hitsFor})

    expect(report.failed).toHaveLength(1)
    expect(report.failed[0]).toMatchObject({file: badFile, code: 'E_BUNDLE'})
    expect(report.failed[0]!.error).toContain('E_BUNDLE')
    expect(report.totals).toEqual({errors: 1, warnings: 0, infos: 0, segments: 3, bundles: 2})
    expect(report.bundles.map((b) => [b.locale, b.article, b.checked, b.changed])).toEqual([
      ['en', 'malines', 2, true],
      ['es', 'malines', 1, false]
    ])
    expect(report.bundles[0]!.segments).toEqual([
      {id: 'aaaaaaaaaaaa', state: 'machine', findings: [{rule: 'numbers', severity: 'error', message: 'number 2017 missing in target'}]}
    ])

    const saved = parseBundle(await readFile(goodFile, 'utf8'), goodFile)
    expect(saved.segments.map((s) => s.qa)).toEqual([[{rule: 'numbers', severity: 'error', message: 'number 2017 missing in target'}], [], []])
    // Unchanged bundles are not rewritten.
    expect((await stat(spanishFile)).mtimeMs).toBe(spanishBefore.mtimeMs)
    expect(await readFile(badFile, 'utf8')).toBe('{"schema": 1, "article": ')

    // A second run finds nothing to change.
    const again = await qaProject({localesDir: dir, hitsFor})
    expect(again.bundles.map((b) => b.changed)).toEqual([false, false])

    const text = formatQaReport(report)
    expect(text.split('\n')).toEqual([
      'en/malines#aaaaaaaaaaaa  error    numbers  number 2017 missing in target',
      `failed   ${report.failed[0]!.error}`,
      '1 error, 0 warnings in 3 segments of 2 bundles; 1 bundle could not be checked',
      ''
    ])
    expect(JSON.parse(formatQaReport(report, {json: true}))).toEqual(report)
  })

  it('limits to the given locales and can report without writing', async () => {
    const file = await put('en', 'a', serializeBundle(bundle('en', 'a', [segment('aaaaaaaaaaaa', 'Agir', '')])))
    await put('es', 'a', serializeBundle(bundle('es', 'a', [segment('aaaaaaaaaaaa', 'Agir', '')])))
    const before = await readFile(file, 'utf8')
    const report = await qaProject({localesDir: dir, locales: ['en'], write: false})
    expect(report.bundles.map((b) => b.locale)).toEqual(['en'])
    expect(report.totals.errors).toBe(1)
    expect(report.bundles[0]!.changed).toBe(true)
    expect(await readFile(file, 'utf8')).toBe(before)
  })

  it('computes hits from a termbase with the glossary stage\'s matcher', async () => {
    await put('en', 'a', serializeBundle(bundle('en', 'a', [segment('aaaaaaaaaaaa', 'L’OIM agit.', 'OIM acts.')])))
    const iom = {
      id: 'iom',
      terms: {
        fr: [{text: 'OIM', status: 'preferred' as const}],
        en: [
          {text: 'IOM', status: 'preferred' as const},
          {text: 'OIM', status: 'forbidden' as const}
        ]
      }
    }
    const report = await qaProject({localesDir: dir, termbase: {concepts: [iom], patterns: []}})
    expect(report.bundles[0]!.segments[0]!.findings.map((f) => f.rule)).toEqual(['glossary-forbidden', 'glossary-missing'])
  })

})

describe('checkBundle', () => {
  it('reads the hits the glossary records hold when no matcher is given, and guesses none from older records', () => {
    const segment: BundleSegment = {
      id: 'aaaaaaaaaaaa',
      hash: 'aaaaaaaaaaaa',
      unit: 'u',
      kind: 'paragraph',
      index: 0,
      source: 'Le GCLU et l’OIM.',
      tags: {},
      target: 'UCLG and the agency.',
      state: 'machine',
      glossary: [
        {concept: 'gclu', source: 'GCLU', expected: ['GCLU'], found: false, kind: 'term', start: 3, end: 7, dnt: true, forbidden: []},
        {concept: 'iom', source: 'OIM', expected: ['IOM'], found: false, kind: 'term', start: 13, end: 16, dnt: false, forbidden: ['agency']},
        // Written before hits were recorded: too little to rebuild a hit from.
        {concept: 'ue', source: 'UE', expected: ['UE'], found: false}
      ],
      unknown: [],
      qa: [],
      revision: 0,
      updated: '2026-01-01T00:00:00.000Z'
    }
    const bundle: Bundle = {schema: 1, article: 'a', sourceLocale: 'fr', locale: 'en', sourceHash: 'x', segments: [segment], retired: []}
    const result = checkBundle(bundle)
    expect(result.changed).toBe(true)
    expect(result.bundle.segments[0]!.qa.map((f) => `${f.rule}:${f.severity}`)).toEqual(['dnt-altered:error', 'glossary-forbidden:error', 'glossary-missing:warning'])
    expect(bundle.segments[0]!.qa).toEqual([])
  })
})

describe('do-not-translate items from the termbase and built-in classes', () => {
  it('checks one item where a termbase pattern and a built-in class match the same place', () => {
    const source = 'Voir la résolution S/RES/2240 (2015) du Conseil.'
    const start = source.indexOf('S/RES')
    const pattern: QaTermHit = {concept: 'un-symbol', kind: 'pattern', start, end: start + 'S/RES/2240 (2015)'.length, text: 'S/RES/2240 (2015)', dnt: true, expected: [], forbidden: []}
    const input: QaInput = {source, target: 'See resolution S/RES/2240 (2015) of the Council.', sourceLocale: 'fr', targetLocale: 'en', hits: [pattern], unknown: [], state: 'machine'}
    expect(qa.createContext(input).dnt.map((item) => item.text)).toEqual(['S/RES/2240 (2015)'])
    // Without the termbase's pattern, the built-in class still finds it.
    expect(qa.createContext({...input, hits: []}).dnt.map((item) => item.text)).toEqual(['S/RES/2240'])
  })
})
