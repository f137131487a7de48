import {readFile} from 'node:fs/promises'
import {relative} from 'node:path'
import {bundlePath, listBundleLocales, listBundleSlugs, parseBundle} from '../workflow/store.ts'
import type {Project} from '../config.ts'
import {asPasserelleError, failureOf, PasserelleError, type Failure} from '../errors.ts'
import {fileIdentity, openStatusCache} from './cache.ts'
import {articleStatus, localeTotals, type ArticleStatus, type LocaleStatus} from './compute.ts'

/**
 * Read every bundle (or those of `locales`) and compute the status; unreadable
 * bundles are reported. Bundles unchanged since the last run are not read:
 * their figures come from the status cache (cache.ts).
 */
export async function projectStatus(project: Project, locales?: string[]): Promise<{locales: LocaleStatus[]; failures: Failure[]}> {
  const failures: Failure[] = []
  const result: LocaleStatus[] = []
  for (const locale of locales ?? (await listBundleLocales(project.localesDir))) {
    const cache = await openStatusCache(project.root, locale)
    const slugs = await listBundleSlugs(project.localesDir, locale)
    const articles: ArticleStatus[] = []
    for (const slug of slugs) {
      const path = bundlePath(project.localesDir, locale, slug)
      const display = relative(project.root, path)
      try {
        const before = await fileIdentity(path)
        const known = before && cache.get(slug, before)
        if (known) {
          articles.push(known)
          continue
        }
        const status = articleStatus(parseBundle(await readFile(path, 'utf8'), display))
        articles.push(status)
        // Recorded only when the file did not change while it was read.
        const after = await fileIdentity(path)
        if (before && after && JSON.stringify(before) === JSON.stringify(after)) cache.set(slug, before, status)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
        failures.push(
          failureOf(asPasserelleError(error) ?? new PasserelleError('E_BUNDLE', `cannot read bundle: ${(error as Error).message}`, {file: display, hint: 'check the file permissions'}))
        )
      }
    }
    await cache.save(slugs)
    result.push(localeTotals(locale, articles))
  }
  return {locales: result, failures}
}
