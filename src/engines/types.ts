// One interface for every machine-translation engine (apertium, deepl,
// pseudo). Engines take tagged segment text (`<1>…</1>`, `<2/>`) and must
// give tagged text back; glossary hits come along so that an engine can
// protect them (placeholders) or enforce them natively (DeepL glossaries).
import type {Locale, TermHit} from '../types.ts'
import type {Termbase} from '../glossary/types.ts'

export interface EngineSegment {
  /** Key for the result; the orchestrator sends each distinct text once. */
  id: string
  /** Source with numbered inline tags. */
  text: string
  /** Glossary and do-not-translate hits, with offsets into `text`. */
  hits: TermHit[]
  /** Neighbouring source text, for engines that use context (DeepL). */
  context?: string
}

export interface EngineOutput {
  id: string
  text: string
  /** Words the engine reported it could not translate. */
  unknown: string[]
  /** Post-edits that changed the engine's text (`rule:tel-colon`, `register`, `casing`…), for reviewers. */
  postEdits?: string[]
}

export interface TranslateOptions {
  from: Locale
  to: Locale
  signal?: AbortSignal
}

export interface Engine {
  readonly name: string
  /** Throws PasserelleError `E_LOCALE` or `E_ENGINE_MISSING` when the pair cannot be served. */
  check(from: Locale, to: Locale): Promise<void>
  /**
   * Called once per language pair before translating, with the current termbase. A `warning`
   * is something the user must hear about though the run goes on (DeepL refused the glossary).
   */
  prepare?(termbase: Termbase, options: TranslateOptions): Promise<void | {warning?: string}>
  /**
   * Get ready to translate this pair (a local engine starts its processes), called as soon as the run
   * knows it has something to send, so that start-up overlaps with planning. Never called when nothing
   * needs the engine.
   */
  warm?(from: Locale, to: Locale): void
  /** Translate one batch; results in any order, one per input id. */
  translate(batch: EngineSegment[], options: TranslateOptions): Promise<EngineOutput[]>
  /** Requests (or processes) made so far: a re-run on unchanged content must make none. */
  readonly calls: number
  /** Largest batch the engine wants in one call. */
  readonly maxBatch: {segments: number; characters: number}
  /**
   * Batches that may be in flight at once (default 1). Apertium runs locally
   * and gains from using both cores while Passerelle saves earlier batches;
   * a billed API keeps one, so that a quota fault stops at once.
   */
  readonly concurrency?: number
  /**
   * Sending a segment costs nothing but local CPU (Apertium): the run then sends sentences as it plans,
   * before it knows whether the translation memory or another article fills them, and drops the
   * answers it no longer needs. A billed engine leaves this unset and gets only the planned segments.
   */
  readonly free?: boolean
  /** Human-readable route for a pair, recorded as the origin detail (`fr-es|spa-eng`). */
  route(from: Locale, to: Locale): string
  /** Billing usage, for engines that bill by character (DeepL). */
  usage?(): Promise<EngineUsage>
  /** Characters the engine would bill for these texts (default: their length). */
  estimateCharacters?(texts: readonly string[]): number
}

/**
 * A failed `translate` may still have finished part of the batch (paid-for
 * requests before a quota error): such errors carry those outputs in `done`,
 * and the orchestrator saves them before stopping.
 */
export function partialResults(error: unknown): EngineOutput[] {
  const done = (error as {done?: unknown} | null)?.done
  return Array.isArray(done) ? (done as EngineOutput[]) : []
}

export interface EngineUsage {
  /** Characters billed so far in the current period. */
  used: number
  /** Characters allowed in the period, when the account has a limit. */
  limit?: number
}
