import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {readdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {createApertiumEngine} from '../src/engines/apertium/index.ts'
import {fromApertiumHtml, toApertiumHtml} from '../src/engines/apertium/html.ts'
import {stripMarkers} from '../src/engines/apertium/markers.ts'
import {isPasserelleError, type PasserelleError} from '../src/errors.ts'
import type {Engine} from '../src/engines/types.ts'
import {translateProject} from '../src/translate/run.ts'
import type {TermHit} from '../src/types.ts'
import {readBundle} from './fixtures/review/project.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

const cases = readFileSync(new URL('fixtures/apertium/from-html.txt', import.meta.url), 'utf8')
  .replace(/^#.*\n/gm, '')
  .split(/^===\n/m)
  .map((block) => {
    const [name, rest] = [block.slice(0, block.indexOf('\n')), block.slice(block.indexOf('\n') + 1)]
    const [input, expected] = rest.split(/^---\n/m)
    return {name, input: input!.replace(/\n$/, ''), expected: expected!.replace(/\n$/, '')}
  })

describe('Apertium HTML mapping', () => {
  it.each(cases)('$name', ({input, expected}) => {
    expect(fromApertiumHtml(input)).toBe(expected)
  })

  it('maps numbered tags to inline HTML Apertium keeps, escaping a literal >', () => {
    expect(toApertiumHtml('Voir <1>le <2>site</2></1>, <3/> &lt; 5 > 3')).toBe(
      'Voir <b data-t="1">le <b data-t="2">site</b></b>, <br data-t="3"> &lt; 5 &gt; 3'
    )
  })

  it('round-trips tagged text when the engine changes nothing', () => {
    const text = 'A <1>b <2>c</2> d</1> e <3/> f &amp; g &lt; h > i'
    expect(fromApertiumHtml(toApertiumHtml(text))).toBe(text)
  })

  it('strips unknown-word markers and records the words', () => {
    expect(stripMarkers('El *Zorglub y #vino @tarde, 5 * 3, a@b')).toEqual({text: 'El Zorglub y vino tarde, 5 * 3, a@b', unknown: ['Zorglub']})
  })
})

const installed = (() => {
  try {
    return execFileSync('apertium', ['-l'], {encoding: 'utf8'})
  } catch {
    return ''
  }
})()

// CI installs Apertium (scripts/setup.sh); the integration tests must run there.
describe.runIf(installed.includes('fr-es') || process.env.CI)('Apertium engine (real processes)', () => {
  const hit = (text: string, start: number, expected: string[], dnt = false): TermHit => ({
    concept: dnt ? 'email' : 'iom',
    kind: dnt ? 'pattern' : 'term',
    start,
    end: start + text.length,
    text,
    dnt,
    expected,
    forbidden: []
  })
  const source = "Le rôle de l'OIM est clé pour <1>le site <2>officiel</2> de la ville</1>, écrivez à <3/> ou ipopp@iom.int."
  const batch = [
    {id: 'a', text: source, hits: [hit('OIM', 13, ['IOM']), hit('ipopp@iom.int', source.indexOf('ipopp'), [], true)]},
    {id: 'b', text: 'Les maires de Malines et de Zorglubville sont ravis.', hits: []}
  ]

  it('translates fr→es directly with one process per batch, keeping tags, terms and dnt items', async () => {
    const engine = createApertiumEngine()
    await engine.check('fr', 'es')
    const [a, b] = await engine.translate(batch, {from: 'fr', to: 'es'})
    expect(engine.calls).toBe(1)
    expect(a!.text).toMatch(/^El rol del IOM es/)
    expect(a!.text).toContain('<1>')
    expect(a!.text).toContain('<2>oficial</2>')
    expect(a!.text).toContain('<3/>')
    expect(a!.text).toContain('ipopp@iom.int')
    expect(b!.unknown).toContain('Zorglubville')
    expect(engine.route('fr', 'es')).toBe('fr-es')
  })

  it('translates fr→en through Spanish (two processes per batch) and fr→ca directly', async () => {
    const engine = createApertiumEngine()
    const [en] = await engine.translate(batch, {from: 'fr', to: 'en'})
    expect(engine.calls).toBe(2)
    expect(en!.text).toMatch(/^The role of the IOM is key/)
    expect(en!.text).toMatch(/<1>.*<2>official<\/2>.*<\/1>/)
    expect(engine.route('fr', 'en')).toBe('fr-es|spa-eng')
    const [ca] = await engine.translate(batch, {from: 'fr', to: 'ca'})
    expect(ca!.text).toMatch(/^El paper/)
    expect(engine.calls).toBe(3)
  })

  it('serves batch after batch, several in flight, from one long-lived pipeline per mode', async () => {
    const started: number[] = []
    const engine = createApertiumEngine({onSpawn: (pid) => started.push(pid)})
    try {
      const sentences = Array.from({length: 30}, (_, index) => ({id: `s${index}`, text: `La ville de Malines accueille ${index} migrants.`, hits: []}))
      const batches = [sentences.slice(0, 10), sentences.slice(10, 20), sentences.slice(20)]
      const outputs = await Promise.all(batches.map((part) => engine.translate(part, {from: 'fr', to: 'en'})))
      // Each answer under its own segment, in every batch.
      outputs.flat().forEach((output, index) => {
        expect(output.id).toBe(`s${index}`)
        expect(output.text).toMatch(new RegExp(`^The city of Malinas receives ${index} migrantes\\.$`))
      })
      const [again] = await engine.translate([batch[1]!], {from: 'fr', to: 'en'})
      expect(again!.text).toMatch(/^The mayors of /)
      // fr-es and spa-eng, each started once for four batches.
      expect(started).toHaveLength(2)
      expect(engine.calls).toBe(8)
    } finally {
      engine.close()
    }
  })

  it('reports a killed pipeline as one E_ENGINE line for the batch it held, and starts a new one for the next batch', async () => {
    const started: number[] = []
    const engine = createApertiumEngine({onSpawn: (pid) => started.push(pid)})
    try {
      const long = Array.from({length: 200}, (_, index) => ({id: `s${index}`, text: `Le gouvernement belge organise la réunion numéro ${index} avec la ville.`, hits: []}))
      const pending = engine.translate(long, {from: 'fr', to: 'es'})
      await vi.waitFor(() => expect(started).toHaveLength(1))
      process.kill(-started[0]!, 'SIGKILL')
      const error = await pending.then(
        () => undefined,
        (caught: unknown) => caught
      )
      expect(isPasserelleError(error, 'E_ENGINE'), String(error)).toBe(true)
      const line = (error as PasserelleError).toLine()
      expect(line).not.toContain('\n')
      expect(line).toMatch(/Apertium fr-es pipeline stopped with \d+ segments? unanswered: .*SIGKILL/)
      const [next] = await engine.translate([batch[1]!], {from: 'fr', to: 'es'})
      expect(next!.text).toMatch(/^Los alcaldes de /)
      expect(started).toHaveLength(2)
    } finally {
      engine.close()
    }
  })

  it('translate: a pipeline killed mid-run costs only the batches it held, reported in one line; the next run fills them', async () => {
    const sentences = Array.from({length: 30}, (_, index) => `La ville numéro ${index + 1} accueille des migrants.`)
    const temp = await tempProject({'content/fr/villes.md': `---\ntitle: Villes\n---\n\n${sentences.join('\n\n')}\n`})
    try {
      const started: number[] = []
      const base = createApertiumEngine({onSpawn: (pid) => started.push(pid)})
      let answered = 0
      // Small batches, and the pipeline killed as soon as the first one has come back: the next ones are in its pipe.
      // Sent as planned (not while planning, see Engine.free): the later batches are still to come when it dies.
      const killing: Engine = Object.create(base, {
        maxBatch: {value: {segments: 5, characters: 10_000}},
        free: {value: false},
        translate: {
          value: async (...args: Parameters<Engine['translate']>) => {
            const out = await base.translate(...args)
            if (++answered === 1) process.kill(-started.at(-1)!, 'SIGKILL')
            return out
          }
        }
      })
      const first = await translateProject(temp.project, {locales: ['es'], engine: killing})
      base.close()
      const engineFailures = first.failures.filter((failure) => failure.code === 'E_ENGINE')
      expect(engineFailures.length).toBeGreaterThan(0)
      for (const failure of engineFailures) expect(failure.message).not.toContain('\n')
      expect(engineFailures.map((failure) => failure.message).join(' ')).toMatch(/Apertium fr-es pipeline stopped with \d+ segments? unanswered/)
      const saved = (await readBundle(temp, 'es', 'villes')).segments.filter((segment) => segment.target !== undefined)
      expect(saved.length).toBe(first.locales[0]!.machineTranslated)
      expect(saved.length).toBeGreaterThanOrEqual(5)
      expect(saved.length).toBeLessThan(31)

      const again = createApertiumEngine()
      const second = await translateProject(temp.project, {locales: ['es'], engine: again})
      again.close()
      expect(second.failures.filter((failure) => failure.code === 'E_ENGINE')).toEqual([])
      expect(second.locales[0]!.machineTranslated).toBe(31 - saved.length)
      const done = (await readBundle(temp, 'es', 'villes')).segments
      expect(done.every((segment) => segment.target !== undefined)).toBe(true)
      expect(done.find((segment) => segment.source.includes('numéro 30'))!.target).toMatch(/^La ciudad número 30 acoge/)
    } finally {
      await temp.cleanup()
    }
  })

  it('translate starts no Apertium process when nothing needs the engine, and one pipeline when a sentence does', async () => {
    const temp = await tempProject({'content/fr/villes.md': '---\ntitle: Villes\n---\n\nLa ville accueille des migrants.\n\nLe maire parle.\n'})
    try {
      const first = createApertiumEngine()
      expect((await translateProject(temp.project, {locales: ['es'], engine: first})).locales[0]!.machineTranslated).toBe(3)
      await first.close()
      // No run cache: every article is planned again, and every sentence already has its translation.
      await rm(join(temp.root, '.passerelle'), {recursive: true, force: true})
      const spawned: number[] = []
      const idle = createApertiumEngine({onSpawn: (pid) => spawned.push(pid)})
      const again = await translateProject(temp.project, {locales: ['es'], engine: idle})
      await idle.close()
      expect(again.locales[0]!.segments).toBe(3)
      expect(again.locales[0]!.machineTranslated).toBe(0)
      expect(spawned).toEqual([])

      await temp.write('content/fr/villes.md', '---\ntitle: Villes\n---\n\nLa ville accueille des migrants.\n\nLe maire parle longtemps.\n')
      const busy = createApertiumEngine({onSpawn: (pid) => spawned.push(pid)})
      const changed = await translateProject(temp.project, {locales: ['es'], engine: busy})
      await busy.close()
      expect(changed.locales[0]!.machineTranslated).toBe(1)
      expect(spawned).toHaveLength(1)
      expect((await readBundle(temp, 'es', 'villes')).segments.find((segment) => segment.source === 'Le maire parle longtemps.')!.target).toMatch(/^El alcalde habla/)
    } finally {
      await temp.cleanup()
    }
  })

  it('translate: sending sentences while planning (a free engine) writes the very bundles a planned-then-sent run writes', async () => {
    const streamed = await tempProject({}, {content: true})
    const planned = await tempProject({}, {content: true})
    try {
      const now = () => '2026-01-01T00:00:00.000Z'
      const bundles = async (temp: TempProject) => {
        const dir = join(temp.root, 'locales', 'es')
        const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()
        return Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')]))
      }
      // Small batches: several are sent while later articles are still being planned.
      const small = {segments: 25, characters: 10_000}
      const calls: boolean[] = []
      const run = async (temp: TempProject, free: boolean) => {
        const base = createApertiumEngine()
        let planning = true
        const engine: Engine = Object.create(base, {
          maxBatch: {value: small},
          free: {value: free},
          translate: {
            value: (...args: Parameters<Engine['translate']>) => {
              calls.push(planning)
              return base.translate(...args)
            }
          }
        })
        const report = await translateProject(temp.project, {locales: ['es'], engine, now, onPlan: () => void (planning = false)})
        await base.close()
        return report
      }
      const first = await run(streamed, true)
      const sentWhilePlanning = calls.filter(Boolean).length
      calls.length = 0
      const second = await run(planned, false)
      expect(sentWhilePlanning).toBeGreaterThan(3)
      expect(calls.filter(Boolean)).toEqual([])
      expect(first.failures).toEqual([])
      expect(first.locales[0]!.machineTranslated).toBe(second.locales[0]!.machineTranslated)
      const [a, b] = [await bundles(streamed), await bundles(planned)]
      expect(a.length).toBeGreaterThan(3)
      expect(a).toEqual(b)
    } finally {
      await streamed.cleanup()
      await planned.cleanup()
    }
  })

  it('refuses a target it has no route to, and a missing binary, with typed errors', async () => {
    const engine = createApertiumEngine()
    await expect(engine.check('fr', 'de')).rejects.toSatisfy((error) => isPasserelleError(error, 'E_LOCALE'))
    const missing = createApertiumEngine({binary: '/nonexistent/apertium'})
    await expect(missing.check('fr', 'es')).rejects.toSatisfy((error) => isPasserelleError(error, 'E_ENGINE_MISSING'))
  })
})
