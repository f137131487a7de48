// The build stage: for each locale, every source article is rebuilt from its
// own Markdown tree with each segment's text looked up through i18next
// (falling back to French), inline markup rebuilt through @formatjs/intl,
// then written as Markdown and HTML, with an index page per locale, i18next
// runtime bundles and a completeness report.
import i18next, {type i18n} from 'i18next'
import {join, relative} from 'node:path'
import type {Bundle} from '../workflow/types.ts'
import {publishableTargets} from '../workflow/publish.ts'
import {loadLocaleBundles} from '../workflow/store.ts'
import type {Project} from '../config.ts'
import {failureOf, PasserelleError, type Failure} from '../errors.ts'
import {writeIfChanged} from '../io/atomic.ts'
import {rebuild} from '../segment/index.ts'
import {loadSources, type LoadedArticle} from '../workflow/sources.ts'
import type {Locale, SegmentState} from '../types.ts'
import {escapeHtml, htmlPage, markdownTreeToHtml} from './html.ts'
import {formatDay, formatPercent, isoDay, parseDay} from './intl.ts'

export interface BuildOptions {
  locales: Locale[]
  /** Fail an article (not the whole build) when a segment has no publishable translation. */
  strict: boolean
  /** Lowest state published; lower ones fall back to the source. */
  minState: SegmentState
}

export interface ArticleReport {
  article: string
  segments: number
  translated: number
  fallback: number
}

export interface BuildReport {
  locales: {locale: Locale; articles: ArticleReport[]}[]
  summary: string[]
  failures: Failure[]
  written: string[]
}

/** Articles whose slug starts with `_` are partials (the site navigation), not pages. */
const isPartial = (slug: string) => slug.startsWith('_')
const siteSlug = '_site'

export async function buildProject(project: Project, options: BuildOptions): Promise<BuildReport> {
  const failures: Failure[] = []
  const written: string[] = []
  const {articles, failures: sourceFailures} = await loadSources(project)
  failures.push(...sourceFailures)
  const source = project.config.sourceLocale
  const locales = [source, ...options.locales.filter((locale) => locale !== source)]
  const pages = articles.filter((article) => !isPartial(article.slug)).map((article) => article.slug)
  const report: BuildReport = {locales: [], summary: [], failures, written}

  let unchanged = 0
  const write = async (path: string, text: string) => {
    if (await writeIfChanged(path, text)) written.push(path)
    else unchanged++
  }

  for (const locale of locales) {
    const bundles = locale === source ? new Map<string, Bundle>() : await loadBundles(project, locale, articles, failures)
    const i18n = await createI18n(source, locale, articles, bundles, options.minState)
    const localeReport: ArticleReport[] = []
    const built = new Map<string, {title: string; date?: Date; completeness: number}>()

    // The site navigation, rendered once per locale and placed on every page.
    const site = articles.find((article) => article.slug === siteSlug)
    let siteRendered: Awaited<ReturnType<typeof render>> | undefined
    if (site) {
      try {
        siteRendered = await render(site, locale, i18n, options, source)
      } catch (error) {
        // A page without its navigation is still a page: report, and go on.
        failures.push(failureOf(error, site.file))
      }
    }
    const nav = siteRendered?.html

    for (const article of articles) {
      if (article === site && !siteRendered) continue
      try {
        const result = article === site ? siteRendered! : await render(article, locale, i18n, options, source)
        localeReport.push(result.report)
        const outDir = join(project.distDir, locale)
        await write(join(outDir, `${article.slug}.md`), result.markdown)
        if (isPartial(article.slug)) continue
        const title = stringField(result.frontmatter.title) ?? article.slug
        const date = parseDay(article.article.frontmatter.date)
        const lead = date ? `<p><time datetime="${isoDay(date)}">${escapeHtml(formatDay(date, locale))}</time></p>` : undefined
        const alternates = Object.fromEntries(locales.map((other) => [other, `../${other}/${article.slug}.html`]))
        await write(
          join(outDir, `${article.slug}.html`),
          htmlPage({locale, title, body: result.html, alternates, defaultLocale: source, nav, lead})
        )
        built.set(article.slug, {title, date, completeness: result.report.segments ? result.report.translated / result.report.segments : 1})
        if (locale !== source) {
          await write(join(project.distDir, 'i18n', locale, `${article.slug}.json`), JSON.stringify(i18n.getResourceBundle(locale, article.slug) ?? {}, null, 2) + '\n')
        }
      } catch (error) {
        failures.push(failureOf(error, `dist/${locale}/${article.slug}`))
      }
    }

    await write(join(project.distDir, locale, 'index.html'), indexPage(locale, locales, source, pages, built, nav))
    report.locales.push({locale, articles: localeReport})
    const segments = localeReport.reduce((sum, item) => sum + item.segments, 0)
    const translated = localeReport.reduce((sum, item) => sum + item.translated, 0)
    report.summary.push(
      locale === source
        ? `${locale}: ${built.size} pages (source)`
        : `${locale}: ${built.size} pages, ${translated}/${segments} segments translated (${formatPercent(segments ? translated / segments : 1, 'en')}), the rest in ${source}`
    )
  }

  await write(join(project.distDir, 'report.json'), JSON.stringify({locales: report.locales}, null, 2) + '\n')
  report.summary.push(`wrote ${written.length} files under ${relative(project.root, project.distDir) || '.'}/ (${unchanged} already up to date)`)
  return report
}

async function loadBundles(project: Project, locale: Locale, articles: LoadedArticle[], failures: Failure[]): Promise<Map<string, Bundle>> {
  const {bundles, problems} = await loadLocaleBundles(project.localesDir, locale, {
    slugs: articles.map((article) => article.slug),
    display: (path) => relative(project.root, path)
  })
  failures.push(...problems.map((problem) => failureOf(problem)))
  return new Map(bundles.map((bundle) => [bundle.article, bundle]))
}

/** One i18next instance per locale: namespaces are article slugs, keys segment ids. */
async function createI18n(
  source: Locale,
  locale: Locale,
  articles: LoadedArticle[],
  bundles: Map<string, Bundle>,
  minState: SegmentState
): Promise<i18n> {
  const resources: Record<string, Record<string, Record<string, string>>> = {[source]: {}, [locale]: {}}
  for (const article of articles) {
    resources[source]![article.slug] = Object.fromEntries(article.segments.map((segment) => [segment.id, segment.source]))
    const bundle = bundles.get(article.slug)
    if (locale === source || !bundle) continue
    resources[locale]![article.slug] = publishableTargets(bundle, minState)
  }
  const instance = i18next.createInstance()
  await instance.init({
    lng: locale,
    fallbackLng: source,
    resources,
    ns: articles.map((article) => article.slug),
    defaultNS: false,
    keySeparator: false,
    nsSeparator: false,
    returnEmptyString: false,
    initAsync: false,
    interpolation: {escapeValue: false}
  })
  return instance
}

async function render(article: LoadedArticle, locale: Locale, i18n: i18n, options: BuildOptions, source: Locale) {
  const missing: string[] = []
  let translated = 0
  const broken: string[] = []
  const rebuilt = rebuild(
    article.article,
    (segment) => {
      if (locale === source) return undefined
      const has = i18n.exists(segment.id, {ns: article.slug, lng: locale, fallbackLng: false})
      if (!has) {
        missing.push(segment.id)
        return undefined
      }
      translated++
      return i18n.t(segment.id, {ns: article.slug, lng: locale, skipInterpolation: true}) as string
    },
    {
      frontmatter: (data: Record<string, unknown>) => (locale === source ? data : {...data, lang: locale}),
      onInvalid: (segment: {id: string}) => broken.push(segment.id)
    }
  )
  const unpublished = [...missing, ...broken]
  if (options.strict && locale !== source && unpublished.length > 0) {
    throw new PasserelleError('E_MISSING', `${unpublished.length} segment(s) have no publishable ${locale} translation (first: ${unpublished[0]})`, {
      file: article.file,
      hint: 'translate and review them, or build without --strict to fall back to the source'
    })
  }
  return {
    markdown: rebuilt.markdown,
    html: await markdownTreeToHtml(rebuilt.tree),
    frontmatter: rebuilt.frontmatter,
    report: {article: article.slug, segments: article.segments.length, translated: translated - broken.length, fallback: unpublished.length}
  }
}

function indexPage(
  locale: Locale,
  locales: Locale[],
  source: Locale,
  pages: string[],
  built: Map<string, {title: string; date?: Date; completeness: number}>,
  nav: string | undefined
): string {
  const items = pages
    .filter((slug) => built.has(slug))
    .map((slug) => {
      const page = built.get(slug)!
      const date = page.date ? ` <time datetime="${isoDay(page.date)}">${escapeHtml(formatDay(page.date, locale))}</time>` : ''
      const done = locale === source ? '' : ` <small>${escapeHtml(formatPercent(page.completeness, locale))}</small>`
      return `<li><a href="${escapeHtml(slug)}.html">${escapeHtml(page.title)}</a>${date}${done}</li>`
    })
  const alternates = Object.fromEntries(locales.map((other) => [other, `../${other}/index.html`]))
  return htmlPage({locale, title: indexTitle(locale), body: `<ul>\n${items.join('\n')}\n</ul>`, alternates, defaultLocale: source, nav})
}

function indexTitle(locale: Locale): string {
  const titles: Record<string, string> = {fr: 'Articles', en: 'Articles', es: 'Artículos', ca: 'Articles'}
  return titles[locale.split('-')[0]!] ?? 'Articles'
}


function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
