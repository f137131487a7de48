// Rules terminologists keep: per target locale, `glossary/rules/<locale>.yaml`
// lists source pre-edits (applied to the French before the engine) and target
// post-edits (applied to the engine's output). Machine output only: human
// work never goes through them. Each rule carries a note and an example that
// is checked on load, so that a rule that does not do what it says is an
// error naming its file and line, not a silent wrong translation.
//
// A rule matches either `match`, literal text, or `pattern`, a token pattern:
// words separated by spaces, `*` standing for any one word, captured as `$1`,
// `$2`… for `replace`. Both match whole words only, case as written unless
// `ignoreCase: true`.
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {Document, isMap, isSeq, LineCounter, parseDocument} from 'yaml'
import {z} from 'zod'
import {isPasserelleError, PasserelleError} from '../errors.ts'
import {readTextFile} from '../io/read-text.ts'
import type {Locale} from '../types.ts'

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'must be lower-case letters, digits, hyphens or dots'),
    /** `source`: pre-edit of the French before the engine; `target`: post-edit of the engine output. */
    stage: z.enum(['source', 'target']),
    match: z.string().min(1).optional(),
    pattern: z.string().min(1).optional(),
    replace: z.string(),
    ignoreCase: z.boolean().optional(),
    note: z.string().min(1),
    example: z.strictObject({input: z.string().min(1), expected: z.string()})
  })
  .refine((rule) => (rule.match === undefined) !== (rule.pattern === undefined), 'give either `match` (literal text) or `pattern` (token pattern), not both')

export type Rule = z.infer<typeof ruleSchema>

export interface LoadedRule extends Rule {
  /** Where the rule is written, for messages and the review app. */
  file: string
  line: number
}

export interface RuleSet {
  locale: Locale
  rules: LoadedRule[]
}

const word = '[\\p{L}\\p{N}_]'

/** The regular expression behind a rule: literal text or a token pattern, whole words only. */
export function compileRule(rule: Pick<Rule, 'match' | 'pattern' | 'ignoreCase'>): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  let body: string
  if (rule.match !== undefined) body = escape(rule.match).replace(/\s+/g, '\\s+')
  else {
    body = rule
      .pattern!.trim()
      .split(/\s+/)
      .map((token) => (token === '*' ? `(${word}[\\p{L}\\p{N}_’'-]*)` : escape(token)))
      .join('\\s+')
  }
  // Whole words: no letter or digit directly outside a match that starts or ends with one.
  const first = (rule.match ?? rule.pattern ?? '').trim()
  const before = /^[\p{L}\p{N}_*]/u.test(first) ? `(?<!${word})` : ''
  const after = /[\p{L}\p{N}_*]$/u.test(first) ? `(?!${word})` : ''
  return new RegExp(`${before}${body}${after}`, `gu${rule.ignoreCase ? 'i' : ''}`)
}

// A batch applies every rule to every segment: each distinct rule is compiled once. Keyed by what the
// expression is built from, so an edited rule (the review app's save) gets its own. Shared safely: it is
// only used with `replace`, which runs a global expression from the start whatever its `lastIndex`.
const compiled = new Map<string, RegExp>()
const compiledLimit = 5_000

function compiledRule(rule: Pick<Rule, 'match' | 'pattern' | 'ignoreCase'>): RegExp {
  const key = `${rule.match === undefined ? 'p' : 'm'}${rule.ignoreCase ? 'i' : ''}\u0000${rule.match ?? rule.pattern}`
  let regex = compiled.get(key)
  if (!regex) {
    if (compiled.size >= compiledLimit) compiled.clear()
    regex = compileRule(rule)
    compiled.set(key, regex)
  }
  return regex
}

/** Apply one rule; `fired` when it changed the text. */
export function applyRule(rule: Pick<Rule, 'match' | 'pattern' | 'ignoreCase' | 'replace'>, text: string): {text: string; fired: boolean} {
  const regex = compiledRule(rule)
  // Literal rules replace literally (`$` in a replacement is a dollar sign).
  // With `ignoreCase`, a match that starts with a capital gives a replacement that does too (`Tomadores` → `Beneficiarios`).
  const out = text.replace(regex, (found: string, ...rest: unknown[]) => {
    const groups = rest.slice(0, -2) as (string | undefined)[]
    const replaced = rule.match !== undefined ? rule.replace : rule.replace.replace(/\$(\d)/g, (_w, n: string) => groups[Number(n) - 1] ?? '')
    const capital = rule.ignoreCase && /^\p{Lu}/u.test(found) && /^\p{Ll}/u.test(replaced)
    return capital ? replaced[0]!.toUpperCase() + replaced.slice(1) : replaced
  })
  return {text: out, fired: out !== text}
}

/** Apply a locale's rules of one stage in file order; return the ids that fired. */
export function applyRules(rules: readonly Rule[], stage: Rule['stage'], text: string): {text: string; fired: string[]} {
  const fired: string[] = []
  let out = text
  for (const rule of rules) {
    if (rule.stage !== stage) continue
    const result = applyRule(rule, out)
    if (result.fired) fired.push(rule.id)
    out = result.text
  }
  return {text: out, fired}
}

/** The folder of rule files, one per target locale. */
export function rulesDir(glossaryDir: string): string {
  return join(glossaryDir, 'rules')
}

const hint = 'fix the rule (its example must give its expected text); the other rules still apply'

const header = [
  '# Rules terminologists keep for machine output (format: glossary/README.md, "Rules").',
  '# `stage: source` edits the French before the engine; `stage: target` edits the engine output.',
  '# Each example is checked when the rules load: a rule whose example does not give `expected` is an error.'
].join('\n')

/** The one writer of a rule file: a comment header, then the rules as block YAML (the review app's save, `db export` of edited rules). */
export function formatRuleFile(rules: readonly Rule[]): string {
  return `${header}\n${new Document({rules: rules.map(plainRule)}).toString({lineWidth: 0})}`
}

/** A rule alone, keys in the schema's order, without what a loaded rule carries besides (file, line): what is written and compared. */
export function plainRule(rule: Rule): Rule {
  const keys = ['id', 'stage', 'match', 'pattern', 'replace', 'ignoreCase', 'note', 'example'] as const
  return Object.fromEntries(keys.filter((key) => rule[key] !== undefined).map((key) => [key, key === 'example' ? {input: rule.example.input, expected: rule.example.expected} : rule[key]])) as Rule
}

/**
 * A rule set as it will be written and then loaded: its text, the rules with
 * their lines, and what `translate` would refuse (a rule whose example does
 * not give its expected text). Stores save only a set without problems.
 */
export function renderRuleSet(rules: readonly Rule[], file: string, locale: Locale): {text: string; rules: LoadedRule[]; problems: PasserelleError[]} {
  const text = formatRuleFile(rules)
  return {text, ...parseRuleFile(text, file, locale)}
}

/** Parse one rule file; rules that are malformed or fail their example are problems and are left out. */
export function parseRuleFile(text: string, file: string, locale: Locale): {rules: LoadedRule[]; problems: PasserelleError[]} {
  const lines = new LineCounter()
  const document = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true})
  const problems: PasserelleError[] = []
  const syntax = document.errors[0]
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line
    return {rules: [], problems: [new PasserelleError('E_GLOSSARY', `not valid YAML (line ${line}): ${syntax.message.split('\n')[0]}`, {file, hint: 'fix the YAML syntax'})]}
  }
  const root = document.contents
  const list = isMap(root) ? root.get('rules', true) : undefined
  if (root !== null && (!isMap(root) || (list !== undefined && !isSeq(list)))) {
    return {rules: [], problems: [new PasserelleError('E_GLOSSARY', 'a rule file is a mapping with a `rules:` list', {file, hint})]}
  }
  const rules: LoadedRule[] = []
  const seen = new Set<string>()
  for (const [index, node] of (isSeq(list) ? list.items : []).entries()) {
    const offset = (node as {range?: [number, number, number]} | null)?.range?.[0]
    const line = offset === undefined ? 0 : lines.linePos(offset).line
    const raw = (node as {toJSON?: () => unknown} | null)?.toJSON?.() ?? node
    const parsed = ruleSchema.safeParse(raw)
    const where = `rule ${typeof (raw as {id?: unknown})?.id === 'string' ? `'${(raw as {id: string}).id}' ` : ''}(rules[${index}], line ${line})`
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      problems.push(new PasserelleError('E_GLOSSARY', `${where} skipped: ${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`, {file, hint}))
      continue
    }
    const rule = parsed.data
    if (seen.has(rule.id)) {
      problems.push(new PasserelleError('E_GLOSSARY', `${where} skipped: id '${rule.id}' is used twice in ${locale} rules`, {file, hint}))
      continue
    }
    let result: string
    try {
      result = applyRule(rule, rule.example.input).text
    } catch (error) {
      problems.push(new PasserelleError('E_GLOSSARY', `${where} skipped: ${(error as Error).message}`, {file, hint}))
      continue
    }
    if (result !== rule.example.expected) {
      problems.push(new PasserelleError('E_GLOSSARY', `${where} skipped: its example gives '${result}', not the expected '${rule.example.expected}'`, {file, hint}))
      continue
    }
    seen.add(rule.id)
    rules.push({...rule, file, line})
  }
  return {rules, problems}
}

/** Load `glossary/rules/<locale>.yaml` (a regional locale falls back to its language's file). No file: no rules. */
export async function loadRules(glossaryDir: string, locale: Locale): Promise<{rules: LoadedRule[]; problems: PasserelleError[]}> {
  const dir = rulesDir(glossaryDir)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return {rules: [], problems: []}
  }
  const language = locale.split('-', 1)[0]!
  const name = [`${locale}.yaml`, `${language}.yaml`].find((candidate) => names.includes(candidate))
  if (!name) return {rules: [], problems: []}
  const file = join(dir, name)
  let text: string
  try {
    text = await readTextFile(file)
  } catch (error) {
    if (isPasserelleError(error, 'E_EMPTY')) return {rules: [], problems: []}
    return {rules: [], problems: [new PasserelleError('E_GLOSSARY', `cannot read rule file: ${(error as Error).message}`, {file, hint: 'save it as UTF-8 YAML'})]}
  }
  return parseRuleFile(text, file, locale)
}
