// What a run will cost, counted as DeepL counts: source characters in Unicode
// code points (`é` and `深` are one each), spaces included; with tag handling
// the tags themselves are free, and so is `context`.
import {stripTags, unescapeText} from '../../segment/index.ts'

/** Characters DeepL will bill for these segment texts (numbered tags free, `&lt;` one character). */
export function estimateBilledCharacters(texts: readonly string[]): number {
  let total = 0
  for (const text of texts) total += [...unescapeText(stripTags(text))].length
  return total
}
