// Which target terms satisfy a concept, best first, given the source term that
// was found: preferred before admitted; within a status, the term type closest
// to the source's (acronym ↔ acronym, full form ↔ full form), then the same
// grammatical number and gender. The first one is what placeholder protection
// restores, so the order decides what lands in the translation.
import type {Gender, GrammaticalNumber, Term, TermType} from './types.ts'

const closeness: Record<TermType, readonly TermType[]> = {
  acronym: ['acronym', 'abbreviation', 'shortForm', 'fullForm', 'variant'],
  abbreviation: ['abbreviation', 'acronym', 'shortForm', 'fullForm', 'variant'],
  shortForm: ['shortForm', 'fullForm', 'variant', 'acronym', 'abbreviation'],
  fullForm: ['fullForm', 'variant', 'shortForm', 'acronym', 'abbreviation'],
  variant: ['variant', 'fullForm', 'shortForm', 'acronym', 'abbreviation']
}

export interface RankedTargets {
  expected: string[]
  /** Forbidden target terms: using one is an error. */
  forbidden: string[]
  /** Deprecated target terms: using one is a warning, not a blocker. */
  deprecated: string[]
  /** Gender and number of the term behind `expected[0]`, when recorded. */
  gender?: Gender
  number?: GrammaticalNumber
  /** `expected[0]` keeps its case at a sentence start (explicit `caseSensitive`, or a proper noun). */
  caseSensitive?: boolean
}

export function rankTargets(source: Term | undefined, targets: readonly Term[]): RankedTargets {
  const usable = targets
    .map((term, index) => ({term, index}))
    .filter(({term}) => term.status === 'preferred' || term.status === 'admitted')
  usable.sort(
    (a, b) =>
      statusRank(a.term) - statusRank(b.term) ||
      typeDistance(source, a.term) - typeDistance(source, b.term) ||
      mismatch(source?.number, a.term.number) - mismatch(source?.number, b.term.number) ||
      mismatch(source?.gender, a.term.gender) - mismatch(source?.gender, b.term.gender) ||
      a.index - b.index
  )
  const first = usable[0]?.term
  return {
    expected: unique(usable.map(({term}) => term.text)),
    forbidden: unique(targets.filter((term) => term.status === 'forbidden').map((term) => term.text)),
    deprecated: unique(targets.filter((term) => term.status === 'deprecated').map((term) => term.text)),
    ...(first?.gender ? {gender: first.gender} : {}),
    ...(first?.number ? {number: first.number} : {}),
    ...(first && (first.caseSensitive ?? first.partOfSpeech === 'properNoun') ? {caseSensitive: true} : {})
  }
}

function statusRank(term: Term): number {
  return term.status === 'preferred' ? 0 : 1
}

function typeDistance(source: Term | undefined, target: Term): number {
  if (!source?.type) return 0
  const order = closeness[source.type]
  const distance = target.type ? order.indexOf(target.type) : -1
  return distance === -1 ? order.length : distance
}

function mismatch<T>(source: T | undefined, target: T | undefined): number {
  return source !== undefined && target !== undefined && source !== target ? 1 : 0
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
