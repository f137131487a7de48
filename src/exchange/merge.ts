// Merging imported concepts into the termbase, term by term. A concept the
// termbase does not have is added. One it has is updated: concept-level
// fields the file gives replace ours (fields it leaves out are kept); a term
// the file names (same text) takes the file's status and fields; a term the
// file does not name is kept — a partial file (only the preferred terms, say)
// never deletes our admitted, deprecated or forbidden terms. A conflict is a
// new preferred term where we have another preferred term of the same type
// that the file does not name: the concept is reported and left as it is,
// unless the caller asks for theirs (their preferred term then replaces ours).
// A concept whose source term already belongs to another concept is a
// conflict too (`sourceTermOwners`): never a silent second concept for a term.
import {sourceTermOwners} from '../glossary/duplicates.ts'
import {canonicalConcept} from '../glossary/schema.ts'
import type {Concept, Term, Termbase} from '../glossary/types.ts'
import type {TermStatus} from '../types.ts'

export interface GlossaryConflict {
  concept: string
  locale: string
  status: TermStatus
  ours: string[]
  theirs: string[]
  /** Set when the conflict is a source term that already belongs to this other concept. */
  owner?: string
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
  /** The termbase's source language, whose terms may belong to one concept only. Default `fr`. */
  sourceLocale?: string
}

const conceptFields = ['domain', 'definition', 'note', 'dnt', 'retired'] as const

export function mergeTermbase(termbase: Termbase, incoming: readonly Concept[], options: MergeOptions = {}): {termbase: Termbase; report: GlossaryMergeReport} {
  const report: GlossaryMergeReport = {added: [], changed: [], unchanged: [], conflicts: []}
  const concepts = [...termbase.concepts]
  const index = new Map(concepts.map((concept, i) => [concept.id, i]))
  const sourceLocale = options.sourceLocale ?? 'fr'
  const taken = (concept: Concept): GlossaryConflict[] =>
    sourceTermOwners(concept, concepts, sourceLocale).map((clash) => ({
      concept: concept.id,
      locale: clash.locale,
      status: concept.terms[clash.locale]?.find((term) => term.text === clash.term)?.status ?? 'preferred',
      ours: [clash.ownerTerm],
      theirs: [clash.term],
      owner: clash.owner
    }))
  for (const theirs of incoming) {
    const position = index.get(theirs.id)
    if (position === undefined) {
      const duplicates = taken(theirs)
      if (duplicates.length > 0) {
        report.conflicts.push(...duplicates)
        if (options.conflicts !== 'theirs') continue
      }
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
      const before = ours.terms[locale] ?? []
      const named = (term: Term, list: readonly Term[]) => list.some((other) => sameText(other.text, term.text))
      const result = before.map((term) => {
        const update = terms.find((other) => sameText(other.text, term.text))
        return update ? {...term, ...update} : term
      })
      result.push(...terms.filter((term) => !named(term, before)))
      const introduced = terms.filter((term) => term.status === 'preferred' && !named(term, before))
      const displaced = before.filter(
        (term) => term.status === 'preferred' && !named(term, terms) && introduced.some((other) => other.type === term.type)
      )
      if (displaced.length > 0) {
        conflicts.push({
          concept: ours.id,
          locale,
          status: 'preferred',
          ours: before.filter((term) => term.status === 'preferred').map((term) => term.text),
          theirs: terms.filter((term) => term.status === 'preferred').map((term) => term.text)
        })
      }
      merged.terms[locale] = options.conflicts === 'theirs' ? result.filter((term) => !displaced.includes(term)) : result
    }
    const fields = differences(ours, merged)
    if (fields.length === 0) {
      report.unchanged.push(ours.id)
      continue
    }
    // Only terms this file brings in: a clash the termbase already had is `glossary check`'s to report.
    conflicts.push(...taken(merged).filter((conflict) => !(ours.terms[conflict.locale] ?? []).some((term) => sameText(term.text, conflict.theirs[0]!))))
    if (conflicts.length > 0) {
      report.conflicts.push(...conflicts)
      if (options.conflicts !== 'theirs') continue
    }
    concepts[position] = merged
    report.changed.push({concept: ours.id, fields})
  }
  return {termbase: {...termbase, concepts}, report}
}

function sameText(a: string, b: string): boolean {
  return a.normalize('NFC').trim() === b.normalize('NFC').trim()
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
