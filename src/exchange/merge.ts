// Merging imported concepts into the termbase. A concept the termbase does
// not have is added. One it has is updated: concept-level fields the file
// gives replace ours (fields it leaves out are kept), and each language the
// file gives replaces our terms in that language (languages it leaves out
// are kept). A conflict is the file replacing, in one language, a term of
// some status by a different term of the same status (another preferred
// term, say): such a concept is reported and left as it is, unless the
// caller asks for theirs.
import {canonicalConcept} from '../glossary/schema.ts'
import type {Concept, Termbase} from '../glossary/types.ts'
import type {TermStatus} from '../types.ts'

export interface GlossaryConflict {
  concept: string
  locale: string
  status: TermStatus
  ours: string[]
  theirs: string[]
}

export interface GlossaryMergeReport {
  added: string[]
  /** Changed concepts, with what changed (`definition`, `terms.en`…). */
  changed: {concept: string; fields: string[]}[]
  unchanged: string[]
  /** Not applied (unless `conflicts: 'theirs'`). */
  conflicts: GlossaryConflict[]
}

export interface MergeOptions {
  /** `keep` (default): leave conflicting concepts as they are; `theirs`: apply them anyway. */
  conflicts?: 'keep' | 'theirs'
}

const conceptFields = ['domain', 'definition', 'note', 'dnt', 'retired'] as const
const statuses: readonly TermStatus[] = ['preferred', 'admitted', 'deprecated', 'forbidden']

export function mergeTermbase(termbase: Termbase, incoming: readonly Concept[], options: MergeOptions = {}): {termbase: Termbase; report: GlossaryMergeReport} {
  const report: GlossaryMergeReport = {added: [], changed: [], unchanged: [], conflicts: []}
  const concepts = [...termbase.concepts]
  const index = new Map(concepts.map((concept, i) => [concept.id, i]))
  for (const theirs of incoming) {
    const position = index.get(theirs.id)
    if (position === undefined) {
      index.set(theirs.id, concepts.length)
      concepts.push(theirs)
      report.added.push(theirs.id)
      continue
    }
    const ours = concepts[position]!
    const merged: Concept = {...ours, terms: {...ours.terms}}
    for (const field of conceptFields) {
      if (theirs[field] !== undefined) (merged as unknown as Record<string, unknown>)[field] = theirs[field]
    }
    const conflicts: GlossaryConflict[] = []
    for (const [locale, terms] of Object.entries(theirs.terms)) {
      if (!terms) continue
      const before = ours.terms[locale]
      if (before) {
        for (const status of statuses) {
          const a = before.filter((term) => term.status === status).map((term) => term.text)
          const b = terms.filter((term) => term.status === status).map((term) => term.text)
          if (a.some((text) => !b.includes(text)) && b.some((text) => !a.includes(text))) {
            conflicts.push({concept: ours.id, locale, status, ours: a, theirs: b})
          }
        }
      }
      merged.terms[locale] = terms
    }
    const fields = differences(ours, merged)
    if (fields.length === 0) {
      report.unchanged.push(ours.id)
      continue
    }
    if (conflicts.length > 0) {
      report.conflicts.push(...conflicts)
      if (options.conflicts !== 'theirs') continue
    }
    concepts[position] = merged
    report.changed.push({concept: ours.id, fields})
  }
  return {termbase: {...termbase, concepts}, report}
}

function differences(a: Concept, b: Concept): string[] {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y)
  const fields: string[] = conceptFields.filter((field) => !same(a[field], b[field]))
  const x = canonicalConcept(a).terms
  const y = canonicalConcept(b).terms
  for (const locale of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (!same(x[locale], y[locale])) fields.push(`terms.${locale}`)
  }
  return fields
}
