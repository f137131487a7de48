// Optional YAML front matter at the top of a scraped page (`---` … `---`).
// It lets a person supply what the scrape lost or got wrong: a `title` (a page
// whose first line is not its title) or a `date`. Nothing else is accepted,
// so that a typo in a key is reported instead of ignored.
import {parse as parseYaml} from 'yaml'
import {z} from 'zod'
import {PasserelleError} from '../errors.ts'

export interface PageFields {
  title?: string
  date?: string
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((value) => isRealDate(value), 'is not a calendar date')

const pageFieldsSchema = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty').optional(),
  date: isoDate.optional()
})

const fence = /^---[ \t]*$/

/** Splits leading front matter from the body; `yaml` is undefined when the text has none. */
export function splitFrontmatter(text: string): {yaml: string | undefined; body: string} {
  const lines = text.split(/\r\n|\r|\n/)
  if (!fence.test(lines[0] ?? '')) return {yaml: undefined, body: text}
  const close = lines.findIndex((line, index) => index > 0 && fence.test(line))
  if (close === -1) return {yaml: lines.slice(1).join('\n'), body: ''}
  return {yaml: lines.slice(1, close).join('\n'), body: lines.slice(close + 1).join('\n')}
}

/** Reads and checks a scraped page's front matter; `file` names the page in errors. */
export function readPageFields(text: string, file: string): {fields: PageFields; body: string} {
  const lines = text.split(/\r\n|\r|\n/)
  if (!fence.test(lines[0] ?? '')) return {fields: {}, body: text}
  if (!lines.some((line, index) => index > 0 && fence.test(line))) {
    throw new PasserelleError('E_FRONTMATTER', 'front matter opened with `---` is never closed', {
      file,
      hint: 'end it with a line `---`, or remove the first line'
    })
  }
  const {yaml = '', body} = splitFrontmatter(text)
  let data: unknown
  try {
    data = parseYaml(yaml)
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '').replace(/:\s*$/, '') : String(error)
    throw new PasserelleError('E_FRONTMATTER', `front matter is not valid YAML: ${reason}`, {
      file,
      hint: 'fix the YAML between the `---` lines (e.g. quote a title that contains `: `)',
      cause: error
    })
  }
  const parsed = pageFieldsSchema.safeParse(data ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `\`${issue.path.join('.')}\` ` : ''
    const reason = issue?.code === 'unrecognized_keys' ? `has unknown keys ${issue.keys.join(', ')}` : (issue?.message ?? 'is invalid')
    throw new PasserelleError('E_FRONTMATTER', `front matter ${where}${reason}`, {
      file,
      hint: 'only `title` (text) and `date` (YYYY-MM-DD) are accepted'
    })
  }
  const fields: PageFields = {}
  if (parsed.data.title !== undefined) fields.title = parsed.data.title
  if (parsed.data.date !== undefined) fields.date = parsed.data.date
  return {fields, body}
}

/** `title` and `source` of an article already written, or undefined when it has none or does not parse. */
export function readArticleIdentity(markdown: string): {title: string; source: string} | undefined {
  const {yaml} = splitFrontmatter(markdown)
  if (yaml === undefined) return undefined
  try {
    const data: unknown = parseYaml(yaml)
    if (typeof data !== 'object' || data === null) return undefined
    const {title, source} = data as Record<string, unknown>
    return typeof title === 'string' && typeof source === 'string' ? {title, source} : undefined
  } catch {
    return undefined
  }
}

export function isRealDate(iso: string): boolean {
  const [year, month, day] = iso.split('-').map(Number)
  if (year === undefined || month === undefined || day === undefined) return false
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}
