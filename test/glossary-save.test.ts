import {cp, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {loadTermbase, parseGlossaryFile, saveTermbase, type Concept, type Termbase} from '../src/glossary/index.ts'

const realGlossary = join(import.meta.dirname, '..', 'glossary')
const temporary: string[] = []

afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, {recursive: true, force: true})))
})

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-glossary-'))
  temporary.push(dir)
  return dir
}

// Every file under dir, sub-folders included (glossary/rules/ holds the post-edit rules).
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  const names = entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort()
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)))
}

async function idsByFile(dir: string): Promise<Record<string, string[]>> {
  const files = await snapshot(dir)
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      const parsed = parseGlossaryFile(text, name)
      return [name, [...parsed.concepts, ...parsed.patterns].map((entry) => entry.id ?? '(no id)')]
    })
  )
}

describe('saveTermbase', () => {
  it('finds the committed glossary already in canonical form (a save changes nothing)', async () => {
    const dir = await scratch()
    await cp(realGlossary, dir, {recursive: true})
    const {termbase, problems} = await loadTermbase(dir)
    expect(problems).toEqual([])
    expect(await saveTermbase(dir, termbase)).toEqual([])
  })

  it('round-trips the real glossary: load → save → load is identical', async () => {
    const {termbase} = await loadTermbase(realGlossary)
    const dir = await scratch()
    await saveTermbase(dir, termbase)
    const again = await loadTermbase(dir)
    expect(again.problems).toEqual([])
    expect(JSON.stringify(again.termbase)).toBe(JSON.stringify(termbase))
  })

  it('round-trips any valid termbase, and a second save writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(termbaseArbitrary, async (termbase) => {
        const dir = await scratch()
        await saveTermbase(dir, termbase)
        const loaded = await loadTermbase(dir)
        expect(loaded.problems.map((problem) => problem.toLine())).toEqual([])
        expect(loaded.termbase).toEqual(termbase)
        expect(await saveTermbase(dir, loaded.termbase)).toEqual([])
        await rm(dir, {recursive: true, force: true})
      }),
      {numRuns: 40}
    )
  })

  it('keeps concepts in their files, places new ones by domain, keeps invalid entries and files it cannot read', async () => {
    const dir = await scratch()
    await writeFile(
      join(dir, 'a.yaml'),
      [
        'concepts:',
        '  - id: first',
        '    domain: un',
        '    terms: {fr: [{text: ONU, status: preferred}], en: [{text: UN, status: preferred}]}',
        '  - id: doomed',
        '    terms: {fr: [{text: PNUD, status: preferred}]}',
        ''
      ].join('\n')
    )
    await writeFile(
      join(dir, 'b.yaml'),
      [
        'concepts:',
        '  - id: broken',
        '    terms: {fr: [{text: HCR, status: approved}]}',
        '  - id: second',
        '    domain: iom',
        '    terms: {fr: [{text: OIM, status: preferred}]}',
        ''
      ].join('\n')
    )
    const notYaml = 'concepts: [unclosed\n'
    await writeFile(join(dir, 'c.yaml'), notYaml)

    const {termbase} = await loadTermbase(dir)
    expect(termbase.concepts.map((concept) => concept.id)).toEqual(['first', 'doomed', 'second'])
    const concepts: Concept[] = [
      {id: 'newcomer', domain: 'iom', terms: {fr: [{text: 'Directrice générale', status: 'preferred'}]}},
      {id: 'first', domain: 'un', terms: {fr: [{text: 'ONU', status: 'preferred'}], en: [{text: 'UN', status: 'preferred'}]}},
      {id: 'second', domain: 'iom', definition: 'Edited in the review app.', terms: {fr: [{text: 'OIM', status: 'preferred'}]}},
      {id: 'homeless', terms: {fr: [{text: 'Banque mondiale', status: 'preferred'}]}}
    ]
    const written = await saveTermbase(dir, {concepts, patterns: [{id: 'email', pattern: '[a-z]+@[a-z.]+'}]})
    expect(written.map((path) => path.split('/').pop()).sort()).toEqual(['a.yaml', 'b.yaml', 'concepts.yaml', 'patterns.yaml'])

    expect(await idsByFile(dir)).toEqual({
      'a.yaml': ['first'],
      'b.yaml': ['broken', 'second', 'newcomer'],
      'c.yaml': [],
      'concepts.yaml': ['homeless'],
      'patterns.yaml': ['email']
    })
    expect(await readFile(join(dir, 'c.yaml'), 'utf8')).toBe(notYaml)
    const b = parseGlossaryFile(await readFile(join(dir, 'b.yaml'), 'utf8'), 'b.yaml')
    expect(b.concepts[0]!.raw).toEqual({id: 'broken', terms: {fr: [{text: 'HCR', status: 'approved'}]}})
    expect(b.concepts[1]!.value?.definition).toBe('Edited in the review app.')
  })

  it('writes terms one per line in a fixed key order, languages in the given order', async () => {
    const dir = await scratch()
    const concept: Concept = {
      terms: {
        es: [{note: 'n', gender: 'feminine', status: 'preferred', text: 'OIM', type: 'acronym'}],
        de: [{text: 'IOM', status: 'preferred'}],
        fr: [{text: 'OIM', status: 'preferred'}]
      },
      definition: 'd',
      id: 'iom'
    }
    await saveTermbase(dir, {concepts: [concept], patterns: []}, {localeOrder: ['fr', 'es']})
    const text = await readFile(join(dir, 'concepts.yaml'), 'utf8')
    expect(text.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      '',
      'concepts:',
      '  - id: iom',
      '    definition: d',
      '    terms:',
      '      fr:',
      '        - {text: OIM, status: preferred}',
      '      es:',
      '        - {text: OIM, status: preferred, type: acronym, gender: feminine, note: n}',
      '      de:',
      '        - {text: IOM, status: preferred}',
      ''
    ])
  })

  it('refuses an invalid termbase with E_GLOSSARY before writing anything', async () => {
    const dir = await scratch()
    await cp(realGlossary, dir, {recursive: true})
    const before = await snapshot(dir)
    const {termbase} = await loadTermbase(dir)
    const bad: Termbase = {...termbase, concepts: [...termbase.concepts, {id: 'bad', terms: {fr: [{text: 'x', status: 'approved' as never}]}}]}
    await expect(saveTermbase(dir, bad)).rejects.toSatisfy((error) => isPasserelleError(error, 'E_GLOSSARY'))
    const duplicate: Termbase = {...termbase, concepts: [...termbase.concepts, termbase.concepts[0]!]}
    await expect(saveTermbase(dir, duplicate)).rejects.toSatisfy((error) => isPasserelleError(error, 'E_GLOSSARY'))
    expect(await snapshot(dir)).toEqual(before)
  })
})

// Term texts that YAML treats specially unless quoted: the saver must quote them.
const awkward = ['yes', 'null', '2030', 'true', '~', '- x', '? x', '@x', '*x', '&x', '!x', '%x', '`x', 'a: b', 'a #b', "l'OIM", 'd’ODD', '"q"', '{x}', '[x]', 'é', 'Œuvre', 'ONU-Habitat', '0x1F', '1e3']
const word = fc.oneof(fc.constantFrom(...awkward), fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9]{0,8}$/))
const termText = fc
  .array(word, {minLength: 1, maxLength: 4})
  .map((words) => words.join(' '))
  .filter((text) => /[\p{L}\p{N}]/u.test(text))
const term = fc.record(
  {
    text: termText,
    status: fc.constantFrom('preferred', 'admitted', 'deprecated', 'forbidden'),
    type: fc.constantFrom('fullForm', 'acronym', 'abbreviation', 'shortForm', 'variant'),
    partOfSpeech: fc.constantFrom('noun', 'properNoun', 'verb', 'adjective', 'other'),
    gender: fc.constantFrom('masculine', 'feminine', 'neuter'),
    number: fc.constantFrom('singular', 'plural'),
    caseSensitive: fc.boolean(),
    note: fc.string({minLength: 1, maxLength: 30})
  },
  {requiredKeys: ['text', 'status']}
)
const terms = fc.uniqueArray(term, {minLength: 1, maxLength: 3, selector: (value) => value.text})
const concept = (id: string) =>
  fc.record(
    {
      id: fc.constant(id),
      domain: fc.constantFrom('organization', 'process', 'a: b'),
      dnt: fc.boolean(),
      retired: fc.boolean(),
      definition: fc.oneof(fc.string({minLength: 1, maxLength: 60}), fc.constant('Two lines\nof definition, and a trailing space ')),
      note: fc.string({minLength: 1, maxLength: 30}),
      terms: fc.record({fr: terms, en: terms, es: terms, 'pt-BR': terms}, {requiredKeys: ['fr']})
    },
    {requiredKeys: ['id', 'terms']}
  )
const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,6}(?:-[a-z0-9]{1,4})?$/), {maxLength: 6})
const termbaseArbitrary = ids.chain((list) =>
  fc.record({
    concepts: fc.tuple(...list.filter((id) => !id.startsWith('p')).map(concept)),
    patterns: fc.constant(
      list
        .filter((id) => id.startsWith('p'))
        .map((id) => ({id, description: 'Pattern: with a colon', pattern: String.raw`(?<![\p{L}])\d{2,}/\d+`, flags: 'i'}))
    )
  })
) as fc.Arbitrary<Termbase>

describe('saveTermbase and hand-written files it cannot read', () => {
  it('never rewrites a file whose concepts are not a list, and keeps loading the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'passerelle-glossary-'))
    try {
      const hand = 'concepts:\n  mon-concept:\n    terms:\n      fr: [{text: Bonjour, status: preferred}]\n'
      await writeFile(join(dir, 'hand.yaml'), hand)
      await writeFile(join(dir, 'concepts.yaml'), 'concepts:\n  - id: iom\n    terms:\n      fr: [{text: OIM, status: preferred}]\n      en: [{text: IOM, status: preferred}]\n')
      const {termbase, problems} = await loadTermbase(dir)
      expect(problems.map((problem) => problem.file?.endsWith('hand.yaml'))).toEqual([true])
      const added: Concept = {id: 'new-one', terms: {fr: [{text: 'Nouveau', status: 'preferred'}], en: [{text: 'New', status: 'preferred'}]}}
      await saveTermbase(dir, {...termbase, concepts: [...termbase.concepts, added]})
      expect(await readFile(join(dir, 'hand.yaml'), 'utf8')).toBe(hand)
      expect((await loadTermbase(dir)).termbase.concepts.map((concept) => concept.id)).toEqual(['iom', 'new-one'])
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })
})
