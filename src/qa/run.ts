// `passerelle qa`: the command's core. Loads every bundle of the store (the
// locales folder, or the team database's rows), re-runs the checks on each segment that has a target (so that
// glossary and rule changes show), writes the `qa` arrays back only where
// they changed, and reports. A malformed bundle is one failure; the others
// still run. The CLI sets the exit code from `totals.errors`.
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import {describeError, isPasserelleError, type ErrorCode} from '../errors.ts'
import {compileMatcher, type Matcher} from '../glossary/index.ts'
import type {Termbase} from '../glossary/types.ts'
import type {Bundle} from '../workflow/types.ts'
import {checkBundle, type CheckedBundle, type HitsFor, type SegmentFindings} from '../workflow/qa.ts'
import {summarize} from './run-checks.ts'
import type {QaOptions} from './types.ts'

export interface QaProjectOptions {
  localesDir: string
  /** Where the bundles are read and written (default: the files under `localesDir`; team mode: the database's). */
  store?: BundleStore
  /** Target locales to check; default: every locale the store holds bundles for. */
  locales?: readonly string[]
  /** Current glossary hits for a source segment. Wins over `termbase`. */
  hitsFor?: HitsFor
  /**
   * A loaded termbase: hits are then computed with the glossary stage's
   * matcher. With neither `hitsFor` nor `termbase`, the hits the bundles'
   * glossary records hold.
   */
  termbase?: Termbase
  qa?: QaOptions
  /** Write updated `qa` arrays back (default true); false reports only. */
  write?: boolean
}

export interface QaBundleReport {
  file: string
  locale: string
  article: string
  /** Segments checked (those with a target). */
  checked: number
  /** Checked segments that have findings. */
  segments: SegmentFindings[]
  /** Whether the bundle's `qa` arrays changed (and were written, unless `write: false`). */
  changed: boolean
}

export interface QaFailure {
  file: string
  /** One line: file, message, code and hint. */
  error: string
  code?: ErrorCode
}

export interface QaReport {
  bundles: QaBundleReport[]
  totals: {errors: number; warnings: number; infos: number; segments: number; bundles: number}
  failed: QaFailure[]
}

export async function qaProject(options: QaProjectOptions): Promise<QaReport> {
  const {hitsFor, qa} = await prepareGlossary(options)
  const write = options.write ?? true
  // Without a root, the file store names a bundle by its full path, as this report always has.
  const store = options.store ?? fileBundleStore({localesDir: options.localesDir})
  const locales = options.locales ?? (await store.listLocales())
  const report: QaReport = {bundles: [], totals: {errors: 0, warnings: 0, infos: 0, segments: 0, bundles: 0}, failed: []}

  for (const locale of locales) {
    for (const slug of await store.listSlugs(locale)) {
      const file = store.display(locale, slug)
      try {
        let checked: {bundle: Bundle; result: CheckedBundle} | undefined
        await store.update(locale, slug, (bundle) => {
          if (!bundle) return undefined
          const result = checkBundle(bundle, {hitsFor, qa})
          checked = {bundle, result}
          return result.changed && write ? result.bundle : undefined
        })
        if (!checked) continue
        const {bundle, result} = checked
        const segments = result.checked.filter((segment) => segment.findings.length > 0)
        report.bundles.push({file, locale: bundle.locale, article: bundle.article, checked: result.checked.length, segments, changed: result.changed})
        const summary = summarize(segments.flatMap((segment) => segment.findings))
        report.totals.errors += summary.errors
        report.totals.warnings += summary.warnings
        report.totals.infos += summary.infos
        report.totals.segments += result.checked.length
        report.totals.bundles++
      } catch (error) {
        report.failed.push({file, error: describeError(error, file), ...(isPasserelleError(error) ? {code: error.code} : {})})
      }
    }
  }
  return report
}

/**
 * Hits and matchers: `hitsFor` from the caller, or from the termbase through
 * the glossary stage (injected, or imported lazily only when a termbase must
 * be matched); the glossary stage's matchers whenever it is at hand.
 */
async function prepareGlossary(options: QaProjectOptions): Promise<{hitsFor: HitsFor | undefined; qa: QaOptions | undefined}> {
  const {termbase} = options
  if (options.hitsFor !== undefined || termbase === undefined) return {hitsFor: options.hitsFor, qa: options.qa}
  const matchers = new Map<string, Matcher>()
  const hitsFor: HitsFor = (source, target, sourceLocale) => {
    const key = `${sourceLocale}\u0000${target}`
    let matcher = matchers.get(key)
    if (!matcher) {
      matcher = compileMatcher(termbase, {source: sourceLocale, target})
      matchers.set(key, matcher)
    }
    return matcher.match(source)
  }
  return {hitsFor, qa: options.qa}
}


export interface FormatOptions {
  json?: boolean
}

/**
 * Text: one line per finding (`en/article#segment  error    rule  message`),
 * one per unreadable bundle, then the totals. JSON: the report itself.
 */
export function formatQaReport(report: QaReport, options: FormatOptions = {}): string {
  if (options.json) return JSON.stringify(report, null, 2) + '\n'
  const lines: string[] = []
  for (const bundle of report.bundles) {
    for (const segment of bundle.segments) {
      for (const finding of segment.findings) {
        lines.push(`${bundle.locale}/${bundle.article}#${segment.id}  ${finding.severity.padEnd(7)}  ${finding.rule}  ${finding.message}`)
      }
    }
  }
  for (const failure of report.failed) lines.push(`failed   ${failure.error}`)
  const {errors, warnings, segments, bundles} = report.totals
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const failed = report.failed.length > 0 ? `; ${plural(report.failed.length, 'bundle')} could not be checked` : ''
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(segments, 'segment')} of ${plural(bundles, 'bundle')}${failed}`)
  return lines.join('\n') + '\n'
}
