// Project layout and settings. `passerelle.json` at the project root is
// optional; every field has a default that fits the OIM content.
import {readFile} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {z} from 'zod'
import {fromSystemError, PasserelleError} from './errors.ts'

const configSchema = z.strictObject({
  sourceLocale: z.string().default('fr'),
  /** Locales `translate` and `build` cover when `--to` is not given. */
  locales: z.array(z.string()).default(['en', 'es']),
  engine: z.enum(['apertium', 'deepl', 'pseudo']).default('apertium'),
  /** Lowest state a segment needs to be published by `build` (others fall back to the source). */
  publishState: z.enum(['machine', 'fuzzy', 'translated', 'reviewed', 'approved']).default('machine'),
  /** TM fuzzy threshold, in percent. */
  tmThreshold: z.number().min(50).max(100).default(75),
  /** Refuse source files over this many bytes. */
  maxFileBytes: z.number().int().positive().default(5 * 1024 * 1024),
  deepl: z
    .strictObject({
      /** Locale → DeepL target code, e.g. {"en": "en-US"}. */
      targets: z.record(z.string(), z.string()).default({}),
      formality: z.record(z.string(), z.enum(['default', 'more', 'less', 'prefer_more', 'prefer_less'])).default({})
    })
    .default({targets: {}, formality: {}}),
  /** The published site (`build`). */
  publish: z
    .strictObject({
      /** Absolute site address (`https://example.org/news/`): canonical and hreflang URLs, sitemap.xml, Atom feeds. */
      baseUrl: z
        .url({protocol: /^https?$/})
        .transform((url) => (url.endsWith('/') ? url : `${url}/`))
        .optional(),
      /** Site name in the header, page titles and feeds; one string, or one per locale (`{"fr": …, "en": …}`). */
      siteName: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]).default('Passerelle'),
      /** Locale → regional variant it is published as (`{"en": "en-GB"}`): `lang`, hreflang, dates and numbers. */
      variants: z.record(z.string(), z.string()).default({}),
      /** Mark French fallback text visibly: `auto` = when the publish state is below `approved`. */
      fallbackMarker: z.union([z.boolean(), z.literal('auto')]).default('auto'),
      /** Project folder whose files replace the default templates and stylesheet of the same name. */
      templates: z.string().default('templates')
    })
    .default({siteName: 'Passerelle', variants: {}, fallbackMarker: 'auto', templates: 'templates'}),
  /**
   * Post-editing of machine output per target locale (never of human work):
   * each step is on by default where Passerelle has it for the locale; `false`
   * switches it off, e.g. {"es": {"honorifics": false}}.
   */
  postEdit: z
    .record(
      z.string(),
      z.strictObject({
        casing: z.boolean().optional(),
        quotes: z.boolean().optional(),
        spacing: z.boolean().optional(),
        numbers: z.boolean().optional(),
        honorifics: z.boolean().optional(),
        register: z.boolean().optional(),
        rules: z.boolean().optional()
      })
    )
    .default({})
})

export type Config = z.infer<typeof configSchema>

/** Locales Passerelle knows how to name, format and translate into. */
export const knownLocales: ReadonlySet<string> = new Set([
  'fr', 'en', 'en-GB', 'en-US', 'es', 'ca', 'pt', 'de', 'it', 'ar', 'zh', 'ru', 'ja', 'nl', 'pl'
])

export interface Project {
  root: string
  config: Config
  contentDir: string
  glossaryDir: string
  localesDir: string
  tmDir: string
  distDir: string
}

export async function loadProject(root = process.cwd()): Promise<Project> {
  const absolute = resolve(root)
  const file = join(absolute, 'passerelle.json')
  let raw: unknown = {}
  try {
    raw = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw fromSystemError(error, file) ?? new PasserelleError('E_CONFIG', `cannot read configuration: ${(error as Error).message}`, {
        file: 'passerelle.json',
        hint: 'fix the JSON or delete the file to use the defaults'
      })
    }
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new PasserelleError('E_CONFIG', `invalid setting ${issue?.path.join('.') || ''}: ${issue?.message ?? ''}`, {
      file: 'passerelle.json',
      hint: 'see the Configuration section of the README'
    })
  }
  const config = parsed.data
  for (const locale of [config.sourceLocale, ...config.locales]) assertLocale(locale, 'passerelle.json')
  for (const [locale, variant] of Object.entries(config.publish.variants)) assertVariant(locale, variant)
  return {
    root: absolute,
    config,
    contentDir: join(absolute, 'content', config.sourceLocale),
    glossaryDir: join(absolute, 'glossary'),
    localesDir: join(absolute, 'locales'),
    tmDir: join(absolute, 'tm'),
    distDir: join(absolute, 'dist')
  }
}

export function assertLocale(locale: string, file?: string): void {
  if (!knownLocales.has(locale)) {
    throw new PasserelleError('E_LOCALE', `unknown locale '${locale}'`, {
      file,
      hint: `use one of: ${[...knownLocales].join(', ')}`
    })
  }
}

/** A publishing variant is a valid BCP 47 tag of the same language (`en` → `en-GB`, `es` → `es-419`). */
function assertVariant(locale: string, variant: string): void {
  let canonical: string | undefined
  try {
    canonical = Intl.getCanonicalLocales(variant)[0]
  } catch {
    canonical = undefined
  }
  if (!canonical || new Intl.Locale(canonical).language !== new Intl.Locale(locale).language) {
    throw new PasserelleError('E_CONFIG', `invalid setting publish.variants.${locale}: '${variant}' is not a regional variant of '${locale}'`, {
      file: 'passerelle.json',
      hint: `use a BCP 47 tag of the same language, e.g. "${locale}-GB" or "${locale}-419"`
    })
  }
}

/** Parse a `--to en,es` list, refusing unknown locales and the source locale. */
export function parseLocaleList(value: string | undefined, config: Config): string[] {
  const locales = value ? value.split(',').map((item) => item.trim()).filter(Boolean) : config.locales
  for (const locale of locales) {
    assertLocale(locale)
    if (locale === config.sourceLocale) {
      throw new PasserelleError('E_LOCALE', `'${locale}' is the source locale`, {hint: 'name target locales only'})
    }
  }
  return [...new Set(locales)]
}
