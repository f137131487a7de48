// The termbase in the team database: concepts, terms and patterns as rows,
// each remembering its glossary file and position. Import parses the files
// with the glossary stage's own parser and id rule (`parseGlossaryFile`,
// `assembleTermbase`); export writes a file back as the text it was imported
// with when none of its entries changed, and otherwise through the glossary
// stage's one YAML writer (`planGlossaryFiles`), so an edited concept reads
// as if the review app had saved it in file mode. Edits go through
// `databaseTermbaseStore`: one transaction, a revision check per concept and
// an audit row per created, edited or deleted concept or pattern.
import {PasserelleError} from '../errors.ts'
import {assembleTermbase, parseGlossaryFile, type LoadedTermbase} from '../glossary/load.ts'
import {assertValidTermbase, homeOfNewConcept, planGlossaryFiles} from '../glossary/save.ts'
import {canonicalConcept, canonicalPattern} from '../glossary/schema.ts'
import type {Actor, TermbaseStore} from '../glossary/store.ts'
import type {Concept, DntPattern, Term, Termbase} from '../glossary/types.ts'
import type {Locale} from '../types.ts'
import {readAudit, recordAudit, type AuditEntry} from './audit.ts'
import {inTransaction, withClient, type Database, type Pool} from './connect.ts'

/** A glossary file the loader reads: `*.yaml`/`*.yml` directly under glossary/, not hidden. */
export function isTermbaseFile(path: string): boolean {
  return /^[^/.][^/]*\.ya?ml$/.test(path)
}

const display = (name: string) => `glossary/${name}`

interface Placed<T> {
  value: T
  file: string
  position: number
  revision: number
}

interface Stored {
  concepts: Map<string, Placed<Concept>>
  patterns: Map<string, Placed<DntPattern>>
  termbase: Termbase
  problems: PasserelleError[]
}

interface ConceptRow {
  id: string
  file: string
  position: number
  domain: string | null
  definition: string | null
  note: string | null
  dnt: boolean | null
  retired: boolean | null
  revision: number
}

interface TermRow {
  concept_id: string
  language: string
  language_position: number
  position: number
  text: string
  status: Term['status']
  type: string | null
  part_of_speech: string | null
  gender: string | null
  number: string | null
  case_sensitive: boolean | null
  note: string | null
}

interface PatternRow {
  id: string
  file: string
  position: number
  description: string | null
  pattern: string
  flags: string | null
  revision?: number
}

interface ProblemRow {
  code: PasserelleError['code']
  message: string
  hint?: string
}

/** Only the keys that have a value, as the YAML parser would give them. */
function present<T extends object>(record: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as T
}

function conceptOf(row: ConceptRow, terms: readonly TermRow[]): Concept {
  const byLanguage: Concept['terms'] = {}
  for (const term of terms) {
    ;(byLanguage[term.language] ??= []).push(
      present<Term>({
        text: term.text,
        status: term.status,
        type: term.type,
        partOfSpeech: term.part_of_speech,
        gender: term.gender,
        number: term.number,
        caseSensitive: term.case_sensitive,
        note: term.note
      })
    )
  }
  return {
    ...present<Omit<Concept, 'terms'>>({id: row.id, domain: row.domain, dnt: row.dnt, retired: row.retired, definition: row.definition, note: row.note}),
    terms: byLanguage
  }
}

function patternOf(row: PatternRow): DntPattern {
  return present<DntPattern>({id: row.id, description: row.description, pattern: row.pattern, flags: row.flags})
}

function conceptRecord(concept: Concept, file: string, position: number, revision: number): ConceptRow {
  return {
    id: concept.id,
    file,
    position,
    domain: concept.domain ?? null,
    definition: concept.definition ?? null,
    note: concept.note ?? null,
    dnt: concept.dnt ?? null,
    retired: concept.retired ?? null,
    revision
  }
}

function termRecords(concept: Concept): TermRow[] {
  return Object.entries(concept.terms).flatMap(([language, terms], languagePosition) =>
    (terms ?? []).map((term, position) => ({
      concept_id: concept.id,
      language,
      language_position: languagePosition,
      position,
      text: term.text,
      status: term.status,
      type: term.type ?? null,
      part_of_speech: term.partOfSpeech ?? null,
      gender: term.gender ?? null,
      number: term.number ?? null,
      case_sensitive: term.caseSensitive ?? null,
      note: term.note ?? null
    }))
  )
}

async function insertConcepts(db: Database, rows: ConceptRow[]): Promise<void> {
  if (rows.length === 0) return
  await db.query(
    `INSERT INTO glossary_concepts (id, file, position, domain, definition, note, dnt, retired, revision)
     SELECT id, file, position, domain, definition, note, dnt, retired, revision
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, file text, position integer, domain text, definition text, note text, dnt boolean, retired boolean, revision integer)`,
    [JSON.stringify(rows)]
  )
}

async function insertTerms(db: Database, rows: TermRow[]): Promise<void> {
  if (rows.length === 0) return
  await db.query(
    `INSERT INTO glossary_terms (concept_id, language, language_position, position, text, status, type, part_of_speech, gender, number, case_sensitive, note)
     SELECT concept_id, language, language_position, position, text, status, type, part_of_speech, gender, number, case_sensitive, note
     FROM jsonb_to_recordset($1::jsonb) AS r(concept_id text, language text, language_position integer, position integer, text text, status text,
       type text, part_of_speech text, gender text, number text, case_sensitive boolean, note text)`,
    [JSON.stringify(rows)]
  )
}

async function insertPatterns(db: Database, rows: PatternRow[]): Promise<void> {
  if (rows.length === 0) return
  await db.query(
    `INSERT INTO glossary_patterns (id, file, position, description, pattern, flags)
     SELECT id, file, position, description, pattern, flags
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, file text, position integer, description text, pattern text, flags text)`,
    [JSON.stringify(rows)]
  )
}

/** The termbase rows, in the loader's order (files by name, entries by position). */
async function readStored(db: Database): Promise<Stored> {
  const {rows: conceptRows} = await db.query<ConceptRow>(
    'SELECT id, file, position, domain, definition, note, dnt, retired, revision FROM glossary_concepts ORDER BY file COLLATE "C", position'
  )
  const {rows: termRows} = await db.query<TermRow>(
    `SELECT concept_id, language, language_position, position, text, status, type, part_of_speech, gender, number, case_sensitive, note
     FROM glossary_terms ORDER BY concept_id, language_position, position`
  )
  const {rows: patternRows} = await db.query<PatternRow>('SELECT id, file, position, description, pattern, flags FROM glossary_patterns ORDER BY file COLLATE "C", position')
  const {rows: fileRows} = await db.query<{path: string; problems: ProblemRow[]}>('SELECT path, problems FROM glossary_files ORDER BY path COLLATE "C"')

  const termsOf = new Map<string, TermRow[]>()
  for (const term of termRows) {
    const list = termsOf.get(term.concept_id) ?? []
    list.push(term)
    termsOf.set(term.concept_id, list)
  }
  const concepts = new Map<string, Placed<Concept>>()
  for (const row of conceptRows) {
    concepts.set(row.id, {value: conceptOf(row, termsOf.get(row.id) ?? []), file: row.file, position: row.position, revision: row.revision})
  }
  const patterns = new Map<string, Placed<DntPattern>>()
  for (const row of patternRows) patterns.set(row.id, {value: patternOf(row), file: row.file, position: row.position, revision: 1})
  const problems = fileRows.flatMap((file) =>
    file.problems.map((problem) => new PasserelleError(problem.code, problem.message, {file: display(file.path), ...(problem.hint ? {hint: problem.hint} : {})}))
  )
  return {
    concepts,
    patterns,
    termbase: {concepts: [...concepts.values()].map((entry) => entry.value), patterns: [...patterns.values()].map((entry) => entry.value)},
    problems
  }
}

/** The termbase as the database holds it, with the problems found when its files were imported. */
export async function loadDatabaseTermbase(db: Database): Promise<LoadedTermbase> {
  const {termbase, problems} = await readStored(db)
  return {termbase, problems}
}

const same = (a: Concept | undefined, b: Concept | undefined) => JSON.stringify(a && canonicalConcept(a)) === JSON.stringify(b && canonicalConcept(b))
const samePattern = (a: DntPattern | undefined, b: DntPattern | undefined) => JSON.stringify(a && canonicalPattern(a)) === JSON.stringify(b && canonicalPattern(b))

/**
 * Replace the termbase rows with the glossary files' entries (part of
 * `db import`, inside its transaction). Concepts whose content changed get a
 * new revision and an audit row; the others keep theirs.
 */
export async function importGlossary(db: Database, files: ReadonlyArray<{path: string; text: string}>, actor: Actor = {name: 'cli'}): Promise<{concepts: number; patterns: number}> {
  const before = await readStored(db)
  const yamlFiles = files.filter((file) => isTermbaseFile(file.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const problemsOf = new Map<string, ProblemRow[]>(yamlFiles.map((file) => [file.path, []]))
  const note = (problem: PasserelleError) => {
    const path = problem.file?.startsWith('glossary/') ? problem.file.slice('glossary/'.length) : undefined
    const list = path === undefined ? undefined : problemsOf.get(path)
    list?.push({code: problem.code, message: problem.message, ...(problem.hint ? {hint: problem.hint} : {})})
  }
  const parsedFiles = yamlFiles.map((file) => {
    // The loader reads text without its byte-order mark; the stored text keeps it for export.
    const parsed = parseGlossaryFile(file.text.replace(/^\uFEFF/, ''), display(file.path))
    parsed.problems.forEach(note)
    return {file: display(file.path), parsed}
  })
  const assembled = assembleTermbase(parsedFiles)
  assembled.problems.forEach(note)

  const placeOf = (id: string) => {
    const origin = assembled.origins.get(id)!
    return {file: origin.file.slice('glossary/'.length), position: origin.index}
  }
  const conceptRows: ConceptRow[] = []
  const termRows: TermRow[] = []
  for (const concept of assembled.termbase.concepts) {
    const old = before.concepts.get(concept.id)
    const changed = !old || !same(old.value, concept)
    const {file, position} = placeOf(concept.id)
    conceptRows.push(conceptRecord(concept, file, position, old ? old.revision + (changed ? 1 : 0) : 1))
    termRows.push(...termRecords(concept))
    if (changed) {
      await recordAudit(db, {actor, entity: 'concept', key: concept.id, action: old ? 'update' : 'create', ...(old ? {before: canonicalConcept(old.value)} : {}), after: canonicalConcept(concept)})
    }
  }
  const kept = new Set(assembled.termbase.concepts.map((concept) => concept.id))
  for (const [id, old] of before.concepts) {
    if (!kept.has(id)) await recordAudit(db, {actor, entity: 'concept', key: id, action: 'delete', before: canonicalConcept(old.value)})
  }
  await auditPatterns(db, before.patterns, assembled.termbase.patterns, actor)
  await db.query('DELETE FROM glossary_concepts')
  await db.query('DELETE FROM glossary_patterns')
  await insertConcepts(db, conceptRows)
  await insertTerms(db, termRows)
  await insertPatterns(
    db,
    assembled.termbase.patterns.map((pattern) => ({...placeOf(pattern.id), id: pattern.id, description: pattern.description ?? null, pattern: pattern.pattern, flags: pattern.flags ?? null}))
  )
  await db.query(
    `UPDATE glossary_files f SET changed = false, problems = p.problems
     FROM jsonb_to_recordset($1::jsonb) AS p(path text, problems jsonb) WHERE f.path = p.path`,
    [JSON.stringify([...problemsOf].map(([path, problems]) => ({path, problems})))]
  )
  await db.query("UPDATE glossary_files SET changed = false, problems = '[]' WHERE NOT (path = ANY($1))", [yamlFiles.map((file) => file.path)])
  return {concepts: conceptRows.length, patterns: assembled.termbase.patterns.length}
}

/**
 * The glossary files' texts to export: a file none of whose entries changed
 * since import is its imported text, byte for byte; a changed one is the YAML
 * writer's rendering of its current entries, in their file order.
 */
export async function glossaryExportTexts(db: Database, options: {localeOrder?: readonly Locale[]} = {}): Promise<Map<string, string>> {
  const {rows} = await db.query<{path: string; text: string; changed: boolean}>('SELECT path, text, changed FROM glossary_files ORDER BY path COLLATE "C"')
  const out = new Map(rows.map((row) => [row.path, row.text]))
  const changed = rows.filter((row) => row.changed && isTermbaseFile(row.path))
  if (changed.length === 0) return out
  const stored = await readStored(db)
  const homes = new Map([...stored.concepts].map(([id, entry]) => [id, entry.file]))
  const planned = planGlossaryFiles(
    rows.filter((row) => isTermbaseFile(row.path)).map((row) => ({name: row.path, text: row.text.replace(/^\uFEFF/, '')})),
    stored.termbase,
    {...(options.localeOrder ? {localeOrder: options.localeOrder} : {}), home: (concept) => homes.get(concept.id)}
  )
  const plannedText = new Map(planned.map((file) => [file.name, file.text]))
  for (const row of changed) {
    const text = plannedText.get(row.path)
    if (text !== undefined) out.set(row.path, text)
  }
  return out
}

/** One audit row per do-not-translate pattern created, edited or deleted between `before` and `after`. */
async function auditPatterns(db: Database, before: ReadonlyMap<string, Placed<DntPattern>>, after: readonly DntPattern[], actor: Actor): Promise<void> {
  for (const pattern of after) {
    const old = before.get(pattern.id)?.value
    if (old && samePattern(old, pattern)) continue
    await recordAudit(db, {actor, entity: 'pattern', key: pattern.id, action: old ? 'update' : 'create', ...(old ? {before: canonicalPattern(old)} : {}), after: canonicalPattern(pattern)})
  }
  const kept = new Set(after.map((pattern) => pattern.id))
  for (const [id, old] of before) {
    if (!kept.has(id)) await recordAudit(db, {actor, entity: 'pattern', key: id, action: 'delete', before: canonicalPattern(old.value)})
  }
}

/** Arbitrary constant key for the termbase's transaction lock, shared by every writer. */
const termbaseLockKey = 746_201_917

/**
 * Write the difference between the stored termbase and `next`: created,
 * edited and deleted concepts and patterns, each concept with a revision
 * check and an audit row, and the files they live in marked changed.
 */
async function writeDifference(db: Database, stored: Stored, next: Termbase, actor: Actor): Promise<void> {
  assertValidTermbase(next)
  const changedFiles = new Set<string>()
  const lastPosition = new Map<string, number>()
  for (const entry of [...stored.concepts.values(), ...stored.patterns.values()]) {
    lastPosition.set(entry.file, Math.max(lastPosition.get(entry.file) ?? -1, entry.position))
  }
  const append = (file: string) => {
    const position = (lastPosition.get(file) ?? -1) + 1
    lastPosition.set(file, position)
    changedFiles.add(file)
    return position
  }
  const files = () => {
    const domains = new Map<string, Set<string>>()
    for (const entry of stored.concepts.values()) {
      const set = domains.get(entry.file) ?? new Set<string>()
      if (entry.value.domain !== undefined) set.add(entry.value.domain)
      domains.set(entry.file, set)
    }
    return [...domains].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, set]) => ({name, domains: set}))
  }

  const nextIds = new Set(next.concepts.map((concept) => concept.id))
  for (const concept of next.concepts) {
    const old = stored.concepts.get(concept.id)
    if (old && same(old.value, concept)) continue
    if (old) {
      const {rowCount} = await db.query(
        `UPDATE glossary_concepts SET domain = $3, definition = $4, note = $5, dnt = $6, retired = $7, revision = revision + 1, updated_at = now()
         WHERE id = $1 AND revision = $2`,
        [concept.id, old.revision, concept.domain ?? null, concept.definition ?? null, concept.note ?? null, concept.dnt ?? null, concept.retired ?? null]
      )
      if (rowCount !== 1) {
        throw new PasserelleError('E_CONFLICT', `concept "${concept.id}" changed since it was read`, {hint: 'reload it and apply your change again'})
      }
      await db.query('DELETE FROM glossary_terms WHERE concept_id = $1', [concept.id])
      changedFiles.add(old.file)
    } else {
      const file = homeOfNewConcept(concept, files())
      await insertConcepts(db, [conceptRecord(concept, file, append(file), 1)])
    }
    await insertTerms(db, termRecords(concept))
    await recordAudit(db, {actor, entity: 'concept', key: concept.id, action: old ? 'update' : 'create', ...(old ? {before: canonicalConcept(old.value)} : {}), after: canonicalConcept(concept)})
  }
  for (const [id, old] of stored.concepts) {
    if (nextIds.has(id)) continue
    await db.query('DELETE FROM glossary_concepts WHERE id = $1', [id])
    changedFiles.add(old.file)
    await recordAudit(db, {actor, entity: 'concept', key: id, action: 'delete', before: canonicalConcept(old.value)})
  }

  await auditPatterns(db, stored.patterns, next.patterns, actor)
  const nextPatterns = new Set(next.patterns.map((pattern) => pattern.id))
  const patternHome = [...stored.patterns.values()][0]?.file ?? 'patterns.yaml'
  for (const pattern of next.patterns) {
    const old = stored.patterns.get(pattern.id)
    if (old && samePattern(old.value, pattern)) continue
    const file = old?.file ?? patternHome
    if (old) await db.query('DELETE FROM glossary_patterns WHERE id = $1', [pattern.id])
    await insertPatterns(db, [{id: pattern.id, file, position: old?.position ?? append(file), description: pattern.description ?? null, pattern: pattern.pattern, flags: pattern.flags ?? null}])
    changedFiles.add(file)
  }
  for (const [id, old] of stored.patterns) {
    if (nextPatterns.has(id)) continue
    await db.query('DELETE FROM glossary_patterns WHERE id = $1', [id])
    changedFiles.add(old.file)
  }

  if (changedFiles.size > 0) {
    // A new file (the first concept of `concepts.yaml`) starts empty: export renders it from the rows.
    await db.query(
      `INSERT INTO glossary_files (path, text, changed) SELECT unnest($1::text[]), '', true
       ON CONFLICT (path) DO UPDATE SET changed = true, updated_at = now()`,
      [[...changedFiles]]
    )
  }
}

/**
 * The termbase store of team mode: reads are two queries, writes one
 * transaction under a lock shared by every writer, in which each changed
 * concept is updated only if its revision is still the one read.
 */
export function databaseTermbaseStore(source: Database | Pool): TermbaseStore {
  return {
    where: 'database',
    // Every write bumps updated_at of the concepts it touches and of their files; a delete changes the count.
    stamp: () =>
      withClient(source, async (db) => {
        const {rows} = await db.query<{stamp: string}>(
          `SELECT (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM glossary_concepts) || '|' ||
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM glossary_files) AS stamp`
        )
        return rows[0]!.stamp
      }),
    load: () => withClient(source, loadDatabaseTermbase),
    update: (change, actor = {name: 'cli'}) =>
      withClient(source, (db) =>
        inTransaction(db, async () => {
          await db.query('SELECT pg_advisory_xact_lock($1)', [termbaseLockKey])
          const stored = await readStored(db)
          const next = await change({termbase: stored.termbase, problems: stored.problems})
          await writeDifference(db, stored, next.termbase, actor)
          return next.value
        })
      )
  }
}

export type ConceptAuditEntry = AuditEntry & {before: Concept | DntPattern | null; after: Concept | DntPattern | null}

/**
 * A termbase entry's history, oldest first: who changed it, when, and what it
 * was before and after (the review app's history list). Concepts and
 * do-not-translate patterns share one space of ids, so an id's history is
 * that of whichever entry it names (a pattern's rows have entity 'pattern').
 */
export async function conceptHistory(db: Database | Pool, id: string): Promise<ConceptAuditEntry[]> {
  const rows = await withClient(db, async (client) => [...(await readAudit(client, {entity: 'concept', key: id})), ...(await readAudit(client, {entity: 'pattern', key: id}))])
  return rows.sort((a, b) => a.id - b.id) as ConceptAuditEntry[]
}
