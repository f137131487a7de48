// What a run will cost, counted as DeepL counts: source characters in Unicode
// code points (`é` and `深` are one each), spaces included; with tag handling
// the tags themselves are free, and so is `context`.

const numberedTag = /<\/?\d+\/?>/g
const entity = /&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/g

/** Characters DeepL will bill for these segment texts (numbered tags free, `&lt;` one character). */
export function estimateBilledCharacters(texts: readonly string[]): number {
  let total = 0
  for (const text of texts) {
    const plain = text.replace(numberedTag, '').replace(entity, '_')
    for (const _ of plain) total++
  }
  return total
}
