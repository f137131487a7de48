import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ruleIds, runChecks, type QaInput, type QaTermHit} from '../src/qa/index.ts'
import {segmentStates, type SegmentState} from '../src/types.ts'

const folder = new URL('fixtures/qa/', import.meta.url).pathname

interface Expectation {
  rule: string
  severity: string
  message?: string
}

interface Case {
  file: string
  kind: 'pass' | 'fail'
  title: string
  input: QaInput
  expect: Expectation[]
}

function unescape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

function parseHit(value: string, source: string, dnt: boolean): QaTermHit {
  const [head = '', ...extras] = value.split(' | ')
  const [text = '', expected = ''] = dnt ? [head] : head.split(' -> ')
  const list = (s: string) => s.split(',').map((t) => unescape(t.trim())).filter(Boolean)
  const field = (name: string) => list(extras.find((e) => e.startsWith(`${name}:`))?.slice(name.length + 1) ?? '')
  const surface = unescape(text.trim())
  const start = source.indexOf(surface)
  if (start === -1) throw new Error(`hit '${surface}' is not in source '${source}'`)
  const deprecated = field('deprecated')
  return {
    concept: surface.toLowerCase(),
    kind: 'term',
    start,
    end: start + surface.length,
    text: surface,
    dnt,
    expected: dnt ? [] : list(expected),
    forbidden: field('forbidden'),
    ...(deprecated.length > 0 ? {deprecated} : {})
  }
}

function parseFile(file: string): Case[] {
  const text = readFileSync(join(folder, file), 'utf8')
  const cases: Case[] = []
  for (const block of text.split(/^## /m).slice(1)) {
    const [header = '', ...lines] = block.split('\n')
    const head = /^(pass|fail): (.+)$/.exec(header.trim())
    if (!head) throw new Error(`${file}: bad case header '${header}'`)
    const fields: [string, string][] = []
    for (const line of lines) {
      if (line.trim() === '' || line.startsWith('#')) continue
      const at = line.indexOf(': ')
      if (at === -1) throw new Error(`${file}: '${head[2]}': bad line '${line}'`)
      fields.push([line.slice(0, at), line.slice(at + 2)])
    }
    const one = (key: string) => fields.find(([k]) => k === key)?.[1]
    const source = unescape(one('source') ?? '')
    const target = unescape(one('target') ?? '')
    const locales = (one('locale') ?? 'fr en').split(' ')
    const [sourceLocale, targetLocale] = locales.length === 1 ? ['fr', locales[0]!] : [locales[0]!, locales[1]!]
    const state = (one('state') ?? 'machine') as SegmentState
    if (!segmentStates.includes(state)) throw new Error(`${file}: bad state ${state}`)
    const hits = fields.flatMap(([key, value]) => (key === 'term' || key === 'dnt' ? [parseHit(value, source, key === 'dnt')] : []))
    const unknown = (one('unknown') ?? '').split(',').map((w) => w.trim()).filter(Boolean)
    const expectations = fields
      .filter(([key]) => key === 'expect')
      .flatMap(([, value]): Expectation[] => {
        if (value === 'none') return []
        const [rule = '', severity = '', ...message] = value.split(' ')
        return [{rule, severity, ...(message.length > 0 ? {message: unescape(message.join(' '))} : {})}]
      })
    if (!fields.some(([key]) => key === 'expect')) throw new Error(`${file}: '${head[2]}' has no expect line`)
    cases.push({
      file,
      kind: head[1] as 'pass' | 'fail',
      title: head[2]!,
      input: {source, target, sourceLocale, targetLocale, hits, unknown, state},
      expect: expectations
    })
  }
  return cases
}

const files = readdirSync(folder).filter((name) => name.endsWith('.txt')).sort()
const all = files.map((file) => ({file, rule: file.slice(0, -4), cases: parseFile(file)}))

describe('qa fixtures', () => {
  it('has a file with a passing and a failing case for every rule', () => {
    for (const rule of ruleIds) {
      const entry = all.find((e) => e.rule === rule)
      expect(entry, `test/fixtures/qa/${rule}.txt`).toBeDefined()
      const kinds = new Set(entry!.cases.map((c) => c.kind))
      expect([...kinds].sort(), rule).toEqual(['fail', 'pass'])
    }
  })

  for (const {file, rule, cases} of all) {
    describe(file, () => {
      for (const testCase of cases) {
        it(`${testCase.kind}: ${testCase.title}`, () => {
          const findings = runChecks(testCase.input)
          const got = [...new Set(findings.map((f) => `${f.rule} ${f.severity}`))].sort()
          const want = [...new Set(testCase.expect.map((e) => `${e.rule} ${e.severity}`))].sort()
          expect(got, JSON.stringify(findings, null, 1)).toEqual(want)
          for (const e of testCase.expect) {
            if (e.message !== undefined) expect(findings).toContainEqual({rule: e.rule, severity: e.severity, message: e.message})
          }
          // The case is filed under the rule it is about: a fail case fires it, a pass case does not.
          expect(findings.some((f) => f.rule === rule), `${rule} fired`).toBe(testCase.kind === 'fail')
        })
      }
    })
  }
})
