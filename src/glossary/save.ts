// Writing the termbase back (review app, imports). Each concept and pattern
// returns to the file and position it came from; new ones go to the file that
// holds their domain, else `concepts.yaml` / `patterns.yaml`. Entries that did
// not validate are kept as written (never silently lost); entries that are
// valid on disk but gone from the termbase were deleted. Files that are not
// YAML are left alone. Output is canonical (fixed key order, one term per
// line), so that load → save → load is the identity and diffs stay small.
import {join} from 'node:path'
import {Document, isMap, isSeq} from 'yaml'
import {isPasserelleError, PasserelleError} from '../errors.ts'
import {writeIfChanged} from '../io/atomic.ts'
import {readTextFile} from '../io/read-text.ts'
import type {Locale} from '../types.ts'
import {listGlossaryFiles, parseGlossaryFile, type FileEntry} from './load.ts'
import {canonicalConcept, canonicalPattern, conceptSchema, describeIssues, patternSchema} from './schema.ts'
import type {Concept, DntPattern, Termbase} from './types.ts'
import {withFileLock} from '../io/lock.ts'

export interface SaveOptions {
  /** Order of the languages inside each concept (default fr, en, es, ca; others follow alphabetically). */
  localeOrder?: readonly Locale[]
}

interface FilePlan {
  name: string
  concepts: unknown[] | undefined
  patterns: unknown[] | undefined
  other?: Record<string, unknown>
}

// Comments would not survive a save: say so where an editor will see it.
const header = ' Passerelle termbase (format: glossary/README.md). Saving from the review app rewrites this file in\n canonical form: put remarks in `note:` or `definition:` fields, not in comments.'
const defaultConceptFile = 'concepts.yaml'
const defaultPatternFile = 'patterns.yaml'

/** Validate, then write the files that changed; returns their paths. Throws `E_GLOSSARY` before writing anything if the termbase is invalid. */
export async function saveTermbase(dir: string, termbase: Termbase, options: SaveOptions = {}): Promise<string[]> {
  const files: GlossaryFileText[] = []
  for (const name of await listGlossaryFiles(dir).catch(() => [])) {
    try {
      files.push({name, text: await readTextFile(join(dir, name))})
    } catch (error) {
      // Unreadable (binary, not UTF-8…): the user has to fix it by hand; never overwrite it.
      if (isPasserelleError(error, 'E_EMPTY')) files.push({name, text: ''})
    }
  }
  const written: string[] = []
  for (const file of planGlossaryFiles(files, termbase, options)) {
    const path = join(dir, file.name)
    if (await writeIfChanged(path, file.text)) written.push(path)
  }
  return written
}

/** A glossary file by its name in the glossary folder, and its text. */
export interface GlossaryFileText {
  name: string
  text: string
}

export interface PlanOptions extends SaveOptions {
  /** The file a concept not found in any file goes to (default: the file holding its domain, else `concepts.yaml`). */
  home?: (concept: Concept) => string | undefined
}

/**
 * The glossary files' new texts for `termbase`, from their current texts:
 * pure, so that the folder (`saveTermbase`) and the team database's export
 * write the same YAML. Files that are not YAML mappings are left out (never
 * rewritten); a file named by a new entry's home and not yet there is added.
 */
export function planGlossaryFiles(files: readonly GlossaryFileText[], termbase: Termbase, options: PlanOptions = {}): GlossaryFileText[] {
  assertValidTermbase(termbase)
  const concepts = new Map(termbase.concepts.map((concept) => [concept.id, canonicalConcept(concept, options.localeOrder)]))
  const patterns = new Map(termbase.patterns.map((pattern) => [pattern.id, canonicalPattern(pattern)]))

  const plans: FilePlan[] = []
  const placedConcepts = new Set<string>()
  const placedPatterns = new Set<string>()
  for (const {name, text} of files) {
    const parsed = parseGlossaryFile(text, name)
    if (!parsed.usable) continue
    plans.push({
      name,
      concepts: parsed.has.concepts ? place(parsed.concepts, concepts, placedConcepts) : undefined,
      patterns: parsed.has.patterns ? place(parsed.patterns, patterns, placedPatterns) : undefined,
      other: parsed.other
    })
  }

  // Each file's domains, built once and kept current as new concepts are placed (not rescanned per concept).
  const domains = plans.map((plan) => ({name: plan.name, domains: new Set((plan.concepts ?? []).map(domainOf).filter((domain): domain is string => typeof domain === 'string'))}))
  for (const concept of concepts.values()) {
    if (placedConcepts.has(concept.id)) continue
    // A named home that exists but cannot be rewritten (not a YAML mapping) is not used: that file is never overwritten.
    const named = options.home?.(concept)
    const usable = named !== undefined && (plans.some((plan) => plan.name === named) || !files.some((file) => file.name === named))
    const home = planFor(plans, usable ? named : homeOfNewConcept(concept, domains))
    ;(home.concepts ??= []).push(concept)
    let entry = domains.find((item) => item.name === home.name)
    if (!entry) domains.push((entry = {name: home.name, domains: new Set()}))
    if (typeof concept.domain === 'string') entry.domains.add(concept.domain)
  }
  for (const pattern of patterns.values()) {
    if (placedPatterns.has(pattern.id)) continue
    const home = plans.find((plan) => plan.patterns !== undefined) ?? planFor(plans, defaultPatternFile)
    ;(home.patterns ??= []).push(pattern)
  }
  return plans.map((plan) => ({name: plan.name, text: serializeGlossaryFile(plan)}))
}

/** The file a new concept goes to among `files` (name → its concepts): the one holding its domain, else `concepts.yaml`. */
export function homeOfNewConcept(concept: Pick<Concept, 'domain'>, files: ReadonlyArray<{name: string; domains: ReadonlySet<string>}>): string {
  return (concept.domain === undefined ? undefined : files.find((file) => file.domains.has(concept.domain!))?.name) ?? defaultConceptFile
}

/** The entries of one file in their new form: termbase versions where the id is known, invalid entries as written. */
function place<T extends {id: string}>(entries: FileEntry<T>[], current: Map<string, T>, placed: Set<string>): unknown[] {
  const out: unknown[] = []
  for (const entry of entries) {
    const replacement = entry.id === undefined ? undefined : current.get(entry.id)
    if (replacement && !placed.has(replacement.id)) {
      out.push(replacement)
      placed.add(replacement.id)
    } else if (!entry.value || replacement) {
      // Invalid, or a duplicate the loader skipped: keep it for the user to resolve.
      out.push(entry.raw)
    }
    // Otherwise the entry was valid and is no longer in the termbase: deleted.
  }
  return out
}

function domainOf(entry: unknown): unknown {
  return entry !== null && typeof entry === 'object' ? (entry as {domain?: unknown}).domain : undefined
}

function planFor(plans: FilePlan[], name: string): FilePlan {
  let plan = plans.find((candidate) => candidate.name === name)
  if (!plan) plans.push((plan = {name, concepts: undefined, patterns: undefined}))
  return plan
}

/** Canonical YAML: `concepts` then `patterns`, terms as one-line flow mappings, no line folding. */
export function serializeGlossaryFile(content: {
  concepts?: unknown[] | undefined
  patterns?: unknown[] | undefined
  other?: Record<string, unknown> | undefined
}): string {
  const data: Record<string, unknown> = {}
  if (content.concepts !== undefined) data.concepts = content.concepts
  if (content.patterns !== undefined) data.patterns = content.patterns
  Object.assign(data, content.other)
  const document = new Document(data)
  const list = document.get('concepts', true)
  if (isSeq(list)) {
    for (const concept of list.items) {
      const terms = isMap(concept) ? concept.get('terms', true) : undefined
      if (!isMap(terms)) continue
      for (const pair of terms.items) {
        if (!isSeq(pair.value)) continue
        for (const term of pair.value.items) if (isMap(term)) term.flow = true
      }
    }
  }
  document.commentBefore = header
  return document.toString({lineWidth: 0, indentSeq: true, flowCollectionPadding: false})
}

/** Throws `E_GLOSSARY` on the first invalid or duplicate entry: a termbase is saved whole or not at all. */
export function assertValidTermbase(termbase: Termbase): void {
  const seen = new Set<string>()
  const check = (entries: readonly (Concept | DntPattern)[], kind: string, schema: typeof conceptSchema | typeof patternSchema): void => {
    for (const entry of entries) {
      const result = schema.safeParse(entry)
      if (!result.success) {
        throw new PasserelleError('E_GLOSSARY', `${kind} "${entry.id}" is invalid: ${describeIssues(result.error)}`, {hint: 'nothing was saved; fix the entry and save again'})
      }
      if (seen.has(entry.id)) {
        throw new PasserelleError('E_GLOSSARY', `duplicate id "${entry.id}"`, {hint: 'nothing was saved; give each concept and pattern its own id'})
      }
      seen.add(entry.id)
    }
  }
  check(termbase.concepts, 'concept', conceptSchema)
  check(termbase.patterns, 'pattern', patternSchema)
}

/**
 * Run a read-modify-write of the termbase under one lock shared by every
 * process (the review app, `glossary import`), so that neither saves over a
 * change the other made between its read and its write.
 */
export function withTermbaseLock<T>(dir: string, task: () => Promise<T>): Promise<T> {
  return withFileLock(join(dir, '.termbase'), task)
}
