// The build stage: for each locale, every source article is rebuilt from its
// own Markdown tree with each segment's text looked up through i18next. What
// the publish gate (workflow/publish.ts) holds back falls back to French,
// marked `lang="fr"`. Pages come from templates (templates.ts); everything is
// written to a staging folder that replaces dist/ only when the build may be
// published (output.ts), with a report of what was published and why not.
// Incremental: an article rendered before from the same source, bundle and
// settings comes from the build cache (cache.ts) without being parsed, and a
// page made from the same inputs as the one in dist/ is linked, not rewritten.
import i18next, {type i18n} from 'i18next'
import {join, relative} from 'node:path'
import type {Bundle} from '../workflow/types.ts'
import {heldSegments, publishableTargets, type HoldReason} from '../workflow/publish.ts'
import {parseBundle} from '../workflow/store.ts'
import type {Project} from '../config.ts'
import {asPasserelleError, failureOf, PasserelleError, type Failure} from '../errors.ts'
import {rebuild, stringifyMarkdown} from '../segment/index.ts'
import {hashText} from '../translate/cache.ts'
import {fileSourceStore, parseSource, type LoadedArticle, type SourceStore, type SourceText} from '../workflow/sources.ts'
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import packageJson from '../../package.json' with {type: 'json'}
import {stateRank, type Locale, type SegmentState} from '../types.ts'
import {hasFallbackMark, markFallback, stripFallbackMarks, type FallbackOptions} from './fallback.ts'
import {atomFeed, sitemapXml, type SitemapPage} from './feeds.ts'
import {markdownTreeToHtml} from './html.ts'
import {openBuildCache, type BuildCache, type PageBody} from './cache.ts'
import {formatDay, formatPercent, isoDay, parseDay} from './intl.ts'
import {labelsFor, languageName} from './labels.ts'
import {stage} from './output.ts'
import {siteMenu, type MenuGroup} from './site.ts'
import {loadTemplates} from './templates.ts'
import {sanitizeMarkdownUrls} from './urls.ts'

export interface BuildOptions {
  locales: Locale[]
  /** Fail the whole build (exit 1, dist/ untouched) when any segment falls back or is held back. */
  strict: boolean
  /** Lowest state published; lower ones fall back to the source. */
  minState: SegmentState
  /** Where the source articles are read (default: the content folder; `build --database`: the team database). */
  sources?: SourceStore
  /** Where the bundles are read (default: the project's files). */
  bundles?: BundleStore
}

export interface HeldReport {
  segment: string
  reason: HoldReason
  detail: string
  source: string
}

export interface ArticleReport {
  article: string
  /** Whether the article has a page in this locale (at least one of its segments passed the gate). */
  status: 'published' | 'unpublished' | 'partial'
  segments: number
  published: number
  /** No translation, below the publish state, or tags unlike the source's. */
  fallback: number
  blockedByQa: number
  stale: number
  held: HeldReport[]
}

export interface LocaleReport {
  locale: Locale
  /** The tag pages are published under (`en-GB` for `en` with a variant). */
  lang: string
  articles: ArticleReport[]
}

export interface BuildReport {
  locales: LocaleReport[]
  summary: string[]
  failures: Failure[]
  /** Files under dist/ whose content changed (empty when dist/ was left as it was). */
  written: string[]
  /** Files the previous build had that this one does not (unpublished articles, dropped locales). */
  removed: string[]
  /** Whether dist/ now holds this build. */
  published: boolean
}

/** Articles whose slug starts with `_` are partials (the site navigation), not pages. */
const isPartial = (slug: string) => slug.startsWith('_')
const siteSlug = '_site'
const rtl = new Set(['ar', 'he', 'fa', 'ur'])
// No script at all, styles and images from the site itself (and https images); nothing can be framed or posted.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'"

/** An article rendered in one locale, now or by an earlier build. */
interface Rendered {
  file: string
  /** The render key: what the article was rendered from (cache.ts). */
  key: string
  report: ArticleReport
  title: string
  titleFallback: boolean
  date?: Date
  /** The site navigation, for `_site`. */
  menu?: MenuGroup[]
  /** Markdown, HTML body and the i18next runtime resource (`{segment id: target}` for what the gate let through). */
  body(): Promise<PageBody>
}

export async function buildProject(project: Project, options: BuildOptions): Promise<BuildReport> {
  const failures: Failure[] = []
  const {sources, failures: sourceFailures} = await (options.sources ?? fileSourceStore(project)).readSources()
  const bundleStore = options.bundles ?? fileBundleStore(project)
  failures.push(...sourceFailures)
  const settings = project.config.publish
  const source = project.config.sourceLocale
  const locales = [source, ...options.locales.filter((locale) => locale !== source)]
  const langOf = (locale: Locale) => (settings.variants[locale] ? Intl.getCanonicalLocales(settings.variants[locale])[0]! : locale)
  const siteNameOf = (locale: Locale) =>
    typeof settings.siteName === 'string' ? settings.siteName : (settings.siteName[locale] ?? settings.siteName[source] ?? 'Passerelle')
  const marker = settings.fallbackMarker === 'auto' ? stateRank(options.minState) < stateRank('approved') : settings.fallbackMarker
  const fallback: FallbackOptions = {lang: source, marker}
  const templates = await loadTemplates(join(project.root, settings.templates), settings.templates)
  const report: BuildReport = {locales: [], summary: [], failures, written: [], removed: [], published: false}
  const cache = await openBuildCache<ArticleReport>(project, packageJson.version)
  // Everything an article's render depends on besides its source and bundle.
  const settingsKey = hashText(JSON.stringify(project.config), options.minState, String(marker))

  // Sources are parsed only for articles that are rendered, once for all locales; a failure is reported once.
  const parsed = new Map<string, LoadedArticle | undefined>()
  const parse = (text: SourceText): LoadedArticle | undefined => {
    if (!parsed.has(text.slug)) {
      try {
        parsed.set(text.slug, parseSource(text))
      } catch (error) {
        failures.push(failureOf(error, text.file))
        parsed.set(text.slug, undefined)
      }
    }
    return parsed.get(text.slug)
  }

  // Render everything first: which locales an article is published in decides every page's switcher and alternates.
  const rendered = new Map<Locale, Map<string, Rendered>>()
  for (const locale of locales) {
    const pages = new Map<string, Rendered>()
    let i18n: i18n | undefined
    for (const text of sources) {
      const bundleFile = bundleStore.display(locale, text.slug)
      let bundleText: string | undefined
      // A bundle that cannot be read is reported and the article falls back to French; such a render is not cached, so the problem is reported again next time.
      let cacheable = true
      if (locale !== source) {
        try {
          bundleText = await bundleStore.readText(locale, text.slug)
        } catch (error) {
          failures.push(
            failureOf(asPasserelleError(error) ?? new PasserelleError('E_BUNDLE', `cannot read bundle: ${(error as Error).message}`, {file: bundleFile, hint: 'check the file permissions'}))
          )
          cacheable = false
        }
      }
      const key = cache.key({settings: settingsKey, locale, slug: text.slug, sourceHash: text.sourceHash, bundleText})
      const known = cache.page(locale, text.slug, key)
      const renderNow = async (): Promise<{page: Rendered; body: PageBody} | undefined> => {
        const article = parse(text)
        if (!article) return undefined
        let bundle: Bundle | undefined
        if (bundleText !== undefined) {
          try {
            bundle = parseBundle(bundleText, bundleFile)
          } catch (error) {
            failures.push(failureOf(error))
            cacheable = false
          }
        }
        i18n ??= createI18n(source, locale)
        addArticle(i18n, source, locale, article, bundle, options.minState)
        const {page, body} = await render(article, locale, source, i18n, bundle, options.minState, fallback, key)
        if (cacheable) {
          await cache.put(locale, text.slug, {key, report: page.report, title: page.title, titleFallback: page.titleFallback, date: page.date?.toISOString(), menu: page.menu}, body)
        }
        return {page, body}
      }
      try {
        if (known) {
          const page: Rendered = {
            file: text.file,
            key,
            report: known.report,
            title: known.title,
            titleFallback: known.titleFallback,
            ...(known.date ? {date: new Date(known.date)} : {}),
            ...(known.menu ? {menu: known.menu} : {}),
            // A body missing from the cache is rendered again (it then renders as it did: same key).
            body: async () => (await cache.body(locale, text.slug, key)) ?? (await renderNow())!.body
          }
          pages.set(text.slug, page)
          continue
        }
        const fresh = await renderNow()
        if (fresh) pages.set(text.slug, fresh.page)
      } catch (error) {
        failures.push(failureOf(error, text.file))
      }
    }
    rendered.set(locale, pages)
    report.locales.push({locale, lang: langOf(locale), articles: [...pages.values()].map((page) => page.report)})
  }

  const publishedIn = (slug: string) =>
    locales.filter((locale) => {
      const page = rendered.get(locale)!.get(slug)
      return page !== undefined && page.report.status !== 'unpublished'
    })
  const absolute = (path: string) => (settings.baseUrl ? new URL(path, settings.baseUrl).href : undefined)

  if (options.strict) {
    for (const {locale, articles: items} of report.locales) {
      if (locale === source) continue
      for (const item of items) {
        const file = rendered.get(locale)!.get(item.article)!.file
        for (const held of item.held) {
          const error = new PasserelleError(held.reason === 'missing' ? 'E_MISSING' : 'E_UNPUBLISHED', `${locale} ${item.article}, segment ${held.segment}: ${held.detail} («${shorten(held.source)}»)`, {
            hint: held.reason === 'qa' ? 'fix or acknowledge the QA error in the review app' : 'translate and review it, or build without --strict to fall back to French'
          })
          failures.push(failureOf(error, file))
        }
      }
    }
  }

  // A strict build with anything held back or failed publishes nothing: dist/ keeps the previous build.
  let committed: Awaited<ReturnType<Awaited<ReturnType<typeof stage>>['commit']>>['outputs'] | undefined
  if (!(options.strict && failures.length > 0)) {
    const staging = await stage(project.distDir, cache.outputs)
    try {
      await staging.write('style.css', templates.stylesheet)
      const sitemap: SitemapPage[] = []
      for (const locale of locales) {
        const lang = langOf(locale)
        const labels = labelsFor(lang)
        const pages = rendered.get(locale)!
        const site = pages.get(siteSlug)
        const menu: MenuGroup[] = site?.menu ?? []
        if (site && site.report.status !== 'unpublished') await staging.put(`${locale}/${siteSlug}.md`, `r:${site.key}`, async () => (await site.body()).markdown)

        const common = (path: (other: Locale) => string, others: Locale[]) => {
          const alternates = settings.baseUrl
            ? [...others.map((other) => ({hreflang: langOf(other), href: absolute(path(other))!})), ...(others.includes(source) ? [{hreflang: 'x-default', href: absolute(path(source))!}] : [])]
            : []
          return {
            lang,
            dir: rtl.has(new Intl.Locale(lang).language) ? 'rtl' : 'ltr',
            csp,
            siteName: siteNameOf(locale),
            stylesheet: '../style.css',
            home: 'index.html',
            labels,
            menu,
            translated: locale !== source,
            canonical: absolute(path(locale)),
            alternates,
            feed: settings.baseUrl ? {href: 'feed.xml', title: `${siteNameOf(locale)} (${languageName(lang)})`} : undefined,
            languages:
              others.length > 1
                ? others.map((other) => ({lang: langOf(other), name: languageName(langOf(other)), href: `../${other}/${path(other).split('/').pop()}`, current: other === locale}))
                : []
          }
        }

        const entries: {slug: string; page: Rendered}[] = []
        for (const [slug, page] of pages) {
          if (isPartial(slug) || page.report.status === 'unpublished') continue
          entries.push({slug, page})
          const others = publishedIn(slug)
          const path = (other: Locale) => `${other}/${slug}.html`
          await staging.put(`${locale}/${slug}.md`, `r:${page.key}`, async () => (await page.body()).markdown)
          const view = {
            ...common(path, others),
            documentTitle: `${page.title} — ${siteNameOf(locale)}`,
            title: page.title,
            titleLang: page.titleFallback ? source : undefined,
            date: page.date ? {iso: isoDay(page.date), text: formatDay(page.date, lang)} : undefined,
            fallbackNote: page.report.status === 'partial' && marker ? labels.fallbackNote : undefined
          }
          // The page is the template filled with the view and the body: keyed by the three.
          await staging.put(`${locale}/${slug}.html`, `p:${hashText(templates.hash, page.key, JSON.stringify(view))}`, async () =>
            templates.render('article', {...view, body: (await page.body()).html})
          )
          if (locale !== source) {
            await staging.put(`i18n/${locale}/${slug}.json`, `r:${page.key}`, async () => JSON.stringify((await page.body()).runtime, null, 2) + '\n')
          }
          if (settings.baseUrl) {
            sitemap.push({url: absolute(path(locale))!, alternates: alternatesOf(others, path)})
          }
        }
        // Newest first; undated last, then by title.
        entries.sort((a, b) => (b.page.date?.getTime() ?? -Infinity) - (a.page.date?.getTime() ?? -Infinity) || a.page.title.localeCompare(b.page.title, lang))
        const indexPath = (other: Locale) => `${other}/index.html`
        await staging.write(
          `${locale}/index.html`,
          templates.render('index', {
            ...common(indexPath, locales),
            documentTitle: `${labels.articles} — ${siteNameOf(locale)}`,
            title: labels.articles,
            entries: entries.map(({slug, page}) => ({
              href: `${slug}.html`,
              title: page.title,
              titleLang: page.titleFallback ? source : undefined,
              date: page.date ? {iso: isoDay(page.date), text: formatDay(page.date, lang)} : undefined
            }))
          })
        )
        if (settings.baseUrl) {
          sitemap.push({url: absolute(indexPath(locale))!, alternates: alternatesOf(locales, indexPath)})
          await staging.write(
            `${locale}/feed.xml`,
            atomFeed({
              title: `${siteNameOf(locale)} — ${labels.articles}`,
              lang,
              self: absolute(`${locale}/feed.xml`)!,
              home: absolute(indexPath(locale))!,
              author: siteNameOf(locale),
              entries: entries.map(({slug, page}) => ({title: page.title, url: absolute(`${locale}/${slug}.html`)!, date: page.date, lang: page.titleFallback ? source : lang})),
              now: new Date()
            })
          )
        }
      }
      // The site root: one link per language, so that `/` is not a 404 wherever dist/ is put online.
      const rootLang = langOf(source)
      await staging.write(
        'index.html',
        templates.render('index', {
          lang: rootLang,
          dir: rtl.has(new Intl.Locale(rootLang).language) ? 'rtl' : 'ltr',
          csp,
          siteName: siteNameOf(source),
          stylesheet: 'style.css',
          home: 'index.html',
          labels: labelsFor(rootLang),
          menu: [],
          languages: [],
          translated: false,
          canonical: absolute(''),
          alternates: [],
          documentTitle: siteNameOf(source),
          title: siteNameOf(source),
          entries: locales.map((locale) => ({href: `${locale}/index.html`, title: languageName(langOf(locale)), titleLang: langOf(locale)}))
        })
      )
      if (settings.baseUrl) await staging.write('sitemap.xml', sitemapXml(sitemap))
      await staging.write('report.json', JSON.stringify({minState: options.minState, locales: report.locales}, null, 2) + '\n')

      function alternatesOf(others: Locale[], path: (other: Locale) => string): [string, string][] {
        return [...others.map((other): [string, string] => [langOf(other), absolute(path(other))!]), ...(others.includes(source) ? [['x-default', absolute(path(source))!] as [string, string]] : [])]
      }

      const {changed, removed, outputs} = await staging.commit()
      report.written = changed
      report.removed = removed
      report.published = true
      committed = outputs
    } catch (error) {
      await staging.discard()
      throw error
    }
  }

  await cache.save(new Set(sources.map((text) => text.slug)), committed)
  report.summary.push(...summaryLines(report, source))
  const dist = relative(project.root, project.distDir) || '.'
  report.summary.push(
    report.published
      ? `wrote ${report.written.length} changed files under ${dist}/ (the rest already up to date)${report.removed.length > 0 ? `, removed ${report.removed.length}` : ''}${settings.baseUrl ? '' : '; set publish.baseUrl in passerelle.json for canonical URLs, sitemap.xml and feeds'}`
      : `--strict: nothing published, ${dist}/ keeps the previous build`
  )
  if (templates.overridden.length > 0) report.summary.push(`templates from ${settings.templates}/: ${templates.overridden.join(', ')}`)
  return report
}

function shorten(text: string): string {
  const plain = text.replace(/<\/?\d+\/?>/g, '')
  return plain.length > 60 ? `${plain.slice(0, 57)}…` : plain
}

/** One i18next instance per locale: namespaces are article slugs, keys segment ids, values what the gate lets through. */
function createI18n(source: Locale, locale: Locale): i18n {
  const instance = i18next.createInstance()
  void instance.init({
    lng: locale,
    fallbackLng: source,
    resources: {},
    ns: [],
    defaultNS: false,
    keySeparator: false,
    nsSeparator: false,
    returnEmptyString: false,
    initAsync: false,
    interpolation: {escapeValue: false}
  })
  return instance
}

/** An article's namespace: its source sentences, and in a target locale what the gate lets through. */
function addArticle(instance: i18n, source: Locale, locale: Locale, article: LoadedArticle, bundle: Bundle | undefined, minState: SegmentState): void {
  instance.addResourceBundle(source, article.slug, Object.fromEntries(article.segments.map((segment) => [segment.id, segment.source])), false, true)
  if (locale !== source && bundle) instance.addResourceBundle(locale, article.slug, publishableTargets(bundle, minState), false, true)
}

async function render(
  article: LoadedArticle,
  locale: Locale,
  source: Locale,
  i18n: i18n,
  bundle: Bundle | undefined,
  minState: SegmentState,
  fallback: FallbackOptions,
  key: string
): Promise<{page: Rendered; body: PageBody}> {
  const held = bundle ? heldSegments(bundle, minState) : new Map()
  const heldList: HeldReport[] = []
  const runtime: Record<string, string> = {}
  const invalid = new Set<string>()
  const rebuilt = rebuild(
    article.article,
    (segment) => {
      if (locale === source) return undefined
      if (i18n.exists(segment.id, {ns: article.slug, lng: locale, fallbackLng: false})) {
        const text = i18n.t(segment.id, {ns: article.slug, lng: locale, skipInterpolation: true}) as string
        runtime[segment.id] = text
        return text
      }
      const why = held.get(segment.id) ?? {reason: 'missing' as const, detail: bundle ? 'no translation' : `no ${locale} bundle for this article`}
      heldList.push({segment: segment.id, ...why, source: segment.source})
      return markFallback(segment.source)
    },
    {
      frontmatter: (data: Record<string, unknown>) => (locale === source ? data : {...data, lang: locale}),
      onInvalid: (segment: {id: string; source: string}) => {
        invalid.add(segment.id)
        delete runtime[segment.id]
        heldList.push({segment: segment.id, reason: 'tags', detail: 'its target does not parse', source: segment.source})
      }
    }
  )
  const tree = sanitizeMarkdownUrls(rebuilt.tree)
  const rawTitle = typeof rebuilt.frontmatter.title === 'string' ? rebuilt.frontmatter.title : article.slug
  const count = (reason: HoldReason) => heldList.filter((item) => item.reason === reason).length
  const segments = article.segments.length
  const published = locale === source ? segments : segments - heldList.length
  const report: ArticleReport = {
    article: article.slug,
    status: locale === source || heldList.length === 0 ? 'published' : published > 0 ? 'partial' : 'unpublished',
    segments,
    published,
    fallback: count('missing') + count('state') + count('tags'),
    blockedByQa: count('qa'),
    stale: count('stale'),
    held: heldList
  }
  const body: PageBody = {markdown: stripFallbackMarks(stringifyMarkdown(tree)), html: await markdownTreeToHtml(tree, fallback), runtime}
  const date = parseDay(article.article.frontmatter.date)
  const page: Rendered = {
    file: article.file,
    key,
    report,
    title: stripFallbackMarks(rawTitle),
    titleFallback: hasFallbackMark(rawTitle),
    ...(date ? {date} : {}),
    ...(article.slug === siteSlug ? {menu: await siteMenu(tree, fallback)} : {}),
    body: async () => body
  }
  return {page, body}
}


/** Console lines: per locale the totals, per article what was held back, and each segment QA blocked or that is stale. */
function summaryLines(report: BuildReport, source: Locale): string[] {
  const lines: string[] = []
  for (const {locale, lang, articles} of report.locales) {
    const pages = articles.filter((item) => !isPartial(item.article))
    const shown = pages.filter((item) => item.status !== 'unpublished').length
    const label = lang === locale ? locale : `${locale} (${lang})`
    if (locale === source) {
      lines.push(`${label}: ${shown} articles (source)`)
      continue
    }
    const sum = (key: 'segments' | 'published' | 'fallback' | 'blockedByQa' | 'stale') => articles.reduce((total, item) => total + item[key], 0)
    lines.push(
      `${label}: ${shown} of ${pages.length} articles published; segments: ${sum('published')} of ${sum('segments')} published (${formatPercent(sum('published'), sum('segments'), 'en')}), ${sum('fallback')} fallback, ${sum('blockedByQa')} blocked by QA, ${sum('stale')} stale`
    )
    for (const item of articles) {
      if (item.held.length === 0) continue
      lines.push(`  ${item.article}${item.status === 'unpublished' ? ' (not published)' : ''}: ${item.published} published, ${item.fallback} fallback, ${item.blockedByQa} blocked by QA, ${item.stale} stale`)
      for (const held of item.held) {
        if (held.reason === 'qa' || held.reason === 'stale') lines.push(`    ${held.reason === 'qa' ? 'blocked by QA' : 'stale'}: segment ${held.segment}: ${held.detail}`)
      }
    }
  }
  return lines
}
