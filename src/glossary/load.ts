// Reading the termbase: every `*.yaml`/`*.yml` file directly under the
// glossary folder, in name order. A bad entry is one problem (file, entry,
// line) and is skipped; the rest still loads, so that one typo never switches
// the whole glossary off. A file that is not YAML is one problem.
import {createHash} from 'node:crypto'
import {readdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {CORE_SCHEMA, load as loadYaml} from 'js-yaml'
import {isMap, isSeq, LineCounter, parseDocument, type Document} from 'yaml'
import {isPasserelleError, PasserelleError} from '../errors.ts'
import {writeFileAtomic} from '../io/atomic.ts'
import {readTextFile} from '../io/read-text.ts'
import {conceptSchema, describeIssues, fileKeys, patternSchema} from './schema.ts'
import type {Concept, DntPattern, Termbase} from './types.ts'

export interface LoadedTermbase {
  termbase: Termbase
  problems: PasserelleError[]
}

/** One entry of a glossary file, valid or not, as the loader and the saver see it. */
export interface FileEntry<T> {
  /** Position in the file's list. */
  index: number
  /** The entry's `id` when it has a string one, even if the entry is invalid. */
  id: string | undefined
  /** The parsed value when valid. */
  value: T | undefined
  /** The entry as written, for keeping invalid entries on save. */
  raw: unknown
}

export interface ParsedFile {
  /** False when the file is not a YAML mapping at all: nothing in it can be used or rewritten. */
  usable: boolean
  /** Which top-level lists the file has. */
  has: {concepts: boolean; patterns: boolean}
  concepts: FileEntry<Concept>[]
  patterns: FileEntry<DntPattern>[]
  /** Unknown top-level keys (reported, ignored, but kept on save). */
  other: Record<string, unknown>
  problems: PasserelleError[]
}

const hint = 'fix the entry in the glossary file; the other entries still load'

export interface LoadOptions {
  /**
   * A folder for compiled files (e.g. .passerelle/cache/glossary): the valid
   * entries of each problem-free file, keyed by a hash of its text, so that a
   * large termbase is parsed once, not on every run (YAML with line tracking
   * and schema checks costs about 0.5 ms per concept; JSON far less).
   */
  cacheDir?: string
}

export async function loadTermbase(dir: string, options: LoadOptions = {}): Promise<LoadedTermbase> {
  const files = await listGlossaryFiles(dir)
  const used = new Set<string>()
  const termbase: Termbase = {concepts: [], patterns: []}
  const problems: PasserelleError[] = []
  const parsedFiles: Array<{file: string; parsed: Pick<ParsedFile, 'concepts' | 'patterns'>}> = []
  for (const name of files) {
    const file = join(dir, name)
    let text: string
    try {
      text = await readTextFile(file, {maxBytes: maxGlossaryBytes, within: dir})
    } catch (error) {
      if (isPasserelleError(error, 'E_EMPTY')) continue
      problems.push(glossaryReadProblem(error, file))
      continue
    }
    const key = options.cacheDir ? compiledKey(text) : ''
    if (key) used.add(key)
    let parsed: Compiled | undefined = options.cacheDir ? await readCompiled(options.cacheDir, key) : undefined
    if (!parsed) {
      const fresh = parseGlossaryFile(text, file)
      if (options.cacheDir && fresh.usable && fresh.problems.length === 0) await writeCompiled(options.cacheDir, key, fresh)
      parsed = fresh
    }
    problems.push(...parsed.problems)
    parsedFiles.push({file, parsed})
  }
  const assembled = assembleTermbase(parsedFiles)
  problems.push(...assembled.problems)
  termbase.concepts.push(...assembled.termbase.concepts)
  termbase.patterns.push(...assembled.termbase.patterns)
  if (options.cacheDir) await pruneCompiled(options.cacheDir, used)
  return {termbase, problems}
}

/** Where a termbase entry was read: its file (as given to `assembleTermbase`) and its index in that file's list. */
export interface EntryOrigin {
  file: string
  index: number
}

/**
 * The termbase of parsed files, in file order: the one rule for ids. An id
 * defined in two files is used from neither; a second definition in one file
 * is skipped. Pure: the file loader and the team database both go through it.
 */
export function assembleTermbase(parsedFiles: ReadonlyArray<{file: string; parsed: Pick<ParsedFile, 'concepts' | 'patterns'>}>): {
  termbase: Termbase
  problems: PasserelleError[]
  /** Entry id → where it was read. */
  origins: Map<string, EntryOrigin>
} {
  const termbase: Termbase = {concepts: [], patterns: []}
  const problems: PasserelleError[] = []
  const origins = new Map<string, EntryOrigin>()
  // An id defined in two files: the loader cannot tell which is the real one (the
  // name that sorts first used to win silently), so neither is used until one is renamed.
  const filesOf = new Map<string, string[]>()
  for (const {file, parsed} of parsedFiles) {
    for (const entry of [...parsed.concepts, ...parsed.patterns]) {
      if (!entry.value) continue
      const list = filesOf.get(entry.value.id) ?? []
      if (!list.includes(file)) list.push(file)
      filesOf.set(entry.value.id, list)
    }
  }
  for (const [id, where] of filesOf) {
    if (where.length < 2) continue
    problems.push(
      new PasserelleError('E_GLOSSARY', `id "${id}" is defined in ${where.join(' and ')}: neither definition is used`, {
        file: where[0],
        hint: 'rename or remove one of them'
      })
    )
  }
  const seen = new Map<string, string>()
  for (const {file, parsed} of parsedFiles) {
    const take = <T extends {id: string}>(entries: FileEntry<T>[], list: string, into: T[]): void => {
      for (const entry of entries) {
        if (!entry.value) continue
        if ((filesOf.get(entry.value.id)?.length ?? 0) > 1) continue
        const first = seen.get(entry.value.id)
        if (first !== undefined) {
          problems.push(
            new PasserelleError('E_GLOSSARY', `duplicate id "${entry.value.id}" (${list}[${entry.index}]), first defined in ${first}: skipped`, {
              file,
              hint: 'give each concept and pattern its own id'
            })
          )
          continue
        }
        seen.set(entry.value.id, file)
        origins.set(entry.value.id, {file, index: entry.index})
        into.push(entry.value)
      }
    }
    take(parsed.concepts, 'concepts', termbase.concepts)
    take(parsed.patterns, 'patterns', termbase.patterns)
  }
  return {termbase, problems, origins}
}

type Compiled = Pick<ParsedFile, 'usable' | 'concepts' | 'patterns' | 'problems'>

/** A glossary file's compiled name in the cache: a hash of its text. */
function compiledKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32) + '.json'
}

/**
 * Bring the compiled cache up to date with the folder after a write: files
 * without a compiled copy are parsed (the rewritten ones, usually), and the
 * copies of texts that are gone are dropped. The next load then reads only
 * compiled files, and the cache never holds a text the folder no longer has.
 */
export async function refreshTermbaseCache(dir: string, cacheDir: string): Promise<void> {
  const used = new Set<string>()
  const present = new Set(await readdir(cacheDir).catch(() => [] as string[]))
  for (const name of await listGlossaryFiles(dir)) {
    const file = join(dir, name)
    let text: string
    try {
      text = await readTextFile(file, {maxBytes: maxGlossaryBytes, within: dir})
    } catch {
      continue // the load reports it
    }
    const key = compiledKey(text)
    used.add(key)
    if (present.has(key)) continue
    const parsed = parseGlossaryFile(text, file)
    if (parsed.usable && parsed.problems.length === 0) await writeCompiled(cacheDir, key, parsed)
  }
  await pruneCompiled(cacheDir, used)
}

/** Only problem-free files are compiled, so the entries are all valid and there is nothing to report. */
async function readCompiled(cacheDir: string, key: string): Promise<Compiled | undefined> {
  try {
    const data = JSON.parse(await readFile(join(cacheDir, key), 'utf8')) as Pick<ParsedFile, 'concepts' | 'patterns'>
    return {usable: true, concepts: data.concepts, patterns: data.patterns, problems: []}
  } catch {
    return undefined
  }
}

async function writeCompiled(cacheDir: string, key: string, parsed: ParsedFile): Promise<void> {
  const strip = <T>(entries: FileEntry<T>[]) => entries.map(({index, id, value}) => ({index, id, value, raw: undefined}))
  // A cache that cannot be written costs only speed.
  await writeFileAtomic(join(cacheDir, key), JSON.stringify({concepts: strip(parsed.concepts), patterns: strip(parsed.patterns)})).catch(() => {})
}

/** Drop compiled files of glossary texts that no longer exist. */
async function pruneCompiled(cacheDir: string, used: ReadonlySet<string>): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[])
  await Promise.all(names.filter((name) => name.endsWith('.json') && !used.has(name)).map((name) => rm(join(cacheDir, name), {force: true})))
}

/** A glossary file is text of a few hundred KB; past this it is almost surely not one. */
export const maxGlossaryBytes = 5 * 1024 * 1024

/** A read failure turned into a problem whose hint fits its cause. */
function glossaryReadProblem(error: unknown, file: string): PasserelleError {
  const reason = error instanceof Error ? error.message : String(error)
  const hints: Partial<Record<string, string>> = {
    E_TOO_LARGE: 'split it into several glossary files (each under 5 MB)',
    E_NOT_FILE: 'replace it with a regular file',
    E_OUTSIDE: 'copy the file into the glossary folder instead of linking it'
  }
  const code = isPasserelleError(error) ? error.code : undefined
  return new PasserelleError('E_GLOSSARY', `cannot read glossary file: ${reason}`, {
    file,
    hint: (code && hints[code]) ?? 'save it as UTF-8 YAML',
    cause: error
  })
}

/** The glossary files of a folder, sorted; hidden and temporary files are left out. */
export async function listGlossaryFiles(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    throw new PasserelleError('E_GLOSSARY', 'glossary folder not found', {file: dir, hint: 'create it or point the glossary option at it', cause: error})
  }
  return names.filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.')).sort()
}

/**
 * Parse one glossary file's text; `file` names it in problems. A clean file
 * (the usual case) is read by js-yaml, an order of magnitude faster than the
 * `yaml` document parser at 50,000 concepts; any doubt (syntax, duplicate keys,
 * an invalid entry, an unknown key) sends the file through the document parser,
 * which knows lines and columns for the problems it reports.
 */
export function parseGlossaryFile(text: string, file: string): ParsedFile {
  return parseClean(text) ?? parseWithPositions(text, file)
}

/** The parsed file when it is valid through and through, otherwise undefined. */
function parseClean(text: string): ParsedFile | undefined {
  let data: unknown
  try {
    // The core schema is YAML 1.2's, as the document parser's (no timestamps, no merge keys); duplicate keys throw.
    data = loadYaml(text, {schema: CORE_SCHEMA})
  } catch {
    return undefined
  }
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) return undefined
  const record = data as Record<string, unknown>
  if (Object.keys(record).some((key) => !(fileKeys as readonly string[]).includes(key))) return undefined
  const clean = <T>(value: unknown, schema: typeof conceptSchema | typeof patternSchema): FileEntry<T>[] | undefined => {
    if (value === undefined || value === null) return []
    if (!Array.isArray(value)) return undefined
    const entries: FileEntry<T>[] = []
    for (let index = 0; index < value.length; index++) {
      const raw: unknown = value[index]
      const result = schema.safeParse(raw)
      if (!result.success) return undefined
      entries.push({index, id: (result.data as {id: string}).id, value: result.data as T, raw})
    }
    return entries
  }
  const concepts = clean<Concept>(record.concepts, conceptSchema)
  const patterns = clean<DntPattern>(record.patterns, patternSchema)
  if (!concepts || !patterns) return undefined
  return {usable: true, has: {concepts: 'concepts' in record, patterns: 'patterns' in record}, concepts, patterns, other: {}, problems: []}
}

/** The document parser's reading (lines and columns for problems); `parseGlossaryFile` uses it when a file is not clean. */
export function parseWithPositions(text: string, file: string): ParsedFile {
  const parsed: ParsedFile = {usable: false, has: {concepts: false, patterns: false}, concepts: [], patterns: [], other: {}, problems: []}
  const lines = new LineCounter()
  const document = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true})
  const syntax = document.errors[0]
  if (syntax) {
    const line = syntax.linePos?.[0] ?? lines.linePos(syntax.pos[0])
    parsed.problems.push(
      new PasserelleError('E_GLOSSARY', `not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${firstLine(syntax.message)}`, {
        file,
        hint: 'fix the YAML syntax; nothing in this file was loaded'
      })
    )
    return parsed
  }
  const data: unknown = document.toJS()
  if (data === null || data === undefined) return {...parsed, usable: true}
  if (typeof data !== 'object' || Array.isArray(data)) {
    parsed.problems.push(
      new PasserelleError('E_GLOSSARY', 'top level must be a mapping with `concepts:` and/or `patterns:` lists', {file, hint: 'see glossary/README.md'})
    )
    return parsed
  }
  parsed.usable = true
  const record = data as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (!(fileKeys as readonly string[]).includes(key)) {
      parsed.other[key] = record[key]
      parsed.problems.push(new PasserelleError('E_GLOSSARY', `unknown top-level key "${key}": ignored`, {file, hint: 'use `concepts:` and `patterns:`'}))
    }
  }
  parsed.has = {concepts: 'concepts' in record, patterns: 'patterns' in record}
  // A list written as something else holds entries we cannot read: leave the whole file to its author, never rewrite it.
  const malformed = (key: string) => record[key] !== undefined && record[key] !== null && !Array.isArray(record[key])
  if (malformed('concepts') || malformed('patterns')) parsed.usable = false
  parsed.concepts = readList(record.concepts, 'concepts', 'concept', conceptSchema, document, lines, file, parsed.problems) as FileEntry<Concept>[]
  parsed.patterns = readList(record.patterns, 'patterns', 'pattern', patternSchema, document, lines, file, parsed.problems) as FileEntry<DntPattern>[]
  return parsed
}

function readList(
  value: unknown,
  key: string,
  kind: string,
  schema: typeof conceptSchema | typeof patternSchema,
  document: Document,
  lines: LineCounter,
  file: string,
  problems: PasserelleError[]
): Array<FileEntry<unknown>> {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    problems.push(new PasserelleError('E_GLOSSARY', `\`${key}\` must be a list`, {file, hint: `write each ${kind} as a \`- id: …\` item`}))
    return []
  }
  const node = document.get(key, true)
  return value.map((raw: unknown, index) => {
    const id = raw !== null && typeof raw === 'object' && typeof (raw as {id?: unknown}).id === 'string' ? (raw as {id: string}).id : undefined
    const result = schema.safeParse(raw)
    if (!result.success) {
      const item = isSeq(node) ? node.items[index] : undefined
      const offset = item && (isMap(item) || isSeq(item) || typeof item === 'object') ? (item as {range?: [number, number, number]}).range?.[0] : undefined
      const line = offset === undefined ? '' : `, line ${lines.linePos(offset).line}`
      const name = id === undefined ? `${kind} ${index + 1}` : `${kind} "${id}"`
      problems.push(new PasserelleError('E_GLOSSARY', `${name} (${key}[${index}]${line}) skipped: ${describeIssues(result.error)}`, {file, hint}))
    }
    return {index, id, value: result.success ? result.data : undefined, raw}
  })
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}
