import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {translateProject} from '../src/translate/run.ts'
import {recordedHits, segmentChecks} from '../src/workflow/check.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const articleA = `---
title: La migration et les villes
date: 2017-11-17
---

L'OIM et le PNUD soutiennent les villes. Contact : decorte@un.org.

## Les objectifs

- Réduire les inégalités.
- Atteindre les ODD.
`

const articleB = `---
title: Un autre article
---

L'OIM et le PNUD soutiennent les villes. Une phrase propre à cet article.
`

let temp: TempProject
afterEach(() => temp?.cleanup())

async function bundle(locale: string, slug: string) {
  const path = join(temp.root, 'locales', locale, `${slug}.json`)
  return parseBundle(await readFile(path, 'utf8'), path)
}

describe('translate', () => {
  it('fills a bundle per article and locale, sending each distinct sentence once', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    const engine = faultEngine()
    const report = await translateProject(temp.project, {locales: ['en', 'es'], engine})
    expect(report.failures).toEqual([])
    const sentToEn = engine.sent.filter((item) => item.text.startsWith("L'OIM et le PNUD"))
    // The shared sentence went once per locale, not once per article.
    expect(sentToEn).toHaveLength(2)
    const en = await bundle('en', 'a')
    expect(en.segments.every((segment) => segment.state === 'machine' && segment.target)).toBe(true)
    expect(en.segments[0]!.origin).toEqual({kind: 'engine', engine: 'fault', detail: 'fault:fr-en'})
    const withIom = en.segments.find((segment) => segment.source.includes('OIM'))!
    expect(withIom.target).toContain('IOM')
    expect(withIom.glossary.find((check) => check.concept && check.source === 'OIM')?.found).toBe(true)
    // Stable, schema-ordered serialisation.
    const text = await readFile(join(temp.root, 'locales', 'en', 'a.json'), 'utf8')
    expect(serializeBundle(en)).toBe(text)
  })

  it('checks a sentence repeated across articles against each article’s own text (whitespace variants share a hash)', async () => {
    temp = await tempProject({'content/fr/a.md': 'Le  projet  avance bien.\n', 'content/fr/b.md': 'Le projet avance bien.\n', 'content/fr/c.md': 'Le  projet  avance bien.\n'})
    const report = await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    expect(report.failures).toEqual([])
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (slug) => (await bundle('es', slug)).segments[0]!))
    expect(new Set([a!.hash, b!.hash, c!.hash]).size).toBe(1)
    // The one target has the double spaces of the text sent: a finding where the source has none, not elsewhere.
    expect(b!.qa.map((finding) => finding.rule)).toContain('double-space')
    expect(a!.qa.map((finding) => finding.rule)).not.toContain('double-space')
    for (const segment of [a!, b!, c!]) {
      expect(segment.qa).toEqual(segmentChecks({sourceLocale: 'fr', locale: 'es'}, segment, recordedHits(segment)).qa)
    }
  })

  it('makes zero engine calls on a second run over unchanged content, and leaves files untouched', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    const before = await readFile(join(temp.root, 'locales', 'es', 'a.json'), 'utf8')
    const engine = faultEngine()
    const report = await translateProject(temp.project, {locales: ['es'], engine})
    expect(report.engineCalls).toBe(0)
    expect(engine.calls).toBe(0)
    expect(await readFile(join(temp.root, 'locales', 'es', 'a.json'), 'utf8')).toBe(before)
  })

  it('never overwrites translated, reviewed or approved segments, even with --force', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const path = join(temp.root, 'locales', 'en', 'a.json')
    const original = await bundle('en', 'a')
    const states = ['translated', 'reviewed', 'approved'] as const
    original.segments.slice(0, 3).forEach((segment, index) => {
      segment.target = `Human work ${index}`
      segment.state = states[index]!
    })
    await temp.write('locales/en/a.json', serializeBundle(original))
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine, force: true})
    const after = parseBundle(await readFile(path, 'utf8'), path)
    after.segments.slice(0, 3).forEach((segment, index) => {
      expect(segment.target).toBe(`Human work ${index}`)
      expect(segment.state).toBe(states[index])
    })
    // --force re-sent the machine segments only.
    expect(engine.sent.map((item) => item.id).sort()).toEqual(original.segments.slice(3).map((segment) => segment.hash).sort())
  })

  it('keeps a malformed bundle untouched, reports it, and completes the other articles', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB, 'locales/en/a.json': '{"schema": 1, broken'})
    const report = await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    expect(report.failures.map((failure) => failure.code)).toEqual(['E_BUNDLE'])
    expect(report.failures[0]!.message).toMatch(/^locales\/en\/a\.json: bundle is not valid JSON/)
    expect(await readFile(join(temp.root, 'locales', 'en', 'a.json'), 'utf8')).toBe('{"schema": 1, broken')
    expect((await bundle('en', 'b')).segments.length).toBeGreaterThan(0)
  })

  it('reports broken, empty and non-UTF-8 sources in one line each and translates the rest', async () => {
    temp = await tempProject({
      'content/fr/a.md': articleA,
      'content/fr/broken.md': '---\ntitle: [unclosed\n---\n\nTexte.\n',
      'content/fr/empty.md': '',
      'content/fr/latin1.md': Buffer.from('Caf\xe9 cr\xe8me.\n', 'latin1'),
      'content/fr/binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])
    })
    const report = await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    const byFile = Object.fromEntries(report.failures.map((failure) => [failure.file, failure.code]))
    expect(byFile).toEqual({
      'content/fr/binary.md': 'E_BINARY',
      'content/fr/broken.md': 'E_FRONTMATTER',
      'content/fr/empty.md': 'E_EMPTY',
      'content/fr/latin1.md': 'E_ENCODING'
    })
    for (const failure of report.failures) expect(failure.message).not.toContain('\n')
    expect((await bundle('es', 'a')).segments.length).toBeGreaterThan(0)
  })

  it('saves every batch before a quota fault, and the next run sends only the rest', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    const first = faultEngine({failOnCall: 2, code: 'E_QUOTA', maxSegments: 2})
    const report = await translateProject(temp.project, {locales: ['en'], engine: first})
    expect(report.stopped?.code).toBe('E_QUOTA')
    const sentBefore = new Set(first.sent.map((item) => item.id))
    expect(sentBefore.size).toBe(2)
    const saved = [...(await bundle('en', 'a')).segments, ...(await bundle('en', 'b')).segments].filter((segment) => segment.target)
    expect(new Set(saved.map((segment) => segment.hash))).toEqual(sentBefore)
    const second = faultEngine({maxSegments: 2})
    await translateProject(temp.project, {locales: ['en'], engine: second})
    for (const item of second.sent) expect(sentBefore.has(item.id)).toBe(false)
    const all = [...(await bundle('en', 'a')).segments, ...(await bundle('en', 'b')).segments]
    expect(all.every((segment) => segment.target)).toBe(true)
  })

  it('keeps two batches with an engine that allows it, and still saves each and resumes after a fault', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    const first = faultEngine({failOnCall: 2, code: 'E_QUOTA', maxSegments: 1, concurrency: 2, delayMs: 30})
    const report = await translateProject(temp.project, {locales: ['en'], engine: first})
    expect(report.stopped?.code).toBe('E_QUOTA')
    expect(first.peak).toBe(2)
    // Batch 1 landed before the fault, batch 3 was in flight beside it: both saved.
    const sentBefore = new Set(first.sent.map((item) => item.id))
    expect(sentBefore.size).toBe(2)
    const saved = [...(await bundle('en', 'a')).segments, ...(await bundle('en', 'b')).segments].filter((segment) => segment.target)
    expect(new Set(saved.map((segment) => segment.hash))).toEqual(sentBefore)
    const second = faultEngine({maxSegments: 1, concurrency: 2})
    await translateProject(temp.project, {locales: ['en'], engine: second})
    for (const item of second.sent) expect(sentBefore.has(item.id)).toBe(false)
    const all = [...(await bundle('en', 'a')).segments, ...(await bundle('en', 'b')).segments]
    expect(all.every((segment) => segment.target)).toBe(true)
  })

  it('keeps what a failing batch finished before the fault (paid-for partial results)', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    const engine = faultEngine({failOnCall: 1, code: 'E_QUOTA', partial: true})
    const report = await translateProject(temp.project, {locales: ['en'], engine})
    expect(report.stopped?.code).toBe('E_QUOTA')
    const translated = (await bundle('en', 'a')).segments.filter((segment) => segment.target)
    expect(translated.length).toBe(engine.sent.length)
    expect(translated.length).toBeGreaterThan(0)
  })

  it('refuses a run over --max-chars before any engine call', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    const engine = faultEngine()
    const report = await translateProject(temp.project, {locales: ['en'], engine, maxChars: 10})
    expect(report.stopped?.code).toBe('E_BUDGET')
    expect(engine.calls).toBe(0)
  })

  it('retires segments that left the source but held a translation', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await temp.write('content/fr/a.md', articleA.replace('Réduire les inégalités.', 'Réduire fortement les inégalités.'))
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine})
    expect(engine.sent.map((item) => item.text)).toEqual(['Réduire fortement les inégalités.'])
    const after = await bundle('en', 'a')
    expect(after.retired.map((segment) => segment.source)).toEqual(['Réduire les inégalités.'])
  })

  it('living source: a changed sentence with human work gets it back as a stale fuzzy match, without an engine call', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const reviewed = await bundle('en', 'a')
    const item = reviewed.segments.find((segment) => segment.source === 'Réduire les inégalités.')!
    item.target = 'Reduce inequalities.'
    item.state = 'approved'
    item.origin = {kind: 'human', by: 'Ana'}
    await temp.write('locales/en/a.json', serializeBundle(reviewed))

    await temp.write('content/fr/a.md', articleA.replace('Réduire les inégalités.', 'Réduire fortement les inégalités.'))
    const engine = faultEngine()
    const report = await translateProject(temp.project, {locales: ['en'], engine})
    expect(engine.calls).toBe(0)
    expect(report.locales[0]).toMatchObject({leveraged: 1, stale: 1})

    const after = await bundle('en', 'a')
    const changed = after.segments.find((segment) => segment.source === 'Réduire fortement les inégalités.')!
    expect(changed).toMatchObject({
      target: 'Reduce inequalities.',
      state: 'fuzzy',
      stale: true,
      previous: {source: 'Réduire les inégalités.', target: 'Reduce inequalities.'}
    })
    expect(changed.origin?.kind).toBe('tm')
    expect(changed.origin?.score).toBeGreaterThanOrEqual(75)
    expect(changed.origin?.score).toBeLessThan(100)
    // The old approved unit is retired, not deleted: it stays in the TM.
    expect(after.retired.map((segment) => [segment.source, segment.state])).toEqual([['Réduire les inégalités.', 'approved']])
  })

  it('offers approved work for the same sentence in another article as translated, other human work as fuzzy', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const reviewed = await bundle('en', 'a')
    const shared = reviewed.segments.find((segment) => segment.source.startsWith("L'OIM et le PNUD"))!
    shared.target = 'IOM and UNDP support cities.'
    shared.state = 'approved'
    await temp.write('locales/en/a.json', serializeBundle(reviewed))

    await temp.write('content/fr/b.md', articleB)
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine})
    const b = await bundle('en', 'b')
    const leveraged = b.segments.find((segment) => segment.source.startsWith("L'OIM et le PNUD"))!
    expect(leveraged).toMatchObject({target: 'IOM and UNDP support cities.', state: 'translated'})
    expect(leveraged.origin).toMatchObject({kind: 'tm', score: 100})
    expect(engine.sent.map((item) => item.text)).not.toContain(leveraged.source)
  })

  it('uses imported TMX units above the threshold', async () => {
    temp = await tempProject({'content/fr/b.md': articleB})
    const {exportTmx} = await import('../src/tm/index.ts')
    await temp.write(
      'tm/client.tmx',
      exportTmx(
        [{source: 'Une phrase propre à cet article.', target: 'A sentence of this article only.', sourceLocale: 'fr', targetLocale: 'en', state: 'reviewed', origin: {kind: 'import'}}],
        {sourceLocale: 'fr'}
      )
    )
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine})
    const b = await bundle('en', 'b')
    expect(b.segments.find((segment) => segment.source === 'Une phrase propre à cet article.')).toMatchObject({
      target: 'A sentence of this article only.',
      state: 'fuzzy'
    })
    expect(engine.sent.map((item) => item.text)).not.toContain('Une phrase propre à cet article.')
  })

  it('keeps human work when a sentence is only re-wrapped (same id, different whitespace)', async () => {
    const wrapped = '---\ntitle: Titre\n---\n\nUne phrase assez longue\nqui continue ici.\n'
    temp = await tempProject({'content/fr/w.md': wrapped})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const reviewed = await bundle('en', 'w')
    const sentence = reviewed.segments.find((segment) => segment.source.startsWith('Une phrase'))!
    sentence.target = 'A rather long sentence that continues here.'
    sentence.state = 'approved'
    await temp.write('locales/en/w.json', serializeBundle(reviewed))

    await temp.write('content/fr/w.md', wrapped.replace('longue\nqui', 'longue qui'))
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine})
    expect(engine.calls).toBe(0)
    const after = (await bundle('en', 'w')).segments.find((segment) => segment.id === sentence.id)!
    expect(after).toMatchObject({source: 'Une phrase assez longue qui continue ici.', target: 'A rather long sentence that continues here.', state: 'approved'})
  })

  it('reports an unknown --article slug instead of doing nothing', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    const report = await translateProject(temp.project, {locales: ['en'], engine: faultEngine(), articles: ['nope']})
    expect(report.failures.map((failure) => [failure.code, failure.message])).toEqual([
      ['E_NOT_FOUND', "content/fr: no article 'nope' (E_NOT_FOUND) — check the slug (the file name without .md)"]
    ])
  })

  it('with --article, still uses approved work from the other articles, and upgrades machine output on an exact approved match', async () => {
    temp = await tempProject({'content/fr/a.md': articleA, 'content/fr/b.md': articleB})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    const a = await bundle('en', 'a')
    const shared = a.segments.find((segment) => segment.source.startsWith("L'OIM et le PNUD"))!
    shared.target = 'IOM and UNDP support cities.'
    shared.state = 'approved'
    await temp.write('locales/en/a.json', serializeBundle(a))

    // b already holds machine output for the shared sentence.
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine, articles: ['b']})
    expect(engine.calls).toBe(0)
    const b = (await bundle('en', 'b')).segments.find((segment) => segment.source.startsWith("L'OIM et le PNUD"))!
    expect(b).toMatchObject({target: 'IOM and UNDP support cities.', state: 'translated', origin: {kind: 'tm', score: 100}})
  })

  it('keeps an approval made during the run on a sentence the run retires', async () => {
    temp = await tempProject({'content/fr/a.md': articleA})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    await temp.write('content/fr/a.md', articleA.replace('Réduire les inégalités.', 'Réduire fortement les inégalités.'))
    const path = join(temp.root, 'locales', 'en', 'a.json')
    const inner = faultEngine()
    // A reviewer approves the old sentence while the engine works.
    const racing = {
      ...inner,
      get calls() {
        return inner.calls
      },
      async translate(...args: Parameters<typeof inner.translate>) {
        const current = parseBundle(await readFile(path, 'utf8'), path)
        const old = current.segments.find((segment) => segment.source === 'Réduire les inégalités.')!
        Object.assign(old, {target: 'Reduce inequalities.', state: 'approved', revision: old.revision + 1})
        await temp.write('locales/en/a.json', serializeBundle(current))
        return inner.translate(...args)
      }
    }
    await translateProject(temp.project, {locales: ['en'], engine: racing})
    const after = await bundle('en', 'a')
    expect(after.retired.map((segment) => [segment.source, segment.target, segment.state])).toEqual([['Réduire les inégalités.', 'Reduce inequalities.', 'approved']])
  })

  it('uses imported TMX units whose target is a regional variant of the locale (en-GB for en)', async () => {
    temp = await tempProject({'content/fr/b.md': articleB})
    const {exportTmx} = await import('../src/tm/index.ts')
    await temp.write(
      'tm/vendor.tmx',
      exportTmx(
        [{source: 'Une phrase propre à cet article.', target: 'A sentence of this article only.', sourceLocale: 'fr', targetLocale: 'en-GB', state: 'reviewed', origin: {kind: 'import'}}],
        {sourceLocale: 'fr'}
      )
    )
    const engine = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine})
    expect(engine.sent.map((item) => item.text)).not.toContain('Une phrase propre à cet article.')
  })
})

