// The review API's wire shapes: what the server sends and the browser reads.
// Type-only, shared by `server.ts` and `client/`; the request bodies are
// validated with the zod schemas in `validate.ts`.
import type {GlossaryMergeReport} from '../exchange/merge.ts'
import type {BundleSegment, Origin} from '../workflow/types.ts'
import type {Concept} from '../glossary/types.ts'
import type {LocaleStatus} from '../status/index.ts'
import type {Finding, Locale, SegmentState, TermHit} from '../types.ts'
import type {AcknowledgeRequest, SaveRequest} from '../workflow/edit.ts'

/** Error codes of the review API: the pipeline's codes plus the web-only ones. */
export type ApiErrorCode =
  | 'E_INPUT' // invalid parameter or body (bad slug, broken tags, backwards state)
  | 'E_NOT_FOUND' // no such article, segment or concept
  | 'E_CONFLICT' // the revision (or concept version) changed since the client read it
  | 'E_QA' // approval refused: QA errors remain (see `findings`)
  | 'E_CSRF' // state-changing request without the page's secret, or from another origin
  | 'E_HOST' // Host header is not this server's (DNS rebinding)
  | 'E_TOKEN' // the server was started with a token and the request has none or a wrong one
  | 'E_SESSION' // team mode: not signed in, or the session was ended, expired or its user disabled
  | 'E_FORBIDDEN' // team mode: the signed-in user's role or locales do not allow this
  | 'E_TOO_LARGE' // body over the size limit
  | 'E_MEDIA_TYPE' // body is not JSON
  | 'E_GLOSSARY' // the glossary cannot be read or written
  | 'E_BUNDLE' // the bundle cannot be read
  | 'E_INTERNAL'

export interface ApiError {
  error: {code: ApiErrorCode; message: string; hint?: string}
  /** With `E_QA`: the findings that block approval. */
  findings?: Finding[]
}

export interface ProjectInfo {
  sourceLocale: Locale
  /** Target locales: configured ones and any with bundles. */
  locales: Locale[]
  /** Name recorded in `origin.by` when the browser does not send its own (team mode: the signed-in user's). */
  reviewer: string
  /** Team mode: segment changes stream live (/api/events); MT jobs can be listed and requested (/api/jobs). */
  live?: {events: boolean; jobs: boolean}
  /** Team mode: the signed-in user; the name on edits comes from here, never from the browser. */
  user?: {email: string; role: string; locales: string[]}
}

export interface DashboardData {
  locales: LocaleStatus[]
  failures: {file?: string; message: string}[]
}

/** A glossary hit in the source, checked against the current target. */
export interface HitView extends TermHit {
  /** The target holds an expected term (dnt: the text unchanged). Undefined without a target. */
  found?: boolean
  /** Forbidden or deprecated target terms the target uses. */
  forbiddenUsed: string[]
}

/** A bundle segment as the review app shows it: stored fields plus live glossary hits and QA. */
export interface SegmentView extends Omit<BundleSegment, 'qa' | 'glossary'> {
  hits: HitView[]
  /** QA findings for the current target, computed with the current glossary. */
  qa: Finding[]
  /**
   * True when `hits` and `qa` are those the bundle recorded at its last write
   * (a long article opens with these), not yet rechecked against the current
   * glossary: `POST …/views` gives the live ones.
   */
  recorded?: true
}

/** `POST /api/articles/:locale/:slug/views` `{ids}`: live views of those segments (unknown ids are left out). */
export interface ViewsResponse {
  segments: SegmentView[]
}

export interface ArticleData {
  locale: Locale
  sourceLocale: Locale
  slug: string
  segments: SegmentView[]
  /** Segments whose sentence left the source (kept for history). */
  retired: number
  /** Whether a translation memory could be loaded (suggestions are offered). */
  tm: boolean
  /** Glossary problems (a malformed entry), shown as a banner. */
  problems: string[]
}

// The edit requests are the workflow's own types (shared with the XLIFF import).
export type {AcknowledgeRequest, ReviewState, SaveRequest} from '../workflow/edit.ts'

export interface SaveResponse {
  segment: SegmentView
  /** False when the request changed nothing. */
  changed: boolean
}

export interface ConflictResponse extends ApiError {
  /** What the reviewer tried to save (or acknowledge), on top of the revision they had. */
  yours: SaveRequest | AcknowledgeRequest
  /** The segment as it is now on disk. */
  theirs: SegmentView
}

export interface Suggestion {
  score: number
  kind: 'context' | 'exact' | 'fuzzy' | 'previous'
  source: string
  target: string
  origin?: Origin
  article?: string
  /** The segment's current target is this match (a TM-filled row, or a former translation kept as is). */
  applied?: boolean
}

/** A machine translation asked for in the app: shown, never saved by itself. */
export interface MachineSuggestion {
  engine: string
  /** Engine route, e.g. `fr-es|spa-eng`. */
  route: string
  target: string
  unknown: string[]
}

export interface MachineData {
  suggestions: MachineSuggestion[]
  /** Engines that could not serve the pair or failed (one line each). */
  problems: string[]
}

export interface ConceptView {
  concept: Concept
  /** Hash of the concept as read: sent back with an edit, it detects concurrent edits. */
  version: string
}

export interface GlossaryData {
  concepts: ConceptView[]
  /** Concepts in the termbase, before filtering. */
  total: number
  problems: string[]
  /** Languages to offer in the editor: source first, then targets. */
  languages: Locale[]
}

export interface UsageEntry {
  locale: Locale
  slug: string
  id: string
  source: string
  target?: string
  state: SegmentState
  /** Where the concept occurs in the source (UTF-16 offsets). */
  start: number
  end: number
  expected: string[]
  /** `missing`: no expected term in the target; `forbidden`: a forbidden or deprecated term is used. */
  violation?: 'missing' | 'forbidden'
  forbiddenUsed: string[]
  /** The occurrence is part of a longer term of this concept (QA checks that one instead): never a violation. */
  within?: string
}

export interface UsageData {
  concept: string
  locale: Locale
  entries: UsageEntry[]
  violations: number
  /** Bundles that could not be read (one line each). */
  problems: string[]
}

export interface ConcordanceEntry {
  locale: Locale
  /** Article and segment, for a link (bundle entries). */
  slug?: string
  id?: string
  /** Visible text: tags removed, entities decoded. */
  source: string
  target: string
  state: SegmentState
  /** [start, end) of the match in `source` / `target` (UTF-16 offsets). */
  sourceMatch?: [number, number]
  targetMatch?: [number, number]
  /** From an imported TMX file (no segment to link to). */
  tmx?: boolean
  /** The article a TMX unit names, when it does. */
  article?: string
}

export interface ConcordanceData {
  q: string
  entries: ConcordanceEntry[]
  /** Entries found before the limit. */
  total: number
}

/** One change of a segment, as the history shows it (from `<slug>.history.jsonl`). */
export type {CommentThread, EditEvent} from '../workflow/journal.ts'

export interface SegmentHistoryData {
  edits: import('../workflow/journal.ts').EditEvent[]
  comments: import('../workflow/journal.ts').CommentThread[]
  /** Unreadable history lines (one line each). */
  problems: string[]
}

export interface CheckResponse {
  qa: Finding[]
  hits: HitView[]
}

export interface BulkApproveRequest {
  segments: {id: string; revision: number}[]
}

export interface BulkApproveResponse {
  approved: string[]
  /** Segments left as they were, with why (QA errors, a newer revision, no target). */
  skipped: {id: string; code: string; message: string}[]
}

/** `POST /api/glossary/import`: the CLI's merge report, for a preview (`applied: false`) or the import done. */
export interface GlossaryImportResponse {
  applied: boolean
  report: GlossaryMergeReport
  /** What the file held that the termbase cannot keep. */
  warnings: string[]
  /** Glossary files written, relative to the project. */
  written: string[]
  /** Entries of the file (or of the termbase) that could not be read, one line each. */
  problems: string[]
}
