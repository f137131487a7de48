import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {loadTermbase, parseGlossaryFile, type ParsedFile} from '../src/glossary/index.ts'
import {parseWithPositions} from '../src/glossary/load.ts'
import {folderTermbaseStore} from '../src/glossary/store.ts'
import type {Concept} from '../src/glossary/types.ts'

const malformed = join(import.meta.dirname, 'fixtures', 'glossary', 'load', 'malformed')
const temporary: string[] = []

afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, {recursive: true, force: true})))
})

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-glossary-'))
  temporary.push(dir)
  return dir
}

describe('loadTermbase with malformed files', () => {
  it('loads every good entry and reports each bad one once, naming file and entry', async () => {
    const {termbase, problems} = await loadTermbase(malformed)
    // `iom` is defined in a-good.yaml and again in b-bad-entries.yaml: neither is used.
    expect(termbase.concepts.map((concept) => concept.id)).toEqual(['undp', 'kept', 'also-kept', 'from-f'])
    expect(termbase.patterns.map((pattern) => pattern.id)).toEqual(['email'])
    expect(problems.every((problem) => isPasserelleError(problem, 'E_GLOSSARY'))).toBe(true)

    const where = problems.map((problem) => `${problem.file?.split('/').pop()}: ${problem.message}`)
    const about = (file: string, fragment: string) => where.filter((line) => line.startsWith(`${file}:`) && line.includes(fragment))
    // One problem per bad entry of b-bad-entries.yaml, each naming the entry.
    for (const id of ['unknown-status', 'missing-terms', 'empty-term-list', 'misspelt-key', 'blank-text', 'twice']) {
      expect(about('b-bad-entries.yaml', `concept "${id}"`), id).toHaveLength(1)
    }
    expect(about('b-bad-entries.yaml', 'concept "Bad Id"')).toHaveLength(1)
    expect(about('b-bad-entries.yaml', 'concept 9 (concepts[8]')).toHaveLength(1)
    expect(about('a-good.yaml', 'id "iom" is defined in')).toEqual([expect.stringMatching(/a-good\.yaml and .*b-bad-entries\.yaml/)])
    for (const id of ['broken-regex', 'matches-nothing', 'bad-flags']) expect(about('b-bad-entries.yaml', `pattern "${id}"`), id).toHaveLength(1)
    // Whole-file problems: one each.
    expect(about('c-not-yaml.yaml', 'not valid YAML (line ')).toHaveLength(1)
    expect(about('d-top-level-list.yaml', 'top level must be a mapping')).toHaveLength(1)
    expect(about('f-unknown-top-key.yaml', 'unknown top-level key "version"')).toHaveLength(1)
    expect(about('g-concepts-not-a-list.yaml', '`concepts` must be a list')).toHaveLength(1)
    expect(where.filter((line) => line.startsWith('e-empty.yaml'))).toEqual([])
    expect(problems).toHaveLength(16)
  })

  it('says where the bad entry is and what is wrong with it', async () => {
    const {problems} = await loadTermbase(malformed)
    const status = problems.find((problem) => problem.message.includes('"unknown-status"'))
    expect(status?.message).toMatch(/line 8\b/)
    expect(status?.message).toContain('terms.fr[0].status')
    expect(status?.toLine()).toContain('b-bad-entries.yaml: ')
    const misspelt = problems.find((problem) => problem.message.includes('"misspelt-key"'))
    expect(misspelt?.message).toContain('staus')
  })

  it('turns a binary or non-UTF-8 file into one problem and keeps loading the others', async () => {
    const dir = await scratch()
    await writeFile(join(dir, 'a.yaml'), new Uint8Array([0x63, 0x6f, 0x00, 0x01]))
    await writeFile(join(dir, 'b.yaml'), new Uint8Array([0x63, 0x3a, 0x20, 0xe9, 0x0a]))
    await writeFile(join(dir, 'c.yaml'), 'concepts:\n  - id: ok\n    terms: {fr: [{text: OIM, status: preferred}]}\n')
    await writeFile(join(dir, '.c.yaml.123.tmp'), 'garbage')
    await writeFile(join(dir, '.hidden.yaml'), 'garbage: [')
    const {termbase, problems} = await loadTermbase(dir)
    expect(termbase.concepts.map((concept) => concept.id)).toEqual(['ok'])
    expect(problems.map((problem) => [problem.code, problem.file?.split('/').pop()])).toEqual([
      ['E_GLOSSARY', 'a.yaml'],
      ['E_GLOSSARY', 'b.yaml']
    ])
  })

  it('refuses a missing folder with E_GLOSSARY', async () => {
    const dir = await scratch()
    await expect(loadTermbase(join(dir, 'nope'))).rejects.toSatisfy((error) => isPasserelleError(error, 'E_GLOSSARY'))
  })

  it('refuses an id defined in two files, naming both, instead of letting the first name win', async () => {
    const dir = await scratch()
    const concept = (fr: string) => `concepts:\n  - id: iom\n    terms: {fr: [{text: ${fr}, status: preferred}]}\n`
    await writeFile(join(dir, 'aaa-imposter.yaml'), concept('Imposteur'))
    await writeFile(join(dir, 'organizations.yaml'), concept('OIM'))
    const {termbase, problems} = await loadTermbase(dir)
    expect(termbase.concepts).toEqual([])
    expect(problems.map((problem) => problem.toLine())).toEqual([expect.stringMatching(/aaa-imposter\.yaml and .*organizations\.yaml/)])
  })

  it('refuses a pattern that backtracks catastrophically, naming its file and line', async () => {
    const dir = await scratch()
    await writeFile(join(dir, 'p.yaml'), 'patterns:\n  - id: ok\n    pattern: "[a-z]+@[a-z]+"\n  - id: hang\n    pattern: "(a+)+$"\n  - id: hang-too\n    pattern: "(\\\\w+\\\\s?)*$"\n')
    const {termbase, problems} = await loadTermbase(dir)
    expect(termbase.patterns.map((pattern) => pattern.id)).toEqual(['ok'])
    expect(problems.map((problem) => [problem.code, problem.file?.split('/').pop(), problem.message.match(/line \d+/)?.[0]])).toEqual([
      ['E_GLOSSARY', 'p.yaml', 'line 4'],
      ['E_GLOSSARY', 'p.yaml', 'line 6']
    ])
  })

  it('loads the project termbase patterns (lookbehinds, bounded repeats) without a backtracking problem', async () => {
    const {termbase, problems} = await loadTermbase(join(import.meta.dirname, '..', 'glossary'))
    expect(problems).toEqual([])
    expect(termbase.patterns.length).toBeGreaterThan(3)
  })

  it('keeps a duplicate id across a concept and a pattern apart', async () => {
    const dir = await scratch()
    await writeFile(
      join(dir, 'a.yaml'),
      'concepts:\n  - id: email\n    terms: {fr: [{text: courriel, status: preferred}]}\npatterns:\n  - id: email\n    pattern: "[a-z]+@[a-z]+"\n'
    )
    const {termbase, problems} = await loadTermbase(dir)
    expect(termbase.concepts).toHaveLength(1)
    expect(termbase.patterns).toHaveLength(0)
    expect(problems.map((problem) => problem.message)).toEqual([expect.stringContaining('duplicate id "email"')])
  })
})

describe('parseGlossaryFile', () => {
  it('returns the parsed domain values, invalid entries as written', () => {
    const parsed = parseGlossaryFile('concepts:\n  - id: a\n    terms: {fr: [{text: OIM, status: preferred}]}\n  - id: b\n    terms: {}\n', 'x.yaml')
    expect(parsed.usable).toBe(true)
    expect(parsed.concepts.map((entry) => [entry.id, entry.value !== undefined])).toEqual([
      ['a', true],
      ['b', false]
    ])
    expect(parsed.concepts[0]!.value).toEqual({id: 'a', terms: {fr: [{text: 'OIM', status: 'preferred'}]}})
    expect(parsed.concepts[1]!.raw).toEqual({id: 'b', terms: {}})
    expect(parsed.problems.map((problem) => problem.file)).toEqual(['x.yaml'])
  })
})

describe('loadTermbase with a compiled cache', () => {
  const real = join(import.meta.dirname, '..', 'glossary')

  it('gives the same termbase from the cache as from the YAML, and follows an edited file', async () => {
    const cacheDir = join(await scratch(), 'cache')
    const plain = await loadTermbase(real)
    const cold = await loadTermbase(real, {cacheDir})
    const warm = await loadTermbase(real, {cacheDir})
    expect(cold.termbase).toEqual(plain.termbase)
    expect(warm.termbase).toEqual(plain.termbase)

    const dir = await scratch()
    await writeFile(join(dir, 'a.yaml'), 'concepts:\n  - id: one\n    terms:\n      fr: [{text: un, status: preferred}]\n')
    expect((await loadTermbase(dir, {cacheDir})).termbase.concepts.map((concept) => concept.id)).toEqual(['one'])
    await writeFile(join(dir, 'a.yaml'), 'concepts:\n  - id: two\n    terms:\n      fr: [{text: deux, status: preferred}]\n')
    expect((await loadTermbase(dir, {cacheDir})).termbase.concepts.map((concept) => concept.id)).toEqual(['two'])
  })

  it('is refreshed by an update through the folder store: the rewritten file compiled, its old copy gone', async () => {
    const dir = await scratch()
    const cacheDir = join(await scratch(), 'cache')
    await writeFile(join(dir, 'a.yaml'), 'concepts:\n  - id: one\n    terms:\n      fr: [{text: un, status: preferred}]\n')
    const store = folderTermbaseStore(dir, {cacheDir})
    await store.load()
    const [before] = await readdir(cacheDir)
    await store.update((current) => ({
      termbase: {...current.termbase, concepts: current.termbase.concepts.map((concept) => ({...concept, terms: {fr: [{text: 'une', status: 'preferred' as const}]}}))},
      value: undefined
    }))
    // What the next load reads: one compiled file, for the text now on disk.
    const after = await readdir(cacheDir)
    expect(after).toHaveLength(1)
    expect(after[0]).not.toBe(before)
    const compiled = JSON.parse(await readFile(join(cacheDir, after[0]!), 'utf8')) as {concepts: {value: Concept}[]}
    expect(compiled.concepts.map((entry) => entry.value.terms.fr?.[0]?.text)).toEqual(['une'])
    expect((await store.load()).termbase.concepts.map((concept) => concept.terms.fr?.[0]?.text)).toEqual(['une'])
    expect(await readdir(cacheDir)).toEqual(after)
  })

  it('reports the problems of a bad file on every load (bad files are never compiled)', async () => {
    const cacheDir = join(await scratch(), 'cache')
    const first = await loadTermbase(malformed, {cacheDir})
    const second = await loadTermbase(malformed, {cacheDir})
    expect(second.problems.map((problem) => problem.message)).toEqual(first.problems.map((problem) => problem.message))
    expect(second.problems.length).toBeGreaterThan(0)
    expect(second.termbase).toEqual(first.termbase)
  })
})

describe('parseGlossaryFile fast path', () => {
  const glossary = join(import.meta.dirname, '..', 'glossary')
  const plain = (parsed: ParsedFile) => ({...parsed, concepts: parsed.concepts.map(({raw: _raw, ...entry}) => entry), patterns: parsed.patterns.map(({raw: _raw, ...entry}) => entry)})

  it('reads the project glossary exactly as the document parser does', async () => {
    const names = (await readdir(glossary)).filter((name) => name.endsWith('.yaml'))
    expect(names.length).toBeGreaterThan(3)
    for (const name of names) {
      const text = await readFile(join(glossary, name), 'utf8')
      expect(plain(parseGlossaryFile(text, name)), name).toEqual(plain(parseWithPositions(text, name)))
    }
  })

  it('resolves YAML 1.2 scalars as the document parser does (dates and yes/no stay text)', () => {
    const text = [
      'concepts:',
      '  - id: scalars',
      '    note: 2024-01-01',
      '    definition: yes',
      '    terms:',
      '      fr: [{text: "0o17", status: preferred}, {text: on, status: admitted}]',
      '      en: [{text: no, status: preferred}]',
      '      es: [{text: 2024-01-01 12:00, status: preferred}]'
    ].join('\n')
    expect(plain(parseGlossaryFile(text, 'x.yaml'))).toEqual(plain(parseWithPositions(text, 'x.yaml')))
  })

  it('still names the line of a bad entry in a large file', () => {
    const lines = ['concepts:']
    for (let index = 0; index < 2000; index++) lines.push(`  - id: c${index}`, '    terms:', `      fr: [{text: "terme ${index}", status: preferred}]`)
    lines.push('  - id: broken', '    terms:', '      fr: [{text: "x", status: sometimes}]')
    const parsed = parseGlossaryFile(lines.join('\n'), 'big.yaml')
    expect(parsed.concepts.filter((entry) => entry.value)).toHaveLength(2000)
    expect(parsed.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('concept "broken" (concepts[2000], line 6002)')])
  })
})
