// Segment views for long articles. Checking a segment (glossary matching and
// the QA rules) costs about a millisecond, so an article of 5,000 segments
// cannot be checked whole each time it opens. The views are cached by content
// (what a check reads: source, tags, unknown words, target, state,
// acknowledgements) per glossary snapshot, so a reopened article costs a
// lookup per segment; a segment not yet checked opens with what the bundle
// recorded at its last write (its `qa` and glossary records, marked
// `recorded`), and the client asks `POST …/views` for the live views of the
// rows it shows, then of the others in batches. The checks themselves are
// `viewOf` (checks.ts): nothing here judges a target.
import type {Context, Hono} from 'hono'
import {z} from 'zod'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import type {Locale} from '../types.ts'
import {recordedHits} from '../workflow/check.ts'
import type {Bundle, BundleSegment} from '../workflow/types.ts'
import {viewOf} from './checks.ts'
import {readJson} from './security.ts'
import {parseBody} from './validate.ts'
import type {SegmentView, ViewsResponse} from './wire.ts'
import {readBundle, type WriteContext} from './write.ts'

type Checked = Pick<SegmentView, 'hits' | 'qa' | 'acknowledged'>

/** At most this many checked segments are kept (about 2 KB each). */
const maxEntries = 50_000

export class ViewCache {
  #glossary: GlossarySnapshot | undefined
  #entries = new Map<string, Checked>()

  /** The live view of a segment, from the cache when its content was checked with this glossary. */
  live(segment: BundleSegment, glossary: GlossarySnapshot, locales: {source: Locale; target: Locale}): SegmentView {
    const key = this.#key(segment, glossary, locales)
    const cached = this.#entries.get(key)
    if (cached) return viewWith(segment, cached)
    const view = viewOf(segment, glossary, locales)
    if (this.#entries.size >= maxEntries) this.#entries.clear()
    this.#entries.set(key, {hits: view.hits, qa: view.qa, ...(view.acknowledged ? {acknowledged: view.acknowledged} : {})})
    return view
  }

  /** The live view when cached, else the view from the bundle's records (cheap, marked `recorded`). */
  open(segment: BundleSegment, glossary: GlossarySnapshot, locales: {source: Locale; target: Locale}): SegmentView {
    const cached = this.#entries.get(this.#key(segment, glossary, locales))
    if (cached) return viewWith(segment, cached)
    // What the last write recorded: whether the target had each term (forbidden terms used are in the recorded QA findings).
    const found = new Map(segment.glossary.map((record) => [`${record.concept}\u0000${record.start}`, record.found]))
    const hits = recordedHits(segment).map((hit) => ({...hit, ...(segment.target === undefined ? {} : {found: found.get(`${hit.concept}\u0000${hit.start}`) ?? false}), forbiddenUsed: []}))
    const {glossary: _records, qa, ...rest} = segment
    return {...rest, hits, qa, recorded: true}
  }

  #key(segment: BundleSegment, glossary: GlossarySnapshot, locales: {source: Locale; target: Locale}): string {
    if (glossary !== this.#glossary) {
      // Another termbase: every check may differ.
      this.#glossary = glossary
      this.#entries.clear()
    }
    // Tags come with the source; unknown words and acknowledgements are short. \u0001 occurs in none of them.
    return `${locales.source}\u0001${locales.target}\u0001${segment.source}\u0001${Object.values(segment.tags).map((tag) => `${tag.type}:${tag.label ?? ''}`).join('\u0002')}\u0001${segment.unknown.join('\u0002')}\u0001${segment.target ?? '\u0003'}\u0001${segment.state}\u0001${segment.acknowledged ? JSON.stringify(segment.acknowledged) : ''}`
  }
}

function viewWith(segment: BundleSegment, checked: Checked): SegmentView {
  const {glossary: _records, qa: _stored, acknowledged: _acknowledged, ...rest} = segment
  return {...rest, ...checked}
}

/** Segments of an article as it opens: live where cached, recorded otherwise. */
export function openViews(cache: ViewCache, bundle: Bundle, glossary: GlossarySnapshot, locale: Locale): SegmentView[] {
  const locales = {source: bundle.sourceLocale, target: locale}
  return bundle.segments.map((segment) => cache.open(segment, glossary, locales))
}

const viewsSchema = z.strictObject({ids: z.array(z.string().regex(/^[0-9a-f]{12}(-\d+)?$/)).min(1).max(500)})

export function registerViewRoutes(app: Hono, context: WriteContext & {views: ViewCache; articleParams: (c: Context) => {locale: Locale; slug: string}}): void {
  // Live views (current glossary, QA) of the given segments: the rows a long article shows, then the rest in batches.
  app.post('/api/articles/:locale/:slug/views', async (c) => {
    const {locale, slug} = context.articleParams(c)
    const {ids} = parseBody(viewsSchema, await readJson(c))
    const bundle = await readBundle(context.store, locale, slug)
    const glossary = await context.glossary.read()
    const wanted = new Set(ids)
    const locales = {source: bundle.sourceLocale, target: locale}
    const body: ViewsResponse = {segments: bundle.segments.filter((segment) => wanted.has(segment.id)).map((segment) => context.views.live(segment, glossary, locales))}
    return c.json(body)
  })
}
