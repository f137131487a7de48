// The rules editor's API: a target locale's post-edit rules
// (`glossary/rules/<locale>.yaml`, see src/postedit/rules.ts), read and saved
// whole. A save is checked the way `translate` loads the file (schema, and
// each example must give its expected text) and refused with the problems
// otherwise; a `version` (hash of the file read) guards against overwriting
// a change made meanwhile in another tab or an editor.
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import type {Hono} from 'hono'
import {Document} from 'yaml'
import {z} from 'zod'
import type {Project} from '../config.ts'
import {withFileLock} from '../io/lock.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {parseRuleFile, rulesDir, ruleSchema, type Rule} from '../postedit/rules.ts'
import type {KeyedLock} from './lock.ts'
import {HttpError, readJson} from './security.ts'
import {checkLocale, parseBody} from './validate.ts'

export interface RulesData {
  locale: string
  /** Project-relative path of the file (it may not exist yet). */
  file: string
  rules: (Rule & {line: number})[]
  /** Problems of the file as it is on disk (those rules are left out of `rules`). */
  problems: string[]
  /** Hash of the file as read; send it back with a save. */
  version: string
}

const saveSchema = z.strictObject({version: z.string().max(64), rules: z.array(z.unknown()).max(2000)})

const header = [
  '# Rules terminologists keep for machine output (format: glossary/README.md, "Rules").',
  '# `stage: source` edits the French before the engine; `stage: target` edits the engine output.',
  '# Each example is checked when the rules load: a rule whose example does not give `expected` is an error.'
].join('\n')

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16)

export function registerRuleRoutes(app: Hono, project: Project, locks: KeyedLock): void {
  const fileOf = (locale: string) => join(rulesDir(project.glossaryDir), `${locale}.yaml`)
  const read = async (locale: string): Promise<RulesData> => {
    const file = fileOf(locale)
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return ''
      throw error
    })
    const display = relative(project.root, file)
    const {rules, problems} = parseRuleFile(text, display, locale)
    return {
      locale,
      file: display,
      rules: rules.map(({file: _file, ...rule}) => rule),
      problems: problems.map((problem) => problem.toLine()),
      version: hashOf(text)
    }
  }

  app.get('/api/rules/:locale', async (c) => c.json(await read(checkLocale(project, c.req.param('locale') ?? ''))))

  app.put('/api/rules/:locale', async (c) => {
    const locale = checkLocale(project, c.req.param('locale') ?? '')
    const body = parseBody(saveSchema, await readJson(c))
    const rules = body.rules.map((raw, index) => {
      const parsed = ruleSchema.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new HttpError(400, 'E_INPUT', `rule ${index + 1}: ${issue?.path.join('.') || 'rule'}: ${issue?.message ?? 'invalid'}`)
      }
      return parsed.data
    })
    const text = `${header}\n${new Document({rules}).toString({lineWidth: 0})}`
    const file = fileOf(locale)
    // Checked exactly as translate will load it: a rule that fails its example is not saved.
    const {problems} = parseRuleFile(text, relative(project.root, file), locale)
    if (problems.length > 0) throw new HttpError(422, 'E_INPUT', problems.map((problem) => problem.message).join('; '), 'fix the rule or its example')
    return locks.run(file, () =>
      withFileLock(file, async () => {
        const current = await read(locale)
        if (current.version !== body.version) {
          throw new HttpError(409, 'E_CONFLICT', `the ${locale} rules changed since you opened them`, 'reload the rules and make your change again')
        }
        await writeFileAtomic(file, text)
        return c.json(await read(locale))
      })
    )
  })
}
