// Files ⇄ database. `importProject` loads a project's content/, glossary/
// (the termbase and the post-editing rules also as rows), locales/ and tm/
// into the team database; `exportProject` writes them back,
// bundles through the workflow's one writer (`updateBundle`), other files
// atomically. Source, glossary and TM files are kept as their exact text, and
// a bundle's serialised form is canonical, so files → database → files gives
// the same bytes. Each unreadable file is a problem; the others still go.
import {readFile, readdir} from 'node:fs/promises'
import {isAbsolute, join, relative, sep} from 'node:path'
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {listBundleLocales, listBundleSlugs, bundlePath, loadBundle, updateBundle, type Bundle} from '../workflow/index.ts'
import {readBundleRows, writeRows} from './bundle-rows.ts'
import {inTransaction, type Database} from './connect.ts'
import {glossaryExportTexts, importGlossary} from './glossary.ts'
import {importRules, rulesExportTexts} from './rules.ts'
import {assertMigrated} from './migrate.ts'

/** The plain-file folders kept as exact text, and their tables. */
const fileTables = [
  {folder: 'content', table: 'articles'},
  {folder: 'glossary', table: 'glossary_files'},
  {folder: 'tm', table: 'tm_files'}
] as const

type Folder = (typeof fileTables)[number]['folder']

export interface ImportResult {
  /** Files stored per folder (`locales` counts bundles). */
  files: Record<Folder | 'locales', number>
  segments: number
  /** Termbase entries stored as rows. */
  concepts: number
  patterns: number
  /** Post-editing rules stored as rows. */
  rules: number
  problems: PasserelleError[]
}

export interface ExportResult {
  /** Files whose content changed, relative to the project root. */
  written: string[]
  /** Files the database holds (written or already identical). */
  total: number
  problems: PasserelleError[]
}

/** Files under `dir`, relative to it with `/`, skipping dotfiles and the lock and temporary files writers leave. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.')) && !path.endsWith('.lock') && !path.endsWith('.tmp'))
    .sort()
}

/** Exact text of a UTF-8 file, byte-order mark included, so that writing it back gives the same bytes. */
async function readExact(path: string, display: string): Promise<string> {
  const bytes = await readFile(path)
  if (bytes.includes(0)) throw new PasserelleError('E_BINARY', 'file contains NUL bytes: it cannot be stored as text', {file: display, hint: 'remove the file or re-save it as UTF-8 text'})
  try {
    return new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes)
  } catch (error) {
    throw new PasserelleError('E_ENCODING', 'file is not valid UTF-8', {file: display, hint: 're-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)', cause: error})
  }
}

function asProblem(error: unknown, file: string): PasserelleError {
  return error instanceof PasserelleError ? error : new PasserelleError('E_INPUT', `cannot read file: ${(error as Error).message}`, {file, hint: 'check the file permissions'})
}

/**
 * Replace the database's project with the files: every readable file is
 * stored, rows of files that no longer exist are removed, and a file that
 * cannot be read leaves its rows as they were. One transaction.
 */
export async function importProject(db: Database, project: Pick<Project, 'root' | 'localesDir'>): Promise<ImportResult> {
  await assertMigrated(db)
  const problems: PasserelleError[] = []
  const files = {content: 0, glossary: 0, tm: 0, locales: 0}
  let segments = 0
  let termbase = {concepts: 0, patterns: 0}
  let rules = 0
  await inTransaction(db, async () => {
    const glossaryTexts: {path: string; text: string}[] = []
    for (const {folder, table} of fileTables) {
      const paths = await listFiles(join(project.root, folder))
      await db.query(`DELETE FROM ${table} WHERE NOT (path = ANY($1))`, [paths])
      for (const path of paths) {
        const display = `${folder}/${path}`
        let text: string
        try {
          text = await readExact(join(project.root, folder, path), display)
        } catch (error) {
          problems.push(asProblem(error, display))
          // Its concepts keep their rows: the termbase is rebuilt from the text the database already holds.
          if (folder === 'glossary') {
            const {rows} = await db.query<{text: string}>('SELECT text FROM glossary_files WHERE path = $1', [path])
            if (rows[0]) glossaryTexts.push({path, text: rows[0].text})
          }
          continue
        }
        if (folder === 'glossary') glossaryTexts.push({path, text})
        await db.query(
          `INSERT INTO ${table} (path, text) VALUES ($1, $2)
           ON CONFLICT (path) DO UPDATE SET text = excluded.text, updated_at = now() WHERE ${table}.text IS DISTINCT FROM excluded.text`,
          [path, text]
        )
        files[folder] += 1
      }
    }
    termbase = await importGlossary(db, glossaryTexts)
    rules = (await importRules(db, glossaryTexts)).rules

    const present: {locale: string; article: string}[] = []
    for (const locale of await listBundleLocales(project.localesDir)) {
      for (const article of await listBundleSlugs(project.localesDir, locale)) {
        present.push({locale, article})
        const path = bundlePath(project.localesDir, locale, article)
        let bundle: Bundle | undefined
        try {
          bundle = await loadBundle(path, relative(project.root, path))
        } catch (error) {
          problems.push(asProblem(error, relative(project.root, path)))
          continue
        }
        if (!bundle) continue
        // Stored under the file's own locale and slug (the header names the bundle, as the path does).
        await writeRows(db, undefined, {...bundle, locale, article})
        files.locales += 1
        segments += bundle.segments.length + bundle.retired.length
      }
    }
    await db.query(
      `DELETE FROM bundles b WHERE NOT EXISTS (
         SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS p(locale text, article text) WHERE p.locale = b.locale AND p.article = b.article)`,
      [JSON.stringify(present)]
    )
  })
  return {files, segments, ...termbase, rules, problems}
}

/** A stored path that stays inside its folder (the database is not trusted to name files). */
function safeRelative(path: string): boolean {
  return path !== '' && !isAbsolute(path) && !path.includes('\\') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
}

/**
 * Write the database's project into the files. Files the database does not
 * hold are left alone (never deleted). Bundles go through `updateBundle`,
 * which validates them and writes only when the text changed.
 */
export async function exportProject(db: Database, project: Pick<Project, 'root' | 'localesDir'> & Partial<Pick<Project, 'config'>>): Promise<ExportResult> {
  await assertMigrated(db)
  const problems: PasserelleError[] = []
  const written: string[] = []
  let total = 0
  // Concepts edited in the database are written in the languages' project order, as the review app saves them.
  const localeOrder = project.config ? [project.config.sourceLocale, ...project.config.locales] : undefined
  const glossaryTexts = await glossaryExportTexts(db, localeOrder ? {localeOrder} : {})
  // Rule sets edited in the database are rendered from their rows; the others stay their imported text.
  for (const [path, text] of await rulesExportTexts(db)) glossaryTexts.set(path, text)
  for (const {folder, table} of fileTables) {
    const {rows} =
      folder === 'glossary'
        ? {rows: [...glossaryTexts].map(([path, text]) => ({path, text}))}
        : await db.query<{path: string; text: string}>(`SELECT path, text FROM ${table} ORDER BY path`)
    for (const row of rows) {
      const display = `${folder}/${row.path}`
      if (!safeRelative(row.path)) {
        problems.push(new PasserelleError('E_INPUT', `the database names a file outside ${folder}/`, {file: display, hint: `fix the path in the ${table} table`}))
        continue
      }
      total += 1
      const path = join(project.root, folder, row.path)
      const current = await readFile(path, 'utf8').catch(() => undefined)
      if (current === row.text) continue
      await writeFileAtomic(path, row.text)
      written.push(display)
    }
  }
  const {rows: headers} = await db.query<{locale: string; article: string; schema: number; source_locale: string; source_hash: string}>(
    'SELECT locale, article, schema, source_locale, source_hash FROM bundles ORDER BY locale, article'
  )
  for (const header of headers) {
    const display = `locales/${header.locale}/${header.article}.json`
    if (!safeRelative(header.locale) || !safeRelative(header.article) || header.locale.includes('/') || header.article.includes('/')) {
      problems.push(new PasserelleError('E_INPUT', 'the database names a bundle outside locales/', {file: display, hint: 'fix the locale or article in the bundles table'}))
      continue
    }
    total += 1
    try {
      const bundle = await readBundleRows(db, header)
      const result = await updateBundle(project, header.locale, header.article, () => bundle)
      if (result.written) written.push(relative(project.root, result.path).split(sep).join('/'))
    } catch (error) {
      problems.push(asProblem(error, display))
    }
  }
  return {written, total, problems}
}
