// The contract every engine honours: one output per input, the source's tags
// back, target terms and do-not-translate items intact, no call for nothing;
// a pair it cannot serve refused with a code before any call; a failure
// reported as one coded line; and what a failed batch did finish handed back
// complete (partialResults), so the orchestrator can save it.
import {describe, expect, it} from 'vitest'
import {partialResults, type Engine, type EngineSegment} from '../../src/engines/types.ts'
import {isPasserelleError, type ErrorCode} from '../../src/errors.ts'
import type {Locale, TermHit} from '../../src/types.ts'

export interface EngineFaults {
  /** A pair this engine cannot serve. */
  refused: {from: Locale; to: Locale}
  /** The engine with its backend failing on every call (a process that exits 1, a server answering 500…). */
  failing: () => Engine | Promise<Engine>
  /**
   * The engine failing part-way through a batch it sends in several parts;
   * omitted for engines that translate a batch all at once (Apertium: one
   * process per batch), whose failures then carry no partial results.
   */
  partial?: () => Engine | Promise<Engine>
}

const failureCodes: ErrorCode[] = ['E_ENGINE', 'E_ENGINE_MISSING', 'E_NETWORK', 'E_QUOTA', 'E_RATE_LIMIT', 'E_AUTH']

const tagsOf = (text: string) => (text.match(/<\/?\d+\/?>/g) ?? []).sort()

/** A failed translate: a coded PasserelleError on one line, and partial results only for ids of the batch, complete. */
async function expectFailure(engine: Engine, batch: EngineSegment[], to: Locale) {
  const error = await engine.translate(batch, {from: 'fr', to}).then(
    () => undefined,
    (caught: unknown) => caught
  )
  expect(isPasserelleError(error), String(error)).toBe(true)
  if (!isPasserelleError(error)) throw error
  expect(failureCodes).toContain(error.code)
  expect(error.toLine()).not.toContain('\n')
  const done = partialResults(error)
  const sources = new Map(batch.map((segment) => [segment.id, segment.text]))
  expect(new Set(done.map((output) => output.id)).size).toBe(done.length)
  for (const output of done) {
    expect(sources.has(output.id), output.id).toBe(true)
    expect(tagsOf(output.text)).toEqual(tagsOf(sources.get(output.id)!))
    expect(output.text.trim()).not.toBe('')
  }
  return {error, done}
}

export function engineContract(name: string, make: () => Engine, targets: string[], faults: EngineFaults) {
  describe(`engine contract: ${name}`, () => {
    const source = "Les <1>États Membres</1> de l'OIM ont écrit à decorte@un.org <2/> hier."
    const hits: TermHit[] = [
      {concept: 'iom', kind: 'term', start: source.indexOf('OIM'), end: source.indexOf('OIM') + 3, text: 'OIM', dnt: false, expected: ['IOM'], forbidden: []},
      {concept: 'email', kind: 'pattern', start: source.indexOf('decorte'), end: source.indexOf('decorte') + 14, text: 'decorte@un.org', dnt: true, expected: [], forbidden: []}
    ]

    it('makes no call for an empty batch', async () => {
      const engine = make()
      expect(await engine.translate([], {from: 'fr', to: targets[0]!})).toEqual([])
      expect(engine.calls).toBe(0)
    })

    it.each(targets)('returns one output per input, with the same tags, the target term and dnt items intact (fr→%s)', async (to) => {
      const engine = make()
      await engine.check('fr', to)
      const outputs = await engine.translate(
        [
          {id: 'x', text: source, hits},
          {id: 'y', text: 'Deuxième phrase simple.', hits: []}
        ],
        {from: 'fr', to}
      )
      expect(outputs.map((output) => output.id).sort()).toEqual(['x', 'y'])
      const x = outputs.find((output) => output.id === 'x')!
      expect(x.text.match(/<\/?\d+\/?>/g)?.sort()).toEqual(['</1>', '<1>', '<2/>'])
      expect(x.text).toContain('IOM')
      expect(x.text).toContain('decorte@un.org')
      expect(x.text).not.toMatch(/Zqx/)
      expect(engine.calls).toBeGreaterThan(0)
      expect(engine.route('fr', to)).toBeTruthy()
    })

    it(`refuses a pair it cannot serve (${faults.refused.from}→${faults.refused.to}) with a code, in check and in translate, before any call`, async () => {
      const {from, to} = faults.refused
      const engine = make()
      const checked = await engine.check(from, to).then(
        () => undefined,
        (caught: unknown) => caught
      )
      expect(isPasserelleError(checked, 'E_LOCALE') || isPasserelleError(checked, 'E_ENGINE_MISSING'), String(checked)).toBe(true)
      const translated = await engine.translate([{id: 'x', text: 'Bonjour.', hits: []}], {from, to}).then(
        () => undefined,
        (caught: unknown) => caught
      )
      expect(isPasserelleError(translated, 'E_LOCALE') || isPasserelleError(translated, 'E_ENGINE_MISSING'), String(translated)).toBe(true)
      expect(engine.calls).toBe(0)
    })

    it('reports a failing backend as one coded line, with nothing but complete outputs of the batch as partial results', async () => {
      const engine = await faults.failing()
      await expectFailure(
        engine,
        [
          {id: 'x', text: source, hits},
          {id: 'y', text: 'Deuxième phrase simple.', hits: []}
        ],
        targets[0]!
      )
      expect(engine.calls).toBeGreaterThan(0)
    })

    it.runIf(faults.partial !== undefined)('hands back what a batch finished before it failed, complete, and nothing else', async () => {
      const engine = await faults.partial!()
      const batch = Array.from({length: 120}, (_, index) => ({id: `s${index}`, text: `Phrase <1>numéro</1> ${index}.`, hits: []}))
      const {done} = await expectFailure(engine, batch, targets[0]!)
      expect(done.length).toBeGreaterThan(0)
      expect(done.length).toBeLessThan(batch.length)
    })
  })
}
