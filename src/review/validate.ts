// Everything that comes from the browser is checked here before it reaches a
// path or a file: slugs, locales and segment ids by pattern (no path
// traversal), request bodies by zod schema. Concepts are validated with the
// glossary stage's own schema, so the app can never save what `translate`
// would refuse to read.
import {z} from 'zod'
import {knownLocales, type Project} from '../config.ts'
import {PasserelleError} from '../errors.ts'
import {conceptSchema} from '../glossary/schema.ts'
import {isSlug} from '../ingest/slug.ts'
import type {Concept} from '../glossary/types.ts'
import type {Locale} from '../types.ts'
import {HttpError} from './security.ts'
import type {AcknowledgeRequest, SaveRequest} from './wire.ts'

const segmentIdPattern = /^[0-9a-f]{12}(-\d+)?$/
const conceptIdPattern = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/

/** Longest target accepted, in UTF-16 units (a segment is one sentence). */
const maxTargetLength = 20_000

export function checkSlug(slug: string): string {
  if (!isSlug(slug)) throw invalid(`invalid article slug "${clip(slug)}"`)
  return slug
}

export function checkSegmentId(id: string): string {
  if (!segmentIdPattern.test(id)) throw invalid(`invalid segment id "${clip(id)}"`)
  return id
}

export function checkConceptId(id: string): string {
  if (id.length > 120 || !conceptIdPattern.test(id)) throw invalid(`invalid concept id "${clip(id)}"`)
  return id
}

/** A target locale of the project: one Passerelle knows, other than the source. */
export function checkLocale(project: Project, locale: string): Locale {
  if (!knownLocales.has(locale) || locale === project.config.sourceLocale) throw invalid(`unknown target locale "${clip(locale)}"`)
  return locale
}

export const saveRequestSchema = z.strictObject({
  revision: z.number().int().min(0),
  target: z.string().max(maxTargetLength).optional(),
  state: z.enum(['translated', 'reviewed', 'approved']).optional()
}) satisfies z.ZodType<SaveRequest>

export const acknowledgeRequestSchema = z.strictObject({
  revision: z.number().int().min(0),
  rule: z.string().min(1).max(100),
  message: z.string().min(1).max(2_000)
}) satisfies z.ZodType<AcknowledgeRequest>

export const conceptRequestSchema = z.strictObject({
  concept: z.unknown(),
  /** For an edit: the version the terminologist started from. */
  version: z.string().regex(/^[0-9a-f]{16}$/).optional()
})

/** A concept from the browser, checked by the glossary stage's schema. */
export function parseConcept(value: unknown): Concept {
  const result = conceptSchema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.map(String).join('.') ?? ''
    throw new PasserelleError('E_INPUT', `invalid concept${where ? ` at ${where}` : ''}: ${issue?.message ?? 'invalid'}`, {
      hint: 'fix the field and save again'
    })
  }
  return result.data as Concept
}

export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.map(String).join('.') ?? ''
    throw invalid(`invalid request body${where ? ` at ${where}` : ''}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

/** A malformed request (parameter or body shape): 400, as opposed to content the pipeline refuses (422). */
function invalid(message: string): HttpError {
  return new HttpError(400, 'E_INPUT', message)
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value
}
