// The terminologist's side: list and search concepts, create, edit and
// retire them (written back through the project's termbase store: the
// glossary files in the format `translate` reads, or the team database), and the usage report: every
// segment whose source holds a concept, and those whose target violates it.
import {createHash} from 'node:crypto'
import {fileBundleStore, type BundleStore} from '../workflow/bundle-store.ts'
import type {Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {compileMatcher, findForbidden, targetHasTerm} from '../glossary/index.ts'
import {canonicalConcept} from '../glossary/schema.ts'
import type {Concept, Termbase} from '../glossary/types.ts'
import type {Locale, TermStatus} from '../types.ts'
import type {GlossarySnapshot} from '../glossary/snapshot.ts'
import type {ConceptView, UsageData, UsageEntry} from './wire.ts'

function conceptVersion(concept: Concept): string {
  return createHash('sha256').update(JSON.stringify(canonicalConcept(concept))).digest('hex').slice(0, 16)
}

export function viewConcept(concept: Concept): ConceptView {
  return {concept, version: conceptVersion(concept)}
}

export interface ConceptFilter {
  /** Words to find in the id, domain, definition, notes or any term. */
  q?: string
  /** Only concepts with a term of this status. */
  status?: TermStatus
  /** Include retired concepts (default false). */
  retired?: boolean
}

export function filterConcepts(concepts: readonly Concept[], filter: ConceptFilter): Concept[] {
  const words = fold(filter.q ?? '').split(/\s+/).filter(Boolean)
  return concepts.filter((concept) => {
    if (concept.retired && !filter.retired) return false
    const terms = Object.values(concept.terms).flatMap((list) => list ?? [])
    if (filter.status && !terms.some((term) => term.status === filter.status)) return false
    if (words.length === 0) return true
    const haystack = fold([concept.id, concept.domain, concept.definition, concept.note, ...terms.flatMap((term) => [term.text, term.note])].filter(Boolean).join(' \u0000 '))
    return words.every((word) => haystack.includes(word))
  })
}

/** The termbase with a concept added; E_CONFLICT when the id is taken. */
export function withNewConcept(termbase: Termbase, concept: Concept): Termbase {
  if (termbase.concepts.some((item) => item.id === concept.id) || termbase.patterns.some((item) => item.id === concept.id)) {
    throw new PasserelleError('E_CONFLICT', `a concept or pattern "${concept.id}" already exists`, {hint: 'choose another id, or edit the existing concept'})
  }
  return {...termbase, concepts: [...termbase.concepts, concept]}
}

/** The termbase with a concept replaced, provided nobody changed it since `version` was read. */
export function withUpdatedConcept(termbase: Termbase, id: string, concept: Concept, version: string | undefined): Termbase {
  const index = termbase.concepts.findIndex((item) => item.id === id)
  const current = termbase.concepts[index]
  if (!current) throw new PasserelleError('E_NOT_FOUND', `no concept "${id}"`)
  if (concept.id !== id) throw new PasserelleError('E_INPUT', 'a concept id cannot be changed', {hint: 'retire it and create a new concept'})
  // Without the version it started from, an edit could silently undo another terminologist's.
  if (version === undefined) throw new PasserelleError('E_CONFLICT', `an edit of concept "${id}" must give the version it started from`, {hint: 'reload the concept and apply your change again'})
  if (version !== conceptVersion(current)) {
    throw new PasserelleError('E_CONFLICT', `concept "${id}" changed since you opened it`, {hint: 'reload it and apply your change again'})
  }
  const concepts = termbase.concepts.slice()
  concepts[index] = concept
  return {...termbase, concepts}
}

/** Languages in the project's order (source first), as the review app saves concepts. */
export function localeOrder(project: Project): Locale[] {
  return [project.config.sourceLocale, ...project.config.locales]
}

/** Every segment of `locale`'s bundles whose source holds the concept, violations first. */
export async function conceptUsage(
  project: Project,
  glossary: GlossarySnapshot,
  id: string,
  locale: Locale,
  store: BundleStore = fileBundleStore(project)
): Promise<UsageData> {
  const concept = glossary.termbase.concepts.find((item) => item.id === id)
  if (!concept) throw new PasserelleError('E_NOT_FOUND', `no concept "${id}"`)
  // Matched on its own, retired or not, so that its occurrences show even when another concept wins the span.
  const alone = {concepts: [{...concept, retired: false}], patterns: []}
  const anywhere = compileMatcher(alone, {source: project.config.sourceLocale})
  const held = compileMatcher(alone, {source: project.config.sourceLocale, target: locale})
  const entries: UsageEntry[] = []
  const {bundles, problems} = await store.readLocale(locale)
  for (const bundle of bundles) {
    const slug = bundle.article
    for (const segment of bundle.segments) {
      const hit = anywhere.match(segment.source).find((item) => item.concept === id)
      if (!hit) continue
      const expectation = held.match(segment.source).find((item) => item.concept === id)
      // Violations are judged as QA judges them: with the whole termbase's matcher, where a longer
      // term ("Programme 2030") takes the span from the shorter one inside it.
      const qaHits = glossary.hits(segment.source, locale)
      const judged = qaHits.find((item) => item.concept === id && item.start === hit.start && item.end === hit.end)
      const cover = judged ? undefined : qaHits.find((item) => item.start < hit.end && hit.start < item.end)
      const entry: UsageEntry = {
        locale,
        slug,
        id: segment.id,
        source: segment.source,
        ...(segment.target === undefined ? {} : {target: segment.target}),
        state: segment.state,
        start: hit.start,
        end: hit.end,
        expected: expectation ? (expectation.dnt ? [expectation.text] : expectation.expected) : [],
        forbiddenUsed: [],
        ...(cover ? {within: cover.concept} : {})
      }
      if (judged && segment.target !== undefined && segment.target !== '') {
        entry.forbiddenUsed = findForbidden(segment.target, judged, locale)
        if (entry.forbiddenUsed.length > 0) entry.violation = 'forbidden'
        else if ((judged.dnt || judged.expected.length > 0) && !targetHasTerm(segment.target, judged, locale)) entry.violation = 'missing'
      }
      entries.push(entry)
    }
  }
  entries.sort((a, b) => Number(b.violation !== undefined) - Number(a.violation !== undefined))
  return {
    concept: id,
    locale,
    entries,
    violations: entries.filter((entry) => entry.violation).length,
    // A bundle that cannot be read is said, not silently left out of the usage.
    problems: problems.map((problem) => problem.toLine())
  }
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}
