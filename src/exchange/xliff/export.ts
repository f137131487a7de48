// Locale bundles → one XLIFF 2.1 document: a <file> per article, a <unit>
// per translatable block, a <segment> per sentence. Inline tags become <pc>
// and <ph> codes whose Markdown sits in <originalData>, so the text a
// translator edits holds no Markdown. Pure: same bundles, same bytes.
import type {Bundle, BundleSegment} from '../../workflow/types.ts'
import {PasserelleError} from '../../errors.ts'
import {parseTags, tokenizeTagged, unescapeText, escapeText} from '../../segment/index.ts'
import type {TaggedToken} from '../../segment/index.ts'
import type {Locale, SegmentState} from '../../types.ts'
import {writeXml, type XmlOut} from '../xml.ts'
import {codeFor, fileIdFor, isNmtoken, isRepresentable, metadataNamespace, revisionCategory, subStateOf, toXliffState, xliffNamespace} from './map.ts'

export interface XliffExportOptions {
  sourceLocale: Locale
  targetLocale: Locale
  /**
   * Export only the units that hold a segment in one of these states. The
   * other segments of such a unit go out too, with their own state, as a CAT
   * tool shows confirmed sentences around the ones to work on (import treats
   * them like any other: unchanged unless the translator changed them).
   */
  states?: readonly SegmentState[]
}

/** A block of an article and its sentences, in document order. */
export interface UnitSelection {
  unit: string
  segments: BundleSegment[]
}

/** The units of a bundle that an export with `states` includes. */
export function selectUnits(bundle: Bundle, states?: readonly SegmentState[]): UnitSelection[] {
  const units = new Map<string, BundleSegment[]>()
  for (const segment of bundle.segments) {
    const list = units.get(segment.unit)
    if (list) list.push(segment)
    else units.set(segment.unit, [segment])
  }
  return [...units]
    .filter(([, segments]) => !states || segments.some((segment) => states.includes(segment.state)))
    .map(([unit, segments]) => ({unit, segments}))
}

/** The XLIFF 2.1 document for `bundles` (one target locale). Throws `E_NOT_FOUND` when nothing matches. */
export function exportXliff(bundles: readonly Bundle[], options: XliffExportOptions): string {
  const seen = new Set<string>()
  const files: XmlOut[] = []
  for (const bundle of [...bundles].sort((a, b) => compare(a.article, b.article))) {
    if (bundle.locale !== options.targetLocale || bundle.sourceLocale !== options.sourceLocale) {
      throw new PasserelleError('E_INPUT', `bundle ${bundle.article} is ${bundle.sourceLocale}→${bundle.locale}, not ${options.sourceLocale}→${options.targetLocale}`)
    }
    if (seen.has(bundle.article)) throw new PasserelleError('E_INPUT', `article ${bundle.article} is given twice`)
    seen.add(bundle.article)
    const fileId = fileIdFor(bundle.article)
    if (!isNmtoken(fileId)) throw new PasserelleError('E_XLIFF', `article slug "${bundle.article}" cannot be an XLIFF id (NMTOKEN)`)
    const units = selectUnits(bundle, options.states).map((unit) => unitElement(unit))
    if (units.length === 0) continue
    files.push({
      name: 'file',
      attributes: [
        ['id', fileId],
        ['original', `content/${bundle.sourceLocale}/${bundle.article}.md`],
        ['xml:space', 'preserve']
      ],
      children: units
    })
  }
  if (files.length === 0) {
    throw new PasserelleError('E_NOT_FOUND', 'nothing to export: no segment matches', {hint: 'check --to, --article and --state'})
  }
  return writeXml(
    {
      name: 'xliff',
      attributes: [
        ['xmlns', xliffNamespace],
        ['xmlns:mda', metadataNamespace],
        ['version', '2.1'],
        ['srcLang', options.sourceLocale],
        ['trgLang', options.targetLocale]
      ],
      children: files
    },
    'E_XLIFF'
  )
}

/**
 * The target as an import reads it back from our own export: text runs
 * re-escaped canonically, or, for a target whose tags cannot be codes, the
 * whole target as escaped text. Import compares the file with this.
 */
export function exportedTarget(segment: Pick<BundleSegment, 'source' | 'target'>): string | undefined {
  if (segment.target === undefined) return undefined
  return isRepresentable(segment.source, segment.target) ? canonicalTagged(segment.target) : escapeText(segment.target)
}

/** Tagged text with every text run in `escapeText` form (`&gt;` → `>`, a bare `&` → `&amp;`). */
export function canonicalTagged(text: string): string {
  return tokenizeTagged(text)
    .map((token) => (token.type === 'text' ? escapeText(unescapeText(token.value)) : text.slice(token.start, token.end)))
    .join('')
}

function unitElement(selection: UnitSelection): XmlOut {
  const {unit, segments} = selection
  if (!isNmtoken(unit)) throw new PasserelleError('E_XLIFF', `unit id "${unit}" cannot be an XLIFF id (NMTOKEN)`)
  const data: XmlOut[] = []
  const segmentElements: XmlOut[] = []
  let offset = 0
  let dataCount = 0
  for (const segment of segments) {
    const parsed = parseTags(segment.source)
    const codes = new Map<number, {paired: boolean; attributes: [string, string | undefined][]}>()
    // canDelete="no" where the target keeps the code (or there is no target yet):
    // a target that already lost it would contradict the hint and make the file invalid.
    const representable = segment.target === undefined || isRepresentable(segment.source, segment.target)
    const kept = segment.target === undefined || !representable ? undefined : new Set([...parseTags(segment.target).paired, ...parseTags(segment.target).selfClosing])
    for (const token of parsed.tokens) {
      if ((token.type !== 'open' && token.type !== 'self') || codes.has(token.n)) continue
      const paired = token.type === 'open'
      const code = codeFor(segment.tags[String(token.n)], paired)
      const id = String(offset + token.n)
      const common: [string, string | undefined][] = [
        ['type', code.type],
        ['subType', code.subType],
        ['canCopy', 'no'],
        ['canDelete', segment.target === undefined || kept?.has(token.n) ? 'no' : undefined]
      ]
      if (paired) {
        const start = `d${++dataCount}`
        const end = `d${++dataCount}`
        data.push(dataElement(start, code.start), dataElement(end, code.end ?? ''))
        codes.set(token.n, {paired, attributes: [['id', id], ['dataRefStart', start], ['dataRefEnd', end], ...common]})
      } else {
        const ref = `d${++dataCount}`
        data.push(dataElement(ref, code.start))
        codes.set(token.n, {paired, attributes: [['id', id], ['dataRef', ref], ...common]})
      }
    }
    offset += Math.max(0, ...parsed.paired, ...parsed.selfClosing)

    const children: XmlOut[] = [{name: 'source', children: inline(parsed.tokens, codes), mixed: true}]
    if (segment.target !== undefined) {
      const content = representable ? inline(parseTags(segment.target).tokens, codes) : textNodes(segment.target)
      children.push({name: 'target', children: content, mixed: true})
    }
    segmentElements.push({
      name: 'segment',
      attributes: [
        ['id', segment.id],
        ['state', toXliffState(segment.state)],
        ['subState', subStateOf(segment)]
      ],
      children
    })
  }

  const children: XmlOut[] = [metadata(segments)]
  const notes = notesFor(segments)
  if (notes.length > 0) children.push({name: 'notes', children: notes})
  if (data.length > 0) children.push({name: 'originalData', children: data})
  children.push(...segmentElements)
  return {
    name: 'unit',
    attributes: [
      ['id', unit],
      ['type', `passerelle:${segments[0]?.kind ?? 'paragraph'}`]
    ],
    children
  }
}

function inline(tokens: readonly TaggedToken[], codes: ReadonlyMap<number, {paired: boolean; attributes: [string, string | undefined][]}>): (XmlOut | string)[] {
  const root: (XmlOut | string)[] = []
  const stack: (XmlOut | string)[][] = [root]
  for (const token of tokens) {
    const top = stack.at(-1)!
    if (token.type === 'text') {
      top.push(...textNodes(unescapeText(token.value)))
    } else if (token.type === 'open') {
      const children: (XmlOut | string)[] = []
      top.push({name: 'pc', attributes: codes.get(token.n)?.attributes ?? [['id', `x${token.n}`]], children, mixed: true})
      stack.push(children)
    } else if (token.type === 'close') {
      stack.pop()
    } else {
      top.push({name: 'ph', attributes: codes.get(token.n)?.attributes ?? [['id', `x${token.n}`]]})
    }
  }
  return root
}

/** Text, with characters XML cannot carry as <cp hex> (CR goes out as &#13;, see writeXml: <cp> is only for characters XML cannot carry). */
function textNodes(text: string): (XmlOut | string)[] {
  const out: (XmlOut | string)[] = []
  let run = ''
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    const carried = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code !== 0xfffe && code !== 0xffff && !(code >= 0xd800 && code <= 0xdfff))
    if (carried) {
      run += char
      continue
    }
    if (run) out.push(run)
    run = ''
    out.push({name: 'cp', attributes: [['hex', code.toString(16).toUpperCase().padStart(4, '0')]]})
  }
  if (run) out.push(run)
  return out
}

function dataElement(id: string, markdown: string): XmlOut {
  return {name: 'data', attributes: [['id', id]], children: textNodes(markdown), mixed: true}
}

/** Each segment's revision, so that an import can tell a file exported before a later change. */
function metadata(segments: readonly BundleSegment[]): XmlOut {
  return {
    name: 'mda:metadata',
    children: [
      {
        name: 'mda:metaGroup',
        attributes: [['category', revisionCategory]],
        children: segments.map((segment) => ({name: 'mda:meta', attributes: [['type', segment.id]], children: [String(segment.revision)]}))
      }
    ]
  }
}

function notesFor(segments: readonly BundleSegment[]): XmlOut[] {
  const notes: XmlOut[] = []
  const seen = new Set<string>()
  const add = (category: string, appliesTo: 'source' | 'target', text: string, priority?: number): void => {
    const key = `${category}\u0000${text}`
    if (seen.has(key)) return
    seen.add(key)
    notes.push({
      name: 'note',
      attributes: [
        ['category', category],
        ['appliesTo', appliesTo],
        ['priority', priority === undefined ? undefined : String(priority)]
      ],
      children: [text]
    })
  }
  const several = segments.length > 1
  segments.forEach((segment, index) => {
    const prefix = several ? `(${index + 1}) ` : ''
    for (const record of segment.glossary) {
      const dnt = record.expected.length === 1 && record.expected[0] === record.source
      add('passerelle:glossary', 'source', dnt ? `${record.source}: do not translate` : `${record.source} → ${record.expected.join(' | ') || '(no term in this language)'}`)
    }
    if (segment.unknown.length > 0) add('passerelle:unknown', 'source', `${prefix}unknown to the engine: ${segment.unknown.join(', ')}`)
    for (const finding of segment.qa) {
      add('passerelle:qa', 'target', `${prefix}${finding.severity} ${finding.rule}: ${finding.message}`, finding.severity === 'error' ? 1 : finding.severity === 'warning' ? 5 : 9)
    }
    if (segment.previous) {
      add('passerelle:previous', 'target', `${prefix}previous source: ${segment.previous.source} — previous translation: ${segment.previous.target}`)
    } else if (segment.stale) {
      add('passerelle:previous', 'target', `${prefix}the source changed since this translation: review it`)
    }
  })
  return notes
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
