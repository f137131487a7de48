import {relative} from 'node:path'
import type {Bundle} from '../bundle/schema.ts'
import {bundlePath, listBundleLocales, listBundleSlugs, loadBundle} from '../bundle/store.ts'
import type {Project} from '../config.ts'
import {failureOf, type Failure} from '../translate/sources.ts'
import {localeStatus, type LocaleStatus} from './compute.ts'

/** Read every bundle (or those of `locales`) and compute the status; unreadable bundles are reported. */
export async function projectStatus(project: Project, locales?: string[]): Promise<{locales: LocaleStatus[]; failures: Failure[]}> {
  const failures: Failure[] = []
  const result: LocaleStatus[] = []
  for (const locale of locales ?? (await listBundleLocales(project.localesDir))) {
    const bundles: Bundle[] = []
    for (const slug of await listBundleSlugs(project.localesDir, locale)) {
      const path = bundlePath(project.localesDir, locale, slug)
      try {
        const bundle = await loadBundle(path, relative(project.root, path))
        if (bundle) bundles.push(bundle)
      } catch (error) {
        failures.push(failureOf(error))
      }
    }
    result.push(localeStatus(locale, bundles))
  }
  return {locales: result, failures}
}
