// Reading and writing locale bundles: validated on the way in, serialised in
// a stable order on the way out, written atomically and only when changed.
import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {PasserelleError} from '../errors.ts'
import {bundleSchema, type Bundle} from './schema.ts'

export function bundlePath(localesDir: string, locale: string, slug: string): string {
  return join(localesDir, locale, `${slug}.json`)
}

/** Parse and validate bundle text; `file` names it in errors. */
export function parseBundle(text: string, file: string): Bundle {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new PasserelleError('E_BUNDLE', `bundle is not valid JSON (${(error as Error).message})`, {
      file,
      hint: 'fix the JSON by hand or restore the file from version control'
    })
  }
  const result = bundleSchema.safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue ? issue.path.join('.') : ''
    throw new PasserelleError('E_BUNDLE', `bundle does not match the schema at ${where || 'top level'}: ${issue?.message ?? 'invalid'}`, {
      file,
      hint: 'fix the field or restore the file from version control'
    })
  }
  return result.data
}

/** Stable text form: schema key order, two-space indent, final newline. */
export function serializeBundle(bundle: Bundle): string {
  return JSON.stringify(bundleSchema.parse(bundle), null, 2) + '\n'
}

export async function loadBundle(path: string, display = path): Promise<Bundle | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return parseBundle(text, display)
}

/** The locales that have a folder under `localesDir`. */
export async function listBundleLocales(localesDir: string): Promise<string[]> {
  const entries = await readdir(localesDir, {withFileTypes: true}).catch(() => [])
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
}

/** The article slugs that have a bundle for `locale`. */
export async function listBundleSlugs(localesDir: string, locale: string): Promise<string[]> {
  const entries = await readdir(join(localesDir, locale)).catch(() => [])
  return entries.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -5)).sort()
}

/**
 * Every bundle of a locale (or those of `slugs`) that reads and validates;
 * each one that does not is a problem, and the others still load.
 */
export async function loadLocaleBundles(
  localesDir: string,
  locale: string,
  options: {slugs?: readonly string[]; display?: (path: string) => string} = {}
): Promise<{bundles: Bundle[]; problems: PasserelleError[]}> {
  const bundles: Bundle[] = []
  const problems: PasserelleError[] = []
  for (const slug of options.slugs ?? (await listBundleSlugs(localesDir, locale))) {
    const path = bundlePath(localesDir, locale, slug)
    try {
      const bundle = await loadBundle(path, options.display ? options.display(path) : path)
      if (bundle) bundles.push(bundle)
    } catch (error) {
      problems.push(
        error instanceof PasserelleError
          ? error
          : new PasserelleError('E_BUNDLE', `cannot read bundle: ${(error as Error).message}`, {file: path, hint: 'check the file permissions'})
      )
    }
  }
  return {bundles, problems}
}
