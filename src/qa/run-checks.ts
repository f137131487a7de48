// The runner: analyse both sides once, run every enabled check, and give
// back sorted, de-duplicated findings. Pure: no I/O, nothing thrown for
// content problems (they are findings); a misused API throws.
import type {Finding, Severity} from '../types.ts'
import {checks as defaultChecks} from './checks/index.ts'
import {collectDntItems, defaultDntClasses, maskItems, matchDntClasses, type DntItem} from './dnt.ts'
import {extractNumbers} from './numbers.ts'
import {findForbidden, targetHasTerm} from '../glossary/check.ts'
import {languageOf, normaliseSpaces, plainText, tokenizeTags, type TagToken} from './text.ts'
import type {Check, LengthRatioSettings, QaContext, QaInput, QaOptions, QaSettings, SideView} from './types.ts'

export const defaultLengthRatio: LengthRatioSettings = {
  bands: {'fr-en': [0.8, 1.0], 'fr-es': [1.0, 1.1], 'fr-ca': [0.95, 1.05]},
  fallback: [0.8, 1.2],
  slack: 0.4,
  minSourceLength: 40
}

const severityRank: Record<Severity, number> = {error: 0, warning: 1, info: 2}

/** Run the checks on one segment pair. An empty target reports `empty` alone. */
export function runChecks(input: QaInput, options: QaOptions = {}): Finding[] {
  const context = createContext(input, options)
  const enabled = options.checks === undefined ? defaultEnabled : resolveChecks(options)
  const blank = context.target.plain.trim() === '' && context.source.plain.trim() !== ''
  const findings: Finding[] = []
  for (const [rule, check] of enabled) {
    if (blank && rule !== 'empty') continue
    for (const finding of check(input, context)) {
      const severity = options.severities?.[finding.rule] ?? finding.severity
      findings.push({rule: finding.rule, severity, message: finding.message})
    }
  }
  return sortFindings(findings)
}

// Every segment of a run is checked with the defaults: resolved once.
const defaultEnabled: readonly [string, Check][] = Object.entries(defaultChecks)

/** The checks to run: the defaults, with `options.checks` replacing, adding or (`false`) removing. */
export function resolveChecks(options: QaOptions = {}): [string, Check][] {
  const merged = new Map<string, Check>(Object.entries(defaultChecks))
  for (const [rule, check] of Object.entries(options.checks ?? {})) {
    if (check === false) merged.delete(rule)
    else if (typeof check === 'function') merged.set(rule, check)
    else if (check !== undefined) throw new TypeError(`qa: option checks['${rule}'] must be a function or false`)
  }
  return [...merged]
}

export function resolveSettings(options: QaOptions = {}): QaSettings {
  return {
    lengthRatio: {
      ...defaultLengthRatio,
      ...options.lengthRatio,
      bands: {...defaultLengthRatio.bands, ...options.lengthRatio?.bands}
    },
    dntPatterns: options.dntPatterns === false ? [] : (options.dntPatterns ?? defaultDntClasses)
  }
}

/** What every check shares: both sides analysed, do-not-translate items, settings, matchers. */
export function createContext(input: QaInput, options: QaOptions = {}): QaContext {
  if (typeof input.source !== 'string' || typeof input.target !== 'string') {
    throw new TypeError('qa: input.source and input.target must be strings')
  }
  const settings = resolveSettings(options)
  // Each side's tags and plain text are read once, for its do-not-translate items and its view.
  const sourceTags = tokenizeTags(input.source)
  const sourcePlain = plainText(input.source, sourceTags)
  const dnt = collectDntItems(sourcePlain, input.hits, settings.dntPatterns)
  const targetTags = tokenizeTags(input.target)
  const targetPlain = plainText(input.target, targetTags)
  // In the target, also blank out class matches found there (an altered URL keeps its digits to itself).
  const targetDnt = [...dnt, ...matchDntClasses(targetPlain, settings.dntPatterns)]
  return {
    source: view(input.source, input.sourceLocale, dnt, sourceTags, sourcePlain),
    target: view(input.target, input.targetLocale, targetDnt, targetTags, targetPlain),
    dnt,
    settings,
    targetHasTerm: options.targetHasTerm ?? targetHasTerm,
    findForbidden: options.findForbidden ?? findForbidden
  }
}

function view(raw: string, locale: string, dnt: readonly DntItem[], tags: TagToken[], plain: string): SideView {
  const items = dnt.map((item) => item.text)
  const masked = maskItems(normaliseSpaces(plain), items)
  // Tags become an invisible separator so that they never glue two numbers together (without tags, it is `masked`).
  const forNumbers = tags.some((tag) => tag.kind !== 'stray') ? maskItems(normaliseSpaces(plainText(raw, tags, '\u2063')), items) : masked
  return {raw, locale, language: languageOf(locale), tags, plain, masked, numbers: extractNumbers(forNumbers, locale)}
}

/** Errors first, then warnings, then info; by rule, then message; exact duplicates removed. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>()
  return [...findings]
    .sort(
      (a, b) =>
        severityRank[a.severity] - severityRank[b.severity] ||
        compare(a.rule, b.rule) ||
        compare(a.message, b.message)
    )
    .filter((finding) => {
      const key = `${finding.severity}\u0000${finding.rule}\u0000${finding.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Whether the findings forbid the `approved` state: any error does. */
export function blocksApproval(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error')
}

export interface FindingSummary {
  errors: number
  warnings: number
  infos: number
  /** Findings per rule id, rules in alphabetical order. */
  byRule: Record<string, number>
}

/** Counts for reports. */
export function summarize(findings: readonly Finding[]): FindingSummary {
  const summary: FindingSummary = {errors: 0, warnings: 0, infos: 0, byRule: {}}
  for (const finding of [...findings].sort((a, b) => compare(a.rule, b.rule))) {
    if (finding.severity === 'error') summary.errors++
    else if (finding.severity === 'warning') summary.warnings++
    else summary.infos++
    summary.byRule[finding.rule] = (summary.byRule[finding.rule] ?? 0) + 1
  }
  return summary
}
