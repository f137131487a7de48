// `status` counts source words as ICU's word segmenter does; for plain
// French-Latin text it uses a regular expression instead (about ten times
// faster). The two must give the same count on any text.
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {countPlainWords} from '../src/status/compute.ts'
import {repoRoot} from './helpers/project.ts'

const icu = new Intl.Segmenter('und', {granularity: 'word'})
const icuWords = (text: string) => [...icu.segment(text)].filter((part) => part.isWordLike).length

// Letters and digits, every joiner UAX #29 knows in this range, and characters that join nothing.
const alphabet = [...'aZéÉœŒÿßØ10', ...".,;:'’·_", ' ', '\u00a0', '\u202f', '\t', ...'«»-–—/()"“”…°!?%&@#*+=<>[]{}|\\^`~$×÷', '\u0301', '\u00ad']

describe('word counts', () => {
  it('match ICU on random text made of letters, digits and every joiner', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), {maxLength: 14}), (characters) => {
        const text = characters.join('')
        expect(countPlainWords(text)).toBe(icuWords(text))
      }),
      {numRuns: 20_000}
    )
  })

  it('match ICU on every line of the project articles', () => {
    const dir = join(repoRoot, 'content', 'fr')
    const lines = readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    expect(lines.length).toBeGreaterThan(100)
    for (const line of lines) expect({line, words: countPlainWords(line)}).toEqual({line, words: icuWords(line)})
  })

  it('count what a reader counts', () => {
    expect(countPlainWords('L’OIM a reçu 16,5 millions de dollars, soit 3.2 % de plus.')).toBe(11)
    expect(countPlainWords('« Villes et migration » : 17 novembre 2017…')).toBe(6)
  })
})
