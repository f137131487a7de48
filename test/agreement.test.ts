// Article agreement after placeholder restoration: the determiner-rewriting
// cases live in fixtures/agreement/es.txt; protect() and a real Apertium run
// check that restoration applies them at the placeholder's position only.
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {agreeArticles, type AgreementTerm} from '../src/engines/agreement.ts'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {protect} from '../src/engines/protect.ts'
import {compileMatcher, loadTermbase} from '../src/glossary/index.ts'
import type {TermHit} from '../src/types.ts'

const genders = {m: 'masculine', f: 'feminine', n: 'neuter'} as const
const numbers = {s: 'singular', p: 'plural'} as const

function parseTerm(spec: string): AgreementTerm {
  const [term = '', grammar = ''] = spec.trim().split('/')
  const out: AgreementTerm = {term}
  for (const letter of grammar) {
    if (letter in genders) out.gender = genders[letter as keyof typeof genders]
    else if (letter in numbers) out.number = numbers[letter as keyof typeof numbers]
    else throw new Error(`bad grammar letter '${letter}' in ${spec}`)
  }
  return out
}

const unescape = (text: string) => text.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))

const cases = readFileSync(new URL('fixtures/agreement/es.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line, index) => ({line, number: index + 1}))
  .filter(({line}) => line.trim() !== '' && !line.startsWith('#'))
  .map(({line, number}) => {
    const match = /^(\S+) \| (.*?) \| (.*) => (.*)$/.exec(line)
    if (!match) throw new Error(`es.txt:${number}: expected 'locale | terms | input => expected'`)
    const [, locale, terms, input, expected] = match as unknown as [string, string, string, string, string]
    return {name: `line ${number}: ${unescape(input)}`, locale, terms: terms.split(';').map(parseTerm), input: unescape(input), expected: unescape(expected)}
  })

describe('agreeArticles (fixtures/agreement/es.txt)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(20))
  it.each(cases)('$name', ({locale, terms, input, expected}) => {
    expect(agreeArticles(input, terms, locale)).toBe(expected)
  })
})

describe('protect() restoration with agreement', () => {
  const source = "Le rôle de l'OIM et du PNUD."
  const hit = (text: string, expected: string, grammar: Partial<TermHit> = {}): TermHit => ({
    concept: text.toLowerCase(),
    kind: 'term',
    start: source.indexOf(text),
    end: source.indexOf(text) + text.length,
    text,
    dnt: false,
    expected: [expected],
    forbidden: [],
    ...grammar
  })
  const hits = [hit('OIM', 'OIM', {targetGender: 'feminine'}), hit('PNUD', 'PNUD', {targetGender: 'masculine'})]
  // What Apertium makes of the placeholders, markers and sentence-start case included.
  const engineOutput = (text: string) => text.replace("l'Zqxa", 'del *Zqxa').replace('du Zqxb', 'del ZQXB').replace('Le rôle de', 'El rol')

  it('fixes the article before each restored term, by its own gender', () => {
    const item = protect(source, hits, {locale: 'es'})
    expect(item.restore(engineOutput(item.text))).toEqual({text: 'El rol de la OIM et del PNUD.', lost: []})
  })

  it('changes nothing without a locale (existing callers) or for another locale', () => {
    const plain = protect(source, hits)
    expect(plain.restore(engineOutput(plain.text)).text).toBe('El rol del OIM et del PNUD.')
    const english = protect(source, hits, {locale: 'en'})
    expect(english.restore(engineOutput(english.text)).text).toBe('El rol del OIM et del PNUD.')
  })

  it('only touches the restored occurrence, not the same word written elsewhere', () => {
    const item = protect(source, [hits[0]!], {locale: 'es'})
    expect(item.restore(`el OIM, ${item.text.replace("de l'Zqxa", 'del Zqxa')}`).text).toBe("el OIM, Le rôle de la OIM et du PNUD.")
  })
})

const installed = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'})
  } catch {
    return ''
  }
})()

// CI installs Apertium (scripts/setup.sh); this must run there.
describe.runIf(installed.includes('fr-es') || process.env.CI)('Apertium fr→es with the real termbase', () => {
  it("writes 'de la OIM', not 'del OIM'", async () => {
    const {termbase, problems} = await loadTermbase(join(import.meta.dirname, '..', 'glossary'))
    expect(problems.map((problem) => problem.toLine())).toEqual([])
    const text = "Le rôle de l'OIM est clé."
    const hits = compileMatcher(termbase, {source: 'fr', target: 'es'}).match(text)
    expect(hits.map((hit) => [hit.text, hit.expected[0], hit.targetGender])).toEqual([['OIM', 'OIM', 'feminine']])
    const [out] = await createApertiumEngine().translate([{id: 'a', text, hits}], {from: 'fr', to: 'es'})
    expect(out!.text).toContain('de la OIM')
    expect(out!.text).not.toContain('del OIM')
  })
})
