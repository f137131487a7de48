// The termbase as CSV, one row per term, for spreadsheets. Concept-level
// fields (domain, definition, note, dnt, retired) repeat on every row of
// the concept; booleans are `yes`/`no` (empty: not set). Import accepts
// comma, semicolon or tab separators (from the header line), columns in any
// order, and refuses what it cannot read with the line number.
import {parse} from 'csv-parse/sync'
import {stringify} from 'csv-stringify/sync'
import {PasserelleError} from '../errors.ts'
import type {Concept, Gender, GrammaticalNumber, PartOfSpeech, Term, Termbase, TermType} from '../glossary/types.ts'
import type {TermStatus} from '../types.ts'
import {normaliseLocale, validated, type ParsedGlossary} from './tbx.ts'

export const csvColumns = [
  'concept',
  'domain',
  'locale',
  'term',
  'status',
  'type',
  'partOfSpeech',
  'gender',
  'note',
  'dnt',
  'number',
  'caseSensitive',
  'definition',
  'conceptNote',
  'retired'
] as const

type Column = (typeof csvColumns)[number]

/** One row per term, concepts and terms in termbase order, with a header. */
export function exportCsv(termbase: Pick<Termbase, 'concepts'>): string {
  const rows: string[][] = []
  for (const concept of termbase.concepts) {
    for (const [locale, terms] of Object.entries(concept.terms)) {
      for (const term of terms ?? []) {
        const row: Record<Column, string> = {
          concept: concept.id,
          domain: concept.domain ?? '',
          locale,
          term: term.text,
          status: term.status,
          type: term.type ?? '',
          partOfSpeech: term.partOfSpeech ?? '',
          gender: term.gender ?? '',
          note: term.note ?? '',
          dnt: flag(concept.dnt),
          number: term.number ?? '',
          caseSensitive: flag(term.caseSensitive),
          definition: concept.definition ?? '',
          conceptNote: concept.note ?? '',
          retired: flag(concept.retired)
        }
        rows.push(csvColumns.map((column) => neutraliseFormula(row[column])))
      }
    }
  }
  return stringify([[...csvColumns], ...rows], {record_delimiter: '\n'})
}

// A cell starting with = + - @ (or a tab or carriage return before them) is run as a formula by
// spreadsheets (OWASP "CSV injection"): a leading apostrophe makes it text, and import strips it.
const formulaStart = /^[=+\-@\t\r]/

function neutraliseFormula(cell: string): string {
  return formulaStart.test(cell) ? `'${cell}` : cell
}

function restoreFormula(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell
}

function flag(value: boolean | undefined): string {
  return value === undefined ? '' : value ? 'yes' : 'no'
}

const statuses: readonly TermStatus[] = ['preferred', 'admitted', 'deprecated', 'forbidden']
const enums = {
  type: ['fullForm', 'acronym', 'abbreviation', 'shortForm', 'variant'],
  partOfSpeech: ['noun', 'properNoun', 'verb', 'adjective', 'other'],
  gender: ['masculine', 'feminine', 'neuter'],
  number: ['singular', 'plural']
} as const

const hint = 'save the sheet as CSV with the header row of `passerelle glossary export --format csv`'

/** Read a glossary CSV. Throws `E_TBX` naming the line for anything it cannot keep; nothing partial. */
export function parseCsv(text: string, file: string, options: {maxBytes?: number} = {}): ParsedGlossary {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > maxBytes) throw new PasserelleError('E_TOO_LARGE', `file is ${bytes} bytes, over the ${maxBytes}-byte limit`, {file})
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const fail = (line: number, message: string): never => {
    throw new PasserelleError('E_TBX', `line ${line}: ${message}`, {file, hint})
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = [',', ';', '\t'].map((candidate) => ({candidate, count: firstLine.split(candidate).length})).sort((a, b) => b.count - a.count)[0]!.candidate

  let records: {record: string[]; info: {lines: number}; raw: string}[]
  try {
    records = parse(text, {delimiter, info: true, raw: true, skip_empty_lines: true, relax_column_count: false}) as unknown as typeof records
  } catch (error) {
    const line = (error as {lines?: number}).lines
    return fail(line ?? 1, `not valid CSV: ${(error as Error).message.replace(/^[^:]*: /, '')}`)
  }
  const header = records[0]
  if (!header) return fail(1, 'no header row')
  const warnings: string[] = []
  const lookup = new Map(csvColumns.map((column) => [column.toLowerCase(), column]))
  lookup.set('id', 'concept')
  lookup.set('language', 'locale')
  const columns = header.record.map((name, index) => {
    const column = lookup.get(name.trim().toLowerCase())
    if (!column) warnings.push(`line 1: column "${name}" ignored`)
    return {column, index}
  })
  for (const required of ['concept', 'locale', 'term'] as const) {
    if (!columns.some((entry) => entry.column === required)) fail(1, `no "${required}" column (the header is ${header.record.join(delimiter)})`)
  }

  const concepts = new Map<string, {concept: Concept; line: number; set: Map<string, number>}>()
  for (const {record, info, raw} of records.slice(1)) {
    // csv-parse counts to the record's last line; a quoted field may span several.
    const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '')
    const line = info.lines - (body.match(/\n/g)?.length ?? 0)
    const cell = (column: Column): string => {
      const entry = columns.find((item) => item.column === column)
      return entry ? restoreFormula((record[entry.index] ?? '').trim()) : ''
    }
    if (csvColumns.every((column) => cell(column) === '')) continue
    const id = cell('concept')
    if (!id) fail(line, 'no concept id')
    const locale = cell('locale')
    if (!locale) fail(line, `concept ${id}: no locale`)
    const termText = cell('term').replace(/\s+/g, ' ')
    if (!termText) fail(line, `concept ${id}: no term`)

    let draft = concepts.get(id)
    if (!draft) concepts.set(id, (draft = {concept: {id, terms: {}}, line, set: new Map()}))
    const concept = draft.concept
    const conceptField = <K extends 'domain' | 'definition' | 'note' | 'dnt' | 'retired'>(key: K, column: Column, value: Concept[K] | undefined): void => {
      if (value === undefined) return
      const previous = concept[key]
      if (previous !== undefined && previous !== value) {
        fail(line, `concept ${id}: ${column} "${String(value)}" differs from "${String(previous)}" on line ${draft!.set.get(key) ?? draft!.line}`)
      }
      concept[key] = value
      if (!draft!.set.has(key)) draft!.set.set(key, line)
    }
    conceptField('domain', 'domain', cell('domain').replace(/\s+/g, ' ') || undefined)
    conceptField('definition', 'definition', cell('definition') || undefined)
    conceptField('note', 'conceptNote', cell('conceptNote') || undefined)
    conceptField('dnt', 'dnt', bool(cell('dnt'), line, `concept ${id}: dnt`, fail))
    conceptField('retired', 'retired', bool(cell('retired'), line, `concept ${id}: retired`, fail))

    const status = cell('status').toLowerCase() || 'preferred'
    if (!(statuses as readonly string[]).includes(status)) fail(line, `concept ${id}: status "${cell('status')}" is not one of ${statuses.join(', ')}`)
    const term: Term = {text: termText, status: status as TermStatus}
    const pick = <K extends keyof typeof enums>(key: K): (typeof enums)[K][number] | undefined => {
      const value = cell(key)
      if (!value) return undefined
      const found = (enums[key] as readonly string[]).find((allowed) => allowed.toLowerCase() === value.toLowerCase())
      if (found === undefined) fail(line, `concept ${id}: ${key} "${value}" is not one of ${enums[key].join(', ')}`)
      return found as (typeof enums)[K][number]
    }
    const type = pick('type')
    const partOfSpeech = pick('partOfSpeech')
    const gender = pick('gender')
    const number = pick('number')
    const caseSensitive = bool(cell('caseSensitive'), line, `concept ${id}: caseSensitive`, fail)
    if (type) term.type = type as TermType
    if (partOfSpeech) term.partOfSpeech = partOfSpeech as PartOfSpeech
    if (gender) term.gender = gender as Gender
    if (number) term.number = number as GrammaticalNumber
    if (caseSensitive !== undefined) term.caseSensitive = caseSensitive
    if (cell('note')) term.note = cell('note')
    const key = normaliseLocale(locale)
    ;(concept.terms[key] ??= []).push(term)
  }
  return {concepts: [...concepts.values()].map(({concept, line}) => validated(concept, `concept starting line ${line}: `, file)), warnings, problems: []}
}

function bool(value: string, line: number, column: string, fail: (line: number, message: string) => never): boolean | undefined {
  if (value === '') return undefined
  if (/^(yes|y|true|1|oui|sí|si)$/i.test(value)) return true
  if (/^(no|n|false|0|non)$/i.test(value)) return false
  return fail(line, `${column} "${value}" is not yes or no`)
}
