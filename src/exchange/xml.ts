// XML for the exchange formats, read and written with fast-xml-parser and
// its builder; nothing here tokenises XML by hand. Reading adds what the
// library leaves out and exchange files need: a size limit, no internal DTD
// subset (no entity expansion), undefined entities and characters XML cannot
// carry refused with a line number, one root element, and namespace
// resolution. Writing indents element-only content and never touches mixed
// content (source, target, notes), so whitespace in text survives.
import {XMLBuilder, XMLParser} from 'fast-xml-parser'
import {PasserelleError, type ErrorCode} from '../errors.ts'
import {lineIndex} from '../io/line-index.ts'
import {internalSubsetAt, xmlEntities, xmlSyntaxProblem} from '../io/xml-safety.ts'

export const xmlNamespace = 'http://www.w3.org/XML/1998/namespace'

/** One attribute, with its namespace resolved (`''` for unprefixed attributes). */
export interface XmlAttribute {
  name: string
  ns: string
  local: string
  value: string
}

/** A parsed element, namespace-resolved, with the line it starts on. */
export interface XmlElement {
  /** Qualified name as written (`mda:meta`). */
  name: string
  /** Namespace URI, `''` when none. */
  ns: string
  local: string
  attributes: XmlAttribute[]
  children: XmlNode[]
  line: number
  /** 1-based column of the `<` that opens the element. */
  column: number
}

export type XmlNode = XmlElement | string

export interface ReadXmlOptions {
  /** Names the file in errors. */
  file: string
  /** Error code for malformed input (`E_XLIFF`, `E_TBX`). */
  code: ErrorCode
  /** Refuse larger input (UTF-8 bytes). Default 64 MiB. */
  maxBytes?: number
  hint?: string
}

export const defaultMaxXmlBytes = 64 * 1024 * 1024

// Characters outside the XML 1.0 `Char` production, and lone surrogates.
const invalidChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u
const invalidCharGlobal = new RegExp(invalidChar.source, 'gu')
// The common case, cheap to scan for; lone surrogates are looked for only when the text is not well-formed UTF-16.
const controlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/
const predefined = new Set(['lt', 'gt', 'amp', 'quot', 'apos'])

/** True when XML 1.0 can carry the character (`\t`, `\n`, `\r` and U+0020 upwards, minus U+FFFE/U+FFFF and surrogates). */
export function isXmlChar(codePoint: number): boolean {
  if (codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd) return true
  if (codePoint < 0x20) return false
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false
  return codePoint !== 0xfffe && codePoint !== 0xffff && codePoint <= 0x10ffff
}


/** Parse an XML document into a namespace-resolved element tree, or throw `options.code` naming the line. */
export function readXml(text: string, options: ReadXmlOptions): XmlElement {
  const {file, code} = options
  const maxBytes = options.maxBytes ?? defaultMaxXmlBytes
  const fail = (message: string, line?: number, column?: number): never => {
    throw new PasserelleError(code, line === undefined ? message : `line ${line}: ${message}`, {file, hint: options.hint, line, column})
  }
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > maxBytes) {
    throw new PasserelleError('E_TOO_LARGE', `file is ${bytes} bytes, over the ${maxBytes}-byte limit`, {
      file,
      hint: `export fewer articles per file (\`xliff export --article …\`), each under ${Math.floor(maxBytes / 1024 / 1024)} MB`
    })
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') fail('file is empty')
  const lines = lineIndex(text)

  // Lexical checks on the text outside comments, CDATA sections and processing instructions.
  const masked = mask(text)
  const subset = internalSubsetAt(masked)
  if (subset !== undefined) fail('DOCTYPE with an internal subset is not accepted (entity declarations could expand without limit)', lines(subset))
  const bad = controlChar.exec(text) ?? (/[\uD800-\uDFFF]/.test(text) ? invalidChar.exec(text) : null)
  if (bad) fail(`character U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, lines(bad.index))
  for (const match of masked.matchAll(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*)?(;)?/g)) {
    const [whole, name, semicolon] = match
    if (!name || !semicolon) fail(`"${whole}" is not an entity reference: write a literal & as &amp;`, lines(match.index))
    if (name!.startsWith('#')) {
      const value = name!.startsWith('#x') ? Number.parseInt(name!.slice(2), 16) : Number.parseInt(name!.slice(1), 10)
      if (!isXmlChar(value)) fail(`character reference &${name}; is not an XML character`, lines(match.index))
    } else if (!predefined.has(name!)) {
      fail(`undefined entity &${name};`, lines(match.index))
    }
  }

  const syntax = xmlSyntaxProblem(text)
  if (syntax) {
    throw new PasserelleError(code, syntax.message, {
      file,
      line: syntax.line,
      column: syntax.column,
      hint: syntax.truncated ? 'the file is incomplete: export it again or copy the whole file' : (options.hint ?? 'fix the XML at that place')
    })
  }

  let parsed: unknown[]
  try {
    const parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      allowBooleanAttributes: false,
      trimValues: false,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      // An object here means "these named entities, and numeric character references"
      // (the typed option says boolean); without it `&#233;` would stay undecoded.
      htmlEntities: xmlEntities as unknown as boolean,
      captureMetaData: true,
      maxNestedTags: 256
    })
    parsed = parser.parse(text) as unknown[]
  } catch (error) {
    return fail(`cannot parse XML: ${(error as Error).message}`)
  }
  const meta = XMLParser.getMetaDataSymbol() as unknown as symbol
  const roots = parsed.filter((node) => !isTextNode(node))
  for (const node of parsed) {
    if (isTextNode(node) && textOf(node).trim() !== '') fail('text outside the root element')
  }
  if (roots.length !== 1) fail(roots.length === 0 ? 'no root element' : `${roots.length} root elements: a document has exactly one`)
  const root = roots[0] as Record<string | symbol, unknown>
  const end = (root[meta] as {endIndex?: number} | undefined)?.endIndex
  if (end !== undefined && masked.slice(end).replace(/<!DOCTYPE[^>]*>/gi, '').trim() !== '') fail('content after the root element', lines(end))

  const convert = (node: Record<string | symbol, unknown>, scope: ReadonlyMap<string, string>): XmlElement => {
    const name = elementName(node)
    const raw = (node[':@'] ?? {}) as Record<string, string>
    const start = (node[meta] as {startIndex?: number} | undefined)?.startIndex ?? 0
    const line = lines(start)
    const column = start - text.lastIndexOf('\n', start - 1)
    let inner = scope
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) {
        if (inner === scope) inner = new Map(scope)
        ;(inner as Map<string, string>).set(key === 'xmlns' ? '' : key.slice(6), value)
      }
    }
    const resolve = (qualified: string, attribute: boolean): {ns: string; local: string} => {
      const colon = qualified.indexOf(':')
      if (colon === -1) return {ns: attribute ? '' : (inner.get('') ?? ''), local: qualified}
      const prefix = qualified.slice(0, colon)
      const ns = inner.get(prefix)
      if (ns === undefined) return fail(`prefix "${prefix}" of <${qualified}> is not declared`, line)
      return {ns, local: qualified.slice(colon + 1)}
    }
    const attributes: XmlAttribute[] = []
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) continue
      attributes.push({name: key, ...resolve(key, true), value: String(value)})
    }
    const children: XmlNode[] = []
    for (const child of (node[name] ?? []) as Record<string | symbol, unknown>[]) {
      if (isTextNode(child)) {
        const value = textOf(child)
        const last = children.at(-1)
        if (typeof last === 'string') children[children.length - 1] = last + value
        else children.push(value)
      } else {
        children.push(convert(child, inner))
      }
    }
    return {name, ...resolve(name, false), attributes, children, line, column}
  }
  return convert(root, new Map([['xml', xmlNamespace]]))
}

/** The value of an unprefixed attribute (or one in `ns`). */
export function attr(element: XmlElement, local: string, ns = ''): string | undefined {
  return element.attributes.find((attribute) => attribute.local === local && attribute.ns === ns)?.value
}

export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string')
}

/** All text inside an element, descendants included. */
export function textContent(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textContent(child))).join('')
}

// ---------------------------------------------------------------------------
// Writing

/** An element to write. `mixed` content is written as is; other content is indented. */
export interface XmlOut {
  name: string
  /** Attributes in the order they are written; undefined values are left out. */
  attributes?: ReadonlyArray<readonly [string, string | undefined]>
  children?: ReadonlyArray<XmlOut | string>
  /** Text and elements interleaved (source, target): never indented. Default: true when any child is text. */
  mixed?: boolean
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  format: false,
  suppressEmptyNode: true,
  maxNestedTags: 1000,
  // Escape what must be escaped, and `>` so that `]]>` cannot appear; quotes stay readable in text.
  entities: [
    {regex: /&/g, val: '&amp;'},
    {regex: />/g, val: '&gt;'},
    {regex: /</g, val: '&lt;'},
    // A literal CR would become LF when read back (XML end-of-line handling); a character reference survives.
    {regex: /\r/g, val: '&#13;'}
  ]
} as ConstructorParameters<typeof XMLBuilder>[0])

/** Serialise with an XML declaration, two-space indentation and a final newline. Throws `code` for text XML cannot carry. */
export function writeXml(root: XmlOut, code: ErrorCode): string {
  const convert = (element: XmlOut, depth: number): Record<string, unknown> => {
    const attributes: Record<string, string> = {}
    for (const [key, value] of element.attributes ?? []) {
      if (value === undefined) continue
      assertWritable(value, code, `attribute ${key} of <${element.name}>`)
      if (/[\t\n\r]/.test(value)) throw new PasserelleError(code, `attribute ${key} of <${element.name}> cannot hold a line break or tab`)
      attributes[key] = value
    }
    const children = element.children ?? []
    const mixed = element.mixed ?? children.some((child) => typeof child === 'string')
    const out: unknown[] = []
    for (const child of children) {
      if (!mixed) out.push({'#text': `\n${'  '.repeat(depth + 1)}`})
      if (typeof child === 'string') {
        assertWritable(child, code, `the text of <${element.name}>`)
        if (child !== '') out.push({'#text': child})
      } else {
        out.push(mixed ? convertFlat(child) : convert(child, depth + 1))
      }
    }
    if (!mixed && children.length > 0) out.push({'#text': `\n${'  '.repeat(depth)}`})
    const node: Record<string, unknown> = {[element.name]: out}
    if (Object.keys(attributes).length > 0) node[':@'] = attributes
    return node
  }
  // Inside mixed content nothing is indented, however deep.
  const convertFlat = (element: XmlOut): Record<string, unknown> => convert({...element, mixed: true}, 0)
  const declaration = {'?xml': [{'#text': ''}], ':@': {version: '1.0', encoding: 'UTF-8'}}
  return `${builder.build([declaration, {'#text': '\n'}, convert(root, 0)]) as string}\n`
}

function assertWritable(text: string, code: ErrorCode, where: string): void {
  const bad = text.match(invalidCharGlobal)
  if (bad) {
    const shown = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
    throw new PasserelleError(code, `${where} contains ${shown}, which XML cannot carry`, {hint: 'remove the control character from the data'})
  }
}

// ---------------------------------------------------------------------------

function isTextNode(node: unknown): boolean {
  return typeof node === 'object' && node !== null && '#text' in node
}

function textOf(node: unknown): string {
  return String((node as {'#text': unknown})['#text'])
}

function elementName(node: Record<string | symbol, unknown>): string {
  const name = Object.keys(node).find((key) => key !== ':@')
  if (name === undefined) throw new Error('xml: node without a name')
  return name
}

/** Blanks out comments, CDATA sections and processing instructions, keeping offsets and line breaks. */
function mask(text: string): string {
  return text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>/g, (part) => part.replace(/[^\n]/g, ' '))
}

