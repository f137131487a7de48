// The contract every engine honours: one output per input, the source's tags
// back, target terms and do-not-translate items intact, no call for nothing.
import {describe, expect, it} from 'vitest'
import type {Engine} from '../../src/engines/types.ts'
import type {TermHit} from '../../src/types.ts'

export function engineContract(name: string, make: () => Engine, targets: string[]) {
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
  })
}
