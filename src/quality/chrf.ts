// chrF (Popović 2015) as sacreBLEU 2 computes it by default: character
// n-grams of order 1–6 with whitespace removed, no word n-grams, β = 2;
// a corpus score sums the n-gram statistics of every sentence first, then
// averages precision and recall over the orders both sides have ("effective
// order") and combines them into one F-score. `epsSmoothing` is sacreBLEU's
// other mode (the F-score of each order, averaged over all orders).

export interface ChrfOptions {
  order?: number
  beta?: number
  epsSmoothing?: boolean
}

/** Per order: [hypothesis n-grams, reference n-grams, matching n-grams]. */
export type ChrfStatistics = [number, number, number][]

function ngrams(chars: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i + n <= chars.length; i++) {
    const gram = chars.slice(i, i + n).join('')
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

/** N-gram statistics of one hypothesis against one reference. */
export function chrfStatistics(hypothesis: string, reference: string, order = 6): ChrfStatistics {
  // Code points, like Python strings; whitespace is not part of any n-gram.
  const hyp = Array.from(hypothesis.replace(/\s+/gu, ''))
  const ref = Array.from(reference.replace(/\s+/gu, ''))
  const stats: ChrfStatistics = []
  for (let n = 1; n <= order; n++) {
    const h = ngrams(hyp, n)
    const r = ngrams(ref, n)
    let match = 0
    for (const [gram, count] of h) match += Math.min(count, r.get(gram) ?? 0)
    stats.push([Math.max(0, hyp.length - n + 1), Math.max(0, ref.length - n + 1), match])
  }
  return stats
}

/** Add sentence statistics into corpus totals. */
export function addStatistics(total: ChrfStatistics, more: ChrfStatistics): ChrfStatistics {
  return more.map(([h, r, m], i) => [h + (total[i]?.[0] ?? 0), r + (total[i]?.[1] ?? 0), m + (total[i]?.[2] ?? 0)])
}

/** The score, 0–100, from (summed) statistics. */
export function chrfScore(stats: ChrfStatistics, options: ChrfOptions = {}): number {
  const eps = 1e-16
  const factor = (options.beta ?? 2) ** 2
  let score = 0
  let effective = 0
  let precision = 0
  let recall = 0
  for (const [hyp, ref, match] of stats) {
    const p = hyp > 0 ? match / hyp : eps
    const r = ref > 0 ? match / ref : eps
    const denominator = factor * p + r
    score += denominator > 0 ? ((1 + factor) * p * r) / denominator : eps
    if (hyp > 0 && ref > 0) {
      precision += p
      recall += r
      effective++
    }
  }
  if (options.epsSmoothing) return (100 * score) / stats.length
  if (effective === 0) return 0
  precision /= effective
  recall /= effective
  return precision + recall > 0 ? (100 * (1 + factor) * precision * recall) / (factor * precision + recall) : 0
}

/** Corpus chrF of hypotheses against references (same length). */
export function corpusChrf(hypotheses: readonly string[], references: readonly string[], options: ChrfOptions = {}): number {
  if (hypotheses.length !== references.length) throw new TypeError('chrF: as many hypotheses as references are needed')
  const order = options.order ?? 6
  let total: ChrfStatistics = Array.from({length: order}, () => [0, 0, 0])
  hypotheses.forEach((hypothesis, i) => (total = addStatistics(total, chrfStatistics(hypothesis, references[i]!, order))))
  return chrfScore(total, options)
}
