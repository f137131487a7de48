// The termbase as TBX, the ISO 30042 exchange format of termbase tools.
// Export writes TBX v3 with the TBX-Basic data categories in DCA style
// (`<tbx type="TBX-Basic" style="dca">`, conceptEntry / langSec / termSec).
// Import reads that, TBX v3 Core/Min files, and TBX 2008 (`<martif>`,
// termEntry / langSet / tig|ntig) as Weblate and translate-toolkit write it.
// Conventions beyond TBX-Basic (documented in the README, Exchange section):
//   do-not-translate  <descrip type="Translation needed">No</descrip> on the concept (Weblate's)
//   retired           <admin type="x-retired">yes</admin> on the concept
//   case-sensitive    <termNote type="x-caseSensitive">yes|no</termNote>
//   forbidden         administrativeStatus supersededTerm-admn-sts (TBX-Basic has no "forbidden")
import {PasserelleError} from '../errors.ts'
import {canonicalConcept, conceptSchema, describeIssues} from '../glossary/schema.ts'
import type {Concept, Gender, GrammaticalNumber, PartOfSpeech, Term, Termbase, TermType} from '../glossary/types.ts'
import type {Locale, TermStatus} from '../types.ts'
import {attr, childElements, readXml, textContent, writeXml, xmlNamespace, type XmlElement, type XmlOut} from './xml.ts'

export const tbxNamespace = 'urn:iso:std:iso:30042:ed-2'
const tbx1Namespace = 'urn:iso:std:iso:30042:ed-1'

export const statusToTbx: Readonly<Record<TermStatus, string>> = {
  preferred: 'preferredTerm-admn-sts',
  admitted: 'admittedTerm-admn-sts',
  deprecated: 'deprecatedTerm-admn-sts',
  forbidden: 'supersededTerm-admn-sts'
}

// What other tools write for the status (TBX-Basic picklist, ISO 12620 normativeAuthorization, Weblate's words).
const statusFromTbx: Readonly<Record<string, TermStatus>> = {
  'preferredterm-admn-sts': 'preferred',
  preferredterm: 'preferred',
  preferred: 'preferred',
  'standardizedterm-admn-sts': 'preferred',
  standardizedterm: 'preferred',
  'admittedterm-admn-sts': 'admitted',
  admittedterm: 'admitted',
  admitted: 'admitted',
  'deprecatedterm-admn-sts': 'deprecated',
  deprecatedterm: 'deprecated',
  deprecated: 'deprecated',
  'supersededterm-admn-sts': 'forbidden',
  supersededterm: 'forbidden',
  superseded: 'forbidden',
  forbidden: 'forbidden',
  obsolete: 'forbidden'
}

const termTypes: readonly TermType[] = ['fullForm', 'acronym', 'abbreviation', 'shortForm', 'variant']
const partsOfSpeech: readonly PartOfSpeech[] = ['noun', 'properNoun', 'verb', 'adjective', 'other']
const genders: readonly Gender[] = ['masculine', 'feminine', 'neuter']
const numbers: readonly GrammaticalNumber[] = ['singular', 'plural']

export interface TbxExportOptions {
  /** The termbase's working language, written as the document's xml:lang. */
  sourceLocale: Locale
  /** Text of the header's sourceDesc. */
  description?: string
  /** `3` (default): TBX-Basic, TBX v3 DCA. `2008`: TBX 2008 `<martif>`, what translate-toolkit and Weblate read. */
  version?: TbxVersion
}

export type TbxVersion = '3' | '2008'

/**
 * Fields TBX-Basic has no data category for travel as a concept or term
 * `<note>passerelle:<field>=<value></note>`: the TBX-Basic rules allow notes
 * anywhere, a terminologist's tool shows them, and import reads them back.
 */
export const notePrefix = 'passerelle:'

/** The concepts of `termbase`, in order, as TBX-Basic (TBX v3 DCA) or TBX 2008. */
export function exportTbx(termbase: Pick<Termbase, 'concepts'>, options: TbxExportOptions): string {
  return options.version === '2008' ? exportMartif(termbase, options) : exportBasic(termbase, options)
}

function exportBasic(termbase: Pick<Termbase, 'concepts'>, options: TbxExportOptions): string {
  const entries = termbase.concepts.map((concept): XmlOut => {
    const children: XmlOut[] = []
    if (concept.domain !== undefined) children.push(leaf('descrip', [['type', 'subjectField']], concept.domain))
    if (concept.definition !== undefined) children.push(leaf('descrip', [['type', 'definition']], concept.definition))
    if (concept.note !== undefined) children.push(leaf('note', [], concept.note))
    if (concept.dnt !== undefined) children.push(fieldNote('doNotTranslate', concept.dnt ? 'yes' : 'no'))
    if (concept.retired !== undefined) children.push(fieldNote('retired', concept.retired ? 'yes' : 'no'))
    for (const [locale, terms] of Object.entries(concept.terms)) {
      if (!terms) continue
      children.push({name: 'langSec', attributes: [['xml:lang', locale]], children: terms.map(termSec)})
    }
    return {name: 'conceptEntry', attributes: [['id', xmlId(concept.id)]], children}
  })
  return writeXml(
    {
      name: 'tbx',
      attributes: [
        ['xmlns', tbxNamespace],
        ['type', 'TBX-Basic'],
        ['style', 'dca'],
        ['xml:lang', options.sourceLocale]
      ],
      children: [header('tbxHeader', options), {name: 'text', children: [{name: 'body', children: entries}]}]
    },
    'E_TBX'
  )
}

// TBX-Basic's picklists: partOfSpeech has no properNoun, and there is no grammaticalNumber.
function termSec(term: Term): XmlOut {
  const children: XmlOut[] = [leaf('term', [], term.text), leaf('termNote', [['type', 'administrativeStatus']], statusToTbx[term.status])]
  if (term.type !== undefined) children.push(leaf('termNote', [['type', 'termType']], term.type))
  if (term.partOfSpeech !== undefined) children.push(leaf('termNote', [['type', 'partOfSpeech']], term.partOfSpeech === 'properNoun' ? 'noun' : term.partOfSpeech))
  if (term.gender !== undefined) children.push(leaf('termNote', [['type', 'grammaticalGender']], term.gender))
  if (term.note !== undefined) children.push(leaf('note', [], term.note))
  if (term.partOfSpeech === 'properNoun') children.push(fieldNote('partOfSpeech', 'properNoun'))
  if (term.number !== undefined) children.push(fieldNote('grammaticalNumber', term.number))
  if (term.caseSensitive !== undefined) children.push(fieldNote('caseSensitive', term.caseSensitive ? 'yes' : 'no'))
  return {name: 'termSec', children}
}

// TBX 2008 (ISO 30042:2008, the TBX default XCS) has every category we keep, and Weblate's "Translation needed".
function exportMartif(termbase: Pick<Termbase, 'concepts'>, options: TbxExportOptions): string {
  const entries = termbase.concepts.map((concept): XmlOut => {
    const children: XmlOut[] = []
    if (concept.domain !== undefined) children.push(leaf('descrip', [['type', 'subjectField']], concept.domain))
    if (concept.definition !== undefined) children.push(leaf('descrip', [['type', 'definition']], concept.definition))
    if (concept.dnt !== undefined) children.push(leaf('descrip', [['type', 'Translation needed']], concept.dnt ? 'No' : 'Yes'))
    if (concept.retired !== undefined) children.push(leaf('admin', [['type', 'x-retired']], concept.retired ? 'yes' : 'no'))
    if (concept.note !== undefined) children.push(leaf('note', [], concept.note))
    for (const [locale, terms] of Object.entries(concept.terms)) {
      if (!terms) continue
      children.push({name: 'langSet', attributes: [['xml:lang', locale]], children: terms.map(tig)})
    }
    return {name: 'termEntry', attributes: [['id', xmlId(concept.id)]], children}
  })
  return writeXml(
    {
      name: 'martif',
      attributes: [
        ['type', 'TBX'],
        ['xml:lang', options.sourceLocale]
      ],
      children: [header('martifHeader', options), {name: 'text', children: [{name: 'body', children: entries}]}]
    },
    'E_TBX'
  )
}

function tig(term: Term): XmlOut {
  const children: XmlOut[] = [leaf('term', [], term.text), leaf('termNote', [['type', 'administrativeStatus']], statusToTbx[term.status])]
  if (term.type !== undefined) children.push(leaf('termNote', [['type', 'termType']], term.type))
  if (term.partOfSpeech !== undefined) children.push(leaf('termNote', [['type', 'partOfSpeech']], term.partOfSpeech))
  if (term.gender !== undefined) children.push(leaf('termNote', [['type', 'grammaticalGender']], term.gender))
  if (term.number !== undefined) children.push(leaf('termNote', [['type', 'grammaticalNumber']], term.number))
  if (term.caseSensitive !== undefined) children.push(leaf('termNote', [['type', 'x-caseSensitive']], term.caseSensitive ? 'yes' : 'no'))
  if (term.note !== undefined) children.push(leaf('note', [], term.note))
  return {name: 'tig', children}
}

function header(name: string, options: TbxExportOptions): XmlOut {
  return {name, children: [{name: 'fileDesc', children: [{name: 'sourceDesc', children: [leaf('p', [], options.description ?? 'Passerelle termbase')]}]}]}
}

function fieldNote(field: string, value: string): XmlOut {
  return leaf('note', [], `${notePrefix}${field}=${value}`)
}

/** A concept id as an XML id (an NCName): `2030-agenda` → `_2030-agenda`; import strips the underscore. */
export function xmlId(id: string): string {
  return /^[0-9.-]/.test(id) ? `_${id}` : id
}

function leaf(name: string, attributes: [string, string][], text: string): XmlOut {
  return {name, attributes, children: [text], mixed: true}
}

// ---------------------------------------------------------------------------

export interface ParsedGlossary {
  /** Concepts in file order, validated, in canonical key order. */
  concepts: Concept[]
  /** What was read but cannot be kept (unknown data categories or values), one line each. */
  warnings: string[]
  /** Entries skipped as unusable, one `E_TBX` each with the line and column; the others are read. */
  problems: PasserelleError[]
}

export interface ParseTbxOptions {
  /** Language whose first term names a concept that has no usable id. Default `fr`. */
  sourceLocale?: Locale
  maxBytes?: number
}

const hint = 'export TBX (v3 DCA or DCT, or TBX 2008) from your termbase tool, or fix the line named'
const entryHint = 'fix or remove that entry; the other entries are imported'

// DCT style names a data category by the element (`<min:subjectField>`); DCA by `type` on a generic element.
const dctKinds: Readonly<Record<string, string>> = {
  subjectField: 'descrip',
  definition: 'descrip',
  context: 'descrip',
  administrativeStatus: 'termNote',
  partOfSpeech: 'termNote',
  termType: 'termNote',
  grammaticalGender: 'termNote',
  grammaticalNumber: 'termNote',
  geographicalUsage: 'termNote',
  termLocation: 'termNote'
}

interface Category {
  /** `descrip`, `termNote`, `admin`, `note`, `descripGrp`… as in DCA style. */
  kind: string
  type: string
  element: XmlElement
}

class EntryProblem extends Error {
  constructor(
    readonly element: XmlElement,
    message: string
  ) {
    super(message)
  }
}

/**
 * Read a TBX file: TBX v3 (DCA or DCT style: TBX-Basic, -Core, -Min) or TBX 2008
 * (`<martif>`). Throws `E_TBX` with the line for a file that is not TBX; an
 * unusable entry is skipped and reported in `problems`, the others are read.
 */
export function parseTbx(text: string, file: string, options: ParseTbxOptions = {}): ParsedGlossary {
  const root = readXml(text, {file, code: 'E_TBX', maxBytes: options.maxBytes, hint})
  const fail = (element: XmlElement, message: string): never => {
    throw new PasserelleError('E_TBX', `line ${element.line}: ${message}`, {file, hint, line: element.line, column: element.column})
  }
  const tbxNamespaces = [tbxNamespace, tbx1Namespace, '']
  const v3 = root.local === 'tbx' && tbxNamespaces.includes(root.ns)
  // TBX 2008 has no namespace; some tools write the v3 one on <martif>.
  const v2 = root.local === 'martif' && tbxNamespaces.includes(root.ns)
  if (!v3 && !v2) fail(root, `not a TBX document: root <${root.name}>${root.ns ? ` in namespace ${root.ns}` : ''}, expected <tbx xmlns="${tbxNamespace}"> or <martif>`)
  const style = v3 ? (attr(root, 'style') ?? 'dca') : 'dca'
  if (style !== 'dca' && style !== 'dct') fail(root, `style="${style}" is not TBX: use dca or dct`)
  const ns = root.ns
  const kids = (element: XmlElement, ...locals: string[]): XmlElement[] =>
    childElements(element).filter((child) => child.ns === ns && (locals.length === 0 || locals.includes(child.local)))
  // Children that carry data: TBX elements, and in DCT style the dialect's own namespaced elements.
  const categories = (element: XmlElement): Category[] =>
    childElements(element).flatMap((child): Category[] => {
      if (child.ns === ns) return [{kind: child.local, type: attr(child, 'type') ?? '', element: child}]
      if (style === 'dct' && child.ns !== '') return [{kind: dctKinds[child.local] ?? 'admin', type: child.local, element: child}]
      return []
    })
  const text_ = kids(root, 'text')[0] ?? fail(root, 'no <text> element')
  const body = kids(text_, 'body')[0] ?? fail(text_, 'no <body> element')
  const warnings: string[] = []
  const problems: PasserelleError[] = []
  const sourceLocale = options.sourceLocale ?? 'fr'
  const entryName = v3 ? 'conceptEntry' : 'termEntry'
  const entries = kids(body, entryName)
  const others = kids(body).filter((child) => child.local !== entryName)
  for (const other of others) warnings.push(`line ${other.line}: <${other.local}> in <body> ignored`)
  // Said at the element that is wrong (a term's status, say), naming the entry that is skipped.
  const skip = (element: XmlElement, reason: string, at: XmlElement = element): void => {
    const id = attr(element, 'id')
    problems.push(
      new PasserelleError('E_TBX', `line ${at.line}: ${id === undefined ? `<${element.local}>` : `concept "${id}"`} skipped: ${reason}`, {
        file,
        hint: entryHint,
        line: at.line,
        column: at.column
      })
    )
  }

  const drafts: {concept: Concept; element: XmlElement; rawId: string | undefined}[] = []
  for (const entry of entries) {
    try {
      drafts.push({concept: readEntry(entry), element: entry, rawId: rawIdOf(entry)})
    } catch (error) {
      if (!(error instanceof EntryProblem)) throw error
      skip(entry, error.message, error.element)
    }
  }

  function readEntry(entry: XmlElement): Concept {
    const concept: Concept = {id: '', terms: {}}
    const notes: string[] = []
    const readDescriptive = ({kind, type, element}: Category, level: string, locale?: string): void => {
      const value = kind === 'note' || type === 'definition' || type === '' ? prose(textContent(element)) : normalised(textContent(element))
      if (kind === 'descripGrp' || kind === 'adminGrp') {
        for (const inner of categories(element)) readDescriptive(inner, level, locale)
        return
      }
      if (kind === 'note') {
        const field = fieldOf(value)
        if (field && !locale && field.name === 'doNotTranslate') concept.dnt = yes(field.value)
        else if (field && !locale && field.name === 'retired') concept.retired = yes(field.value)
        else if (value) notes.push(locale ? `[${locale}] ${value}` : value)
      } else if (kind === 'descrip' && type === 'subjectField' && !locale) {
        concept.domain = value
      } else if (kind === 'descrip' && (type === 'definition' || type === '')) {
        if (concept.definition === undefined) concept.definition = value
        else if (concept.definition !== value) warnings.push(`line ${element.line}: concept ${attr(entry, 'id') ?? '?'}: a second definition${locale ? ` (${locale})` : ''} was not kept`)
      } else if (kind === 'descrip' && /^translation ?needed$/i.test(type)) {
        concept.dnt = /^no$/i.test(value)
      } else if (kind === 'admin' && type === 'x-retired') {
        concept.retired = yes(value)
      } else if (kind === 'transacGrp') {
        // Who changed the entry and when: the termbase keeps no history of its own.
      } else {
        warnings.push(`line ${element.line}: <${element.local}${type && type !== element.local ? ` type="${type}"` : ''}> on a ${level} ignored`)
      }
    }
    const langs = v3 ? 'langSec' : 'langSet'
    for (const category of categories(entry)) {
      if (category.kind === langs) continue
      readDescriptive(category, 'concept')
    }
    for (const lang of kids(entry, langs)) {
      const raw = attr(lang, 'lang', xmlNamespace)
      if (raw === undefined) throw new EntryProblem(lang, `<${langs}> without xml:lang`)
      const locale = normaliseLocale(raw)
      const terms: Term[] = concept.terms[locale] ?? []
      for (const category of categories(lang)) {
        const child = category.element
        let term: Term | undefined
        if (category.kind === (v3 ? 'termSec' : 'tig')) term = readTerm(child, [child])
        else if (!v3 && category.kind === 'ntig') {
          const group = kids(child, 'termGrp')[0]
          if (!group) throw new EntryProblem(child, '<ntig> without <termGrp>')
          term = readTerm(group, [group, child])
        } else {
          readDescriptive(category, 'language', locale)
          continue
        }
        if (term) terms.push(term)
      }
      if (terms.length > 0) concept.terms[locale] = terms
    }
    if (notes.length > 0) concept.note = notes.join('\n')
    return concept

    function readTerm(element: XmlElement, containers: XmlElement[]): Term | undefined {
      const termElement = kids(element, 'term')[0]
      if (!termElement) throw new EntryProblem(element, `<${element.local}> without <term>`)
      const term: Term = {text: normalised(textContent(termElement)), status: 'preferred'}
      if (term.text === '') {
        // Termbase tools leave empty <term/>s behind; the concept's other terms still count.
        warnings.push(`line ${termElement.line}: concept ${attr(entry, 'id') ?? '?'}: an empty <term> was skipped`)
        return undefined
      }
      const notes: string[] = []
      const where = (child: XmlElement) => `line ${child.line}: term "${term.text}"`
      for (const container of containers) {
        for (const {kind, type, element: child} of categories(container)) {
          if (child === termElement || kind === 'termGrp' || kind === 'transacGrp') continue
          const value = kind === 'note' ? prose(textContent(child)) : normalised(textContent(child))
          if (kind === 'note') {
            const field = fieldOf(value)
            if (field?.name === 'grammaticalNumber' && (numbers as readonly string[]).includes(field.value)) term.number = field.value as GrammaticalNumber
            else if (field?.name === 'partOfSpeech' && (partsOfSpeech as readonly string[]).includes(field.value)) term.partOfSpeech = field.value as PartOfSpeech
            else if (field?.name === 'caseSensitive') term.caseSensitive = yes(field.value)
            else if (value) notes.push(value)
            continue
          }
          if (kind !== 'termNote') {
            warnings.push(`${where(child)}: <${child.local}${type && type !== child.local ? ` type="${type}"` : ''}> ignored`)
            continue
          }
          switch (type) {
            case 'administrativeStatus':
            case 'normativeAuthorization': {
              const status = statusFromTbx[value.toLowerCase()]
              if (status === undefined) throw new EntryProblem(child, `term "${term.text}": unknown ${type} "${value}"`)
              term.status = status
              break
            }
            case 'termType':
              if ((termTypes as readonly string[]).includes(value)) term.type = value as TermType
              else warnings.push(`${where(child)}: termType "${value}" not kept`)
              break
            case 'partOfSpeech':
              // TBX-Basic has no properNoun: a `noun` does not undo the note that says so.
              if (value === 'noun' && term.partOfSpeech === 'properNoun') break
              if ((partsOfSpeech as readonly string[]).includes(value)) term.partOfSpeech = value as PartOfSpeech
              else {
                term.partOfSpeech = 'other'
                warnings.push(`${where(child)}: partOfSpeech "${value}" kept as "other"`)
              }
              break
            case 'grammaticalGender':
              if ((genders as readonly string[]).includes(value)) term.gender = value as Gender
              else warnings.push(`${where(child)}: grammaticalGender "${value}" not kept`)
              break
            case 'grammaticalNumber':
              if ((numbers as readonly string[]).includes(value)) term.number = value as GrammaticalNumber
              else warnings.push(`${where(child)}: grammaticalNumber "${value}" not kept`)
              break
            case 'x-caseSensitive':
              term.caseSensitive = yes(value)
              break
            case 'translationNote':
              if (/^no$/i.test(value)) concept.dnt = true
              else warnings.push(`${where(child)}: translationNote "${value}" not kept`)
              break
            default:
              warnings.push(`${where(child)}: termNote type "${type}" ignored`)
          }
        }
      }
      if (notes.length > 0) term.note = notes.join('\n')
      return term
    }
  }

  // Ids: kept when valid, normalised when not, derived from the first term when missing.
  const used = new Set(drafts.map((draft) => draft.rawId).filter((id): id is string => id !== undefined && validId(id)))
  const seen = new Set<string>()
  const concepts: Concept[] = []
  for (const {concept, element, rawId} of drafts) {
    let id = rawId
    if (id === undefined || !validId(id)) {
      const first = concept.terms[sourceLocale]?.[0] ?? Object.values(concept.terms).flat()[0]
      const base = slug(id ?? '') || slug(first?.text ?? '') || 'concept'
      id = base
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`
      used.add(id)
      warnings.push(`line ${element.line}: concept ${rawId === undefined ? 'without an id' : `id "${rawId}"`} is named "${id}"`)
    }
    if (seen.has(id)) {
      skip(element, `concept id "${id}" is used twice`)
      continue
    }
    const checked = conceptSchema.safeParse({...concept, id})
    if (!checked.success) {
      skip(element, `not a valid concept: ${describeIssues(checked.error)}`)
      continue
    }
    seen.add(id)
    concepts.push(canonicalConcept(checked.data))
  }
  return {concepts, warnings, problems}
}

/** The entry's id, with the underscore `xmlId` adds to ids that start with a digit taken off. */
function rawIdOf(entry: XmlElement): string | undefined {
  const id = attr(entry, 'id')
  return id !== undefined && /^_[0-9.-]/.test(id) ? id.slice(1) : id
}

/** XML whitespace (indentation, line breaks inside a field) as single spaces. */
function normalised(value: string): string {
  return value.replace(/\s+/g, ' ').trim()
}

/**
 * Free text (definitions, notes): a line break followed by indentation is a
 * pretty-printer's wrapping and becomes one space; bare line breaks, as
 * Passerelle writes a multi-line note, are kept.
 */
function prose(value: string): string {
  if (/\n[ \t]/.test(value)) return normalised(value)
  return value
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .trim()
}

function fieldOf(note: string): {name: string; value: string} | undefined {
  const match = new RegExp(`^${notePrefix}(\\w+)=(.*)$`).exec(note)
  return match ? {name: match[1]!, value: match[2]!.trim()} : undefined
}

/** Validate against the glossary schema and put keys in canonical order; `E_TBX` with the line otherwise. */
export function validated(concept: Concept, line: number | string, file: string): Concept {
  const result = conceptSchema.safeParse(concept)
  if (!result.success) {
    const where = typeof line === 'number' ? `line ${line}: ` : line
    throw new PasserelleError('E_TBX', `${where}concept "${concept.id}" is not valid: ${describeIssues(result.error)}`, {file, hint: 'fix the concept in the file'})
  }
  return canonicalConcept(result.data)
}

const idPattern = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/

function validId(id: string): boolean {
  return idPattern.test(id)
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/[-.]{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
}

/** `EN-gb` → `en-gb`: the primary subtag lower-case, as the glossary schema wants. */
export function normaliseLocale(tag: string): string {
  const [primary = '', ...rest] = tag.trim().replace(/_/g, '-').split('-')
  return [primary.toLowerCase(), ...rest].join('-')
}

function yes(value: string): boolean {
  return /^(yes|true|1|y)$/i.test(value.trim())
}
