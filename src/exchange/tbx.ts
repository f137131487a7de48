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
}

/** TBX-Basic (TBX v3, DCA style) for the concepts of `termbase`, in order. */
export function exportTbx(termbase: Pick<Termbase, 'concepts'>, options: TbxExportOptions): string {
  const entries = termbase.concepts.map((concept): XmlOut => {
    const children: XmlOut[] = []
    if (concept.domain !== undefined) children.push(leaf('descrip', [['type', 'subjectField']], concept.domain))
    if (concept.definition !== undefined) children.push(leaf('descrip', [['type', 'definition']], concept.definition))
    if (concept.dnt !== undefined) children.push(leaf('descrip', [['type', 'Translation needed']], concept.dnt ? 'No' : 'Yes'))
    if (concept.retired !== undefined) children.push(leaf('admin', [['type', 'x-retired']], concept.retired ? 'yes' : 'no'))
    if (concept.note !== undefined) children.push(leaf('note', [], concept.note))
    for (const [locale, terms] of Object.entries(concept.terms)) {
      if (!terms) continue
      children.push({name: 'langSec', attributes: [['xml:lang', locale]], children: terms.map(termSec)})
    }
    return {name: 'conceptEntry', attributes: [['id', concept.id]], children}
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
      children: [
        {
          name: 'tbxHeader',
          children: [{name: 'fileDesc', children: [{name: 'sourceDesc', children: [leaf('p', [], options.description ?? 'Passerelle termbase')]}]}]
        },
        {name: 'text', children: [{name: 'body', children: entries}]}
      ]
    },
    'E_TBX'
  )
}

function termSec(term: Term): XmlOut {
  const children: XmlOut[] = [leaf('term', [], term.text), leaf('termNote', [['type', 'administrativeStatus']], statusToTbx[term.status])]
  if (term.type !== undefined) children.push(leaf('termNote', [['type', 'termType']], term.type))
  if (term.partOfSpeech !== undefined) children.push(leaf('termNote', [['type', 'partOfSpeech']], term.partOfSpeech))
  if (term.gender !== undefined) children.push(leaf('termNote', [['type', 'grammaticalGender']], term.gender))
  if (term.number !== undefined) children.push(leaf('termNote', [['type', 'grammaticalNumber']], term.number))
  if (term.caseSensitive !== undefined) children.push(leaf('termNote', [['type', 'x-caseSensitive']], term.caseSensitive ? 'yes' : 'no'))
  if (term.note !== undefined) children.push(leaf('note', [], term.note))
  return {name: 'termSec', children}
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
}

export interface ParseTbxOptions {
  /** Language whose first term names a concept that has no usable id. Default `fr`. */
  sourceLocale?: Locale
  maxBytes?: number
}

const hint = 'export TBX (v3 DCA, or TBX 2008) from your termbase tool, or fix the line named'

/** Read a TBX file. Throws `E_TBX` naming the line for what is not TBX or not a valid concept; nothing partial. */
export function parseTbx(text: string, file: string, options: ParseTbxOptions = {}): ParsedGlossary {
  const root = readXml(text, {file, code: 'E_TBX', maxBytes: options.maxBytes, hint})
  const fail = (element: XmlElement, message: string): never => {
    throw new PasserelleError('E_TBX', `line ${element.line}: ${message}`, {file, hint})
  }
  const v3 = root.local === 'tbx' && (root.ns === tbxNamespace || root.ns === tbx1Namespace || root.ns === '')
  const v2 = root.local === 'martif' && root.ns === ''
  if (!v3 && !v2) fail(root, `not a TBX document: root <${root.name}>${root.ns ? ` in namespace ${root.ns}` : ''}, expected <tbx xmlns="${tbxNamespace}"> or <martif>`)
  if (v3 && (attr(root, 'style') ?? 'dca') !== 'dca') fail(root, `style="${attr(root, 'style') ?? ''}" is not supported: export TBX in DCA style`)
  const ns = root.ns
  const kids = (element: XmlElement, ...locals: string[]): XmlElement[] =>
    childElements(element).filter((child) => child.ns === ns && (locals.length === 0 || locals.includes(child.local)))
  const text_ = kids(root, 'text')[0] ?? fail(root, 'no <text> element')
  const body = kids(text_, 'body')[0] ?? fail(text_, 'no <body> element')
  const warnings: string[] = []
  const sourceLocale = options.sourceLocale ?? 'fr'
  const entries = kids(body, v3 ? 'conceptEntry' : 'termEntry')
  const others = kids(body).filter((child) => child.local !== (v3 ? 'conceptEntry' : 'termEntry'))
  for (const other of others) warnings.push(`line ${other.line}: <${other.local}> in <body> ignored`)

  const drafts: {concept: Concept; element: XmlElement; rawId: string | undefined}[] = []
  for (const entry of entries) {
    const concept: Concept = {id: '', terms: {}}
    const notes: string[] = []
    const readDescriptive = (element: XmlElement, level: string, locale?: string): void => {
      const type = attr(element, 'type') ?? ''
      const value = textContent(element).trim()
      if (element.local === 'descripGrp') {
        for (const inner of kids(element)) readDescriptive(inner, level, locale)
        return
      }
      if (element.local === 'note') {
        if (value) notes.push(locale ? `[${locale}] ${value}` : value)
      } else if (element.local === 'descrip' && type === 'subjectField' && !locale) {
        concept.domain = value
      } else if (element.local === 'descrip' && (type === 'definition' || type === '')) {
        if (concept.definition === undefined) concept.definition = value
        else if (concept.definition !== value) warnings.push(`line ${element.line}: concept ${attr(entry, 'id') ?? '?'}: a second definition${locale ? ` (${locale})` : ''} was not kept`)
      } else if (element.local === 'descrip' && /^translation ?needed$/i.test(type)) {
        concept.dnt = /^no$/i.test(value)
      } else if (element.local === 'admin' && type === 'x-retired') {
        concept.retired = yes(value)
      } else {
        warnings.push(`line ${element.line}: <${element.local}${type ? ` type="${type}"` : ''}> on a ${level} ignored`)
      }
    }
    const langs = v3 ? 'langSec' : 'langSet'
    for (const child of kids(entry)) {
      if (child.local === langs) continue
      readDescriptive(child, 'concept')
    }
    for (const lang of kids(entry, langs)) {
      const raw = attr(lang, 'lang', xmlNamespace) ?? fail(lang, `<${langs}> without xml:lang`)
      const locale = normaliseLocale(raw)
      const terms: Term[] = concept.terms[locale] ?? []
      for (const child of kids(lang)) {
        if (child.local === (v3 ? 'termSec' : 'tig')) terms.push(readTerm(child, [child], concept, warnings, kids, fail))
        else if (!v3 && child.local === 'ntig') {
          const group = kids(child, 'termGrp')[0] ?? fail(child, '<ntig> without <termGrp>')
          terms.push(readTerm(group, [group, child], concept, warnings, kids, fail))
        } else readDescriptive(child, 'language', locale)
      }
      if (terms.length > 0) concept.terms[locale] = terms
    }
    if (notes.length > 0) concept.note = notes.join('\n')
    drafts.push({concept, element: entry, rawId: attr(entry, 'id')})
  }

  // Ids: kept when valid, normalised when not, derived from the first term when missing.
  const used = new Set(drafts.map((draft) => draft.rawId).filter((id): id is string => id !== undefined && validId(id)))
  const seen = new Set<string>()
  const concepts = drafts.map(({concept, element, rawId}) => {
    let id = rawId
    if (id === undefined || !validId(id)) {
      const first = concept.terms[sourceLocale]?.[0] ?? Object.values(concept.terms).flat()[0]
      const base = slug(id ?? '') || slug(first?.text ?? '') || 'concept'
      id = base
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`
      used.add(id)
      warnings.push(`line ${element.line}: concept ${rawId === undefined ? 'without an id' : `id "${rawId}"`} is named "${id}"`)
    }
    if (seen.has(id)) fail(element, `concept id "${id}" is used twice`)
    seen.add(id)
    return validated({...concept, id}, element.line, file)
  })
  return {concepts, warnings}
}

function readTerm(
  element: XmlElement,
  containers: XmlElement[],
  concept: Concept,
  warnings: string[],
  kids: (element: XmlElement, ...locals: string[]) => XmlElement[],
  fail: (element: XmlElement, message: string) => never
): Term {
  const termElement = kids(element, 'term')[0] ?? fail(element, `<${element.local}> without <term>`)
  const term: Term = {text: textContent(termElement).trim(), status: 'preferred'}
  const notes: string[] = []
  const where = (child: XmlElement) => `line ${child.line}: term "${term.text}"`
  for (const container of containers) {
    for (const child of kids(container)) {
      if (child === termElement || child.local === 'termGrp') continue
      const type = attr(child, 'type') ?? ''
      const value = textContent(child).trim()
      if (child.local === 'note') {
        if (value) notes.push(value)
        continue
      }
      if (child.local !== 'termNote') {
        warnings.push(`${where(child)}: <${child.local}${type ? ` type="${type}"` : ''}> ignored`)
        continue
      }
      switch (type) {
        case 'administrativeStatus':
        case 'normativeAuthorization': {
          const status = statusFromTbx[value.toLowerCase()]
          if (status === undefined) fail(child, `term "${term.text}": unknown ${type} "${value}"`)
          term.status = status!
          break
        }
        case 'termType':
          if ((termTypes as readonly string[]).includes(value)) term.type = value as TermType
          else warnings.push(`${where(child)}: termType "${value}" not kept`)
          break
        case 'partOfSpeech':
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
