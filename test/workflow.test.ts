// The workflow core: `updateBundle` (the one bundle writer) and the pure
// transitions of a segment. What is asserted is what lands in the file.
import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {
  applyEdit,
  ApprovalError,
  bundlePath,
  ConflictError,
  loadBundle,
  reconcileBundle,
  recheck,
  recordedHits,
  revisionsOf,
  serializeBundle,
  updateBundle,
  updateFromEngine,
  type Bundle,
  type BundleSegment
} from '../src/workflow/index.ts'
import type {SegmentState, TermHit} from '../src/types.ts'
import {makeSegment} from './helpers/bundle.ts'

let localesDir: string
beforeEach(async () => {
  localesDir = await mkdtemp(join(tmpdir(), 'passerelle-workflow-'))
})
afterEach(() => rm(localesDir, {recursive: true, force: true}))

const now = '2026-02-01T00:00:00.000Z'
const locales = {source: 'fr', target: 'en'}
const engineOrigin = {kind: 'engine' as const, engine: 'pseudo'}

function bundleOf(segments: BundleSegment[], retired: BundleSegment[] = []): Bundle {
  return {schema: 1, article: 'visite', sourceLocale: 'fr', locale: 'en', sourceHash: 'abc', segments, retired}
}

/** `count` untranslated segments with distinct 12-hex ids. */
function fresh(count: number): BundleSegment[] {
  return Array.from({length: count}, (_, index) => {
    const id = String(index + 1).padStart(12, '0')
    return makeSegment(`Phrase numéro ${index + 1}.`, undefined, {id, hash: id, index})
  })
}

async function put(bundle: Bundle): Promise<string> {
  await updateBundle({localesDir}, 'en', 'visite', () => bundle)
  return bundlePath(localesDir, 'en', 'visite')
}

async function onDisk(): Promise<Bundle> {
  const bundle = await loadBundle(bundlePath(localesDir, 'en', 'visite'))
  if (!bundle) throw new Error('no bundle on disk')
  return bundle
}

const edit = (target: string, revision = 0) => (bundle: Bundle | undefined) => {
  const current = bundle!.segments[0]!
  return bundleOf([applyEdit(current, {revision, target}, {by: 'Zoé', now, hits: [], locales}), ...bundle!.segments.slice(1)])
}

describe('updateBundle', () => {
  it('writes through validation, atomically, and reports whether the text changed', async () => {
    const path = await put(bundleOf(fresh(2)))
    expect(await readFile(path, 'utf8')).toBe(serializeBundle(bundleOf(fresh(2))))
    const again = await updateBundle({localesDir}, 'en', 'visite', (current) => ({...current!}))
    expect(again.written).toBe(false)
    const unchanged = await updateBundle({localesDir}, 'en', 'visite', () => undefined)
    expect(unchanged.written).toBe(false)
    expect((await readdir(join(localesDir, 'en'))).sort()).toEqual(['visite.json'])
  })

  it('merges by revision: a segment someone changed since the caller read it keeps their version', async () => {
    await put(bundleOf(fresh(2)))
    // A long run reads the bundle and works on it…
    const read = await onDisk()
    const base = revisionsOf(read)
    const ours = bundleOf(read.segments.map((segment) => updateFromEngine(segment, {text: `MT ${segment.source}`, unknown: [], origin: engineOrigin}, {now})))
    // …while a reviewer saves the first segment.
    await updateBundle({localesDir}, 'en', 'visite', edit('Sentence one, by hand.'))
    await updateBundle({localesDir}, 'en', 'visite', () => ours, {base})
    const saved = await onDisk()
    expect(saved.segments.map((segment) => [segment.target, segment.state])).toEqual([
      ['Sentence one, by hand.', 'translated'],
      ['MT Phrase numéro 2.', 'machine']
    ])
  })

  it('with the text and bytes it last wrote, still sees an edit made since and keeps it', async () => {
    const first = await updateBundle({localesDir}, 'en', 'visite', () => bundleOf(fresh(2)))
    const base = revisionsOf(first.bundle)
    const ours = bundleOf(first.bundle!.segments.map((segment) => updateFromEngine(segment, {text: `MT ${segment.source}`, unknown: [], origin: engineOrigin}, {now})))
    // Untouched since: written over without being read back as a bundle, and its bytes given back.
    const second = await updateBundle({localesDir}, 'en', 'visite', () => ours, {base, known: {text: first.text!, bundle: first.bundle!}})
    expect(second.written).toBe(true)
    expect(Buffer.from(second.bytes!).toString('utf8')).toBe(second.text)
    expect(await readFile(bundlePath(localesDir, 'en', 'visite'), 'utf8')).toBe(second.text)
    // A reviewer saves the first segment; the run saves again with what it last wrote.
    await updateBundle({localesDir}, 'en', 'visite', edit('Sentence one, by hand.', 1))
    const later = bundleOf(ours.segments.map((segment) => ({...segment, qa: [{rule: 'x', severity: 'info' as const, message: 'checked'}]})))
    await updateBundle({localesDir}, 'en', 'visite', () => later, {base: revisionsOf(second.bundle), known: {text: second.text!, bundle: second.bundle!, bytes: second.bytes!}})
    const saved = await onDisk()
    expect(saved.segments.map((segment) => [segment.target, segment.state])).toEqual([
      ['Sentence one, by hand.', 'translated'],
      ['MT Phrase numéro 2.', 'machine']
    ])
    expect(saved.segments[1]!.qa.map((finding) => finding.message)).toEqual(['checked'])
  })

  it('without a base, the whole proposed bundle is written (the test above can fail)', async () => {
    await put(bundleOf(fresh(2)))
    const read = await onDisk()
    const ours = bundleOf(read.segments.map((segment) => updateFromEngine(segment, {text: `MT ${segment.source}`, unknown: [], origin: engineOrigin}, {now})))
    await updateBundle({localesDir}, 'en', 'visite', edit('Sentence one, by hand.'))
    await updateBundle({localesDir}, 'en', 'visite', () => ours)
    expect((await onDisk()).segments[0]!.target).toBe('MT Phrase numéro 1.')
  })

  it('serialises concurrent writers: every edit lands (no lost update)', async () => {
    await put(bundleOf(fresh(12)))
    await Promise.all(
      Array.from({length: 12}, (_, index) =>
        updateBundle({localesDir}, 'en', 'visite', (bundle) => {
          const segments = [...bundle!.segments]
          segments[index] = applyEdit(segments[index]!, {revision: 0, target: `Sentence ${index + 1}.`}, {by: 'Zoé', now, hits: [], locales})
          return {...bundle!, segments}
        })
      )
    )
    const saved = await onDisk()
    expect(saved.segments.map((segment) => segment.target)).toEqual(Array.from({length: 12}, (_, index) => `Sentence ${index + 1}.`))
    expect(saved.segments.every((segment) => segment.revision === 1)).toBe(true)
    expect((await readdir(join(localesDir, 'en'))).sort()).toEqual(['visite.json'])
  })

  it('refuses to write an invalid bundle and leaves the file as it was', async () => {
    const path = await put(bundleOf(fresh(1)))
    const before = await readFile(path, 'utf8')
    const broken = (bundle: Bundle | undefined) => ({...bundle!, segments: [{...bundle!.segments[0]!, id: 'not a hash'}]})
    await expect(updateBundle({localesDir}, 'en', 'visite', broken)).rejects.toSatisfy(
      (error) => isPasserelleError(error, 'E_BUNDLE') && /segments\.0\.id/.test(error.message) && error.file === path
    )
    expect(await readFile(path, 'utf8')).toBe(before)
    expect((await readdir(join(localesDir, 'en'))).sort()).toEqual(['visite.json'])
  })

  it('never calls the change on a bundle it cannot read (it may hold human work)', async () => {
    const path = bundlePath(localesDir, 'en', 'visite')
    await put(bundleOf(fresh(1)))
    await writeFile(path, '{"schema": 1, "broken": ')
    let called = false
    await expect(
      updateBundle({localesDir, root: localesDir}, 'en', 'visite', () => {
        called = true
        return bundleOf(fresh(1))
      })
    ).rejects.toSatisfy((error) => isPasserelleError(error, 'E_BUNDLE') && error.file === join('en', 'visite.json'))
    expect(called).toBe(false)
    expect(await readFile(path, 'utf8')).toBe('{"schema": 1, "broken": ')
  })

  it('loads bundles written before term hits were recorded', async () => {
    const legacy = bundleOf([makeSegment('Le GCLU agit.', 'UCLG acts.', {glossary: [{concept: 'gclu', source: 'GCLU', expected: ['GCLU'], found: false}]})])
    const path = bundlePath(localesDir, 'en', 'visite')
    await put(bundleOf(fresh(1)))
    await writeFile(path, JSON.stringify(legacy))
    const loaded = await onDisk()
    expect(loaded.segments[0]!.glossary).toEqual(legacy.segments[0]!.glossary)
    // Too little to rebuild a hit from: nothing is guessed.
    expect(recordedHits(loaded.segments[0]!)).toEqual([])
  })
})

describe('transitions', () => {
  const humanStates: SegmentState[] = ['translated', 'reviewed', 'approved']

  it('update from the engine never overwrites human work, even forced', () => {
    for (const state of humanStates) {
      const segment = makeSegment('Bonjour.', 'Hello, by hand.', {state, revision: 4})
      expect(updateFromEngine(segment, {text: 'Good day.', unknown: [], origin: engineOrigin}, {now, force: true})).toBe(segment)
    }
    const machine = makeSegment('Bonjour.', 'Hi.', {state: 'machine', revision: 1})
    expect(updateFromEngine(machine, {text: 'Good day.', unknown: [], origin: engineOrigin}, {now})).toBe(machine)
    expect(updateFromEngine(machine, {text: 'Good day.', unknown: [], origin: engineOrigin}, {now, force: true})).toMatchObject({target: 'Good day.', state: 'machine', revision: 2})
    expect(updateFromEngine(makeSegment('Bonjour.', undefined), {text: 'Hello.', unknown: ['x'], origin: engineOrigin}, {now})).toMatchObject({
      target: 'Hello.',
      state: 'machine',
      origin: engineOrigin,
      unknown: ['x'],
      revision: 1
    })
  })

  it('reconcile keeps known work, starts new sentences as new, and retires departed work', () => {
    const kept = makeSegment('Bonjour.', 'Hello.', {id: 'aaaaaaaaaaaa', state: 'approved', revision: 5})
    const gone = makeSegment('Au revoir.', 'Goodbye.', {id: 'bbbbbbbbbbbb', hash: 'bbbbbbbbbbbb', state: 'translated', revision: 2})
    const untranslated = makeSegment('Merci.', undefined, {id: 'cccccccccccc', hash: 'cccccccccccc'})
    const article = {
      slug: 'visite',
      sourceHash: 'def',
      segments: [
        {id: 'aaaaaaaaaaaa', hash: 'aaaaaaaaaaaa', unit: 'u2', kind: 'paragraph' as const, index: 0, source: 'Bonjour.', tags: {}},
        {id: 'dddddddddddd', hash: 'dddddddddddd', unit: 'u2', kind: 'paragraph' as const, index: 1, source: 'Salut.', tags: {}}
      ]
    }
    const next = reconcileBundle(bundleOf([kept, gone, untranslated]), article, {sourceLocale: 'fr', locale: 'en', now})
    expect(next.segments.map((segment) => [segment.id, segment.target, segment.state, segment.unit])).toEqual([
      ['aaaaaaaaaaaa', 'Hello.', 'approved', 'u2'],
      ['dddddddddddd', undefined, 'new', 'u2']
    ])
    expect(next.retired.map((segment) => [segment.id, segment.target, segment.state])).toEqual([['bbbbbbbbbbbb', 'Goodbye.', 'translated']])
  })

  it('an edit checks the revision, and an approval with QA errors is refused', () => {
    const segment = makeSegment('Il y a 90 pays.', 'There are 90 countries.', {state: 'machine', revision: 3})
    expect(() => applyEdit(segment, {revision: 2, target: 'Ninety countries.'}, {by: 'Zoé', now, hits: [], locales})).toThrow(ConflictError)
    expect(() => applyEdit(segment, {revision: 3, target: 'There are many countries.', state: 'approved'}, {by: 'Zoé', now, hits: [], locales})).toThrow(ApprovalError)
    expect(applyEdit(segment, {revision: 3, target: 'There are 90 nations.'}, {by: 'Zoé', now, hits: [], locales})).toMatchObject({
      target: 'There are 90 nations.',
      state: 'translated',
      origin: {kind: 'human', by: 'Zoé'},
      revision: 4
    })
  })

  it('recheck records each hit in full and never touches the target, state or revision', () => {
    const source = 'Le GCLU et l’OIM.'
    const hits: TermHit[] = [
      {concept: 'gclu', kind: 'term', start: 3, end: 7, text: 'GCLU', dnt: true, expected: [], forbidden: []},
      {concept: 'iom', kind: 'term', start: 13, end: 16, text: 'OIM', dnt: false, expected: ['IOM'], forbidden: ['OIM']}
    ]
    const segment = makeSegment(source, 'GCLU and IOM.', {state: 'approved', revision: 7})
    const next = recheck(segment, hits, {sourceLocale: 'fr', locale: 'en'}, now)
    expect(next).toMatchObject({target: 'GCLU and IOM.', state: 'approved', revision: 7})
    expect(next.glossary).toEqual([
      {concept: 'gclu', source: 'GCLU', expected: ['GCLU'], found: true, kind: 'term', start: 3, end: 7, dnt: true, forbidden: []},
      {concept: 'iom', source: 'OIM', expected: ['IOM'], found: true, kind: 'term', start: 13, end: 16, dnt: false, forbidden: ['OIM']}
    ])
    // QA reads back exactly the hits it was given.
    expect(recordedHits(next)).toEqual(hits)
    expect(recheck(next, hits, {sourceLocale: 'fr', locale: 'en'}, '2030-01-01T00:00:00.000Z')).toBe(next)
  })
})
