// The one way a test asks for material outside the repository: the project's
// shared folder (seeds, reference texts), expected at ../shared beside the
// clone. When it is absent the suite skips, and says so on the console with
// what is missing and how to get it, so a bare clone's `npm test` passes
// without hiding what it did not run.
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from './project.ts'

/** `../shared` beside the repository, or PASSERELLE_SHARED. */
export const sharedDir = process.env.PASSERELLE_SHARED ?? join(repoRoot, '..', 'shared')

const announced = new Set<string>()

/**
 * Whether `<shared>/<part>` exists. When it does not, prints one line naming
 * the tests skipped, the missing path and how to provide it; use the result
 * with `describe.runIf` / `it.runIf`.
 */
export function needsShared(part: string, tests: string): boolean {
  const path = join(sharedDir, part)
  if (existsSync(path)) return true
  const key = `${part}\u0000${tests}`
  if (!announced.has(key)) {
    announced.add(key)
    const shown = process.env.PASSERELLE_SHARED ? path : join('..', 'shared', part)
    console.warn(
      `SKIPPED ${tests}: ${shown} is missing — put the project's shared material (seeds/…) in ../shared beside the repository, or set PASSERELLE_SHARED=<folder>`
    )
  }
  return false
}

/** The five scraped OIM pages the ingest and glossary tests read. */
export const seedsDir = join(sharedDir, 'seeds')
