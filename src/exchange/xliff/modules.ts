// XLIFF 2 modules and extensions, as far as Passerelle checks them.
// Passerelle writes and reads the Metadata module (segment revisions), so
// it checks that module fully. Format Style attributes and the element
// names of the other OASIS modules are checked because the core's own rules
// refer to them; the other modules' inner rules are not checked.
import {xmlNamespace, type XmlElement} from '../xml.ts'
import {metadataNamespace, xliffNamespace} from './map.ts'

export const fsNamespace = 'urn:oasis:names:tc:xliff:fs:2.0'

/** Element names of each OASIS module namespace (XLIFF 2.1 schemas). */
const moduleElements: Readonly<Record<string, readonly string[]>> = {
  'urn:oasis:names:tc:xliff:matches:2.0': ['matches', 'match'],
  'urn:oasis:names:tc:xliff:glossary:2.0': ['glossary', 'glossEntry', 'term', 'translation', 'definition'],
  [metadataNamespace]: ['metadata', 'metaGroup', 'meta'],
  'urn:oasis:names:tc:xliff:resourcedata:2.0': ['resourceData', 'resourceItemRef', 'resourceItem', 'source', 'target', 'reference'],
  'urn:oasis:names:tc:xliff:changetracking:2.0': ['changeTrack', 'revisions', 'revision', 'item'],
  'urn:oasis:names:tc:xliff:sizerestriction:2.0': ['profiles', 'normalization', 'data'],
  'urn:oasis:names:tc:xliff:validation:2.0': ['validation', 'rule'],
  [fsNamespace]: []
}

// HTML 4.01 element names: the values the Format Style module allows for fs:fs.
const htmlElements = new Set(
  (
    'a abbr acronym address applet area b base basefont bdo big blockquote body br button caption center cite code col colgroup dd del dfn dir div dl ' +
    'dt em fieldset font form frame frameset h1 h2 h3 h4 h5 h6 head hr html i iframe img input ins isindex kbd label legend li link map menu meta ' +
    'noframes noscript object ol optgroup option p param pre q s samp script select small span strike strong style sub sup table tbody td textarea ' +
    'tfoot th thead title tr tt u ul var'
  ).split(' ')
)
const nmtoken = /^[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}._:\-\u00B7\u2040]+$/u

export type ModuleReport = (element: XmlElement, message: string, code: 'module' | 'rule') => void

/** Module and extension checks on a whole document. */
export function checkModules(root: XmlElement, report: ModuleReport): void {
  const visit = (element: XmlElement): void => {
    checkFormatStyle(element, report)
    if (element.ns !== xliffNamespace && element.ns in moduleElements && !moduleElements[element.ns]!.includes(element.local)) {
      report(element, `<${element.name}> is not an element of the module ${element.ns}`, 'module')
    }
    if (element.ns === metadataNamespace && element.local === 'metadata') checkMetadata(element, report)
    if (element.ns === xliffNamespace && ['file', 'group', 'unit'].includes(element.local)) checkExtensionIds(element, report)
    for (const child of element.children) if (typeof child !== 'string') visit(child)
  }
  visit(root)
}

/** fs:fs names an HTML element; fs:subFs needs fs:fs; neither goes on a paired <ec> (its <sc> carries them). */
function checkFormatStyle(element: XmlElement, report: ModuleReport): void {
  const fs = element.attributes.find((attribute) => attribute.ns === fsNamespace && attribute.local === 'fs')
  for (const attribute of element.attributes) {
    if (attribute.ns !== fsNamespace) continue
    if (attribute.local !== 'fs' && attribute.local !== 'subFs') report(element, `fs:${attribute.local} is not an attribute of the Format Style module`, 'module')
    else if (element.ns === xliffNamespace && (['em', 'segment', 'source', 'target', 'ignorable', 'data'].includes(element.local) || (element.local === 'ec' && attr(element, 'isolated') !== 'yes'))) {
      report(element, `<${element.local}> cannot carry fs:${attribute.local}`, 'module')
    }
  }
  if (fs && !htmlElements.has(fs.value)) report(element, `fs:fs="${fs.value}" is not an HTML element name`, 'module')
  const subFs = element.attributes.find((attribute) => attribute.ns === fsNamespace && attribute.local === 'subFs')
  if (subFs && !fs) report(element, 'fs:subFs needs fs:fs on the same element', 'module')
}

/** The Metadata module: metadata > metaGroup+ > (metaGroup | meta)+, meta has a type and text only. */
function checkMetadata(metadata: XmlElement, report: ModuleReport): void {
  const ids = new Set<string>()
  const checkAttributes = (element: XmlElement, allowed: readonly string[]): void => {
    for (const attribute of element.attributes) {
      if (attribute.ns === '' && !allowed.includes(attribute.local)) report(element, `<${element.name}> has no attribute "${attribute.local}"`, 'module')
      if (attribute.ns === xliffNamespace || attribute.ns === metadataNamespace) report(element, `<${element.name}> has no attribute ${attribute.name}`, 'module')
    }
    const id = attr(element, 'id')
    if (id !== undefined) {
      if (!nmtoken.test(id)) report(element, `<${element.name}> id="${id}" is not a valid NMTOKEN`, 'module')
      else if (ids.has(id)) report(element, `id "${id}" is used twice in <${metadata.name}>`, 'module')
      ids.add(id)
    }
  }
  const children = (element: XmlElement): XmlElement[] => element.children.filter((child): child is XmlElement => typeof child !== 'string')
  const text = (element: XmlElement): string => element.children.filter((child): child is string => typeof child === 'string').join('')
  const group = (element: XmlElement): void => {
    checkAttributes(element, ['id', 'category', 'appliesTo'])
    const appliesTo = attr(element, 'appliesTo')
    if (appliesTo !== undefined && !['source', 'target', 'ignorable'].includes(appliesTo)) report(element, `<${element.name}> appliesTo="${appliesTo}" is not source, target or ignorable`, 'module')
    if (text(element).trim() !== '') report(element, `<${element.name}> cannot hold text`, 'module')
    const items = children(element)
    if (items.length === 0) report(element, `<${element.name}> needs <mda:meta> or <mda:metaGroup>`, 'module')
    for (const item of items) {
      if (item.ns === metadataNamespace && item.local === 'metaGroup') group(item)
      else if (item.ns === metadataNamespace && item.local === 'meta') {
        checkAttributes(item, ['type'])
        if (attr(item, 'type') === undefined) report(item, `<${item.name}> needs a "type" attribute`, 'module')
        if (children(item).length > 0) report(item, `<${item.name}> holds text only`, 'module')
      } else report(item, `<${element.name}> holds <mda:meta> and <mda:metaGroup> only, not <${item.name}>`, 'module')
    }
  }
  checkAttributes(metadata, ['id'])
  if (text(metadata).trim() !== '') report(metadata, `<${metadata.name}> cannot hold text`, 'module')
  const groups = children(metadata)
  if (groups.length === 0) report(metadata, `<${metadata.name}> needs <mda:metaGroup>`, 'module')
  for (const item of groups) {
    if (item.ns === metadataNamespace && item.local === 'metaGroup') group(item)
    else report(item, `<${metadata.name}> holds <mda:metaGroup> only, not <${item.name}>`, 'module')
  }
}

/**
 * Ids (`id` or `xml:id`) of the extension and module elements a file, group
 * or unit holds are unique per namespace within it (the core's constraint on
 * extensions), descendants included but not those of nested groups and units.
 */
function checkExtensionIds(scope: XmlElement, report: ModuleReport): void {
  const seen = new Set<string>()
  const visit = (element: XmlElement): void => {
    const id = attr(element, 'id') ?? attr(element, 'id', xmlNamespace)
    if (id !== undefined) {
      const key = `${element.ns}\u0000${id}`
      if (seen.has(key)) report(element, `id "${id}" is used twice among the ${element.ns} elements of <${scope.local} id="${attr(scope, 'id') ?? ''}">`, 'rule')
      seen.add(key)
    }
    for (const child of element.children) if (typeof child !== 'string' && child.ns !== xliffNamespace) visit(child)
  }
  for (const child of scope.children) if (typeof child !== 'string' && child.ns !== xliffNamespace && child.ns !== metadataNamespace) visit(child)
}

function attr(element: XmlElement, local: string, ns = ''): string | undefined {
  return element.attributes.find((attribute) => attribute.local === local && attribute.ns === ns)?.value
}
