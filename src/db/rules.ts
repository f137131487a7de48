// The post-editing rules in the team database: one set per rule file
// (`glossary/rules/<name>.yaml`), one row per rule in file order. Import
// parses the files with the post-edit stage's own parser (`parseRuleFile`);
// export writes a set back as the text it was imported with when none of its
// rules changed, and otherwise through the stage's one writer
// (`formatRuleFile`), as the review app's rules editor saves a file. Edits go
// through `databaseRulesStore`: one transaction, a revision check per set and
// an audit row per created, edited or deleted rule.
import {PasserelleError} from '../errors.ts'
import type {Actor} from '../glossary/store.ts'
import {formatRuleFile, parseRuleFile, plainRule, renderRuleSet, type LoadedRule, type Rule} from '../postedit/rules.ts'
import {ruleConflict, ruleSetError, type RuleSetView, type RulesStore} from '../postedit/store.ts'
import type {Locale} from '../types.ts'
import {recordAudit} from './audit.ts'
import {inTransaction, withClient, type Database, type Pool} from './connect.ts'

const ruleFile = /^rules\/([^/.][^/]*)\.yaml$/

/** The set a glossary file holds (`rules/en.yaml` → `en`), or undefined for any other file. */
export function ruleSetName(path: string): string | undefined {
  return ruleFile.exec(path)?.[1]
}

const pathOf = (name: string) => `rules/${name}.yaml`
const display = (name: string) => `glossary/${pathOf(name)}`

interface ProblemRow {
  code: PasserelleError['code']
  message: string
  hint?: string
}

interface SetRow {
  name: string
  revision: number
  changed: boolean
  problems: ProblemRow[]
}

interface RuleRow {
  name: string
  position: number
  id: string
  line: number
  rule: Rule
}

const sameRule = (a: Rule, b: Rule) => JSON.stringify(plainRule(a)) === JSON.stringify(plainRule(b))

async function readRules(db: Database, name: string): Promise<RuleRow[]> {
  const {rows} = await db.query<RuleRow>('SELECT name, position, id, line, rule FROM postedit_rules WHERE name = $1 ORDER BY position', [name])
  return rows
}

function loaded(rows: readonly RuleRow[]): LoadedRule[] {
  return rows.map((row) => ({...row.rule, file: display(row.name), line: row.line}))
}

function problemsOf(set: Pick<SetRow, 'name' | 'problems'>): PasserelleError[] {
  return set.problems.map((problem) => new PasserelleError(problem.code, problem.message, {file: display(set.name), ...(problem.hint ? {hint: problem.hint} : {})}))
}

async function insertRules(db: Database, name: string, rules: readonly LoadedRule[]): Promise<void> {
  if (rules.length === 0) return
  await db.query(
    `INSERT INTO postedit_rules (name, position, id, line, rule)
     SELECT $1, r.position, r.id, r.line, r.rule FROM jsonb_to_recordset($2::jsonb) AS r(position integer, id text, line integer, rule jsonb)`,
    [name, JSON.stringify(rules.map((rule, position) => ({position, id: rule.id, line: rule.line, rule: plainRule(rule)})))]
  )
}

/**
 * One audit row per rule created, edited or deleted between `before` and
 * `after` (key `<set>/<rule id>`), and one for the set when only the order of
 * its rules changed (the order is the order they apply in).
 */
async function auditRules(db: Database, name: string, before: readonly Rule[], after: readonly Rule[], actor: Actor): Promise<number> {
  let changes = 0
  const old = new Map(before.map((rule) => [rule.id, rule]))
  for (const rule of after) {
    const previous = old.get(rule.id)
    if (previous && sameRule(previous, rule)) continue
    await recordAudit(db, {actor, entity: 'rule', key: `${name}/${rule.id}`, action: previous ? 'update' : 'create', ...(previous ? {before: plainRule(previous)} : {}), after: plainRule(rule)})
    changes++
  }
  const kept = new Set(after.map((rule) => rule.id))
  for (const rule of before) {
    if (kept.has(rule.id)) continue
    await recordAudit(db, {actor, entity: 'rule', key: `${name}/${rule.id}`, action: 'delete', before: plainRule(rule)})
    changes++
  }
  const order = (rules: readonly Rule[]) => rules.map((rule) => rule.id).filter((id) => old.has(id) && kept.has(id))
  if (changes === 0 && order(before).join('\n') !== order(after).join('\n')) {
    await recordAudit(db, {actor, entity: 'rule', key: name, action: 'reorder', before: before.map((rule) => rule.id), after: after.map((rule) => rule.id)})
    changes++
  }
  return changes
}

/**
 * Replace the rule rows with the rule files' rules (part of `db import`,
 * inside its transaction). A set whose rules changed gets a new revision and
 * an audit row per changed rule; a set whose file is gone is deleted.
 */
export async function importRules(db: Database, files: ReadonlyArray<{path: string; text: string}>, actor: Actor = {name: 'cli'}): Promise<{sets: number; rules: number}> {
  const {rows: sets} = await db.query<SetRow>('SELECT name, revision, changed, problems FROM postedit_rule_sets')
  const stored = new Map(sets.map((set) => [set.name, set]))
  const present = new Set<string>()
  let count = 0
  for (const file of files) {
    const name = ruleSetName(file.path)
    if (name === undefined) continue
    present.add(name)
    // The loader reads text without its byte-order mark; the stored text keeps it for export.
    const parsed = parseRuleFile(file.text.replace(/^\uFEFF/, ''), display(name), name)
    const problems: ProblemRow[] = parsed.problems.map((problem) => ({code: problem.code, message: problem.message, ...(problem.hint ? {hint: problem.hint} : {})}))
    const previous = stored.get(name)
    const before = previous ? (await readRules(db, name)).map((row) => row.rule) : []
    const changes = await auditRules(db, name, before, parsed.rules, actor)
    await db.query(
      `INSERT INTO postedit_rule_sets (name, problems) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET revision = postedit_rule_sets.revision + $3, changed = false, problems = excluded.problems,
         updated_at = CASE WHEN $3 > 0 THEN now() ELSE postedit_rule_sets.updated_at END`,
      [name, JSON.stringify(problems), changes > 0 ? 1 : 0]
    )
    await db.query('DELETE FROM postedit_rules WHERE name = $1', [name])
    await insertRules(db, name, parsed.rules)
    count += parsed.rules.length
  }
  for (const name of stored.keys()) {
    if (present.has(name)) continue
    await auditRules(db, name, (await readRules(db, name)).map((row) => row.rule), [], actor)
    await db.query('DELETE FROM postedit_rule_sets WHERE name = $1', [name])
  }
  return {sets: present.size, rules: count}
}

/** The rule files to export whose rules changed since import: `rules/<name>.yaml` → the text rendered from the rows. */
export async function rulesExportTexts(db: Database): Promise<Map<string, string>> {
  const {rows: sets} = await db.query<{name: string}>('SELECT name FROM postedit_rule_sets WHERE changed ORDER BY name COLLATE "C"')
  const out = new Map<string, string>()
  for (const set of sets) out.set(pathOf(set.name), formatRuleFile((await readRules(db, set.name)).map((row) => row.rule)))
  return out
}

async function readSet(db: Database, name: string): Promise<RuleSetView> {
  const {rows} = await db.query<SetRow>('SELECT name, revision, changed, problems FROM postedit_rule_sets WHERE name = $1', [name])
  const set = rows[0]
  if (!set) return {name, file: display(name), rules: [], problems: [], version: '0'}
  return {name, file: display(name), rules: loaded(await readRules(db, name)), problems: problemsOf(set), version: String(set.revision)}
}

/**
 * The rules store of team mode. A save runs in one transaction: the set's row
 * is locked, its revision must still be the one the editor read (else
 * `E_CONFLICT`, nothing written), each changed rule is an audit row, and the
 * set is marked changed so that `db export` renders it from the rows.
 */
export function databaseRulesStore(source: Database | Pool): RulesStore {
  return {
    where: 'database',
    load: (locale: Locale) =>
      withClient(source, async (db) => {
        const language = locale.split('-', 1)[0]!
        const {rows} = await db.query<SetRow>('SELECT name, revision, changed, problems FROM postedit_rule_sets WHERE name = ANY($1)', [[locale, language]])
        const set = rows.find((row) => row.name === locale) ?? rows.find((row) => row.name === language)
        if (!set) return {rules: [], problems: []}
        return {rules: loaded(await readRules(db, set.name)), problems: problemsOf(set)}
      }),
    read: (name) => withClient(source, (db) => readSet(db, name)),
    save: (name, rules, version, actor = {name: 'cli'}) =>
      withClient(source, async (db) => {
        // Checked exactly as translate will load the exported file: a rule that fails its example is not saved.
        const rendered = renderRuleSet(rules, display(name), name)
        if (rendered.problems.length > 0) throw ruleSetError(rendered.problems)
        await inTransaction(db, async () => {
          const {rows} = await db.query<{revision: number}>('SELECT revision FROM postedit_rule_sets WHERE name = $1 FOR UPDATE', [name])
          const revision = rows[0]?.revision
          if (version !== String(revision ?? 0)) throw ruleConflict(name)
          const before = (await readRules(db, name)).map((row) => row.rule)
          const changes = await auditRules(db, name, before, rendered.rules, actor)
          if (changes === 0) return
          const written =
            revision === undefined
              ? await db.query("INSERT INTO postedit_rule_sets (name, changed) VALUES ($1, true) ON CONFLICT (name) DO NOTHING", [name])
              : await db.query("UPDATE postedit_rule_sets SET revision = revision + 1, changed = true, problems = '[]', updated_at = now() WHERE name = $1 AND revision = $2", [name, revision])
          // Another save created the set first: the same conflict as a stale revision.
          if (written.rowCount !== 1) throw ruleConflict(name)
          await db.query('DELETE FROM postedit_rules WHERE name = $1', [name])
          await insertRules(db, name, rendered.rules)
        })
        return readSet(db, name)
      })
  }
}
