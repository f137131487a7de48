// XLIFF 2.x → Passerelle, in two steps. `parseXliff` checks the whole file
// (well-formed, XLIFF 2 core valid) and reads each segment's source and
// target back into tagged text. A problem above the units (the file's
// structure, ids of files and groups) refuses the file (E_XLIFF); a problem
// inside a segment refuses that segment, one in a unit outside its segments
// (original data, ids) the unit's segments. `applyXliff` then decides
// segment by segment, with the review app's own rules
// (`applyEdit`): the source must still match, tags must be the source's,
// states only move forward, approval needs a target without QA errors, and
// a segment changed in Passerelle since the export is not overwritten.
import {basename} from 'node:path'
import type {Bundle, BundleSegment, Origin} from '../../workflow/types.ts'
import {PasserelleError} from '../../errors.ts'
import {recordedHits} from '../../workflow/check.ts'
import {applyEdit, type ReviewState} from '../../workflow/edit.ts'
import {escapeText, parseTags} from '../../segment/index.ts'
import {humanStates, type SegmentState, type TermHit} from '../../types.ts'
import {childElements, readXml, textContent, xmlNamespace, type XmlElement} from '../xml.ts'
import {canonicalTagged, exportedTarget} from './export.ts'
import {articleOf, fromXliffState, metadataNamespace, revisionCategory, toXliffState, xliff12Namespace, xliffNamespace, xliffStateRank, type XliffState} from './map.ts'
import {validateXliffTree, type XliffProblem} from './validate.ts'

export interface XliffDocument {
  /** The file name, for messages and `origin.detail`. */
  file: string
  version: string
  srcLang: string
  trgLang: string | undefined
  files: XliffFile[]
}

export interface XliffFile {
  id: string
  original: string | undefined
  /** The article slug the file stands for (`f-<slug>`, else the name of `original`). */
  article: string | undefined
  line: number
  units: XliffUnit[]
}

export interface XliffUnit {
  id: string
  line: number
  /** Segment id → revision at export (the Metadata module), when the file still has them. */
  revisions: Readonly<Record<string, number>>
  segments: XliffSegment[]
  /** The unit's `<note>`s (Passerelle's own and those a translator added in a CAT tool). */
  notes: XliffNote[]
}

export interface XliffNote {
  id: string | undefined
  category: string | undefined
  text: string
}

export interface XliffSegment {
  /** The segment's id; undefined when the tool wrote none (Weblate, MateCat, Okapi): matched by unit and position. */
  id: string | undefined
  /** 1-based position among the unit's <segment> elements. */
  position: number
  line: number
  state: XliffState
  subState: string | undefined
  /** Tagged text (`<1>…</1>`, `<2/>`, `&lt;`/`&amp;` escaped), tags numbered as the source's codes appear. */
  source: string
  /** Why the source cannot be read as Passerelle text (codes spanning segments, isolated codes). */
  sourceProblem?: string
  /** Tagged text with the source's numbers; undefined when the file has no (or an empty) target. */
  target: string | undefined
  /** Why the target was not read (a code the source does not have, a placeholder used as a pair…). */
  targetProblem?: string
  /** What makes the segment itself, or its unit, invalid XLIFF (state without target, duplicate unit id…). */
  problem?: string
  /** xml:space in force: with `default`, runs of whitespace were collapsed (and sources are compared collapsed). */
  space: 'default' | 'preserve'
  /**
   * Comments the segment carries: ids of the unit's notes it points to
   * (`<mrk type="comment" ref="#n=…">`, the Annotations way of putting a note
   * on one sentence) and texts of inline comments (`<mrk type="comment" value="…">`).
   */
  comments: {notes: string[]; texts: string[]}
}

export interface ParseXliffOptions {
  /** Refuse larger files (bytes). Default 64 MiB. */
  maxBytes?: number
}

const hint = 'export the file again from your CAT tool as XLIFF 2.0/2.1, or fix the line named'

/** Read and validate an XLIFF 2 document. Throws `E_XLIFF` (or `E_TOO_LARGE`) naming the line; nothing partial. */
export function parseXliff(text: string, file: string, options: ParseXliffOptions = {}): XliffDocument {
  const root = readXml(text, {file, code: 'E_XLIFF', maxBytes: options.maxBytes, hint})
  const fail = (line: number, message: string): never => {
    throw new PasserelleError('E_XLIFF', `line ${line}: ${message}`, {file, hint})
  }
  if (root.local === 'xliff' && root.ns === xliff12Namespace) fail(root.line, 'this is XLIFF 1.2; Passerelle reads XLIFF 2.0 and 2.1')
  if (root.local !== 'xliff' || root.ns !== xliffNamespace) {
    fail(root.line, `not an XLIFF 2 document: root <${root.name}>${root.ns ? ` in namespace ${root.ns}` : ' without a namespace'}, expected <xliff xmlns="${xliffNamespace}">`)
  }
  const placed = placeProblems(root, validateXliffTree(root))
  const first = placed.file[0]
  if (first) fail(first.line, `${first.message}${placed.file.length > 1 ? ` (and ${placed.file.length - 1} more problem${placed.file.length > 2 ? 's' : ''})` : ''}`)

  const files: XliffFile[] = []
  for (const element of xliff(root, 'file')) {
    const id = get(element, 'id')!
    const original = get(element, 'original')
    const units: XliffUnit[] = []
    const walk = (container: XmlElement, space: string): void => {
      for (const child of xliff(container)) {
        if (child.local === 'group') walk(child, spaceOf(child, space))
        else if (child.local === 'unit') units.push(readUnit(child, spaceOf(child, space), placed))
      }
    }
    walk(element, spaceOf(element, spaceOf(root, 'default')))
    files.push({id, original, article: articleOf({id, original}), line: element.line, units})
  }
  return {file, version: get(root, 'version')!, srcLang: get(root, 'srcLang')!, trgLang: get(root, 'trgLang'), files}
}

interface PlacedProblems {
  /** Problems outside any unit: the file is refused. */
  file: XliffProblem[]
  /** Per unit (outside its segments), per segment (its own attributes), per segment source, per segment target. */
  inside: Map<XmlElement, string[]>
}

/** Which unit, segment source or segment target each problem is in. */
function placeProblems(root: XmlElement, problems: readonly XliffProblem[]): PlacedProblems {
  const parents = new Map<XmlElement, XmlElement>()
  const index = (element: XmlElement): void => {
    for (const child of element.children) {
      if (typeof child === 'string') continue
      parents.set(child, element)
      index(child)
    }
  }
  index(root)
  const placed: PlacedProblems = {file: [], inside: new Map()}
  for (const problem of problems) {
    // The nearest source or target of a segment, else the nearest unit.
    let owner: XmlElement | undefined
    for (let element: XmlElement | undefined = problem.element; element; element = parents.get(element)) {
      if (element.ns !== xliffNamespace) continue
      const parent = parents.get(element)
      if ((element.local === 'source' || element.local === 'target') && parent?.local === 'segment') {
        owner = element
        break
      }
      if (element.local === 'segment') {
        owner = element
        break
      }
      if (element.local === 'unit') {
        owner = element
        break
      }
    }
    if (!owner) placed.file.push(problem)
    else placed.inside.set(owner, [...(placed.inside.get(owner) ?? []), `line ${problem.line}: ${problem.message}`])
  }
  return placed
}

function spaceOf(element: XmlElement, inherited: string): string {
  return element.attributes.find((attribute) => attribute.local === 'space' && attribute.ns === xmlNamespace)?.value ?? inherited
}

/** What xml:space="default" lets a reader do, and Passerelle does: runs of white space become one space, none at the ends. */
export function collapseSpace(text: string): string {
  return text.replace(/[ \t\r\n]+/g, ' ').trim()
}

function readUnit(unit: XmlElement, unitSpace: string, placed: PlacedProblems): XliffUnit {
  const id = get(unit, 'id') ?? ''
  const revisions: Record<string, number> = {}
  for (const metadata of childElements(unit).filter((child) => child.ns === metadataNamespace && child.local === 'metadata')) {
    for (const group of childElements(metadata).filter((child) => child.ns === metadataNamespace && child.local === 'metaGroup')) {
      if (get(group, 'category') !== revisionCategory) continue
      for (const meta of childElements(group).filter((child) => child.ns === metadataNamespace && child.local === 'meta')) {
        const type = get(meta, 'type')
        const value = textContent(meta).trim()
        if (type !== undefined && /^\d+$/.test(value)) revisions[type] = Number(value)
      }
    }
  }
  const parts = xliff(unit).filter((child) => child.local === 'segment' || child.local === 'ignorable')
  const unitProblems = placed.inside.get(unit) ?? []
  const segments: XliffSegment[] = []
  parts.forEach((part, position) => {
    if (part.local !== 'segment') return
    const codes = new Map<string, Code>()
    const sourceElement = xliff(part, 'source')[0]!
    const space = spaceOf(sourceElement, unitSpace) === 'preserve' ? 'preserve' : 'default'
    const source = readInline(sourceElement, 'source', codes)
    const segment: XliffSegment = {
      id: get(part, 'id'),
      position: segments.length + 1,
      line: part.line,
      state: (get(part, 'state') ?? 'initial') as XliffState,
      subState: get(part, 'subState'),
      source: space === 'default' ? collapseSpace(source.text) : source.text,
      target: undefined,
      space,
      comments: {notes: [], texts: []}
    }
    const own = [...unitProblems, ...(placed.inside.get(part) ?? [])]
    if (own.length > 0) segment.problem = own.join('; ')
    source.problems.unshift(...(placed.inside.get(sourceElement) ?? []))
    if (source.problems.length > 0) segment.sourceProblem = source.problems.join('; ')
    const targetElement = xliff(part, 'target')[0]
    if (targetElement) {
      const target = readInline(targetElement, 'target', codes)
      target.problems.unshift(...(placed.inside.get(targetElement) ?? []))
      if (space === 'default') target.text = collapseSpace(target.text)
      const order = get(targetElement, 'order')
      if (order !== undefined && Number(order) !== position + 1) target.problems.push(`the target was moved to position ${order}: Passerelle keeps one target per sentence`)
      if (target.problems.length === 0 && target.text !== '') {
        try {
          parseTags(target.text)
        } catch (error) {
          target.problems.push(error instanceof PasserelleError ? error.message.replace(/^malformed tagged text: /, '') : String(error))
        }
      }
      if (target.problems.length > 0) segment.targetProblem = target.problems.join('; ')
      else if (target.text.trim() !== '') segment.target = target.text
    }
    for (const side of [sourceElement, targetElement]) if (side) collectComments(side, segment.comments)
    segments.push(segment)
  })
  const notes: XliffNote[] = []
  for (const holder of xliff(unit, 'notes')) {
    for (const note of xliff(holder, 'note')) notes.push({id: get(note, 'id'), category: get(note, 'category'), text: textContent(note)})
  }
  return {id, line: unit.line, revisions, segments, notes}
}

/** Comment annotations (`<mrk>`/`<sm>` of type `comment`) anywhere in a source or target. */
function collectComments(element: XmlElement, into: XliffSegment['comments']): void {
  for (const child of childElements(element)) {
    if (child.ns === xliffNamespace && (child.local === 'mrk' || child.local === 'sm') && get(child, 'type') === 'comment') {
      // A fragment identifier naming a note: `#n=n1`, or a full path ending in `/n=n1`.
      const note = /(?:^#|\/)n=([^/]+)$/.exec(get(child, 'ref') ?? '')?.[1]
      const value = get(child, 'value')?.trim()
      if (note !== undefined && !into.notes.includes(note)) into.notes.push(note)
      else if (value && !into.texts.includes(value)) into.texts.push(value)
    }
    collectComments(child, into)
  }
}

interface Code {
  n: number
  paired: boolean
}

/** Inline content → tagged text. The source numbers its codes in order; the target uses the source's numbers. */
function readInline(content: XmlElement, side: 'source' | 'target', codes: Map<string, Code>): {text: string; problems: string[]} {
  const problems: string[] = []
  const open = new Set<string>()
  let text = ''
  const lookup = (id: string, paired: boolean, name: string): number | undefined => {
    if (side === 'source') {
      const n = codes.size + 1
      codes.set(id, {n, paired})
      return n
    }
    const code = codes.get(id)
    if (!code) problems.push(`<${name} id="${id}"> is not a code of the source`)
    else if (code.paired !== paired) problems.push(`<${name} id="${id}"> is ${code.paired ? 'a paired code' : 'a placeholder'} in the source`)
    else return code.n
    return undefined
  }
  const visit = (element: XmlElement): void => {
    for (const child of element.children) {
      if (typeof child === 'string') {
        text += escapeText(child)
        continue
      }
      const id = get(child, 'id') ?? ''
      switch (child.local) {
        case 'cp':
          text += escapeText(String.fromCodePoint(Number.parseInt(get(child, 'hex') ?? '0', 16)))
          break
        case 'pc': {
          const n = lookup(id, true, 'pc')
          text += n === undefined ? '' : `<${n}>`
          visit(child)
          text += n === undefined ? '' : `</${n}>`
          break
        }
        case 'ph': {
          const n = lookup(id, false, 'ph')
          if (n !== undefined) text += `<${n}/>`
          break
        }
        case 'sc': {
          if (get(child, 'isolated') === 'yes') {
            problems.push(`<sc id="${id}"> is isolated (its end is in another unit)`)
            break
          }
          const n = lookup(id, true, 'sc')
          if (n !== undefined) text += `<${n}>`
          open.add(id)
          break
        }
        case 'ec': {
          const startRef = get(child, 'startRef')
          if (get(child, 'isolated') === 'yes' || startRef === undefined) {
            problems.push(`<ec id="${id}"> is isolated (its start is in another unit)`)
          } else if (!open.delete(startRef)) {
            problems.push(`<ec startRef="${startRef}"> ends a code opened in another segment`)
          } else {
            const code = codes.get(startRef)
            if (code) text += `</${code.n}>`
          }
          break
        }
        case 'mrk':
          visit(child)
          break
        default:
          // <sm/>, <em/>: annotation markers carry no text.
          break
      }
    }
  }
  visit(content)
  for (const id of open) problems.push(`<sc id="${id}"> is closed in another segment`)
  return {text, problems}
}

// ---------------------------------------------------------------------------

export type XliffOutcomeKind = 'applied' | 'refused' | 'unchanged'

export interface XliffOutcome {
  article: string
  unit: string
  segment: string
  /** Line of the <segment> in the file. */
  line: number
  outcome: XliffOutcomeKind
  /** Why it was refused, or what to know about what was applied. */
  reason?: string
  from?: SegmentState
  to?: SegmentState
}

export interface XliffImportReport {
  applied: XliffOutcome[]
  refused: XliffOutcome[]
  unchanged: XliffOutcome[]
}

export interface ApplyXliffOptions {
  /** Time stamp for `updated` (ISO 8601). */
  now: string
  /** Who answers for the imported work: recorded in `origin.by`. */
  by?: string
  /**
   * Glossary hits of a segment's source, for the QA that decides approval;
   * default: the hits the segment's `glossary` records hold.
   */
  hitsFor?: (segment: BundleSegment, bundle: Bundle) => readonly TermHit[]
}

export interface ApplyXliffResult {
  /** The bundles, in the order given; changed ones are new objects. */
  bundles: Bundle[]
  /** Slugs of the bundles that changed. */
  changed: string[]
  report: XliffImportReport
}

/**
 * Apply a parsed XLIFF document to the bundles of its target locale.
 * Throws `E_XLIFF` when the file's languages are not the bundles'; otherwise
 * every segment is applied, refused (with the reason) or left unchanged.
 */
export function applyXliff(bundles: readonly Bundle[], document: XliffDocument, options: ApplyXliffOptions): ApplyXliffResult {
  // BCP 47 tags are case-insensitive: `en-gb` is `en-GB`.
  const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase()
  for (const bundle of bundles) {
    if (!same(document.trgLang, bundle.locale) || !same(document.srcLang, bundle.sourceLocale)) {
      throw new PasserelleError('E_XLIFF', `the file is ${document.srcLang}→${document.trgLang ?? '?'}, the bundle of ${bundle.article} is ${bundle.sourceLocale}→${bundle.locale}`, {
        file: document.file
      })
    }
  }
  const work = new Map<string, {bundle: Bundle; segments: BundleSegment[]; index: Map<string, number>; units: Set<string>; changed: boolean}>()
  for (const bundle of bundles) {
    work.set(bundle.article, {
      bundle,
      segments: [...bundle.segments],
      index: new Map(bundle.segments.map((segment, i) => [segment.id, i])),
      units: new Set(bundle.segments.map((segment) => segment.unit)),
      changed: false
    })
  }
  const report: XliffImportReport = {applied: [], refused: [], unchanged: []}
  const detail = basename(document.file)

  for (const file of document.files) {
    const article = file.article ?? file.id
    const state = work.get(article)
    for (const unit of file.units) {
      // Segments without an id stand for the unit's sentences in order.
      const inUnit = state ? state.segments.filter((candidate) => candidate.unit === unit.id) : []
      for (const segment of unit.segments) {
        const id = segment.id ?? inUnit[segment.position - 1]?.id
        const entry = {article, unit: unit.id, segment: id ?? `#${segment.position}`, line: segment.line}
        const refuse = (reason: string): void => {
          report.refused.push({...entry, outcome: 'refused', reason})
        }
        if (!state) {
          refuse(file.article ? `no ${document.trgLang ?? ''} bundle for article "${file.article}"` : `<file id="${file.id}"> names no article`)
          continue
        }
        const position = id === undefined ? undefined : state.index.get(id)
        const current = position === undefined ? undefined : state.segments[position]
        if (segment.problem) {
          refuse(`not valid XLIFF 2: ${segment.problem}`)
          continue
        }
        if (!state.units.has(unit.id)) {
          refuse(`unknown unit "${unit.id}": the block is no longer in the article (export again)`)
          continue
        }
        if (!current) {
          refuse(
            segment.id === undefined
              ? `segment ${segment.position} of unit "${unit.id}" has no id and the unit has ${inUnit.length} sentence${inUnit.length === 1 ? '' : 's'} in Passerelle (export again)`
              : `unknown segment: the sentence is no longer in the article (export again)`
          )
          continue
        }
        if (current.unit !== unit.id) {
          refuse(`the sentence is now in unit "${current.unit}", not "${unit.id}" (export again)`)
          continue
        }
        if (segment.sourceProblem) {
          refuse(`source cannot be read: ${segment.sourceProblem}`)
          continue
        }
        const ourSource = canonicalTagged(current.source)
        if (segment.source !== (segment.space === 'default' ? collapseSpace(ourSource) : ourSource)) {
          refuse('the source changed since the export: export again and translate the new sentence')
          continue
        }
        if (segment.targetProblem) {
          refuse(`target refused: ${segment.targetProblem}`)
          continue
        }
        const exported = exportedTarget(current)
        // Under xml:space="default" a target that differs only in white space is ours.
        const ours = segment.space === 'default' && exported !== undefined ? collapseSpace(exported) : exported
        const targetChanged = segment.target !== undefined && segment.target !== ours
        const currentX = toXliffState(current.state)
        if (!targetChanged && segment.state === currentX) {
          report.unchanged.push({...entry, outcome: 'unchanged'})
          continue
        }
        const base = unit.revisions[current.id]
        if (base !== undefined && base !== current.revision) {
          refuse(`changed in Passerelle since the export (revision ${base}, now ${current.revision}): export again so as not to overwrite it`)
          continue
        }
        // Some CAT tools drop the metadata that carries our revisions: then a
        // new target may be older than the human work it would replace.
        if (base === undefined && targetChanged && humanStates.has(current.state)) {
          refuse(`the file has no revision for this segment and it holds ${current.state} work in Passerelle: export again, or edit it in the review app`)
          continue
        }
        let request: {revision: number; target?: string; state?: ReviewState}
        let note: string | undefined
        if (targetChanged) {
          const wanted = fromXliffState(segment.state)
          request = {revision: current.revision, target: segment.target, ...(wanted === 'reviewed' || wanted === 'approved' ? {state: wanted} : {})}
          if (segment.state === 'initial') note = 'state initial in the file: saved as translated'
        } else {
          if (xliffStateRank(segment.state) < xliffStateRank(currentX)) {
            refuse(`the file moves the state back from ${currentX} to ${segment.state}: states only move forward (edit the target to reopen it)`)
            continue
          }
          request = {revision: current.revision, state: fromXliffState(segment.state) as ReviewState}
        }
        let next: BundleSegment
        try {
          const hits = options.hitsFor ? options.hitsFor(current, state.bundle) : recordedHits(current)
          next = applyEdit(current, request, {
            by: options.by ?? '',
            now: options.now,
            hits,
            locales: {source: state.bundle.sourceLocale, target: state.bundle.locale}
          })
        } catch (error) {
          if (!(error instanceof PasserelleError)) throw error
          refuse(error.message)
          continue
        }
        if (next.target === current.target && next.state === current.state) {
          report.unchanged.push({...entry, outcome: 'unchanged'})
          continue
        }
        next = withOrigin(next, importedOrigin(current, targetChanged, detail, options.by))
        state.segments[position!] = next
        state.changed = true
        report.applied.push({...entry, outcome: 'applied', from: current.state, to: next.state, ...(note ? {reason: note} : {})})
      }
    }
  }

  const changed: string[] = []
  const out = bundles.map((bundle) => {
    const state = work.get(bundle.article)!
    if (!state.changed) return bundle
    changed.push(bundle.article)
    return {...bundle, segments: state.segments}
  })
  return {bundles: out, changed, report}
}

/** A new target comes from the import (and the person named); a state move keeps the origin and records who moved it. */
function importedOrigin(current: BundleSegment, targetChanged: boolean, detail: string, by: string | undefined): Origin | undefined {
  if (targetChanged) return {kind: 'import', detail, ...(by ? {by} : {})}
  if (!by) return current.origin
  return {...(current.origin ?? {kind: 'import'}), by}
}

function withOrigin(segment: BundleSegment, origin: Origin | undefined): BundleSegment {
  const {origin: _dropped, ...rest} = segment
  return origin === undefined ? rest : {...rest, origin}
}

function xliff(element: XmlElement, local?: string): XmlElement[] {
  return childElements(element).filter((child) => child.ns === xliffNamespace && (local === undefined || child.local === local))
}

function get(element: XmlElement, local: string): string | undefined {
  return element.attributes.find((attribute) => attribute.local === local && attribute.ns === '')?.value
}
