// The termbase as it is on disk now, with term hits per source segment and a
// matcher per target locale built once: what a command or a request needs to
// check targets against the glossary. A termbase that cannot be read is an
// empty one with its problems, never a crash.
import {PasserelleError} from '../errors.ts'
import {loadTermbase} from './load.ts'
import type {TermbaseStore} from './store.ts'
import {compileMatcher, type Matcher} from './matcher.ts'
import type {Termbase} from './types.ts'
import type {Locale, TermHit} from '../types.ts'

export interface GlossarySnapshot {
  termbase: Termbase
  problems: string[]
  /** Term hits in a source segment, with the expected terms of `locale`. */
  hits(source: string, locale: Locale): TermHit[]
}

/** Read the termbase now, from the glossary folder or a store (a missing folder is an empty termbase with a problem). */
export async function readGlossary(from: string | TermbaseStore, sourceLocale: Locale): Promise<GlossarySnapshot> {
  let termbase: Termbase = {concepts: [], patterns: []}
  let problems: string[] = []
  try {
    const loaded = typeof from === 'string' ? await loadTermbase(from) : await from.load()
    termbase = loaded.termbase
    problems = loaded.problems.map((problem) => problem.toLine())
  } catch (error) {
    if (!(error instanceof PasserelleError)) throw error
    problems = [error.toLine()]
  }
  return snapshotOf(termbase, problems, sourceLocale)
}

function snapshotOf(termbase: Termbase, problems: string[], sourceLocale: Locale): GlossarySnapshot {
  const matchers = new Map<Locale, Matcher>()
  return {
    termbase,
    problems,
    hits(source, locale) {
      let matcher = matchers.get(locale)
      if (!matcher) matchers.set(locale, (matcher = compileMatcher(termbase, {source: sourceLocale, target: locale})))
      return matcher.match(source)
    }
  }
}
