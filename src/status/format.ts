// Text rendering of the status report: one table per locale.
import {segmentStates} from '../types.ts'
import type {Counts, LocaleStatus} from './compute.ts'

export function formatStatus(locales: LocaleStatus[]): string {
  if (locales.length === 0) return 'No locale bundles yet: run `passerelle translate`.\n'
  const header = ['article', 'segments', ...segmentStates, 'stale', 'qa err', 'qa warn', 'terms']
  const lines: string[] = []
  for (const locale of locales) {
    lines.push(`${locale.locale}: ${percent(done(locale), locale.segments)} translated, term adherence ${adherence(locale)}`)
    const rows = [...locale.articles.map((article) => row(article.article, article)), row('total', locale)]
    lines.push(...table([header, ...rows]), '')
  }
  return lines.join('\n')
}

function row(name: string, counts: Counts): string[] {
  return [
    name,
    String(counts.segments),
    ...segmentStates.map((state) => String(counts.states[state])),
    String(counts.stale),
    String(counts.qaErrors),
    String(counts.qaWarnings),
    `${counts.termHitsFound}/${counts.termHits} ${adherence(counts)}`
  ]
}

function done(counts: Counts): number {
  return counts.segments - counts.states.new
}

function adherence(counts: Counts): string {
  return counts.termAdherence === null ? 'n/a' : `${(counts.termAdherence * 100).toFixed(1)} %`
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((part / whole) * 100).toFixed(1)} %`
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)))
  return rows.map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '))
}
