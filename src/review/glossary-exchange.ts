// The termbase in and out of the review app: TBX and CSV export (a download)
// and import (an upload, first as a preview, then applied). The import is the
// CLI's `glossary import` (`glossaryImportText` in the exchange stage): the same
// parsing, merge rules and report — new, changed, unchanged concepts and
// conflicts, among them source terms another concept already has
// (`sourceTermOwners`) — so the app and the CLI never disagree; in team mode
// both merge into the database's termbase through its store. Writes sit
// behind the same token, CSRF and JSON guards as every other write.
import {relative} from 'node:path'
import type {Context, Hono} from 'hono'
import type {Actor, TermbaseStore} from '../glossary/store.ts'
import {z} from 'zod'
import {PasserelleError} from '../errors.ts'
import {glossaryExportProject, glossaryImportText} from '../exchange/run.ts'
import {HttpError, readJson} from './security.ts'
import {parseBody} from './validate.ts'
import type {GlossaryImportResponse} from './wire.ts'
import type {WriteContext} from './write.ts'

const importSchema = z.strictObject({
  /** The file's name: says the format (`.csv`/`.tsv` → CSV, else TBX) and names it in messages. */
  name: z.string().trim().min(1).max(200),
  text: z.string().min(1),
  format: z.enum(['tbx', 'csv']).optional(),
  conflicts: z.enum(['keep', 'theirs']).default('keep'),
  /** False: report what would change, write nothing (the preview). */
  apply: z.boolean()
})

export interface GlossaryExchangeOptions {
  /** Team mode: the database's termbase (default: the glossary folder). */
  termbase?: TermbaseStore
  /** Team mode: who an applied import is credited to in the audit. */
  actor?: (c: Context) => Actor
}

export function registerGlossaryExchangeRoutes(app: Hono, context: WriteContext, options: GlossaryExchangeOptions = {}): void {
  const {project, locks} = context
  const {termbase} = options

  app.get('/api/glossary/export', async (c) => {
    const format = c.req.query('format') ?? 'tbx'
    if (format !== 'tbx' && format !== 'csv') throw new HttpError(400, 'E_INPUT', 'format must be tbx or csv')
    const {text} = await glossaryExportProject(project, {format, ...(termbase ? {termbase} : {})})
    c.header('Content-Type', format === 'tbx' ? 'application/x-tbx+xml; charset=utf-8' : 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="glossary.${format}"`)
    return c.body(text)
  })

  app.post('/api/glossary/import', async (c) => {
    const request = parseBody(importSchema, await readJson(c))
    const name = request.name.replace(/[\\/]/g, '_')
    try {
      const result = await locks.run(project.glossaryDir, () =>
        glossaryImportText(project, request.text, name, {
          ...(request.format ? {format: request.format} : {}),
          conflicts: request.conflicts,
          dryRun: !request.apply,
          ...(termbase ? {termbase, ...(options.actor ? {actor: options.actor(c)} : {})} : {})
        })
      )
      const body: GlossaryImportResponse = {
        applied: request.apply,
        report: result.report,
        warnings: result.warnings,
        written: result.written.map((path) => relative(project.root, path)),
        problems: result.failures.map((failure) => (failure.file ? `${relative(project.root, failure.file) || failure.file}: ${failure.message}` : failure.message))
      }
      return c.json(body)
    } catch (error) {
      // A file refused as a whole (not TBX, malformed XML, a CSV without the columns): the upload's fault, said in one line.
      if (error instanceof PasserelleError && !['E_NOT_FOUND', 'E_CONFLICT'].includes(error.code)) {
        throw new HttpError(422, 'E_INPUT', `${name}: ${error.message}`, error.hint)
      }
      throw error
    }
  })
}
