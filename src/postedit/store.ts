// Where the post-editing rules live: `glossary/rules/<name>.yaml` (files, the
// default) or the team database's rows (`src/db/rules.ts`). `translate` and
// its jobs read a target locale's rules through `load`; the review app's rules
// editor reads and saves one rule set whole through `read` and `save`, with a
// version that refuses a save over a change made meanwhile (another tab,
// another terminologist, an editor) instead of overwriting it.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {PasserelleError} from '../errors.ts'
import type {Actor} from '../glossary/store.ts'
import {withFileLock} from '../io/lock.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import type {Locale} from '../types.ts'
import {loadRules, parseRuleFile, renderRuleSet, rulesDir, type LoadedRule, type Rule} from './rules.ts'

/** One rule file (or its rows) as the editor sees it. */
export interface RuleSetView {
  /** The set's name: the locale or language of `glossary/rules/<name>.yaml`. */
  name: string
  /** How messages name it (project-relative path; it may not exist yet). */
  file: string
  /** The rules that load, in order, with their lines. */
  rules: LoadedRule[]
  /** Rules that do not load (left out of `rules`). */
  problems: PasserelleError[]
  /** Send it back with a save: a save over another version is refused. */
  version: string
}

export interface RulesStore {
  /** Where the rules live, for messages ('database', or the rules folder). */
  readonly where: string
  /** The rules `translate` applies for a target locale (a regional locale falls back to its language's set). */
  load(locale: Locale): Promise<{rules: LoadedRule[]; problems: PasserelleError[]}>
  /** One set, exactly by name (no fallback). */
  read(name: string): Promise<RuleSetView>
  /**
   * Replace a set's rules when `version` is still the one read: `E_CONFLICT`
   * otherwise, and `E_INPUT` when a rule would not load (its example does not
   * give its expected text). The database store writes an audit row per
   * changed rule, credited to `actor`.
   */
  save(name: string, rules: readonly Rule[], version: string, actor?: Actor): Promise<RuleSetView>
}

/** The problems of a set that cannot be saved, as one error. */
export function ruleSetError(problems: readonly PasserelleError[]): PasserelleError {
  return new PasserelleError('E_INPUT', problems.map((problem) => problem.message).join('; '), {file: problems[0]?.file, hint: 'fix the rule or its example'})
}

export function ruleConflict(name: string): PasserelleError {
  return new PasserelleError('E_CONFLICT', `the ${name} rules changed since you opened them`, {hint: 'reload the rules and make your change again'})
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16)

/** The rules folder under the glossary: the version is a hash of the file's text. */
export function folderRulesStore(glossaryDir: string, options: {root?: string} = {}): RulesStore {
  const fileOf = (name: string) => join(rulesDir(glossaryDir), `${name}.yaml`)
  const display = (path: string) => (options.root === undefined ? path : relative(options.root, path))
  const read = async (name: string): Promise<RuleSetView> => {
    const file = fileOf(name)
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return ''
      throw error
    })
    const {rules, problems} = parseRuleFile(text, display(file), name)
    return {name, file: display(file), rules, problems, version: hashOf(text)}
  }
  return {
    where: rulesDir(glossaryDir),
    load: (locale) => loadRules(glossaryDir, locale),
    read,
    async save(name, rules, version) {
      const file = fileOf(name)
      // Checked exactly as translate will load it: a rule that fails its example is not saved.
      const rendered = renderRuleSet(rules, display(file), name)
      if (rendered.problems.length > 0) throw ruleSetError(rendered.problems)
      return withFileLock(file, async () => {
        if ((await read(name)).version !== version) throw ruleConflict(name)
        await writeFileAtomic(file, rendered.text)
        return read(name)
      })
    }
  }
}
