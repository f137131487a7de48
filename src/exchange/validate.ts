// `passerelle validate <file>`: is an exchange file valid XLIFF 2.x, TMX or
// TBX, and if not, where? XLIFF goes through the core schema and processing
// requirements (./xliff/validate.ts) and, where Debian's copy of the OASIS
// XSD is installed, through xmllint against it too. TMX and TBX go through
// the readers Passerelle imports them with, so that "valid" means "Passerelle
// reads it": their errors and skipped entries are the problems.
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PasserelleError} from '../errors.ts'
import {readTextFile} from '../io/read-text.ts'
import {parseTmx} from '../tm/tmx.ts'
import {parseTbx} from './tbx.ts'
import {readXml, type XmlElement} from './xml.ts'
import {xliffNamespace} from './xliff/map.ts'
import {validateXliffTree} from './xliff/validate.ts'

/** One problem in a file, where a person can find it. */
export interface Problem {
  line: number
  /** 1-based; the column of the element on that line when the reader names only the line. */
  column: number
  message: string
  /** What kind of rule: xml, xliff-schema, xliff-rule, xliff-module, xsd, tmx, tbx. */
  code: string
}

export type ExchangeFormat = 'xliff' | 'tmx' | 'tbx'

export interface ValidationResult {
  format: ExchangeFormat | undefined
  problems: Problem[]
}

export interface ValidateOptions {
  /** Also check XLIFF against the OASIS XSD with xmllint (default: when the XSD is installed). */
  xsd?: boolean
}

/** Debian's php-symfony-translation ships the official OASIS XLIFF 2.0 core XSD (2.1 keeps it). */
export const debianXliffSchemas = '/usr/share/php/Symfony/Component/Translation/Resources/schemas'

export async function validateFile(path: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const text = await readTextFile(path, {encoding: 'xml', maxBytes: 64 * 1024 * 1024, tooLargeHint: 'split the file into smaller ones'})
  return validateText(text, path, options)
}

/** Validate decoded text. Never throws for problems in the file: they are returned. */
export function validateText(text: string, file: string, options: ValidateOptions = {}): ValidationResult {
  let root: XmlElement
  try {
    root = readXml(text, {file, code: 'E_INPUT'})
  } catch (error) {
    return {format: undefined, problems: [problemOf(error, 'xml', undefined)]}
  }
  const format = formatOf(root)
  if (format === undefined) {
    return {
      format,
      problems: [{line: root.line, column: root.column, code: 'xml', message: `<${root.name}> is not the root of an XLIFF 2, TMX or TBX document`}]
    }
  }
  if (format === 'xliff') {
    const problems: Problem[] = validateXliffTree(root).map(({line, column, message, code}) => ({line, column, message, code}))
    if (options.xsd ?? existsSync(join(debianXliffSchemas, 'xliff-core-2.0.xsd'))) problems.push(...xsdProblems(text, root))
    return {format, problems: sortProblems(dedupe(problems))}
  }
  const problems: Problem[] = []
  try {
    const result: unknown = format === 'tmx' ? parseTmx(text, file) : parseTbx(text, file)
    // Entries a reader skipped (and said why) make the file invalid, though the rest imports.
    const skipped = (result as {problems?: unknown}).problems
    if (Array.isArray(skipped)) for (const item of skipped) problems.push(problemOf(item, format, root))
  } catch (error) {
    if (!(error instanceof PasserelleError)) throw error
    problems.push(problemOf(error, format, root))
  }
  return {format, problems: sortProblems(problems)}
}

function formatOf(root: XmlElement): ExchangeFormat | undefined {
  if (root.local === 'xliff' && root.ns === xliffNamespace) return 'xliff'
  if (root.local === 'tmx') return 'tmx'
  if (root.local === 'tbx' || root.local === 'martif') return 'tbx'
  return undefined
}

/** A reader's error (or message) as a problem: its "line N[, column C]", the column else from the element on that line. */
function problemOf(error: unknown, code: string, root: XmlElement | undefined): Problem {
  const message = error instanceof Error ? error.message : String(error)
  // The TMX and TBX readers' errors carry their position.
  if (error instanceof PasserelleError && error.line !== undefined) {
    return {line: error.line, column: error.column ?? (root && firstColumnOn(root, error.line)) ?? 1, code, message}
  }
  const match = /\bline (\d+)(?:, column (\d+))?/.exec(message)
  const line = match ? Number(match[1]) : 1
  const column = match?.[2] ? Number(match[2]) : (root && firstColumnOn(root, line)) ?? 1
  return {line, column, code, message}
}

function firstColumnOn(root: XmlElement, line: number): number | undefined {
  if (root.line === line) return root.column
  for (const child of root.children) {
    if (typeof child === 'string') continue
    const found = firstColumnOn(child, line)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * xmllint against the OASIS core XSD. The XSD imports xml.xsd by a relative
 * path the Debian layout does not have, so both are staged in a temporary folder.
 */
function xsdProblems(text: string, root: XmlElement): Problem[] {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-xsd-'))
  try {
    mkdirSync(join(dir, 'informativeCopiesOf3rdPartySchemas', 'w3c'), {recursive: true})
    copyFileSync(join(debianXliffSchemas, 'xliff-core-2.0.xsd'), join(dir, 'xliff-core-2.0.xsd'))
    copyFileSync(join(debianXliffSchemas, 'xml.xsd'), join(dir, 'informativeCopiesOf3rdPartySchemas', 'w3c', 'xml.xsd'))
    const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', join(dir, 'xliff-core-2.0.xsd'), '-'], {input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    if (result.error) {
      throw new PasserelleError('E_ENGINE_MISSING', `cannot run xmllint: ${result.error.message}`, {hint: 'install libxml2-utils (scripts/setup.sh does)'})
    }
    const problems: Problem[] = []
    for (const raw of result.stderr.split('\n')) {
      const match = /^-:(\d+): (?:element [^:]*: )?(?:Schemas validity error : )?(.*)$/.exec(raw)
      if (!match) continue
      const line = Number(match[1])
      problems.push({line, column: firstColumnOn(root, line) ?? 1, code: 'xsd', message: `XSD: ${match[2]}`})
    }
    return problems
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>()
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.column}:${problem.code}:${problem.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** `file:line:column: message [code]`, the form editors and CI logs link. */
export function formatProblem(file: string, problem: Problem): string {
  return `${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.code}]`
}
