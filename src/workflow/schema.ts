// The on-disk shape of a locale bundle, `locales/<lng>/<slug>.json`.
// zod validates at the edge; parsing also fixes the key order (the schema's),
// so that bundles diff cleanly whatever order an editor wrote them in.
// Private to the workflow module: everything else sees the plain types of
// `types.ts`, and files go through `store.ts` (`parseBundle`, `serializeBundle`).
import {z} from 'zod'
import {segmentStates, unitKinds} from '../types.ts'
import type {Bundle, Origin} from './types.ts'

export const bundleSchemaVersion = 1

const tagInfo = z.strictObject({type: z.string(), label: z.string().optional()})

const originSchema = z.strictObject({
  /** Where the target came from. */
  kind: z.enum(['engine', 'tm', 'human', 'import']),
  /** Engine name for `engine` (`apertium`, `deepl`, `pseudo`). */
  engine: z.string().optional(),
  /** Engine route or TM source, e.g. `fr-es|spa-eng`. */
  detail: z.string().optional(),
  /** TM match score, 0–100. */
  score: z.number().min(0).max(100).optional(),
  /** Person who wrote or reviewed it. */
  by: z.string().optional(),
  /** Machine output only: the post-edits that changed the engine's text (`rule:<id>`, `register`, `casing`, `quotes`…). */
  postEdits: z.array(z.string()).optional()
})

const finding = z.strictObject({
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string()
})

const glossaryCheck = z.strictObject({
  concept: z.string(),
  source: z.string(),
  expected: z.array(z.string()),
  found: z.boolean(),
  // Optional: bundles written before hits were recorded still load.
  kind: z.enum(['term', 'pattern']).optional(),
  start: z.number().int().min(0).optional(),
  end: z.number().int().min(0).optional(),
  dnt: z.boolean().optional(),
  forbidden: z.array(z.string()).optional(),
  deprecated: z.array(z.string()).optional()
})

export const bundleSegmentSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{12}(-\d+)?$/, 'segment id must be a 12-hex content hash'),
  hash: z.string().regex(/^[0-9a-f]{12}$/),
  unit: z.string(),
  kind: z.enum(unitKinds),
  index: z.number().int().min(0),
  source: z.string(),
  tags: z.record(z.string(), tagInfo),
  target: z.string().optional(),
  state: z.enum(segmentStates),
  origin: originSchema.optional(),
  /** The source changed under a human translation: the target is kept as a suggestion until reviewed. */
  stale: z.boolean().optional(),
  /** The previous source and target of a stale or re-sourced segment. */
  previous: z.strictObject({source: z.string(), target: z.string()}).optional(),
  glossary: z.array(glossaryCheck),
  unknown: z.array(z.string()),
  qa: z.array(finding),
  /** Findings a reviewer acknowledged (same rule and message): reported as `info`, they no longer block approval. */
  acknowledged: z.array(z.strictObject({rule: z.string(), message: z.string(), by: z.string().optional(), at: z.string()})).optional(),
  /** Optimistic-concurrency counter: bumped on every change to the target or state. */
  revision: z.number().int().min(0),
  updated: z.string()
})

export const bundleSchema = z.strictObject({
  schema: z.literal(bundleSchemaVersion),
  article: z.string(),
  sourceLocale: z.string(),
  locale: z.string(),
  /** Hash of the source Markdown the segments were taken from. */
  sourceHash: z.string(),
  segments: z.array(bundleSegmentSchema),
  /** Segments whose sentence left the source but that held work: kept, never silently deleted. */
  retired: z.array(bundleSegmentSchema)
})

/** An origin as another file records it (TMX properties): the origin, or what is wrong with it. */
export function parseOrigin(value: unknown): {origin: Origin} | {problem: string} {
  const parsed = originSchema.safeParse(value)
  return parsed.success ? {origin: parsed.data} : {problem: parsed.error.issues[0]?.message ?? 'invalid'}
}

// The file shape and the domain type must stay the same shape: each is assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameShape: Same<z.infer<typeof bundleSchema>, Bundle> = true
void sameShape

// A hand-written check of the same shape as `bundleSchema`, for the read path
// (`status` reads every bundle): about ten times cheaper than zod on a valid
// bundle. It may only be stricter than the schema, never looser: when it says
// no, the caller asks zod, whose verdict and first issue are what users see.
// test/bundle-schema.test.ts checks with fast-check that both agree on valid
// and mutated bundles, so the schema stays the one source of truth.
type Shape = Record<string, (value: unknown) => boolean>

const isString = (value: unknown): boolean => typeof value === 'string'
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0
const isBoolean = (value: unknown): boolean => typeof value === 'boolean'
/** Every index, holes included (`every` skips holes, which JSON.stringify would write as null). */
const everyIndex = (value: unknown[], check: (item: unknown) => boolean): boolean => {
  for (let index = 0; index < value.length; index++) if (!check(value[index])) return false
  return true
}
const isStrings = (value: unknown): boolean => Array.isArray(value) && everyIndex(value, isString)
const oneOf = (values: readonly string[]) => {
  const set = new Set<unknown>(values)
  return (value: unknown): boolean => set.has(value)
}
const optional = (check: (value: unknown) => boolean) => (value: unknown): boolean => value === undefined || check(value)
const arrayOf = (check: (value: unknown) => boolean) => (value: unknown): boolean => Array.isArray(value) && everyIndex(value, check)
const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/** A strict object: the required keys present (optional ones may be absent), no other own key, every value checked. */
function strict(shape: Shape, required: readonly string[]) {
  return (value: unknown): boolean => {
    if (!isPlain(value)) return false
    for (const key of required) if (!(key in value)) return false
    for (const key of Object.keys(value)) {
      const check = shape[key]
      if (!Object.hasOwn(shape, key) || !check || !check(value[key])) return false
    }
    return true
  }
}

const fastTagInfoShape: Shape = {type: isString, label: optional(isString)}
const fastTagInfo = strict(fastTagInfoShape, ['type'])
const fastOriginShape: Shape = {
  kind: oneOf(['engine', 'tm', 'human', 'import']),
  engine: optional(isString),
  detail: optional(isString),
  score: optional((value) => typeof value === 'number' && value >= 0 && value <= 100),
  by: optional(isString),
  postEdits: optional(isStrings)
}
const fastOrigin = strict(fastOriginShape, ['kind'])
const fastFindingShape: Shape = {rule: isString, severity: oneOf(['error', 'warning', 'info']), message: isString}
const fastFinding = strict(fastFindingShape, ['rule', 'severity', 'message'])
const fastPreviousShape: Shape = {source: isString, target: isString}
const fastAcknowledgedShape: Shape = {rule: isString, message: isString, by: optional(isString), at: isString}
const fastGlossaryCheckShape: Shape = {
  concept: isString,
  source: isString,
  expected: isStrings,
  found: isBoolean,
  kind: optional(oneOf(['term', 'pattern'])),
  start: optional(isCount),
  end: optional(isCount),
  dnt: optional(isBoolean),
  forbidden: optional(isStrings),
  deprecated: optional(isStrings)
}
const fastGlossaryCheck = strict(fastGlossaryCheckShape, ['concept', 'source', 'expected', 'found'])
const segmentId = /^[0-9a-f]{12}(-\d+)?$/
const contentHash = /^[0-9a-f]{12}$/
const fastSegmentShape: Shape = {
  id: (value) => typeof value === 'string' && segmentId.test(value),
  hash: (value) => typeof value === 'string' && contentHash.test(value),
  unit: isString,
  kind: oneOf(unitKinds),
  index: isCount,
  source: isString,
  tags: (value) => isPlain(value) && Object.values(value).every(fastTagInfo),
  target: optional(isString),
  state: oneOf(segmentStates),
  origin: optional(fastOrigin),
  stale: optional(isBoolean),
  previous: optional(strict(fastPreviousShape, ['source', 'target'])),
  glossary: arrayOf(fastGlossaryCheck),
  unknown: isStrings,
  qa: arrayOf(fastFinding),
  acknowledged: optional(arrayOf(strict(fastAcknowledgedShape, ['rule', 'message', 'at']))),
  revision: isCount,
  updated: isString
}
const fastSegment = strict(fastSegmentShape, ['id', 'hash', 'unit', 'kind', 'index', 'source', 'tags', 'state', 'glossary', 'unknown', 'qa', 'revision', 'updated'])
const fastBundleShape: Shape = {
  schema: (value) => value === bundleSchemaVersion,
  article: isString,
  sourceLocale: isString,
  locale: isString,
  sourceHash: isString,
  segments: arrayOf(fastSegment),
  retired: arrayOf(fastSegment)
}
const fastBundle = strict(fastBundleShape, ['schema', 'article', 'sourceLocale', 'locale', 'sourceHash', 'segments', 'retired'])

/** True only for data `bundleSchema` accepts unchanged (JSON data: no `undefined`, no prototypes). */
export function isBundleFast(data: unknown): data is Bundle {
  return fastBundle(data)
}

// What `bundleSchema.parse` gives for a bundle `isBundleFast` accepts, without zod (a `translate` run
// saves bundles after every batch): a copy with every object's keys in the schema's order, which is the
// order of the shapes above, keys whose value is undefined left out (JSON would drop them anyway). Lists
// of strings are shared, not copied: the copy is for writing.
// test/bundle-schema.test.ts checks with fast-check that it serialises exactly as zod's output does.
type Copy = (value: never) => unknown

function inOrder(shape: Shape, nested: Record<string, Copy> = {}): Copy {
  const keys = Object.keys(shape)
  return (value: Record<string, unknown>) => {
    const out: Record<string, unknown> = {}
    for (const key of keys) {
      const item = value[key]
      if (item === undefined) continue
      const copy = nested[key]
      out[key] = copy ? copy(item as never) : item
    }
    return out
  }
}

const eachIn = (copy: Copy): Copy => (items: unknown[]) => items.map((item) => copy(item as never))

/** A record's entries in their own order; zod drops a `__proto__` key rather than set the prototype with it. */
const entriesIn = (copy: Copy): Copy => (record: Record<string, unknown>) => {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) if (key !== '__proto__') out[key] = copy(record[key] as never)
  return out
}

const copyFinding = inOrder(fastFindingShape)
const copySegment = inOrder(fastSegmentShape, {
  tags: entriesIn(inOrder(fastTagInfoShape)),
  origin: inOrder(fastOriginShape),
  previous: inOrder(fastPreviousShape),
  glossary: eachIn(inOrder(fastGlossaryCheckShape)),
  qa: eachIn(copyFinding),
  acknowledged: eachIn(inOrder(fastAcknowledgedShape))
})
const copyBundle = inOrder(fastBundleShape, {segments: eachIn(copySegment), retired: eachIn(copySegment)})

/** `bundleSchema.parse(data)` for a bundle the fast check accepts (same keys, same order); undefined when it does not: ask zod. */
export function bundleInSchemaOrder(data: unknown): Bundle | undefined {
  return fastBundle(data) ? (copyBundle(data as never) as Bundle) : undefined
}
