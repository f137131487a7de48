// The bundle read path checks a bundle by hand before asking zod
// (`isBundleFast`); the zod schema stays the source of truth. These
// properties hold the hand check to it: every bundle it accepts, zod accepts
// unchanged, it accepts every valid generated bundle, and a broken bundle
// gets zod's one-line error whatever the hand check says.
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {segmentStates, unitKinds} from '../src/types.ts'
import {bundleSchema, isBundleFast} from '../src/workflow/schema.ts'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'

const hex12 = fc.stringMatching(/^[0-9a-f]{12}$/)
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, {nil: undefined})
const count = fc.nat({max: 10_000})
const text = fc.string({maxLength: 8})

const segment = fc.record(
  {
    id: fc.oneof(hex12, fc.tuple(hex12, fc.nat(9)).map(([hash, n]) => `${hash}-${n}`)),
    hash: hex12,
    unit: text,
    kind: fc.constantFrom(...unitKinds),
    index: count,
    source: text,
    tags: fc.dictionary(text, fc.record({type: text, label: opt(text)}, {requiredKeys: ['type']}), {maxKeys: 2}),
    target: text,
    state: fc.constantFrom(...segmentStates),
    origin: fc.record(
      {
        kind: fc.constantFrom('engine', 'tm', 'human', 'import'),
        engine: text,
        detail: text,
        score: fc.double({min: 0, max: 100, noNaN: true}),
        by: text,
        postEdits: fc.array(text, {maxLength: 2})
      },
      {requiredKeys: ['kind']}
    ),
    stale: fc.boolean(),
    previous: fc.record({source: text, target: text}),
    glossary: fc.array(
      fc.record(
        {
          concept: text,
          source: text,
          expected: fc.array(text, {maxLength: 2}),
          found: fc.boolean(),
          kind: fc.constantFrom('term', 'pattern'),
          start: count,
          end: count,
          dnt: fc.boolean(),
          forbidden: fc.array(text, {maxLength: 2}),
          deprecated: fc.array(text, {maxLength: 2})
        },
        {requiredKeys: ['concept', 'source', 'expected', 'found']}
      ),
      {maxLength: 2}
    ),
    unknown: fc.array(text, {maxLength: 2}),
    qa: fc.array(fc.record({rule: text, severity: fc.constantFrom('error', 'warning', 'info'), message: text}), {maxLength: 2}),
    acknowledged: fc.array(fc.record({rule: text, message: text, by: text, at: text}, {requiredKeys: ['rule', 'message', 'at']}), {maxLength: 2}),
    revision: count,
    updated: text
  },
  {requiredKeys: ['id', 'hash', 'unit', 'kind', 'index', 'source', 'tags', 'state', 'glossary', 'unknown', 'qa', 'revision', 'updated']}
)

// Bundles as they come out of JSON.parse: the only input the read path sees.
const bundle = fc
  .record({
    schema: fc.constant(1),
    article: text,
    sourceLocale: text,
    locale: text,
    sourceHash: text,
    segments: fc.array(segment, {maxLength: 3}),
    retired: fc.array(segment, {maxLength: 1})
  })
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown)

type Json = null | boolean | number | string | Json[] | {[key: string]: Json}

/** Every path to a value inside `value`. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const inner = Array.isArray(value)
    ? value.flatMap((item, index) => paths(item, [...at, index]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) => paths(item, [...at, key]))
      : []
  return [at, ...inner]
}

// One edit at one place: a value replaced by another JSON value (of any kind,
// or a near miss: negative, fractional, off-pattern), a key removed or added.
const replacement = fc.oneof(
  fc.jsonValue({maxDepth: 1}) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(-1, 0.5, 101, 2, '', 'zz', '0123456789ab-x', 'draft', 'heading', 'term', 'error', true, null, [], {})
)
const mutated = fc
  .tuple(bundle, fc.nat(), replacement, fc.constantFrom('replace', 'delete', 'add'), fc.constantFrom('extra', 'type', 'label', 'kind', 'unknown'))
  .map(([value, pick, next, how, key]) => {
    const all = paths(value as Json)
    const path = all[pick % all.length]!
    if (path.length === 0) return how === 'replace' ? next : value
    let parent = value as {[key: string]: Json}
    for (const step of path.slice(0, -1)) parent = parent[step] as {[key: string]: Json}
    const last = path.at(-1)!
    if (how === 'replace') parent[last] = next
    else if (how === 'delete' && !Array.isArray(parent)) delete parent[last]
    else if (how === 'add' && parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) (parent[last] as {[key: string]: Json})[key] = next
    else parent[last] = next
    return value
  })

describe('isBundleFast against the zod bundle schema', () => {
  it('accepts every bundle the schema accepts (generated valid bundles)', () => {
    fc.assert(
      fc.property(bundle, (value) => {
        expect(bundleSchema.safeParse(value).success).toBe(true)
        expect(isBundleFast(value)).toBe(true)
      }),
      {numRuns: 300}
    )
  })

  it('gives the schema’s verdict on mutated bundles, and parseBundle reports zod’s first issue', () => {
    let rejected = 0
    fc.assert(
      fc.property(mutated, (value) => {
        const zod = bundleSchema.safeParse(value)
        const fast = isBundleFast(value)
        expect(fast).toBe(zod.success)
        if (zod.success) return
        rejected++
        const issue = zod.error.issues[0]!
        const where = issue.path.join('.') || 'top level'
        expect(() => parseBundle(JSON.stringify(value), 'es/x.json')).toThrow(`bundle does not match the schema at ${where}: ${issue.message}`)
      }),
      {numRuns: 1000}
    )
    // The mutations must mostly break the bundle, or the property says little.
    expect(rejected).toBeGreaterThan(500)
  })

  it('reads a valid bundle to the same data as zod', () => {
    fc.assert(
      fc.property(bundle, (value) => {
        expect(parseBundle(JSON.stringify(value), 'es/x.json')).toEqual(bundleSchema.parse(value))
      }),
      {numRuns: 100}
    )
  })
})

/** The same data with every object's keys in another order (as an editor or a spread may leave them), some optional keys set to undefined. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, index) => reordered(item, seed + index))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value)
  const turned = [...entries.slice(seed % (entries.length || 1)), ...entries.slice(0, seed % (entries.length || 1))].reverse()
  const out: Record<string, unknown> = Object.fromEntries(turned.map(([key, item], index) => [key, reordered(item, seed * 7 + index)]))
  // In memory, a segment may carry an optional key with no value (`{...segment, target: undefined}`).
  if ('revision' in out && seed % 3 === 0) Object.assign(out, {stale: undefined, origin: undefined})
  return out
}

describe('serializeBundle without zod', () => {
  it('writes exactly what zod’s output of the same bundle serialises to, whatever the key order in memory', () => {
    fc.assert(
      fc.property(bundle, fc.nat(1000), (value, seed) => {
        const data = reordered(value, seed) as Parameters<typeof serializeBundle>[0]
        expect(serializeBundle(data)).toBe(JSON.stringify(bundleSchema.parse(data), null, 2) + '\n')
      }),
      {numRuns: 500}
    )
  })

  it('drops a `__proto__` tag key as zod does', () => {
    const value = JSON.parse(JSON.stringify(fc.sample(bundle.filter((item) => (item as {segments: unknown[]}).segments.length > 0), {numRuns: 1, seed: 1})[0]))
    const first = value.segments[0]
    first.tags = JSON.parse('{"__proto__": {"type": "a"}, "1": {"label": "x", "type": "b"}}')
    expect(serializeBundle(value)).toBe(JSON.stringify(bundleSchema.parse(value), null, 2) + '\n')
  })

  it('refuses an array with a hole, which zod refuses and JSON would write as null', () => {
    const value = JSON.parse(JSON.stringify(fc.sample(bundle.filter((item) => (item as {segments: unknown[]}).segments.length > 0), {numRuns: 1, seed: 2})[0]))
    const sparse: string[] = []
    sparse[1] = 'mot'
    value.segments[0].unknown = sparse
    expect(bundleSchema.safeParse(value).success).toBe(false)
    expect(() => serializeBundle(value, 'es/x.json')).toThrow('refusing to write an invalid bundle: segments.0.unknown.0')
  })

  it('still refuses an invalid bundle with zod’s first issue', () => {
    fc.assert(
      fc.property(mutated, (value) => {
        const zod = bundleSchema.safeParse(value)
        if (zod.success) {
          expect(serializeBundle(value as Parameters<typeof serializeBundle>[0])).toBe(JSON.stringify(zod.data, null, 2) + '\n')
          return
        }
        const issue = zod.error.issues[0]!
        expect(() => serializeBundle(value as Parameters<typeof serializeBundle>[0], 'es/x.json')).toThrow(`refusing to write an invalid bundle: ${issue.path.join('.') || 'top level'}: ${issue.message}`)
      }),
      {numRuns: 300}
    )
  })
})
