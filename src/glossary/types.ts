// The termbase model: concepts with terms per language (TBX-Basic shaped),
// plus do-not-translate pattern classes (e-mail, URL, phone, UN symbols).
import type {Locale, TermStatus} from '../types.ts'

export type TermType = 'fullForm' | 'acronym' | 'abbreviation' | 'shortForm' | 'variant'
export type PartOfSpeech = 'noun' | 'properNoun' | 'verb' | 'adjective' | 'other'
export type Gender = 'masculine' | 'feminine' | 'neuter'
/** TBX `grammaticalNumber`: lets `États Membres` pick `Member States`, not `Member State`, as the term to restore. */
export type GrammaticalNumber = 'singular' | 'plural'

export interface Term {
  text: string
  status: TermStatus
  type?: TermType
  partOfSpeech?: PartOfSpeech
  gender?: Gender
  number?: GrammaticalNumber
  note?: string
  /** Match case exactly. Default: true for all-capital terms (acronyms such as `ODD`), false otherwise. */
  caseSensitive?: boolean
}

export interface Concept {
  id: string
  domain?: string
  definition?: string
  note?: string
  /** Do not translate: every term of the concept stays as written in the source. */
  dnt?: boolean
  /** Retired concepts are kept for history but no longer matched. */
  retired?: boolean
  terms: Partial<Record<Locale, Term[]>>
}

/** A class of do-not-translate strings recognised by a regular expression. */
export interface DntPattern {
  id: string
  description?: string
  /** JavaScript regular-expression source, matched with the `gu` flags plus `flags`. */
  pattern: string
  flags?: string
}

export interface Termbase {
  concepts: Concept[]
  patterns: DntPattern[]
}
