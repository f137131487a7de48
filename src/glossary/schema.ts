// The on-disk shape of glossary entries (YAML files under `glossary/`),
// validated with zod at the edge. The parsed values are the plain domain
// types of `types.ts`; `canonical*` give them a stable key order for saving.
import {z} from 'zod'
import type {Locale} from '../types.ts'
import {patternProblem} from './patterns.ts'
import {tokenize} from './tokenize.ts'
import type {Concept, DntPattern, Term} from './types.ts'

const oneLine = z
  .string()
  .min(1)
  .refine((value) => value === value.trim() && !/[\r\n]/.test(value), 'must be one line, without leading or trailing spaces')

const localeTag = z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as fr, en, es, ca, pt-BR')

export const termSchema = z.strictObject({
  text: oneLine.refine((value) => tokenize(value, 'und').length > 0, 'must contain at least one letter or digit'),
  status: z.enum(['preferred', 'admitted', 'deprecated', 'forbidden']),
  type: z.enum(['fullForm', 'acronym', 'abbreviation', 'shortForm', 'variant']).optional(),
  partOfSpeech: z.enum(['noun', 'properNoun', 'verb', 'adjective', 'other']).optional(),
  gender: z.enum(['masculine', 'feminine', 'neuter']).optional(),
  number: z.enum(['singular', 'plural']).optional(),
  caseSensitive: z.boolean().optional(),
  note: z.string().min(1).optional()
})

export const conceptSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'must be lower-case letters, digits, hyphens or dots (e.g. un-desa)'),
    domain: oneLine.optional(),
    dnt: z.boolean().optional(),
    retired: z.boolean().optional(),
    definition: z.string().min(1).optional(),
    note: z.string().min(1).optional(),
    terms: z.record(localeTag, z.array(termSchema).min(1, 'needs at least one term'))
  })
  .superRefine((concept, context) => {
    if (Object.keys(concept.terms).length === 0) {
      context.addIssue({code: 'custom', path: ['terms'], message: 'needs terms in at least one language'})
    }
    for (const [locale, terms] of Object.entries(concept.terms)) {
      const seen = new Set<string>()
      terms.forEach((term, index) => {
        if (seen.has(term.text)) context.addIssue({code: 'custom', path: ['terms', locale, index, 'text'], message: `"${term.text}" is listed twice`})
        seen.add(term.text)
      })
    }
  })

export const patternSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'must be lower-case letters, digits, hyphens or dots (e.g. un-symbol)'),
    description: z.string().min(1).optional(),
    pattern: z.string().min(1),
    flags: z.string().optional()
  })
  .superRefine((pattern, context) => {
    const problem = patternProblem(pattern)
    if (problem) context.addIssue({code: 'custom', path: ['pattern'], message: problem})
  })

/** The keys a glossary file may have at its top level. */
export const fileKeys = ['concepts', 'patterns'] as const

/** `terms.fr[0].status: Invalid option…` — the first few issues on one line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
        ''
      )
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
}

const defaultLocaleOrder: readonly Locale[] = ['fr', 'en', 'es', 'ca']

export function canonicalTerm(term: Term): Term {
  return compact<Term>({
    text: term.text,
    status: term.status,
    type: term.type,
    partOfSpeech: term.partOfSpeech,
    gender: term.gender,
    number: term.number,
    caseSensitive: term.caseSensitive,
    note: term.note
  })
}

/** Fixed key order; languages in `localeOrder` first, then alphabetically. */
export function canonicalConcept(concept: Concept, localeOrder: readonly Locale[] = defaultLocaleOrder): Concept {
  const rank = (locale: string): number => {
    const index = localeOrder.indexOf(locale)
    return index === -1 ? localeOrder.length : index
  }
  const locales = Object.keys(concept.terms).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  const terms: Concept['terms'] = {}
  for (const locale of locales) terms[locale] = (concept.terms[locale] ?? []).map(canonicalTerm)
  return compact<Concept>({
    id: concept.id,
    domain: concept.domain,
    dnt: concept.dnt,
    retired: concept.retired,
    definition: concept.definition,
    note: concept.note,
    terms
  })
}

export function canonicalPattern(pattern: DntPattern): DntPattern {
  return compact({id: pattern.id, description: pattern.description, pattern: pattern.pattern, flags: pattern.flags})
}

/** Drops undefined keys, keeping the order in which the others were written. */
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T
}
