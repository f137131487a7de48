import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import type {EngineSegment} from '../src/engines/types.ts'
import {applyConventions, applyRule, enabledSteps, formalSpanish, lowerMidSentenceOf, parseRuleFile, preEdit, sentenceCase, type ConventionName} from '../src/postedit/index.ts'
import type {TermHit} from '../src/types.ts'

const fixture = <T>(name: string): T[] => JSON.parse(readFileSync(new URL(`fixtures/postedit/${name}`, import.meta.url), 'utf8')) as T[]

describe('sentence case after restored terms', () => {
  const cases = fixture<{name: string; source: string; target: string; hits?: TermHit[]; expected: string}>('casing.json')
  it.each(cases)('$name', ({source, target, hits, expected}) => {
    expect(sentenceCase(source, target, hits ?? [])).toBe(expected)
  })
})

describe('mid-sentence "Of" after a restored term (English)', () => {
  it.each([
    ['Human rights Of the migrantes', 'en', 'Human rights of the migrantes'],
    ['High-level Dialogue Of the United Nations', 'en-GB', 'High-level Dialogue of the United Nations'],
    ['Of the three components', 'en', 'Of the three components'],
    ['said: “Of course”', 'en', 'said: “Of course”'],
    ['Diálogo Of', 'es', 'Diálogo Of']
  ])('%s (%s)', (input, locale, expected) => {
    expect(lowerMidSentenceOf(input, locale)).toBe(expected)
  })
})

describe('typographic conventions', () => {
  const cases = fixture<{name: string; convention: ConventionName; locale: string; source: string; target: string; hits?: TermHit[]; expected: string}>('conventions.json')
  it.each(cases)('$name', ({convention, locale, source, target, hits, expected}) => {
    const result = applyConventions({source, sourceLocale: 'fr', target, targetLocale: locale, hits: hits ?? []}, [convention])
    expect(result.text).toBe(expected)
    expect(result.fired).toEqual(expected === target ? [] : [convention])
  })

  it('each convention can be switched off per locale in passerelle.json', () => {
    expect(enabledSteps('en', {}).conventions).toEqual(['quotes', 'spacing', 'numbers', 'honorifics'])
    expect(enabledSteps('es', {es: {honorifics: false, register: false}}).conventions).toEqual(['quotes', 'spacing', 'numbers'])
    expect(enabledSteps('es', {es: {register: false}}).register).toBe(false)
    expect(enabledSteps('es', {}, 'deepl').register).toBe(false)
    expect(enabledSteps('en-GB', {en: {quotes: false}}).conventions).not.toContain('quotes')
  })
})

describe('terminologists’ rules', () => {
  const cases = fixture<{name: string; rule: {match?: string; pattern?: string; replace: string; ignoreCase?: boolean}; input: string; expected: string}>('rules.json')
  it.each(cases)('$name', ({rule, input, expected}) => {
    expect(applyRule(rule, input).text).toBe(expected)
  })

  it('a rule edited between batches applies as it now reads, whatever ran before (rules are compiled once and kept)', () => {
    const rule = {match: 'jefe', replace: 'director'}
    expect(applyRule(rule, 'el jefe y el jefe').text).toBe('el director y el director')
    expect(applyRule(rule, 'otro jefe').text).toBe('otro director')
    expect(applyRule({...rule, ignoreCase: true}, 'Jefe').text).toBe('Director')
    expect(applyRule({match: 'jefa', replace: 'directora'}, 'la jefe, la jefa').text).toBe('la jefe, la directora')
    // The same text as a token pattern and as literal text are two different rules.
    expect(applyRule({pattern: 'el *', replace: 'X'}, 'el jefe').text).toBe('X')
    expect(applyRule({match: 'el *', replace: 'X'}, 'el jefe, el *').text).toBe('el jefe, X')
  })

  it('a rule whose example does not give its expected text is an error naming the file and line; the others load', () => {
    const text = [
      'rules:',
      '  - id: good',
      '    stage: target',
      '    match: Such',
      '    replace: Tel',
      '    note: fine',
      '    example: {input: "Such: 1", expected: "Tel: 1"}',
      '  - id: broken',
      '    stage: target',
      '    match: boss',
      '    replace: head',
      '    note: its example is wrong',
      '    example: {input: "the boss", expected: "the chief"}',
      ''
    ].join('\n')
    const {rules, problems} = parseRuleFile(text, 'glossary/rules/en.yaml', 'en')
    expect(rules.map((rule) => [rule.id, rule.line])).toEqual([['good', 2]])
    expect(problems).toHaveLength(1)
    expect(problems[0]!.toLine()).toMatch(/^glossary\/rules\/en\.yaml: rule 'broken' \(rules\[1\], line 8\) skipped: its example gives 'the head', not the expected 'the chief'/)
  })

  it('a rule without a note or with both match and pattern is refused', () => {
    const text = 'rules:\n  - {id: a, stage: target, match: x, pattern: y, replace: z, note: n, example: {input: x, expected: z}}\n  - {id: b, stage: target, match: x, replace: z, example: {input: x, expected: z}}\n'
    const {rules, problems} = parseRuleFile(text, 'r.yaml', 'en')
    expect(rules).toEqual([])
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining("rule 'a' (rules[0], line 2) skipped"),
      expect.stringContaining("rule 'b' (rules[1], line 3) skipped: note")
    ])
  })

  it('source pre-edits leave protected terms alone and move their offsets', () => {
    const segment: EngineSegment = {
      id: 'x',
      text: 'Le volet migration de main-d’œuvre du volet',
      hits: [{concept: 'labour-migration', kind: 'term', start: 9, end: 34, text: 'migration de main-d’œuvre', dnt: false, expected: ['labour migration'], forbidden: []}]
    }
    const rule = {id: 'v', stage: 'source' as const, match: 'volet', replace: 'programme', note: 'n', example: {input: 'volet', expected: 'programme'}}
    const {segment: out, fired} = preEdit(segment, [rule])
    expect(out.text).toBe('Le programme migration de main-d’œuvre du programme')
    expect(out.text.slice(out.hits[0]!.start, out.hits[0]!.end)).toBe('migration de main-d’œuvre')
    expect(fired).toEqual(['v'])
  })

  it('the committed rule files load without problems', async () => {
    const {loadRules} = await import('../src/postedit/rules.ts')
    for (const locale of ['en', 'es']) {
      const {rules, problems} = await loadRules(new URL('../glossary', import.meta.url).pathname, locale)
      expect(problems.map((problem) => problem.toLine())).toEqual([])
      expect(rules.length).toBeGreaterThan(0)
    }
  })
})

const hasDictionaries = (() => {
  try {
    execFileSync('lt-proc', ['-a', '/usr/share/apertium/apertium-fr-es/es-fr.automorf.bin'], {input: 'casa\n', encoding: 'utf8'})
    return true
  } catch {
    return false
  }
})()
if (!hasDictionaries && !process.env.CI) console.log('postedit.test: skipping the Spanish register tests (lt-proc or apertium-fr-es missing)')

describe.runIf(hasDictionaries || process.env.CI)('Spanish formal register (Apertium analyser and generator)', () => {
  const cases = fixture<{name: string; input: string; expected: string}>('register.json')
  it('rewrites vosotros forms to ustedes forms, one lt-proc run per batch', async () => {
    const results = await formalSpanish(cases.map((item) => item.input))
    expect(results.map((result) => result.text)).toEqual(cases.map((item) => item.expected))
    expect(results.map((result) => result.changed)).toEqual(cases.map((item) => item.input !== item.expected))
  })
})
