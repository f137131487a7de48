// TMX 1.4b, written and read with fast-xml-parser (ordered nodes, so that
// mixed `<seg>` content keeps its order). Passerelle's own fields travel as
// `<prop type="x-passerelle-…">`; the person goes in `changeid`, times in
// `creationdate` / `changedate` (`YYYYMMDDThhmmssZ`). Export → parse → export
// is byte-identical. A file that is not TMX throws `E_TMX`; a bad `<tu>` is
// refused and reported while the others are kept.
import {XMLBuilder, XMLParser} from 'fast-xml-parser'
import {parseOrigin} from '../workflow/store.ts'
import type {Origin} from '../workflow/types.ts'
import {PasserelleError} from '../errors.ts'
import {segmentStates, type Locale, type SegmentState} from '../types.ts'
import {languageOf} from './memory.ts'
import {
  attributeSafe,
  attributesKey,
  attributesOf,
  childrenOf,
  CodeNumbers,
  InlineError,
  nodeName,
  plainText,
  segNodes,
  segText,
  textKey,
  xmlSafe,
  type XmlNode
} from './tmx-inline.ts'
import type {TmUnit} from './types.ts'
import {positionIndex} from '../io/line-index.ts'
import {internalSubsetAt, xmlEntities, xmlSyntaxProblem} from '../io/xml-safety.ts'

export const tmxCreationTool = 'Passerelle'
export const tmxCreationToolVersion = '0.1.0'

/** `<prop type>` names for Passerelle's fields, in the order they are written. */
export const tmxProps = {
  state: 'x-passerelle-state',
  origin: 'x-passerelle-origin',
  engine: 'x-passerelle-origin-engine',
  detail: 'x-passerelle-origin-detail',
  score: 'x-passerelle-origin-score',
  article: 'x-passerelle-article',
  unit: 'x-passerelle-unit',
  hash: 'x-passerelle-hash',
  previousHash: 'x-passerelle-context-previous',
  nextHash: 'x-passerelle-context-next',
  retired: 'x-passerelle-retired'
} as const

/** State of units from files without `x-passerelle-state`: human work, not yet approved here. */
export const importedState: SegmentState = 'translated'

export interface TmxExportOptions {
  sourceLocale: Locale
  /** Only units into this language (primary subtag); every target language when omitted. */
  targetLocale?: Locale
  creationToolVersion?: string
}

export interface TmxParseResult {
  /** Header `srclang` (canonical form, or `*all*`). */
  sourceLocale: Locale
  /** Number of `<tu>` elements read. */
  tus: number
  /** One unit per source/target pair (a `<tu>` with three languages gives two). */
  units: TmUnit[]
  /** One `E_TMX` error per refused `<tu>`, naming it by number, with its line and column. */
  problems: PasserelleError[]
  /** `<tu>`s that are valid TMX but hold no pair to keep (a source alone, only regional variants of one language). */
  skipped: TmxSkip[]
}

export interface TmxSkip {
  /** 1-based number of the `<tu>` in the file. */
  tu: number
  line: number
  column: number
  reason: string
}

export interface TmxParseOptions {
  /**
   * The project's source language. A `<tu>` that has a variant in it reads
   * from that variant (a French project takes the French side of an en-US →
   * fr-CA memory); with `srclang="*all*"` it says which variant is the source.
   */
  sourceLocale?: Locale
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  format: false,
  suppressEmptyNode: true
})

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // The XML entities only: `&nbsp;` is not XML, and must not be decoded as HTML.
  htmlEntities: xmlEntities as unknown as boolean,
  captureMetaData: true
})

const metadata = XMLParser.getMetaDataSymbol() as unknown as string

// ---------------------------------------------------------------- export

export function exportTmx(units: readonly TmUnit[], options: TmxExportOptions): string {
  const sourceLanguage = languageOf(options.sourceLocale)
  const targetLanguage = options.targetLocale === undefined ? undefined : languageOf(options.targetLocale)
  const body: XmlNode[] = []
  for (const unit of units) {
    if (languageOf(unit.sourceLocale) !== sourceLanguage) continue
    if (targetLanguage !== undefined && languageOf(unit.targetLocale) !== targetLanguage) continue
    if (xmlSafe(unit.source) === '' || xmlSafe(unit.target) === '') continue
    body.push(whitespace('\n    '), tuNode(unit))
  }
  if (body.length > 0) body.push(whitespace('\n  '))
  const header = {
    creationtool: tmxCreationTool,
    creationtoolversion: attributeSafe(options.creationToolVersion ?? tmxCreationToolVersion),
    segtype: 'sentence',
    'o-tmf': tmxCreationTool,
    adminlang: 'en',
    srclang: attributeSafe(canonicalLocale(options.sourceLocale) ?? options.sourceLocale),
    datatype: 'unknown'
  }
  const document: XmlNode[] = [
    {'?xml': [{[textKey]: ''}], [attributesKey]: {version: '1.0', encoding: 'UTF-8'}},
    whitespace('\n'),
    {
      tmx: [whitespace('\n  '), {header: [], [attributesKey]: header}, whitespace('\n  '), {body}, whitespace('\n')],
      [attributesKey]: {version: '1.4'}
    },
    whitespace('\n')
  ]
  return builder.build(document) as string
}

function tuNode(unit: TmUnit): XmlNode {
  const attributes: Record<string, string> = {}
  const created = tmxDate(unit.created)
  const changed = tmxDate(unit.updated)
  if (created) attributes.creationdate = created
  if (changed) attributes.changedate = changed
  if (unit.origin.by !== undefined && attributeSafe(unit.origin.by) !== '') attributes.changeid = attributeSafe(unit.origin.by)
  const props: [string, string | undefined][] = [
    [tmxProps.state, unit.state],
    [tmxProps.origin, unit.origin.kind],
    [tmxProps.engine, unit.origin.engine],
    [tmxProps.detail, unit.origin.detail],
    [tmxProps.score, unit.origin.score === undefined ? undefined : String(unit.origin.score)],
    [tmxProps.article, unit.article],
    [tmxProps.unit, unit.unit],
    [tmxProps.hash, unit.hash],
    [tmxProps.previousHash, unit.context?.previousHash],
    [tmxProps.nextHash, unit.context?.nextHash],
    [tmxProps.retired, unit.retired ? 'true' : undefined]
  ]
  const children: XmlNode[] = []
  for (const [type, value] of props) {
    if (value === undefined || xmlSafe(value) === '') continue
    children.push(whitespace('\n      '), {prop: [{[textKey]: xmlSafe(value)}], [attributesKey]: {type}})
  }
  for (const [locale, text] of [
    [unit.sourceLocale, unit.source],
    [unit.targetLocale, unit.target]
  ] as const) {
    children.push(whitespace('\n      '), {tuv: [{seg: segNodes(text)}], [attributesKey]: {'xml:lang': attributeSafe(canonicalLocale(locale) ?? locale)}})
  }
  children.push(whitespace('\n    '))
  return {tu: children, [attributesKey]: attributes}
}

function whitespace(value: string): XmlNode {
  return {[textKey]: value}
}

// ---------------------------------------------------------------- parse

export function parseTmx(input: string, file: string, options: TmxParseOptions = {}): TmxParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  const position = positionIndex(text)
  const fail = (message: string, hint: string, at?: {line: number; column: number}): never => {
    throw new PasserelleError('E_TMX', message, {file, hint, ...at})
  }
  const subset = internalSubsetAt(text)
  if (subset !== undefined) {
    fail(`DOCTYPE with an internal subset is not accepted, line ${position(subset).line} (entity declarations could expand without limit)`, 'remove the internal DTD subset', position(subset))
  }
  const syntax = xmlSyntaxProblem(text)
  if (syntax) {
    fail(syntax.message, syntax.truncated ? 'the file is incomplete: export it again from its tool or copy the whole file' : 'a TMX file is XML: fix it or export it again from its tool', {line: syntax.line, column: syntax.column})
  }
  const nodes = parser.parse(text) as XmlNode[]
  const elements = nodes.filter((node) => nodeName(node) !== textKey && !/^[?!]/.test(nodeName(node)))
  const root = elements[0]
  if (!root || elements.length > 1) fail('a TMX file has exactly one root element, <tmx>', 'give a TMX 1.4 file')
  const at = (node: XmlNode) => position(startOf(node))
  if (nodeName(root!) !== 'tmx') fail(`root element is <${nodeName(root!)}>, not <tmx>`, 'give a TMX 1.4 file', at(root!))
  const parts = childrenOf(root!)
  const header = parts.find((node) => nodeName(node) === 'header')
  const body = parts.find((node) => nodeName(node) === 'body')
  if (!header) fail('<tmx> has no <header>', 'TMX 1.4 needs a <header srclang="…">', at(root!))
  if (!body) fail('<tmx> has no <body>', 'TMX 1.4 keeps its units in <body>', at(root!))
  const headerAttributes = attributesOf(header!)
  const srclang = stringAttribute(headerAttributes, 'srclang')
  const headerSource = srclang === '*all*' ? '*all*' : srclang === undefined ? undefined : canonicalLocale(srclang)
  if (headerSource === undefined) {
    fail(`<header> srclang ${srclang === undefined ? 'is missing' : `"${srclang}" is not a language tag`}`, 'set srclang to the source language, e.g. srclang="fr"', at(header!))
  }
  const context: TuContext = {
    headerSource: headerSource!,
    // translate-toolkit writes srclang="en" whatever the source (po2tmx sets the
    // language after writing the header) and reads the first <tuv> as the source.
    firstIsSource: stringAttribute(headerAttributes, 'creationtool') === 'Translate Toolkit',
    projectSource: options.sourceLocale,
    fileName: file.split(/[\\/]/).pop() ?? file
  }

  const result: TmxParseResult = {sourceLocale: headerSource!, tus: 0, units: [], problems: [], skipped: []}
  for (const node of childrenOf(body!)) {
    const name = nodeName(node)
    if (name === textKey) continue
    const where = at(node)
    if (name !== 'tu') {
      result.problems.push(unitError(file, `<${name}> (line ${where.line})`, `unexpected element in <body>`, where))
      continue
    }
    result.tus++
    const label = `<tu> ${result.tus} (line ${where.line}${typeof attributesOf(node).tuid === 'string' ? `, tuid "${String(attributesOf(node).tuid)}"` : ''})`
    try {
      const units = readTu(node, context)
      if (typeof units === 'string') result.skipped.push({tu: result.tus, ...where, reason: units})
      else result.units.push(...units)
    } catch (error) {
      if (!(error instanceof UnitProblem)) throw error
      result.problems.push(unitError(file, label, error.message, where))
    }
  }
  return result
}

interface TuContext {
  headerSource: string
  firstIsSource: boolean
  projectSource: Locale | undefined
  fileName: string
}

class UnitProblem extends Error {}

function unitError(file: string, label: string, reason: string, at: {line: number; column: number}): PasserelleError {
  return new PasserelleError('E_TMX', `${label}: ${reason}`, {file, hint: 'fix or remove that unit; the other units are kept', ...at})
}

/** The units of one `<tu>`, or why it holds none to keep; throws `UnitProblem` for what is not valid. */
function readTu(tu: XmlNode, context: TuContext): TmUnit[] | string {
  const attributes = attributesOf(tu)
  const declared = stringAttribute(attributes, 'srclang')
  const source = declared === undefined || declared === '*all*' ? context.headerSource : canonicalLocale(declared)
  if (source === undefined) throw new UnitProblem(`srclang "${declared}" is not a language tag`)

  const props = new Map<string, string>()
  const raw: {locale: Locale; seg: XmlNode; attributes: Record<string, unknown>}[] = []
  for (const child of childrenOf(tu)) {
    const name = nodeName(child)
    if (name === 'prop') {
      const type = stringAttribute(attributesOf(child), 'type')
      if (type !== undefined && !props.has(type)) props.set(type, plainText(childrenOf(child)))
    } else if (name === 'tuv') {
      const tuvAttributes = attributesOf(child)
      const lang = stringAttribute(tuvAttributes, 'xml:lang') ?? stringAttribute(tuvAttributes, 'lang')
      if (lang === undefined) throw new UnitProblem('a <tuv> has no xml:lang')
      const locale = canonicalLocale(lang)
      if (locale === undefined) throw new UnitProblem(`xml:lang "${lang}" is not a language tag`)
      const seg = childrenOf(child).find((node) => nodeName(node) === 'seg')
      if (!seg) throw new UnitProblem(`the ${locale} <tuv> has no <seg>`)
      raw.push({locale, seg, attributes: tuvAttributes})
    }
  }
  if (raw.length === 0) return 'no <tuv>'

  const find = (language: string | undefined) =>
    language === undefined || language === '*all*'
      ? undefined
      : (raw.find((variant) => variant.locale.toLowerCase() === language.toLowerCase()) ?? raw.find((variant) => languageOf(variant.locale) === languageOf(language)))
  // The project's language first (a memory serves one source language), then
  // what the file declares; when it declares a language none of the variants
  // has (or `*all*`), the first variant, as translate-toolkit reads it.
  const sourceRaw =
    find(context.projectSource) ?? (context.firstIsSource ? raw[0] : undefined) ?? find(source) ?? raw[0]!

  // `x` matches a code across the variants of a <tu> (TMX 1.4 §3.7.3), so the numbering is shared; the source goes first.
  const codes = new CodeNumbers(raw.map((variant) => childrenOf(variant.seg)))
  const texts = new Map<(typeof raw)[number], string>()
  for (const variant of [sourceRaw, ...raw.filter((other) => other !== sourceRaw)]) {
    try {
      texts.set(variant, segText(childrenOf(variant.seg), codes))
    } catch (error) {
      if (error instanceof InlineError) throw new UnitProblem(`the ${variant.locale} <seg>: ${error.message}`)
      throw error
    }
  }
  const variants = raw.map((variant) => ({locale: variant.locale, attributes: variant.attributes, text: texts.get(variant)!}))
  const sourceVariant = variants[raw.indexOf(sourceRaw)]!
  if (sourceVariant.text.trim() === '') return `the source <seg> (${sourceVariant.locale}) is empty`
  const targets = variants.filter((variant) => languageOf(variant.locale) !== languageOf(sourceVariant.locale) && variant.text.trim() !== '')
  if (targets.length === 0) return `no translation: no non-empty <tuv> in a language other than ${languageOf(sourceVariant.locale)}`

  const state = props.get(tmxProps.state) ?? importedState
  if (!(segmentStates as readonly string[]).includes(state)) throw new UnitProblem(`${tmxProps.state} "${state}" is not a segment state`)
  const origin = readOrigin(props, attributes, context.fileName)
  const created = isoDate(stringAttribute(attributes, 'creationdate'))
  const updated = isoDate(stringAttribute(attributes, 'changedate'))

  return targets.map((target) => {
    const unit: TmUnit = {
      source: sourceVariant.text,
      target: target.text,
      sourceLocale: sourceVariant.locale,
      targetLocale: target.locale,
      state: state as SegmentState,
      origin
    }
    const hash = props.get(tmxProps.hash)
    if (hash !== undefined) unit.hash = hash
    const article = props.get(tmxProps.article)
    if (article !== undefined) unit.article = article
    const unitId = props.get(tmxProps.unit)
    if (unitId !== undefined) unit.unit = unitId
    const previousHash = props.get(tmxProps.previousHash)
    const nextHash = props.get(tmxProps.nextHash)
    if (previousHash !== undefined || nextHash !== undefined) {
      unit.context = {}
      if (previousHash !== undefined) unit.context.previousHash = previousHash
      if (nextHash !== undefined) unit.context.nextHash = nextHash
    }
    if (props.get(tmxProps.retired) === 'true') unit.retired = true
    const createdHere = isoDate(stringAttribute(target.attributes, 'creationdate')) ?? created
    const updatedHere = isoDate(stringAttribute(target.attributes, 'changedate')) ?? updated
    if (createdHere !== undefined) unit.created = createdHere
    if (updatedHere !== undefined) unit.updated = updatedHere
    return unit
  })
}

function readOrigin(props: Map<string, string>, attributes: Record<string, unknown>, fileName: string): Origin {
  const kind = props.get(tmxProps.origin)
  const by = stringAttribute(attributes, 'changeid') ?? stringAttribute(attributes, 'creationid')
  if (kind === undefined) return {kind: 'import', detail: fileName, ...(by === undefined ? {} : {by})}
  const score = props.get(tmxProps.score)
  const candidate = {
    kind,
    engine: props.get(tmxProps.engine),
    detail: props.get(tmxProps.detail),
    score: score === undefined ? undefined : score.trim() === '' ? Number.NaN : Number(score),
    by
  }
  const parsed = parseOrigin(Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined)))
  if ('problem' in parsed) throw new UnitProblem(`the ${tmxProps.origin}* properties are invalid (${parsed.problem})`)
  return parsed.origin
}

// ---------------------------------------------------------------- helpers

/** Canonical BCP 47 form (`en-gb` → `en-GB`), or undefined when `tag` is not a language tag. */
export function canonicalLocale(tag: string): string | undefined {
  if (!/^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/.test(tag)) return undefined
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, '-'))[0]
  } catch {
    return undefined
  }
}

/** ISO 8601 → TMX `YYYYMMDDThhmmssZ` (UTC, seconds); undefined when not a date. */
export function tmxDate(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return undefined
  const date = new Date(time)
  const year = date.getUTCFullYear()
  if (year < 0 || year > 9999) return undefined
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0')
  return `${pad(year, 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
}

/** TMX `YYYYMMDDThhmmssZ` → ISO 8601 (`toISOString` form); undefined when malformed. */
export function isoDate(tmx: string | undefined): string | undefined {
  const match = tmx === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(tmx)
  if (!match) return undefined
  const [, year, month, day, hours, minutes, seconds] = match
  const iso = `${year}-${month}-${day}T${hours}:${minutes}:${seconds}.000Z`
  const time = Date.parse(iso)
  return Number.isNaN(time) || new Date(time).toISOString() !== iso ? undefined : iso
}

function stringAttribute(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name]
  return typeof value === 'string' ? value : undefined
}

function startOf(node: XmlNode): number {
  const meta = (node as Record<string, unknown>)[metadata] as {startIndex?: number} | undefined
  return meta?.startIndex ?? 0
}

