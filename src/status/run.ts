import {relative} from 'node:path'
import {listBundleLocales, loadLocaleBundles} from '../workflow/store.ts'
import type {Project} from '../config.ts'
import {failureOf, type Failure} from '../errors.ts'
import {localeStatus, type LocaleStatus} from './compute.ts'

/** Read every bundle (or those of `locales`) and compute the status; unreadable bundles are reported. */
export async function projectStatus(project: Project, locales?: string[]): Promise<{locales: LocaleStatus[]; failures: Failure[]}> {
  const failures: Failure[] = []
  const result: LocaleStatus[] = []
  for (const locale of locales ?? (await listBundleLocales(project.localesDir))) {
    const {bundles, problems} = await loadLocaleBundles(project.localesDir, locale, {display: (path) => relative(project.root, path)})
    failures.push(...problems.map((problem) => failureOf(problem)))
    result.push(localeStatus(locale, bundles))
  }
  return {locales: result, failures}
}
