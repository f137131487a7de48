// Validation of XLIFF 2.x documents against the core: the content models,
// attributes and value types of the OASIS schema `xliff_core_2.0.xsd`
// (which 2.1 keeps), and the constraints of the specification's processing
// requirements that the XSD cannot express (the 2.1 Schematron rules: id
// uniqueness per scope, dataRef targets, sc/ec and sm/em pairing, subState
// needs state, state beyond initial needs a target, fragment identifiers,
// inherited xml:lang and xml:space, reordering constraints…). The schema is
// re-stated in code so that import needs no external tool; `passerelle
// validate` also runs xmllint against the official XSD (see ../validate.ts).
// Modules: see ./modules.ts.
import type {Problem} from '../validate.ts'
import {isXmlChar, readXml, xmlNamespace, type XmlElement} from '../xml.ts'
import {parseFragment} from './fragment.ts'
import {xliffNamespace} from './map.ts'
import {checkModules} from './modules.ts'

export interface XliffProblem extends Problem {
  /** The element the problem is on (to tell a segment's problem from the file's). */
  element: XmlElement
}

type ValueType =
  | 'string'
  | 'nmtoken'
  | 'nmtokens'
  | 'yesNo'
  | 'yesNoFirstNo'
  | 'dir'
  | 'appliesTo'
  | 'userDefined'
  | 'state'
  | 'priority'
  | 'language'
  | 'codeType'
  | 'mrkType'
  | 'positiveInteger'
  | 'hex'
  | 'preserve'

interface Step {
  names: readonly string[] | 'other'
  min: number
  max: number
}

type Content = {kind: 'sequence'; steps: readonly Step[]} | {kind: 'inline'} | {kind: 'text'} | {kind: 'data'} | {kind: 'empty'} | {kind: 'skeleton'}

interface ElementSpec {
  attributes: Readonly<Record<string, ValueType>>
  required?: readonly string[]
  xml?: readonly ('lang' | 'space')[]
  otherAttributes?: boolean
  content: Content
}

const one = (...names: string[]): Step => ({names, min: 1, max: 1})
const optional = (...names: string[]): Step => ({names, min: 0, max: 1})
const many = (min: number, ...names: string[]): Step => ({names, min, max: Infinity})
const other: Step = {names: 'other', min: 0, max: Infinity}

const structural = {canResegment: 'yesNo', translate: 'yesNo', srcDir: 'dir', trgDir: 'dir'} as const
const codeAttributes = {canCopy: 'yesNo', canDelete: 'yesNo', canReorder: 'yesNoFirstNo', copyOf: 'nmtoken', subType: 'userDefined', type: 'codeType'} as const

const specs: Readonly<Record<string, ElementSpec>> = {
  xliff: {
    attributes: {version: 'string', srcLang: 'language', trgLang: 'language'},
    required: ['version', 'srcLang'],
    xml: ['lang', 'space'],
    otherAttributes: true,
    content: {kind: 'sequence', steps: [many(1, 'file')]}
  },
  file: {
    attributes: {id: 'nmtoken', original: 'string', ...structural},
    required: ['id'],
    xml: ['lang', 'space'],
    otherAttributes: true,
    content: {kind: 'sequence', steps: [optional('skeleton'), other, optional('notes'), many(1, 'unit', 'group')]}
  },
  skeleton: {attributes: {href: 'string'}, content: {kind: 'skeleton'}},
  group: {
    attributes: {id: 'nmtoken', name: 'string', type: 'userDefined', ...structural},
    required: ['id'],
    xml: ['lang', 'space'],
    otherAttributes: true,
    content: {kind: 'sequence', steps: [other, optional('notes'), many(0, 'unit', 'group')]}
  },
  unit: {
    attributes: {id: 'nmtoken', name: 'string', type: 'userDefined', ...structural},
    required: ['id'],
    xml: ['lang', 'space'],
    otherAttributes: true,
    content: {kind: 'sequence', steps: [other, optional('notes'), optional('originalData'), many(1, 'segment', 'ignorable')]}
  },
  segment: {
    attributes: {id: 'nmtoken', canResegment: 'yesNo', state: 'state', subState: 'string'},
    content: {kind: 'sequence', steps: [one('source'), optional('target')]}
  },
  ignorable: {attributes: {id: 'nmtoken'}, content: {kind: 'sequence', steps: [one('source'), optional('target')]}},
  notes: {attributes: {}, content: {kind: 'sequence', steps: [many(1, 'note')]}},
  note: {
    attributes: {id: 'nmtoken', appliesTo: 'appliesTo', category: 'string', priority: 'priority'},
    otherAttributes: true,
    content: {kind: 'text'}
  },
  originalData: {attributes: {}, content: {kind: 'sequence', steps: [many(1, 'data')]}},
  data: {attributes: {id: 'nmtoken', dir: 'dir'}, required: ['id'], xml: ['space'], content: {kind: 'data'}},
  source: {attributes: {}, xml: ['lang', 'space'], content: {kind: 'inline'}},
  target: {attributes: {order: 'positiveInteger'}, xml: ['lang', 'space'], content: {kind: 'inline'}},
  cp: {attributes: {hex: 'hex'}, required: ['hex'], content: {kind: 'empty'}},
  ph: {
    attributes: {...codeAttributes, disp: 'string', equiv: 'string', id: 'nmtoken', dataRef: 'nmtoken', subFlows: 'nmtokens'},
    required: ['id'],
    otherAttributes: true,
    content: {kind: 'empty'}
  },
  pc: {
    attributes: {
      ...codeAttributes,
      canOverlap: 'yesNo',
      dispEnd: 'string',
      dispStart: 'string',
      equivEnd: 'string',
      equivStart: 'string',
      id: 'nmtoken',
      dataRefEnd: 'nmtoken',
      dataRefStart: 'nmtoken',
      subFlowsEnd: 'nmtokens',
      subFlowsStart: 'nmtokens',
      dir: 'dir'
    },
    required: ['id'],
    otherAttributes: true,
    content: {kind: 'inline'}
  },
  sc: {
    attributes: {...codeAttributes, canOverlap: 'yesNo', dataRef: 'nmtoken', dir: 'dir', disp: 'string', equiv: 'string', id: 'nmtoken', isolated: 'yesNo', subFlows: 'nmtokens'},
    required: ['id'],
    otherAttributes: true,
    content: {kind: 'empty'}
  },
  ec: {
    attributes: {
      ...codeAttributes,
      canOverlap: 'yesNo',
      dataRef: 'nmtoken',
      dir: 'dir',
      disp: 'string',
      equiv: 'string',
      id: 'nmtoken',
      isolated: 'yesNo',
      startRef: 'nmtoken',
      subFlows: 'nmtokens'
    },
    otherAttributes: true,
    content: {kind: 'empty'}
  },
  mrk: {
    attributes: {id: 'nmtoken', translate: 'yesNo', type: 'mrkType', ref: 'string', value: 'string'},
    required: ['id'],
    otherAttributes: true,
    content: {kind: 'inline'}
  },
  sm: {
    attributes: {id: 'nmtoken', translate: 'yesNo', type: 'mrkType', ref: 'string', value: 'string'},
    required: ['id'],
    otherAttributes: true,
    content: {kind: 'empty'}
  },
  em: {attributes: {startRef: 'nmtoken'}, required: ['startRef'], content: {kind: 'empty'}}
}

const inlineNames = new Set(['cp', 'ph', 'pc', 'sc', 'ec', 'mrk', 'sm', 'em'])
const nmtoken = /^[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}._:\-\u00B7\u2040]+$/u
const patterns: Partial<Record<ValueType, RegExp>> = {
  nmtoken,
  userDefined: /^[^\s:]+:[^\s:]+$/,
  // RFC 5646: language (2-3 letters with extlangs, or 4-8), script, region, variants, extensions, private use; or private use alone.
  language:
    /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|i-[a-z]{2,8})$/i,
  positiveInteger: /^\+?0*[1-9]\d*$/,
  hex: /^([0-9a-fA-F]{2})+$/
}
const enumerations: Partial<Record<ValueType, readonly string[]>> = {
  yesNo: ['yes', 'no'],
  yesNoFirstNo: ['yes', 'firstNo', 'no'],
  dir: ['ltr', 'rtl', 'auto'],
  appliesTo: ['source', 'target'],
  state: ['initial', 'translated', 'reviewed', 'final'],
  codeType: ['fmt', 'ui', 'quote', 'link', 'image', 'other'],
  preserve: ['preserve']
}

/** Validate XLIFF text; throws `E_XLIFF` when it is not well-formed XML, else lists the problems (none: valid). */
export function validateXliff(text: string, file = 'input.xlf'): XliffProblem[] {
  return validateXliffTree(readXml(text, {file, code: 'E_XLIFF'}))
}

/** The core-schema and processing-requirement problems of a parsed XLIFF document. */
export function validateXliffTree(root: XmlElement): XliffProblem[] {
  const problems: XliffProblem[] = []
  const seen = new Set<string>()
  const add = (element: XmlElement, message: string, code: string): void => {
    // One rule can be reached twice (the schema and a processing requirement): say it once.
    const key = `${element.line}:${element.column}:${message}`
    if (seen.has(key)) return
    seen.add(key)
    problems.push({line: element.line, column: element.column, message, code, element})
  }
  if (root.ns !== xliffNamespace || root.local !== 'xliff') {
    add(root, `the root element is <${root.name}> in namespace "${root.ns}", not <xliff> in ${xliffNamespace}`, 'xliff-schema')
    return problems
  }
  checkElement(root, (element, message) => add(element, message, 'xliff-schema'))
  checkDocument(root, (element, message) => add(element, message, 'xliff-rule'))
  checkModules(root, (element, message, code) => add(element, message, `xliff-${code}`))
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}

type Report = (element: XmlElement, message: string) => void

/** Content models and attributes, recursively. */
function checkElement(element: XmlElement, report: Report): void {
  const spec = specs[element.local]
  if (!spec) {
    report(element, `<${element.name}> is not an XLIFF 2 core element`)
    return
  }
  const where = `<${element.local}>`
  for (const attribute of element.attributes) {
    if (attribute.ns === '') {
      const type = spec.attributes[attribute.local]
      if (!type) report(element, `${where} has no attribute "${attribute.local}"`)
      else checkValue(element, attribute.local, attribute.value, type, report)
    } else if (attribute.ns === xmlNamespace) {
      if (!(spec.xml ?? []).includes(attribute.local as 'lang' | 'space')) report(element, `${where} has no attribute xml:${attribute.local}`)
      else if (attribute.local === 'space') checkValue(element, 'xml:space', attribute.value, element.local === 'data' ? 'preserve' : 'string', report, ['default', 'preserve'])
      else checkValue(element, 'xml:lang', attribute.value, 'language', report)
    } else if (attribute.ns === xliffNamespace || !spec.otherAttributes) {
      report(element, `${where} has no attribute ${attribute.name}`)
    }
  }
  for (const name of spec.required ?? []) {
    if (!element.attributes.some((attribute) => attribute.ns === '' && attribute.local === name)) report(element, `${where} needs a "${name}" attribute`)
  }

  const content = spec.content
  const elements = element.children.filter((child): child is XmlElement => typeof child !== 'string')
  const text = element.children.filter((child): child is string => typeof child === 'string').join('')
  switch (content.kind) {
    case 'empty':
      if (element.children.length > 0) report(element, `${where} must be empty`)
      return
    case 'text':
      if (elements.length > 0) report(elements[0]!, `${where} holds text only, not <${elements[0]!.name}>`)
      return
    case 'skeleton':
      for (const child of elements) if (child.ns === xliffNamespace) report(child, `<skeleton> cannot hold XLIFF element <${child.local}>`)
      return
    case 'data':
      for (const child of elements) {
        if (child.ns !== xliffNamespace || child.local !== 'cp') report(child, `<data> holds text and <cp> only, not <${child.name}>`)
        else checkElement(child, report)
      }
      return
    case 'inline':
      for (const child of elements) {
        if (child.ns !== xliffNamespace || !inlineNames.has(child.local)) report(child, `${where} cannot hold <${child.name}> (inline content is text, cp, ph, pc, sc, ec, mrk, sm, em)`)
        else checkElement(child, report)
      }
      return
    case 'sequence': {
      if (text.trim() !== '') report(element, `${where} cannot hold text ("${excerpt(text.trim())}")`)
      let index = 0
      for (const step of content.steps) {
        let count = 0
        while (index < elements.length && count < step.max && matches(step, elements[index]!)) {
          index++
          count++
        }
        if (count < step.min) {
          const expected = step.names === 'other' ? 'an element' : step.names.map((name) => `<${name}>`).join(' or ')
          report(elements[index] ?? element, `${where} needs ${expected}${elements[index] ? ` before <${elements[index]!.name}>` : ''}`)
          return
        }
      }
      if (index < elements.length) {
        const extra = elements[index]!
        report(extra, extra.ns === xliffNamespace ? `<${extra.local}> is not allowed here in ${where}` : `${where} cannot hold <${extra.name}> here`)
        return
      }
      for (const child of elements) if (child.ns === xliffNamespace) checkElement(child, report)
    }
  }
}

function matches(step: Step, element: XmlElement): boolean {
  if (step.names === 'other') return element.ns !== xliffNamespace && element.ns !== ''
  return element.ns === xliffNamespace && step.names.includes(element.local)
}

function checkValue(element: XmlElement, name: string, value: string, type: ValueType, report: Report, allowed?: readonly string[]): void {
  const values = allowed ?? enumerations[type]
  let ok = true
  if (values) ok = values.includes(value)
  else if (type === 'nmtokens') ok = value.trim().split(/\s+/).every((token) => nmtoken.test(token))
  else if (type === 'priority') ok = /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10
  else if (type === 'mrkType') ok = ['generic', 'comment', 'term'].includes(value) || patterns.userDefined!.test(value)
  else if (patterns[type]) ok = patterns[type]!.test(value)
  if (!ok) report(element, `<${element.local}> ${name}="${value}" is not a valid ${describe(type, values)}`)
}

function describe(type: ValueType, values: readonly string[] | undefined): string {
  if (values) return `value (${values.join(', ')})`
  return {
    nmtoken: 'NMTOKEN',
    nmtokens: 'list of NMTOKENs',
    userDefined: 'prefix:value',
    language: 'language tag',
    positiveInteger: 'positive integer',
    hex: 'hexadecimal value',
    priority: 'priority (1 to 10)',
    mrkType: 'type (generic, comment, term or prefix:value)'
  }[type as string] ?? type
}

/** What a unit inherits from <xliff>, <file> and <group>. */
interface Context {
  srcLang: string
  trgLang: string | undefined
  /** Inherited xml:lang, if any. */
  lang: string | undefined
  space: string
  fileId: string
  unitIds: ReadonlySet<string>
}

/** Constraints across elements: id scopes, references, pairing, state and target. */
function checkDocument(root: XmlElement, report: Report): void {
  const srcLang = attribute(root, 'srcLang') ?? ''
  const trgLang = attribute(root, 'trgLang')
  const version = attribute(root, 'version') ?? ''
  if (!/^2\.\d+$/.test(version)) report(root, `version="${version}" is not an XLIFF 2 version`)
  const inherit = (element: XmlElement, context: Context): Context => ({
    ...context,
    lang: attribute(element, 'lang', xmlNamespace) ?? context.lang,
    space: attribute(element, 'space', xmlNamespace) ?? context.space
  })
  const rootContext: Context = {srcLang, trgLang, lang: undefined, space: 'default', fileId: '', unitIds: new Set()}
  const fileIds = new Set<string>()
  for (const file of xliffChildren(root, 'file')) {
    unique(fileIds, file, 'file', report)
    checkSkeleton(file, report)
    const groupIds = new Set<string>()
    const unitIds = new Set<string>()
    checkNotes(file, report)
    const allUnits = new Set<string>()
    const collect = (container: XmlElement): void => {
      for (const child of xliffChildren(container)) {
        if (child.local === 'unit') allUnits.add(attribute(child, 'id') ?? '')
        else if (child.local === 'group') collect(child)
      }
    }
    collect(file)
    const walk = (container: XmlElement, context: Context): void => {
      for (const child of xliffChildren(container)) {
        if (child.local === 'group') {
          unique(groupIds, child, 'group', report)
          checkNotes(child, report)
          walk(child, inherit(child, context))
        } else if (child.local === 'unit') {
          unique(unitIds, child, 'unit', report)
          checkNotes(child, report)
          checkUnit(child, inherit(child, context), report)
        }
      }
    }
    walk(file, {...inherit(file, inherit(root, rootContext)), fileId: attribute(file, 'id') ?? '', unitIds: allUnits})
  }
}

/** A skeleton either points to one (href) or holds one, not both, not neither. */
function checkSkeleton(file: XmlElement, report: Report): void {
  for (const skeleton of xliffChildren(file, 'skeleton')) {
    const href = attribute(skeleton, 'href') !== undefined
    const content = skeleton.children.some((child) => typeof child !== 'string' || child.trim() !== '')
    if (href === content) report(skeleton, href ? '<skeleton> has both an href and content: keep one' : '<skeleton> needs an href or content')
  }
}

function checkNotes(container: XmlElement, report: Report): void {
  const ids = new Set<string>()
  for (const notes of xliffChildren(container, 'notes')) {
    for (const note of xliffChildren(notes, 'note')) {
      const id = attribute(note, 'id')
      if (id === undefined) continue
      if (ids.has(id)) report(note, `note id "${id}" is used twice in the same <notes>`)
      ids.add(id)
    }
  }
}

// Defaults of the code attributes, for comparing an <ec> with its <sc>.
const codeDefaults = {canCopy: 'yes', canDelete: 'yes', canOverlap: 'yes', canReorder: 'yes'} as const

function checkUnit(unit: XmlElement, context: Context, report: Report): void {
  const {trgLang} = context
  const unitId = attribute(unit, 'id') ?? ''
  const where = `unit "${unitId}"`
  const dataIds = new Set<string>()
  for (const original of xliffChildren(unit, 'originalData')) {
    for (const data of xliffChildren(original, 'data')) {
      const id = attribute(data, 'id') ?? ''
      if (dataIds.has(id)) report(data, `data id "${id}" is used twice in ${where}`)
      dataIds.add(id)
    }
  }
  const noteIds = new Set(xliffChildren(unit, 'notes').flatMap((notes) => xliffChildren(notes, 'note').map((note) => attribute(note, 'id') ?? '')))
  // Segments and ignorables in document order: markers and codes may span them.
  const parts = xliffChildren(unit).filter((child) => child.local === 'segment' || child.local === 'ignorable')
  if (xliffChildren(unit, 'segment').length === 0) report(unit, `${where} has no <segment>`)

  // K6S: segment, ignorable and source-side inline ids are unique in the unit.
  const sourceIds = new Map<string, string>()
  for (const part of parts) {
    const id = attribute(part, 'id')
    if (id !== undefined) claim(sourceIds, id, part, where, report)
  }
  for (const part of parts) {
    for (const source of xliffChildren(part, 'source')) for (const code of inlineElements(source)) claim(sourceIds, attribute(code, 'id'), code, where, report)
  }
  // K6T: a target's inline ids repeat the sibling source's (same code, <pc> and <sc>/<ec> being two spellings of one) or are new in the unit.
  const kind = (code: XmlElement): string => (code.local === 'sc' ? 'pc' : code.local)
  const targetOnly = new Set<string>()
  const orders = new Map<number, XmlElement>()
  parts.forEach((part, position) => {
    const source = xliffChildren(part, 'source')[0]
    const sourceLang = (source && attribute(source, 'lang', xmlNamespace)) ?? context.lang
    if (source && sourceLang !== undefined && !sameLanguage(sourceLang, context.srcLang)) {
      report(source, `the source's language is "${sourceLang}"${attribute(source, 'lang', xmlNamespace) === undefined ? ' (inherited)' : ''}, not srcLang "${context.srcLang}"`)
    }
    const siblings = new Map<string, string>()
    if (source) for (const code of inlineElements(source)) if (attribute(code, 'id') !== undefined) siblings.set(attribute(code, 'id')!, kind(code))
    for (const target of xliffChildren(part, 'target')) {
      if (trgLang === undefined) report(target, 'the document has <target> elements but no trgLang')
      const lang = attribute(target, 'lang', xmlNamespace) ?? context.lang
      if (lang !== undefined && trgLang !== undefined && !sameLanguage(lang, trgLang)) {
        report(target, `the target's language is "${lang}"${attribute(target, 'lang', xmlNamespace) === undefined ? ' (inherited)' : ''}, not trgLang "${trgLang}"`)
      }
      const sourceSpace = (source && attribute(source, 'space', xmlNamespace)) ?? context.space
      const targetSpace = attribute(target, 'space', xmlNamespace) ?? context.space
      if (sourceSpace !== targetSpace) report(target, `the target's xml:space is "${targetSpace}", the source's "${sourceSpace}": they must be the same`)
      const order = attribute(target, 'order')
      if (order !== undefined && Number(order) > parts.length) report(target, `<target order="${order}"> is beyond the ${parts.length} segments of ${where}`)
      const effective = order === undefined ? position + 1 : Number(order)
      const other = orders.get(effective)
      if (other) report(target, `two targets of ${where} take position ${effective} (order="${order ?? ''}"${order === undefined ? ', implicit' : ''}; the other on line ${other.line})`)
      orders.set(effective, target)
      const seen = new Set<string>()
      for (const code of inlineElements(target)) {
        const id = attribute(code, 'id')
        if (id === undefined) continue
        if (seen.has(id)) report(code, `id "${id}" is used twice in a <target> of ${where}`)
        seen.add(id)
        if (siblings.has(id)) {
          if (siblings.get(id) !== kind(code)) report(code, `<${code.local} id="${id}"> in the target is a <${siblings.get(id)}> in the source`)
        } else if (sourceIds.has(id) || targetOnly.has(id)) {
          report(code, `id "${id}" in a <target> of ${where} is used elsewhere in the unit`)
        } else {
          targetOnly.add(id)
        }
      }
    }
  })

  for (const segment of xliffChildren(unit, 'segment')) {
    const state = attribute(segment, 'state')
    if (attribute(segment, 'subState') !== undefined && state === undefined) report(segment, `segment "${attribute(segment, 'id') ?? ''}" has a subState but no state`)
    if (state !== undefined && state !== 'initial' && xliffChildren(segment, 'target').length === 0) {
      report(segment, `segment "${attribute(segment, 'id') ?? ''}" is ${state} but has no <target>`)
    }
  }

  // References and pairing, per side (sources, then targets), in document order.
  for (const side of ['source', 'target'] as const) {
    const codes = parts.flatMap((part) => xliffChildren(part, side).flatMap((content) => inlineElements(content)))
    const byId = new Map<string, XmlElement>()
    for (const code of codes) if (attribute(code, 'id') !== undefined && !byId.has(attribute(code, 'id')!)) byId.set(attribute(code, 'id')!, code)
    const open = new Map<string, XmlElement>()
    const markers = new Map<string, XmlElement>()
    for (const code of codes) {
      const id = attribute(code, 'id')
      for (const name of ['dataRef', 'dataRefStart', 'dataRefEnd']) {
        const ref = attribute(code, name)
        if (ref !== undefined && !dataIds.has(ref)) report(code, `<${code.local}> ${name}="${ref}" points to no <data> of ${where}`)
      }
      for (const name of ['subFlows', 'subFlowsStart', 'subFlowsEnd']) {
        for (const flow of (attribute(code, name) ?? '').split(/\s+/).filter(Boolean)) {
          if (!context.unitIds.has(flow)) report(code, `<${code.local}> ${name} names "${flow}", which is no unit of file "${context.fileId}"`)
        }
      }
      if (code.local === 'pc' && (attribute(code, 'dataRefStart') === undefined) !== (attribute(code, 'dataRefEnd') === undefined)) {
        report(code, '<pc> dataRefStart and dataRefEnd go together')
      }
      if (attribute(code, 'copyOf') !== undefined && (attribute(code, 'dataRef') ?? attribute(code, 'dataRefStart')) !== undefined) {
        report(code, `<${code.local}> cannot have both copyOf and original data`)
      }
      const subType = attribute(code, 'subType')
      if (subType !== undefined) {
        const type = attribute(code, 'type')
        if (type === undefined) report(code, `<${code.local}> has a subType but no type`)
        else if (subType.startsWith('xlf:')) {
          const ok = (['xlf:b', 'xlf:i', 'xlf:u', 'xlf:lb', 'xlf:pb'].includes(subType) && type === 'fmt') || (subType === 'xlf:var' && type === 'ui')
          if (!ok) report(code, `<${code.local}> subType="${subType}" does not go with type="${type}"`)
        }
      }
      const reorder = attribute(code, 'canReorder')
      if ((reorder === 'no' || reorder === 'firstNo') && (attribute(code, 'canCopy') !== 'no' || attribute(code, 'canDelete') !== 'no')) {
        report(code, `<${code.local}> canReorder="${reorder}" needs canCopy="no" and canDelete="no"`)
      }
      if (code.local === 'cp') {
        const value = Number.parseInt(attribute(code, 'hex') ?? '', 16)
        if (!(value >= 0 && value <= 0x10ffff)) report(code, `<cp hex="${attribute(code, 'hex') ?? ''}"> is not a Unicode code point`)
        else if (isXmlChar(value)) report(code, `<cp hex="${attribute(code, 'hex') ?? ''}"> stands for a character XML can carry: write the character itself`)
      } else if (code.local === 'sc') {
        if (attribute(code, 'isolated') !== 'yes' && id !== undefined) open.set(id, code)
      } else if (code.local === 'ec') {
        const isolated = attribute(code, 'isolated') === 'yes'
        const startRef = attribute(code, 'startRef')
        const start = startRef === undefined ? undefined : open.get(startRef)
        if (isolated ? id === undefined || startRef !== undefined : startRef === undefined || id !== undefined) {
          report(code, isolated ? '<ec isolated="yes"> needs an id and no startRef' : '<ec> needs a startRef (and no id) unless isolated="yes"')
        } else if (!isolated && !open.delete(startRef!)) {
          report(code, `<ec startRef="${startRef}"> has no <sc> before it in ${where}`)
        }
        if (start) {
          for (const name of Object.keys(codeDefaults) as (keyof typeof codeDefaults)[]) {
            const opening = attribute(start, name) ?? codeDefaults[name]
            const closing = attribute(code, name) ?? codeDefaults[name]
            // A sequence opened by firstNo continues with no at its end.
            const expected = name === 'canReorder' && opening === 'firstNo' ? 'no' : opening
            if (closing !== expected) report(code, `<ec startRef="${startRef}"> has ${name}="${closing}", its <sc> ${name}="${opening}": an <ec> repeats its <sc>'s`)
          }
        }
        if (!isolated && attribute(code, 'dir') !== undefined) report(code, '<ec> may have dir only when isolated')
      } else if (code.local === 'sm' && id !== undefined) {
        markers.set(id, code)
      } else if (code.local === 'em') {
        if (!markers.delete(attribute(code, 'startRef') ?? '')) report(code, `<em startRef="${attribute(code, 'startRef') ?? ''}"> has no <sm> before it in ${where}`)
      }
      if (code.local === 'mrk' || code.local === 'sm') checkAnnotation(code, noteIds, unitId, context.fileId, report)
    }
    for (const [id, code] of open) report(code, `<sc id="${id}"> has no <ec> after it in ${where} (or set isolated="yes")`)
    for (const [id, code] of markers) report(code, `<sm id="${id}"> has no <em> after it in ${where}`)
    for (const code of codes) {
      const copyOf = attribute(code, 'copyOf')
      if (copyOf === undefined) continue
      const original = byId.get(copyOf)
      if (!original && !sourceIds.has(copyOf)) report(code, `<${code.local}> copyOf="${copyOf}" points to no code of ${where}`)
      if (original && attribute(original, 'canCopy') === 'no') report(code, `<${code.local}> copyOf="${copyOf}" copies a code that has canCopy="no"`)
    }
  }
  checkEditingHints(parts, where, report)
}

/** Comment annotations hold a value or point to a note of their unit; references are well-formed fragment identifiers. */
function checkAnnotation(marker: XmlElement, noteIds: ReadonlySet<string>, unitId: string, fileId: string, report: Report): void {
  const ref = attribute(marker, 'ref')
  const fragment = ref?.startsWith('#') ? parseFragment(ref) : undefined
  if (typeof fragment === 'string') report(marker, `ref="${ref}" is not a valid fragment identifier: ${fragment}`)
  if (attribute(marker, 'type') !== 'comment') return
  const value = attribute(marker, 'value')
  if ((value === undefined) === (ref === undefined)) {
    report(marker, value === undefined ? `a comment <${marker.local}> needs a value or a ref to a note` : `a comment <${marker.local}> has a value or a ref, not both`)
    return
  }
  if (ref === undefined || typeof fragment === 'string') return
  const selectors = fragment?.selectors ?? []
  const leaf = selectors.at(-1)
  const path = selectors.slice(0, -1)
  const inUnit = path.length === 0 || (path.some((s) => s.prefix === 'u' && s.id === unitId) && path.every((s) => s.prefix !== 'f' || s.id === fileId))
  if (!leaf || leaf.prefix !== 'n' || !inUnit || !noteIds.has(leaf.id)) report(marker, `a comment's ref="${ref}" must point to a <note> of its unit ("#n=<id>")`)
}

interface CodeEvent {
  key: string
  reorder: string
  element: XmlElement
}

/**
 * canDelete="no" codes are kept in the targets; canReorder: a sequence of
 * non-reorderable codes starts with firstNo and continues with no, and
 * appears in the target in the same order, nothing in between.
 */
function checkEditingHints(parts: readonly XmlElement[], where: string, report: Report): void {
  const events = (content: XmlElement): CodeEvent[] => {
    const out: CodeEvent[] = []
    const visit = (element: XmlElement): void => {
      for (const child of element.children) {
        if (typeof child === 'string' || child.ns !== xliffNamespace) continue
        const reorder = attribute(child, 'canReorder') ?? 'yes'
        const id = attribute(child, 'id') ?? ''
        if (child.local === 'ph') out.push({key: `ph:${id}`, reorder, element: child})
        else if (child.local === 'sc') out.push({key: `start:${id}`, reorder, element: child})
        else if (child.local === 'ec') out.push({key: `end:${attribute(child, 'startRef') ?? id}`, reorder, element: child})
        else if (child.local === 'pc') {
          out.push({key: `start:${id}`, reorder, element: child})
          visit(child)
          out.push({key: `end:${id}`, reorder: reorder === 'firstNo' ? 'no' : reorder, element: child})
        } else if (child.local === 'mrk') visit(child)
      }
    }
    visit(content)
    return out
  }
  const withTarget = parts.filter((part) => xliffChildren(part, 'target').length > 0)
  const targetIds = new Set(withTarget.flatMap((part) => xliffChildren(part, 'target').flatMap((target) => inlineElements(target).map((code) => attribute(code, 'id') ?? attribute(code, 'startRef')))))
  for (const part of parts) {
    const source = xliffChildren(part, 'source')[0]
    if (!source) continue
    const ours = events(source)
    // Sequences of the source.
    const sequences: CodeEvent[][] = []
    for (const event of ours) {
      if (event.reorder === 'firstNo') sequences.push([event])
      else if (event.reorder === 'no') {
        const last = sequences.at(-1)
        const previous = ours[ours.indexOf(event) - 1]
        if (last && previous && last.includes(previous)) last.push(event)
        else report(event.element, `<${event.element.local}> canReorder="no" does not follow a code with canReorder="firstNo" or "no"`)
      }
    }
    const target = xliffChildren(part, 'target')[0]
    if (!target) continue
    for (const code of inlineElements(source)) {
      const id = attribute(code, 'id')
      if (id !== undefined && attribute(code, 'canDelete') === 'no' && !targetIds.has(id)) report(target, `the target leaves out <${code.local} id="${id}">, which has canDelete="no" in the source`)
    }
    const theirs = events(target).map((event) => event.key)
    for (const sequence of sequences) {
      const first = theirs.indexOf(sequence[0]!.key)
      if (first === -1) continue
      if (sequence.some((event, index) => theirs[first + index] !== event.key)) {
        report(target, `the target of ${where} breaks the non-reorderable sequence that starts with <${sequence[0]!.element.local} id="${attribute(sequence[0]!.element, 'id') ?? ''}">`)
      }
    }
  }
}

function claim(ids: Map<string, string>, id: string | undefined, element: XmlElement, where: string, report: Report): void {
  if (id === undefined) return
  if (ids.has(id)) report(element, `id "${id}" is used twice in ${where} (segments and the source codes share one id space)`)
  ids.set(id, element.local)
}

function unique(ids: Set<string>, element: XmlElement, kind: string, report: Report): void {
  const id = attribute(element, 'id')
  if (id === undefined) return
  if (ids.has(id)) report(element, `${kind} id "${id}" is used twice`)
  ids.add(id)
}

function inlineElements(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = []
  for (const child of element.children) {
    if (typeof child === 'string' || child.ns !== xliffNamespace) continue
    out.push(child)
    out.push(...inlineElements(child))
  }
  return out
}

function xliffChildren(element: XmlElement, local?: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement => typeof child !== 'string' && child.ns === xliffNamespace && (local === undefined || child.local === local)
  )
}

function attribute(element: XmlElement, local: string, ns = ''): string | undefined {
  return element.attributes.find((item) => item.local === local && item.ns === ns)?.value
}

/** `en-GB` is within `en`; not the other way round. */
function sameLanguage(lang: string, trgLang: string): boolean {
  const a = lang.toLowerCase()
  const b = trgLang.toLowerCase()
  return a === b || a.startsWith(`${b}-`)
}

function excerpt(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}…` : text
}

