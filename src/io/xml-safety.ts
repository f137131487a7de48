// What every XML reader of the project (XLIFF, TBX, TMX) refuses or decodes
// the same way, so that no format is weaker than another.
import {XMLValidator} from 'fast-xml-parser'
import {lineIndex} from './line-index.ts'

/** The five XML entities, for fast-xml-parser's entity option: never HTML's `&nbsp;` and friends. */
export const xmlEntities = {amp: '&', apos: "'", gt: '>', lt: '<', quot: '"'}

/**
 * Where a DOCTYPE with an internal subset starts (entity declarations that
 * could expand without limit, "billion laughs"), or undefined. `text` should
 * have comments and CDATA masked when they may contain `<!DOCTYPE`.
 */
export function internalSubsetAt(text: string): number | undefined {
  const doctype = /<!DOCTYPE\b[^>[]*(\[)?/i.exec(text)
  return doctype?.[1] ? doctype.index : undefined
}

/** Where and why a text is not well-formed XML, in words a person can act on; undefined when it is. */
export interface XmlSyntaxProblem {
  line: number
  column: number
  message: string
  /** True when the text simply stops with elements still open (a cut-short download or copy). */
  truncated: boolean
}

/**
 * fast-xml-parser's validator, explained: it reports a file that stops with
 * elements still open at "line 1" with a JSON list of tag names; this says
 * where the file ends and which element was left open, where.
 */
export function xmlSyntaxProblem(text: string): XmlSyntaxProblem | undefined {
  const result = XMLValidator.validate(text, {allowBooleanAttributes: false})
  if (result === true) return undefined
  const {code, msg, line, col} = result.err
  const unclosed = code === 'InvalidXml' ? /^Invalid '(\[.*\])' found\.$/s.exec(msg)?.[1] : undefined
  if (unclosed !== undefined) {
    let names: string[] = []
    try {
      names = (JSON.parse(unclosed) as unknown[]).map(String)
    } catch {
      // fall through with no names
    }
    const lines = text.split('\n')
    const end = {line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1}
    const innermost = names.at(-1)
    const opened = innermost === undefined ? -1 : lastOpening(text, innermost)
    const where = opened === -1 ? '' : ` (opened on line ${lineIndex(text)(opened)})`
    const list = names.map((name) => `<${name}>`).join(', ')
    return {
      ...end,
      truncated: true,
      message: `the file ends at line ${end.line}, column ${end.column} with ${names.length === 1 ? `${list} still open` : `${list} still open`}${innermost ? `, the last one <${innermost}>${where}` : ''}: it looks cut short`
    }
  }
  return {line, column: col, truncated: false, message: `not well-formed XML at line ${line}, column ${col}: ${msg.replace(/\s+/g, ' ')}`}
}

function lastOpening(text: string, name: string): number {
  const pattern = new RegExp(`<${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s/>])`, 'g')
  let last = -1
  for (const match of text.matchAll(pattern)) last = match.index
  return last
}
