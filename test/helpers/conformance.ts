// Where the conformance suites from other tools and the standards are: `../shared/conformance`
// beside the repository (see its README). Tests that need them skip, saying so, when it is absent.
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {repoRoot} from './project.ts'

export const conformanceDir = join(repoRoot, '..', 'shared', 'conformance')

/** True when `../shared/conformance/<suite>` exists; otherwise prints why the suite's tests are skipped. */
export function haveSuite(suite: string): boolean {
  const present = existsSync(join(conformanceDir, suite))
  if (!present) console.log(`SKIP conformance/${suite}: ../shared/conformance/${suite} is absent (clone the project with shared/ beside it)`)
  return present
}

/** Files under a suite folder, recursively, sorted, as paths relative to the suite. */
export function suiteFiles(suite: string, extension: string): string[] {
  const root = join(conformanceDir, suite)
  if (!existsSync(root)) return []
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith(extension)) out.push(relative(root, path))
    }
  }
  walk(root)
  return out
}
