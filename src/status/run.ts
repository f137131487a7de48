import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import type {Project} from '../config.ts'
import {failureOf, type Failure} from '../errors.ts'
import {localeStatus, type LocaleStatus} from './compute.ts'

/** Read every bundle (or those of `locales`) and compute the status; unreadable bundles are reported. */
export async function projectStatus(
  project: Project,
  locales?: string[],
  store: BundleStore = fileBundleStore(project)
): Promise<{locales: LocaleStatus[]; failures: Failure[]}> {
  const failures: Failure[] = []
  const result: LocaleStatus[] = []
  for (const locale of locales ?? (await store.listLocales())) {
    const {bundles, problems} = await store.readLocale(locale)
    failures.push(...problems.map((problem) => failureOf(problem)))
    result.push(localeStatus(locale, bundles))
  }
  return {locales: result, failures}
}
