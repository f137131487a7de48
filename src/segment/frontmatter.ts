// YAML front matter: read and validate it, and write it back changing only
// what changed: edits patch the source text at the ranges the YAML parser
// reports, so comments, key order and the form of untouched fields survive a
// translation byte for byte (a translated diff shows only translated lines).
import {isDeepStrictEqual} from 'node:util'
import type {Root, Yaml} from 'mdast'
import {Document, isMap, isNode, isScalar, parseDocument, stringify} from 'yaml'
import {PasserelleError} from '../errors.ts'

/** Front-matter fields that are translated. */
export const translatableFields = ['title', 'description'] as const
export type TranslatableField = (typeof translatableFields)[number]

export function findFrontmatterNode(tree: Root): Yaml | undefined {
  const first = tree.children[0]
  return first?.type === 'yaml' ? first : undefined
}

/** The front-matter mapping; throws `E_FRONTMATTER` when it is not a YAML mapping or a field is malformed. */
export function readFrontmatter(tree: Root, file?: string): Record<string, unknown> {
  const node = findFrontmatterNode(tree)
  if (!node) return {}
  const document = parseDocument(node.value, {prettyErrors: true, uniqueKeys: true})
  const error = document.errors[0]
  if (error) {
    // +1: the opening `---` line precedes the YAML.
    const line = error.linePos?.[0].line
    const reason = firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '')
    throw new PasserelleError('E_FRONTMATTER', `front matter is not valid YAML${line ? ` (line ${line + 1} of the file)` : ''}: ${reason}`, {
      file,
      hint: 'fix the YAML between the --- lines (quote values that contain a colon)'
    })
  }
  if (document.contents === null) return {}
  if (!isMap(document.contents)) {
    throw new PasserelleError('E_FRONTMATTER', 'front matter must be a mapping of fields (key: value)', {
      file,
      hint: 'write fields such as `title: …` between the --- lines'
    })
  }
  const record = document.toJS() as Record<string, unknown>
  for (const field of translatableFields) {
    const value = record[field]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new PasserelleError('E_FRONTMATTER', `front-matter field "${field}" must be text, not ${describe(value)}`, {
        file,
        hint: `quote it: ${field}: "…"`
      })
    }
  }
  return record
}

/**
 * The YAML text for `next`, made by editing `source` (the original front
 * matter, parsed as `previous`): changed fields are rewritten in the style
 * they had (quoted, folded…), removed ones dropped, new ones appended, and
 * every other byte — comments, order, formatting — is kept.
 */
export function writeFrontmatter(source: string | undefined, previous: Record<string, unknown>, next: Record<string, unknown>): string {
  if (source === undefined) return stringify(next).trimEnd()
  const document = parseDocument(source, {uniqueKeys: true})
  const map = document.contents
  if (!isMap(map) || map.flow) return stringify(next).trimEnd()

  const edits: Array<{start: number; end: number; text: string}> = []
  for (const pair of map.items) {
    const keyRange = isScalar(pair.key) ? pair.key.range : undefined
    const valueRange = isNode(pair.value) ? pair.value.range : undefined
    if (!isScalar(pair.key) || !keyRange || !valueRange) return fallback(document, previous, next)
    const key = String(pair.key.value)
    if (!Object.hasOwn(next, key)) {
      edits.push({start: lineStart(source, keyRange[0]), end: throughNewline(source, valueRange[2]), text: ''})
    } else if (!isDeepStrictEqual(previous[key], next[key])) {
      const original = source.slice(keyRange[0], valueRange[1])
      const text = pairText(key, next[key], pair.value) + (original.endsWith('\n') ? '\n' : '')
      edits.push({start: keyRange[0], end: valueRange[1], text})
    }
  }
  let out = source
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  const added = Object.fromEntries(Object.entries(next).filter(([key]) => !Object.hasOwn(previous, key)))
  if (Object.keys(added).length > 0) out = `${out.trimEnd()}\n${stringify(added)}`
  return out.trimEnd()
}

/** `key: value` as YAML, a string keeping the scalar style of the value it replaces. */
function pairText(key: string, value: unknown, replaced: unknown): string {
  const document = new Document({[key]: value})
  const item = isMap(document.contents) ? document.contents.items[0] : undefined
  if (isScalar(replaced) && isScalar(item?.value) && typeof value === 'string') item.value.type = replaced.type
  return document.toString().trimEnd()
}

/** For shapes the byte-exact patch does not handle (complex keys): edit through the document model. */
function fallback(document: Document, previous: Record<string, unknown>, next: Record<string, unknown>): string {
  for (const key of Object.keys(previous)) if (!Object.hasOwn(next, key)) document.delete(key)
  for (const [key, value] of Object.entries(next)) {
    if (!Object.hasOwn(previous, key) || !isDeepStrictEqual(previous[key], value)) document.set(key, value)
  }
  return document.toString().trimEnd()
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

function throughNewline(text: string, offset: number): number {
  return text[offset - 1] !== '\n' && text[offset] === '\n' ? offset + 1 : offset
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `the ${typeof value} ${String(value)}`
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}
