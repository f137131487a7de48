// The rules editor's API: a target locale's post-edit rules
// (`glossary/rules/<locale>.yaml`, see src/postedit/rules.ts; rows in team
// mode), read and saved whole through the rules store (src/postedit/store.ts).
// A save is checked the way `translate` loads the file (schema, and each
// example must give its expected text) and refused with the problems
// otherwise; a `version` (of the set as read) guards against overwriting a
// change made meanwhile in another tab, by another terminologist or in an editor.
import type {Context, Hono} from 'hono'
import {z} from 'zod'
import type {Project} from '../config.ts'
import type {Actor} from '../glossary/store.ts'
import {ruleSchema, type Rule} from '../postedit/rules.ts'
import type {RulesStore} from '../postedit/store.ts'
import type {KeyedLock} from './lock.ts'
import {HttpError, readJson} from './security.ts'
import {checkLocale, parseBody} from './validate.ts'

export interface RulesData {
  locale: string
  /** Project-relative path of the file (it may not exist yet). */
  file: string
  rules: (Rule & {line: number})[]
  /** Problems of the set as stored (those rules are left out of `rules`). */
  problems: string[]
  /** Version of the set as read; send it back with a save. */
  version: string
}

const saveSchema = z.strictObject({version: z.string().max(64), rules: z.array(z.unknown()).max(2000)})

export function registerRuleRoutes(app: Hono, project: Project, locks: KeyedLock, store: RulesStore, actor: (c: Context) => Actor | undefined = () => undefined): void {
  const read = async (locale: string): Promise<RulesData> => {
    const view = await store.read(locale)
    return {
      locale,
      file: view.file,
      rules: view.rules.map(({file: _file, ...rule}) => rule),
      problems: view.problems.map((problem) => problem.toLine()),
      version: view.version
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
    // The store refuses a rule that fails its example (422) and a stale version (409).
    const who = actor(c)
    await locks.run(`rules:${locale}`, () => store.save(locale, rules, body.version, who))
    return c.json(await read(locale))
  })
}
