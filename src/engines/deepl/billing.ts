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

/**
 * One line when a run would send more characters than the billing period has left (DeepL's `/v2/usage`),
 * else undefined. Said before anything is sent: the run would stop with E_QUOTA part-way.
 */
export function quotaWarning(usage: {used: number; limit?: number}, characters: number): string | undefined {
  if (usage.limit === undefined || characters <= 0) return undefined
  const left = Math.max(0, usage.limit - usage.used)
  if (characters <= left) return undefined
  return (
    `this run would send about ${characters} characters but the quota has ${left} left (${usage.used} of ${usage.limit} used this period): ` +
    `it will stop with E_QUOTA after about ${left} — raise the plan's limit, or translate fewer locales or articles (--to, --article); what is sent is saved and the run resumes`
  )
}
