// Source articles read from the team database (`articles`, kept as the exact
// text of content/**), through the same rule as the content folder
// (`collectSources`): same slugs, same failures, the same text once decoded
// (a byte-order mark dropped), so a build from the database equals a build
// from the exported files.
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {decodeText} from '../io/read-text.ts'
import {collectSources, slugOf, type SourceStore} from '../workflow/sources.ts'
import type {Database, Pool} from './connect.ts'

export function databaseSourceStore(db: Database | Pool, project: Pick<Project, 'config'>): SourceStore {
  const locale = project.config.sourceLocale
  const folder = `content/${locale}`
  return {
    async readSources(only) {
      const {rows} = await db.query<{path: string; text: string}>('SELECT path, text FROM articles WHERE starts_with(path, $1) ORDER BY path COLLATE "C"', [`${locale}/`])
      // Articles directly in content/<source>/, as the folder store lists them.
      const articles = rows.filter((row) => /^[^/]+\.md$/.test(row.path.slice(locale.length + 1)))
      if (articles.length === 0 && rows.length === 0) {
        throw new PasserelleError('E_INPUT', 'no source articles in the database', {file: folder, hint: 'run `passerelle db import` from the project first'})
      }
      return collectSources(
        articles.map((row) => {
          const file = `content/${row.path}`
          return {
            slug: slugOf(row.path),
            file,
            read: async () => {
              const bytes = Buffer.from(row.text, 'utf8')
              if (bytes.length > project.config.maxFileBytes) {
                throw new PasserelleError('E_TOO_LARGE', `file is ${bytes.length} bytes, over the ${project.config.maxFileBytes}-byte limit`, {file, hint: 'split the article into smaller files'})
              }
              return decodeText(bytes, file)
            }
          }
        }),
        folder,
        only
      )
    }
  }
}
