// Money and crash safety of `translate` (issue 10), against the local fake
// DeepL server and the fault engine: one run per locale, nothing paid before
// bundles are known writable, dead locks taken over, a persistent 500 bounded,
// what was sent reported after a stop, an interrupted --force resumed.
import {mkdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {parseBundle} from '../src/workflow/store.ts'
import {acquireRunLock, withFileLock} from '../src/io/lock.ts'
import {maxFailedBatches, translateProject} from '../src/translate/run.ts'
import {engineFor, startFakeDeepl} from './helpers/deepl-server.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

const article = (count: number, word = 'ville') =>
  `---\ntitle: Les ${word}s\n---\n\n${Array.from({length: count}, (_, index) => `La ${word} numéro ${index} accueille des migrants.`).join('\n\n')}\n`

// A process id that cannot be running: above Linux's pid_max.
const deadPid = 4_194_304 + 17

describe('one translate run per project and locale', () => {
  it('stops a second concurrent DeepL run before it sends anything; the first pays once', async () => {
    temp = await tempProject({'content/fr/a.md': article(12)}, {glossary: false})
    await mkdir(join(temp.root, 'glossary'))
    const fake = await startFakeDeepl()
    const [first, second] = await Promise.all([
      translateProject(temp.project, {locales: ['en'], engine: engineFor(fake)}),
      translateProject(temp.project, {locales: ['en'], engine: engineFor(fake)})
    ])
    const stops = [first, second].filter((report) => report.stopped)
    expect(stops.map((report) => report.stopped?.code)).toEqual(['E_CONFLICT'])
    expect(stops[0]!.engineCalls).toBe(0)
    const sent = fake.requests.filter((request) => request.path === '/v2/translate').flatMap((request) => request.params.text ?? [])
    // Each sentence billed once, not twice.
    expect(sent.length).toBe(new Set(sent).size)
    expect(sent.length).toBe(13)
  })

  it('takes over a run lock left by a process that is gone', async () => {
    temp = await tempProject({'content/fr/a.md': article(2)})
    await temp.write('locales/.translate-en.lock', `${deadPid}\n`)
    const report = await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    expect(report.stopped).toBeUndefined()
    expect(report.locales[0]?.machineTranslated).toBeGreaterThan(0)
  })

  it('refuses a run lock held by a live process with E_CONFLICT naming it', async () => {
    temp = await tempProject()
    const release = await acquireRunLock(join(temp.root, 'locales/.translate-en.lock'), 'en')
    await expect(acquireRunLock(join(temp.root, 'locales/.translate-en.lock'), 'en')).rejects.toMatchObject({code: 'E_CONFLICT', message: expect.stringContaining(String(process.pid))})
    await release()
  })
})

describe('bundle locks', () => {
  it('takes over at once a bundle lock whose process was killed during a save', async () => {
    temp = await tempProject()
    const path = join(temp.root, 'locales/en/a.json')
    await temp.write('locales/en/a.json.lock', `${deadPid}\n`)
    const started = Date.now()
    // A 1 s timeout: the old rule (break only after 60 s) fails with E_CONFLICT here.
    expect(await withFileLock(path, async () => 'saved', {timeoutMs: 1000})).toBe('saved')
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('nothing paid that cannot be kept', () => {
  it('checks every bundle is writable before calling the engine', async () => {
    temp = await tempProject({'content/fr/a.md': article(3), 'content/fr/b.md': article(3, 'route')})
    // The write probe's own name is taken by a folder, so creating a file there fails even for root,
    // as it would on a read-only mount, while reading locales/en still works.
    await mkdir(join(temp.root, 'locales/en', `.write-probe.${process.pid}`), {recursive: true})
    const engine = faultEngine()
    const report = await translateProject(temp.project, {locales: ['en'], engine})
    expect(engine.calls).toBe(0)
    expect(report.stopped?.code).toBe('E_INPUT')
    expect(report.stopped?.file).toBe('locales/en/a.json')
  })

  it('stops after a bounded number of batches failing with HTTP 500, keeping what was done, and reports it', async () => {
    temp = await tempProject({'content/fr/a.md': article(12)}, {glossary: false})
    await mkdir(join(temp.root, 'glossary'))
    const fake = await startFakeDeepl()
    const engine = engineFor(fake, {maxRetries: 1})
    engine.maxBatch.segments = 2
    // Batches 1 and 2 go through, then the service answers 500 to everything.
    const original = engine.translate.bind(engine)
    let batch = 0
    engine.translate = async (items, options) => {
      if (++batch === 3) fake.inject({status: 500, times: 1000})
      return original(items, options)
    }
    const report = await translateProject(temp.project, {locales: ['en'], engine})
    expect(report.stopped?.code).toBe('E_ENGINE')
    expect(batch).toBe(2 + maxFailedBatches)
    const saved = parseBundle(await readFile(join(temp.root, 'locales/en/a.json'), 'utf8'), 'a.json')
    expect(saved.segments.filter((segment) => segment.target !== undefined)).toHaveLength(4)
    // Characters sent: the two batches that went through, not 0.
    const billed = fake.requests.filter((request) => request.status === 200 && request.path === '/v2/translate').flatMap((request) => request.params.text ?? [])
    expect(report.characters).toBe(billed.join('').length)
    expect(report.characters).toBeGreaterThan(0)
  })

  it('reports the characters of batches sent before a quota stop', async () => {
    temp = await tempProject({'content/fr/a.md': article(6)})
    const engine = faultEngine({failOnCall: 3, code: 'E_QUOTA', maxSegments: 2})
    const report = await translateProject(temp.project, {locales: ['en'], engine})
    expect(report.stopped?.code).toBe('E_QUOTA')
    expect(report.characters).toBe(engine.sent.reduce((sum, item) => sum + item.text.length, 0))
    expect(report.characters).toBeGreaterThan(0)
  })
})

describe('an interrupted --force run', () => {
  it('resumes where it stopped instead of redoing everything', async () => {
    temp = await tempProject({'content/fr/a.md': article(10)})
    await translateProject(temp.project, {locales: ['en'], engine: faultEngine()})
    // Forced run killed at its third batch (two segments a batch).
    const first = faultEngine({failOnCall: 3, code: 'E_NETWORK', maxSegments: 2})
    expect((await translateProject(temp.project, {locales: ['en'], engine: first, force: true})).stopped?.code).toBe('E_NETWORK')
    const redone = new Set(first.sent.map((item) => item.id))
    expect(redone.size).toBe(4)
    const second = faultEngine({maxSegments: 2})
    const report = await translateProject(temp.project, {locales: ['en'], engine: second, force: true})
    expect(report.stopped).toBeUndefined()
    // Only the 7 sentences the first forced run had not redone (11 in all: title and 10 paragraphs).
    expect(second.sent.map((item) => item.id).filter((id) => redone.has(id))).toEqual([])
    expect(second.sent).toHaveLength(7)
    // Finished: the next forced run starts over.
    const third = faultEngine()
    await translateProject(temp.project, {locales: ['en'], engine: third, force: true})
    expect(third.sent).toHaveLength(11)
  })
})

describe('a DeepL glossary refused with HTTP 400', () => {
  it('is reported (E_GLOSSARY, naming the pair), not a silent fall-back to placeholders', async () => {
    temp = await tempProject({'content/fr/a.md': "---\ntitle: L'OIM\n---\n\nL'OIM aide les migrants.\n"})
    const fake = await startFakeDeepl()
    fake.inject({path: '/v2/glossaries', method: 'POST', status: 400, times: 1, body: JSON.stringify({message: 'Invalid glossary entries provided'})})
    const report = await translateProject(temp.project, {locales: ['en'], engine: engineFor(fake)})
    expect(report.stopped).toBeUndefined()
    expect(report.failures).toEqual([expect.objectContaining({code: 'E_GLOSSARY', message: expect.stringMatching(/refused the fr→en glossary.*placeholders/)})])
    expect(report.locales[0]?.machineTranslated).toBeGreaterThan(0)
  })
})
