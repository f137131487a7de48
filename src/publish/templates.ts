// Page templates (Mustache: logic-less, and `{{x}}` escapes by default). The
// defaults live in ./templates; a publisher overrides any of them, or the
// stylesheet, by putting a file of the same name in the project's templates
// folder (`publish.templates` in passerelle.json).
import Mustache from 'mustache'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {PasserelleError} from '../errors.ts'
import {hashText} from '../translate/cache.ts'
import {escapeHtml} from './html.ts'

export const templateNames = ['article', 'index', 'head', 'header', 'footer'] as const
export type TemplateName = (typeof templateNames)[number]

const defaultsDir = fileURLToPath(new URL('./templates/', import.meta.url))

export interface Templates {
  render(name: 'article' | 'index', view: object): string
  stylesheet: string
  /** Hash of every template and the stylesheet: part of each page's key in the build cache. */
  hash: string
  /** Files taken from the project folder instead of the defaults. */
  overridden: string[]
}

export async function loadTemplates(projectDir: string, display: string): Promise<Templates> {
  let own: string[] = []
  try {
    own = await readdir(projectDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const overridden: string[] = []
  const read = async (file: string) => {
    if (own.includes(file)) {
      overridden.push(file)
      return readFile(join(projectDir, file), 'utf8')
    }
    return readFile(join(defaultsDir, file), 'utf8')
  }
  const sources = {} as Record<TemplateName, string>
  for (const name of templateNames) {
    const text = await read(`${name}.mustache`)
    try {
      Mustache.parse(text)
    } catch (error) {
      throw new PasserelleError('E_TEMPLATE', `template ${name}.mustache does not parse: ${(error as Error).message}`, {
        file: own.includes(`${name}.mustache`) ? `${display}/${name}.mustache` : undefined,
        hint: 'fix the Mustache syntax, or delete the file to use the default template'
      })
    }
    sources[name] = text
  }
  const stylesheet = await read('style.css')
  const partials = {head: sources.head, header: sources.header, footer: sources.footer}
  return {
    // Mustache's own escape also turns `/` into `&#x2F;`, which makes URLs unreadable in the source.
    render: (name, view) => Mustache.render(sources[name], view, partials, {escape: escapeHtml}),
    stylesheet,
    hash: hashText(...templateNames.map((name) => sources[name]), stylesheet),
    overridden
  }
}
