// Text rendering of the status report: one table per locale.
import {segmentStates} from '../types.ts'
import type {Counts, LocaleStatus} from './compute.ts'

export function formatStatus(locales: LocaleStatus[]): string {
  if (locales.length === 0) return 'No locale bundles yet: run `passerelle translate`.\n'
  const header = ['article', 'segments', ...segmentStates, 'stale', 'qa err', 'qa warn', 'terms']
  const lines: string[] = []
  for (const locale of locales) {
    lines.push(`${locale.locale}: ${headline(locale)}; term adherence ${adherence(locale)}`)
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

/**
 * Machine output is not a translation anyone has read: the headline keeps
 * machine, TM fuzzy, human-translated, reviewed and approved apart.
 */
function headline(counts: Counts): string {
  const share = (count: number, label: string) => `${count} ${label}${count > 0 ? ` (${percent(count, counts.segments)})` : ''}`
  const {states} = counts
  return [
    `${counts.segments} segments`,
    share(states.machine, 'machine'),
    ...(states.fuzzy > 0 ? [share(states.fuzzy, 'fuzzy')] : []),
    share(states.translated, 'human-translated'),
    share(states.reviewed, 'reviewed'),
    share(states.approved, 'approved'),
    ...(states.new > 0 ? [share(states.new, 'untranslated')] : [])
  ].join(', ')
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
