// Per-locale, per-article progress: counts by state, stale and QA counts,
// and term adherence (glossary hits honoured by the target / all hits on
// translated segments).
import type {Bundle} from '../workflow/types.ts'
// The two helpers only, not the segment stage's index: status must not load remark and formatjs.
import {unescapeText} from '../segment/escape.ts'
import {stripTags} from '../segment/tags.ts'
import {segmentStates, type Locale, type SegmentState} from '../types.ts'

export interface Counts {
  segments: number
  states: Record<SegmentState, number>
  stale: number
  qaErrors: number
  qaWarnings: number
  termHits: number
  termHitsFound: number
  /** termHitsFound / termHits, or null when there were no hits to check. */
  termAdherence: number | null
  unknownWords: number
  /** Source words (what translators are paid by), in all and per state. */
  words: number
  wordStates: Record<SegmentState, number>
}

export interface ArticleStatus extends Counts {
  article: string
  /** The article's title (its front-matter `title`, as plain text), when it has one. */
  title?: string
}

export interface LocaleStatus extends Counts {
  locale: Locale
  articles: ArticleStatus[]
}

export function emptyCounts(): Counts {
  return {
    segments: 0,
    states: Object.fromEntries(segmentStates.map((state) => [state, 0])) as Record<SegmentState, number>,
    stale: 0,
    qaErrors: 0,
    qaWarnings: 0,
    termHits: 0,
    termHitsFound: 0,
    termAdherence: null,
    unknownWords: 0,
    words: 0,
    wordStates: Object.fromEntries(segmentStates.map((state) => [state, 0])) as Record<SegmentState, number>
  }
}

const wordSegmenter = new Intl.Segmenter('und', {granularity: 'word'})

// Every locale's bundle holds the same source sentences: each is counted once per process.
const wordCounts = new Map<string, number>()

// ICU's word boundaries (Unicode's UAX #29) restated for text made only of
// the characters below: ASCII without `_`, no-break space, guillemets, curly
// quotes, dashes, the ellipsis, the degree sign and the Latin-1 letters with
// œ/Œ. A word is a run of letters and digits, where a letter run goes on
// through one `. : ' ’` between two letters (WB6/7: `l’OIM`, `M.Dupont`) and a
// number through one `. , ; ' ’` between two digits (WB11/12: `16,5`).
// Iterating V8's segmenter costs about 20 µs per sentence, a tenth of a
// second per 5,000 sentences of `status`; this costs a tenth of that. Any
// other character (NNBSP and `_` join words in UAX #29, combining marks
// attach) leaves the text to ICU. A property test holds the two to the same
// counts.
const simpleText = /^[\x20-\x5e\x60-\x7e\u00a0\u00ab\u00b0\u00bb\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u2013\u2014\u2019\u201c\u201d\u2026]*$/
const simpleWord =
  /[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u01530-9]+(?:(?:(?<=[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153])[.:'\u2019](?=[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153])|(?<=[0-9])[.,;'\u2019](?=[0-9]))[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u01530-9]+)*/g

/** Words in plain text, as ICU's word segmenter counts word-like segments. */
export function countPlainWords(text: string): number {
  let words = 0
  if (simpleText.test(text)) {
    simpleWord.lastIndex = 0
    while (simpleWord.exec(text)) words++
    return words
  }
  for (const part of wordSegmenter.segment(text)) if (part.isWordLike) words++
  return words
}

/** Words of a segment's visible text (tags and escapes removed), as ICU counts them. */
export function countWords(tagged: string): number {
  const known = wordCounts.get(tagged)
  if (known !== undefined) return known
  const words = countPlainWords(unescapeText(stripTags(tagged)))
  if (wordCounts.size >= 200_000) wordCounts.clear()
  wordCounts.set(tagged, words)
  return words
}

export function countBundle(bundle: Bundle): Counts {
  const counts = emptyCounts()
  for (const segment of bundle.segments) {
    counts.segments++
    counts.states[segment.state]++
    const words = countWords(segment.source)
    counts.words += words
    counts.wordStates[segment.state] += words
    if (segment.stale) counts.stale++
    counts.qaErrors += segment.qa.filter((finding) => finding.severity === 'error').length
    counts.qaWarnings += segment.qa.filter((finding) => finding.severity === 'warning').length
    counts.unknownWords += segment.unknown.length
    if (segment.target === undefined) continue
    counts.termHits += segment.glossary.length
    counts.termHitsFound += segment.glossary.filter((check) => check.found).length
  }
  return withAdherence(counts)
}

export function addCounts(total: Counts, part: Counts): Counts {
  const sum = emptyCounts()
  for (const state of segmentStates) sum.states[state] = total.states[state] + part.states[state]
  for (const state of segmentStates) sum.wordStates[state] = total.wordStates[state] + part.wordStates[state]
  for (const key of ['segments', 'stale', 'qaErrors', 'qaWarnings', 'termHits', 'termHitsFound', 'unknownWords', 'words'] as const) {
    sum[key] = total[key] + part[key]
  }
  return withAdherence(sum)
}

function withAdherence(counts: Counts): Counts {
  return {...counts, termAdherence: counts.termHits === 0 ? null : counts.termHitsFound / counts.termHits}
}

export function articleStatus(bundle: Bundle): ArticleStatus {
  const title = bundle.segments.find((segment) => segment.unit === 'fm:title')
  return {article: bundle.article, ...(title ? {title: unescapeText(stripTags(title.source))} : {}), ...countBundle(bundle)}
}

export function localeStatus(locale: Locale, bundles: Bundle[]): LocaleStatus {
  return localeTotals(locale, bundles.map(articleStatus))
}

/** A locale's totals over its articles' figures (computed now or kept by the status cache). */
export function localeTotals(locale: Locale, articles: ArticleStatus[]): LocaleStatus {
  const total = articles.reduce<Counts>((sum, article) => addCounts(sum, article), emptyCounts())
  return {locale, ...total, articles}
}
