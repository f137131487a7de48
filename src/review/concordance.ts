// Concordance: every source/target pair holding a word or phrase, across all
// articles and locales of the project and the imported TMX files, as UN
// translators use eLUNa's reference search or OmegaT's concordance. Matching
// is on the visible text (tags removed, entities decoded), case-insensitive;
// the match offsets let the browser highlight without searching again.
import {humanStates, type Locale, type SegmentState} from '../types.ts'
import type {Bundle} from '../workflow/types.ts'
import {stripTags, unescapeText} from '../segment/index.ts'
import type {TmUnit} from '../tm/index.ts'
import type {ConcordanceData, ConcordanceEntry} from './wire.ts'

/** Most entries sent for one query (the count says how many there were). */
export const concordanceLimit = 200

export interface ConcordanceQuery {
  q: string
  /** Only this target locale (all when absent). */
  locale?: Locale
}

/** Search bundles (live segments) and imported TMX units; human work first, then machine output. */
export function concordance(bundles: readonly Bundle[], imported: readonly TmUnit[], query: ConcordanceQuery): ConcordanceData {
  const needle = fold(query.q.trim())
  const entries: ConcordanceEntry[] = []
  if (needle === '') return {q: query.q, entries, total: 0}
  const find = (text: string) => {
    const at = fold(text).indexOf(needle)
    return at === -1 ? undefined : ([at, at + needle.length] as [number, number])
  }
  for (const bundle of bundles) {
    if (query.locale && bundle.locale !== query.locale) continue
    for (const segment of bundle.segments) {
      const source = visible(segment.source)
      const target = segment.target === undefined ? '' : visible(segment.target)
      const inSource = find(source)
      const inTarget = find(target)
      if (!inSource && !inTarget) continue
      entries.push({
        locale: bundle.locale,
        slug: bundle.article,
        id: segment.id,
        source,
        target,
        state: segment.state,
        ...(inSource ? {sourceMatch: inSource} : {}),
        ...(inTarget ? {targetMatch: inTarget} : {})
      })
    }
  }
  for (const unit of imported) {
    if (query.locale && unit.targetLocale.split('-')[0] !== query.locale.split('-')[0]) continue
    const source = visible(unit.source)
    const target = visible(unit.target)
    const inSource = find(source)
    const inTarget = find(target)
    if (!inSource && !inTarget) continue
    entries.push({
      locale: unit.targetLocale,
      source,
      target,
      state: unit.state,
      tmx: true,
      ...(unit.article ? {article: unit.article} : {}),
      ...(inSource ? {sourceMatch: inSource} : {}),
      ...(inTarget ? {targetMatch: inTarget} : {})
    })
  }
  const rank = (state: SegmentState) => (humanStates.has(state) ? 0 : 1)
  entries.sort((a, b) => rank(a.state) - rank(b.state))
  return {q: query.q, entries: entries.slice(0, concordanceLimit), total: entries.length}
}

function visible(text: string): string {
  return unescapeText(stripTags(text))
}

/** Case-folded, same length as the input (offsets stay valid for highlighting). */
function fold(text: string): string {
  const lower = text.toLowerCase()
  return lower.length === text.length ? lower : text
}
