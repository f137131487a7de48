// length-ratio (warning): the target is far shorter or longer than the
// language pair's usual ratio (English runs about 0.8–1.0 of the French,
// Spanish 1.0–1.1): a sentence dropped or duplicated, an engine that looped.
// Measured in characters of plain text, spaces collapsed, on segments long
// enough for the ratio to mean something (`minSourceLength`), and flagged
// only outside the band widened by `slack`.
import {codePoints, normaliseSpaces} from '../text.ts'
import type {Check} from '../types.ts'

export const lengthRatio: Check = (_input, {source, target, settings}) => {
  const {bands, fallback, slack, minSourceLength} = settings.lengthRatio
  const sourceLength = codePoints(normaliseSpaces(source.plain).trim())
  if (sourceLength < minSourceLength) return []
  const targetLength = codePoints(normaliseSpaces(target.plain).trim())
  const pair = `${source.language}-${target.language}`
  const [low, high] = bands[pair] ?? fallback
  const ratio = targetLength / sourceLength
  if (ratio >= low * (1 - slack) && ratio <= high * (1 + slack)) return []
  const percent = (n: number) => Math.round(n * 100)
  const message = `target is ${percent(ratio)}% of source length (usually ${percent(low)}–${percent(high)}% for ${pair})`
  return [{rule: 'length-ratio', severity: 'warning', message}]
}
