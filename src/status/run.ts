import {relative} from 'node:path'
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import {bundlePath, listBundleSlugs, parseBundle} from '../workflow/store.ts'
import type {Project} from '../config.ts'
import {asPasserelleError, failureOf, PasserelleError, type Failure} from '../errors.ts'
import {fileIdentity, readWithIdentity} from '../io/file-identity.ts'
import {openStatusCache} from './cache.ts'
import {articleStatus, localeStatus, localeTotals, type ArticleStatus, type LocaleStatus} from './compute.ts'

/**
 * Read every bundle (or those of `locales`) and compute the status; unreadable
 * bundles are reported. From the project's files, bundles unchanged since the
 * last run are not read: their figures come from the status cache (cache.ts).
 */
export async function projectStatus(
  project: Project,
  locales?: string[],
  store: BundleStore = fileBundleStore(project)
): Promise<{locales: LocaleStatus[]; failures: Failure[]}> {
  const failures: Failure[] = []
  const result: LocaleStatus[] = []
  for (const locale of locales ?? (await store.listLocales())) {
    if (store.kind === 'files') {
      result.push(await cachedLocaleStatus(project, locale, failures))
      continue
    }
    const {bundles, problems} = await store.readLocale(locale)
    failures.push(...problems.map((problem) => failureOf(problem)))
    result.push(localeStatus(locale, bundles))
  }
  return {locales: result, failures}
}

async function cachedLocaleStatus(project: Project, locale: string, failures: Failure[]): Promise<LocaleStatus> {
  const cache = await openStatusCache(project.root, locale)
  const slugs = await listBundleSlugs(project.localesDir, locale)
  const articles: ArticleStatus[] = []
  for (const slug of slugs) {
    const path = bundlePath(project.localesDir, locale, slug)
    const display = relative(project.root, path)
    try {
      const now = cache.has(slug) ? await fileIdentity(path) : undefined
      const known = now && cache.get(slug, now)
      if (known) {
        articles.push(known)
        continue
      }
      const {text, identity} = await readWithIdentity(path)
      const status = articleStatus(parseBundle(text, display))
      articles.push(status)
      cache.set(slug, identity, status)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      failures.push(
        failureOf(asPasserelleError(error) ?? new PasserelleError('E_BUNDLE', `cannot read bundle: ${(error as Error).message}`, {file: display, hint: 'check the file permissions'}))
      )
    }
  }
  await cache.save(slugs)
  return localeTotals(locale, articles)
}
