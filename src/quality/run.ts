// `passerelle quality`: how good machine output is on an organisation's own
// parallel text. Each source goes through the same machine path as
// `translate` (glossary protection, engine, post-edits unless switched off),
// and the output is scored against the published reference: chrF, and term
// adherence (the share of glossary hits whose expected target term is there),
// for the machine output and, for comparison, for the references themselves.
import type {Engine} from '../engines/types.ts'
import {compileMatcher, targetHasTerm} from '../glossary/index.ts'
import type {Termbase} from '../glossary/types.ts'
import {escapeText, unescapeText} from '../segment/escape.ts'
import type {Locale, TermHit} from '../types.ts'
import {addStatistics, chrfScore, chrfStatistics, type ChrfStatistics} from './chrf.ts'
import type {ReferencePair} from './refs.ts'

export interface QualityLine {
  line: number
  source: string
  reference: string
  output: string
  chrf: number
  terms: {total: number; machine: number; reference: number}
}

export interface QualityReport {
  locale: Locale
  engine: string
  pairs: number
  /** Corpus chrF (0–100) of the machine output against the references. */
  chrf: number
  terms: {total: number; machine: number; reference: number}
  lines: QualityLine[]
}

export async function scoreReferences(
  pairs: readonly ReferencePair[],
  options: {engine: Engine; termbase: Termbase; from: Locale; to: Locale; signal?: AbortSignal}
): Promise<QualityReport> {
  const {engine, from, to} = options
  await engine.check(from, to)
  await engine.prepare?.(options.termbase, {from, to})
  const matcher = compileMatcher(options.termbase, {source: from, target: to})
  const segments = pairs.map((pair, index) => {
    const text = escapeText(pair.source)
    return {id: String(index), text, hits: matcher.match(text)}
  })
  const outputs = new Map<string, string>()
  for (let start = 0; start < segments.length; start += engine.maxBatch.segments) {
    const batch = segments.slice(start, start + engine.maxBatch.segments)
    for (const output of await engine.translate(batch, {from, to, signal: options.signal})) outputs.set(output.id, output.text)
  }
  let total: ChrfStatistics = Array.from({length: 6}, () => [0, 0, 0])
  const sum = {total: 0, machine: 0, reference: 0}
  const lines = pairs.map((pair, index): QualityLine => {
    const output = unescapeText(outputs.get(String(index)) ?? '')
    const stats = chrfStatistics(output, pair.reference)
    total = addStatistics(total, stats)
    const terms = adherence(segments[index]!.hits, output, pair.reference, to)
    sum.total += terms.total
    sum.machine += terms.machine
    sum.reference += terms.reference
    return {line: pair.line, source: pair.source, reference: pair.reference, output, chrf: chrfScore(stats), terms}
  })
  return {locale: to, engine: engine.name, pairs: pairs.length, chrf: chrfScore(total), terms: sum, lines}
}

function adherence(hits: readonly TermHit[], output: string, reference: string, locale: Locale) {
  const checked = hits.filter((hit) => hit.dnt || hit.expected.length > 0)
  return {
    total: checked.length,
    machine: checked.filter((hit) => targetHasTerm(escapeText(output), hit, locale)).length,
    reference: checked.filter((hit) => targetHasTerm(escapeText(reference), hit, locale)).length
  }
}

const percent = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`)

export function formatQuality(report: QualityReport, options: {lines?: boolean} = {}): string {
  const out = [
    `${report.locale} (${report.engine}), ${report.pairs} pairs`,
    `chrF: ${report.chrf.toFixed(2)}`,
    `term adherence: machine ${percent(report.terms.machine, report.terms.total)}, references ${percent(report.terms.reference, report.terms.total)} (${report.terms.total} glossary hits)`
  ]
  if (options.lines) {
    for (const line of [...report.lines].sort((a, b) => a.chrf - b.chrf)) {
      out.push(`  line ${line.line}: chrF ${line.chrf.toFixed(1)}  ${line.output}`)
    }
  }
  return out.join('\n')
}
