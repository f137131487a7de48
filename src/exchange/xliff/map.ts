// What Passerelle's data becomes in XLIFF 2.1 and back: workflow states,
// inline tags as codes with the Markdown they stand for, ids.
import type {BundleSegment} from '../../workflow/types.ts'
import {parseTags} from '../../segment/index.ts'
import type {SegmentState, TagInfo} from '../../types.ts'

export const xliffNamespace = 'urn:oasis:names:tc:xliff:document:2.0'
export const xliff12Namespace = 'urn:oasis:names:tc:xliff:document:1.2'
/** The Metadata module: where the export records each segment's revision. */
export const metadataNamespace = 'urn:oasis:names:tc:xliff:metadata:2.0'
export const revisionCategory = 'passerelle:revision'

export const xliffStates = ['initial', 'translated', 'reviewed', 'final'] as const
export type XliffState = (typeof xliffStates)[number]

export function xliffStateRank(state: XliffState): number {
  return xliffStates.indexOf(state)
}

/** new → initial, machine/fuzzy/translated → translated, reviewed → reviewed, approved → final. */
export function toXliffState(state: SegmentState): XliffState {
  switch (state) {
    case 'new':
      return 'initial'
    case 'machine':
    case 'fuzzy':
    case 'translated':
      return 'translated'
    case 'reviewed':
      return 'reviewed'
    case 'approved':
      return 'final'
  }
}

/** The state an XLIFF state asks for: initial → new, translated → translated, reviewed → reviewed, final → approved. */
export function fromXliffState(state: XliffState): SegmentState {
  return state === 'initial' ? 'new' : state === 'final' ? 'approved' : state
}

/** `passerelle:mt:apertium` for machine output, `passerelle:tm:87` for a fuzzy TM match; none for human states. */
export function subStateOf(segment: Pick<BundleSegment, 'state' | 'origin'>): string | undefined {
  const token = (value: string) => value.replace(/[\s:]+/g, '-') || 'unknown'
  if (segment.state === 'machine') return `passerelle:mt:${token(segment.origin?.engine ?? 'unknown')}`
  if (segment.state === 'fuzzy') {
    const score = segment.origin?.score
    return score === undefined ? 'passerelle:fuzzy' : `passerelle:tm:${Math.round(score)}`
  }
  return undefined
}

/** How an inline tag is written: XLIFF `type`/`subType` and the Markdown it stands for (`start`, plus `end` when paired). */
export interface CodeInfo {
  type: 'fmt' | 'link' | 'image' | 'other'
  subType?: string
  start: string
  end?: string
}

/** The code for tag `info` (undefined when the bundle does not say what the tag is). */
export function codeFor(info: TagInfo | undefined, paired: boolean): CodeInfo {
  const label = info?.label
  if (paired) {
    switch (info?.type) {
      case 'emphasis':
        return {type: 'fmt', subType: 'xlf:i', start: '*', end: '*'}
      case 'strong':
        return {type: 'fmt', subType: 'xlf:b', start: '**', end: '**'}
      case 'delete':
        return {type: 'fmt', start: '~~', end: '~~'}
      case 'link':
        return {type: 'link', start: '[', end: `](${label ?? ''})`}
      case 'linkReference':
        return {type: 'link', start: '[', end: `][${label ?? ''}]`}
      default:
        return {type: 'other', start: '', end: ''}
    }
  }
  switch (info?.type) {
    case 'inlineCode':
      return {type: 'other', subType: 'passerelle:code', start: inlineCode(label ?? '')}
    case 'break':
      return {type: 'fmt', subType: 'xlf:lb', start: '\\\n'}
    case 'image':
      return {type: 'image', start: `![](${label ?? ''})`}
    case 'imageReference':
      return {type: 'image', start: `![][${label ?? ''}]`}
    case 'link':
      return {type: 'link', start: `<${label ?? ''}>`}
    case 'footnoteReference':
      return {type: 'other', subType: 'passerelle:footnote', start: `[${label ?? ''}]`}
    case 'html':
      return {type: 'other', subType: 'passerelle:html', start: label ?? ''}
    default:
      return {type: 'other', start: label ?? ''}
  }
}

/** `code` in backticks, with a fence longer than any run of backticks inside. */
function inlineCode(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${code}${pad}${fence}`
}

/**
 * Whether a target can go out as XLIFF codes: well-formed tags, each one a
 * tag of the source of the same kind. Other targets go out as plain text
 * (the tags visible as characters), so that nothing is lost or invented.
 */
export function isRepresentable(source: string, target: string): boolean {
  let theirs
  try {
    theirs = parseTags(target)
  } catch {
    return false
  }
  const ours = parseTags(source)
  return theirs.paired.every((n) => ours.paired.includes(n)) && theirs.selfClosing.every((n) => ours.selfClosing.includes(n))
}

// XML NameChar, as far as a regular expression can say it.
const nmtoken = /^[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}._:\-\u00B7\u2040]+$/u

export function isNmtoken(value: string): boolean {
  return nmtoken.test(value)
}

export function fileIdFor(slug: string): string {
  return `f-${slug}`
}

/** The article a `<file>` stands for: its id `f-<slug>`, else the name of its `original`. */
export function articleOf(file: {id: string; original?: string | undefined}): string | undefined {
  if (file.id.startsWith('f-') && file.id.length > 2) return file.id.slice(2)
  const name = file.original?.split('/').at(-1)
  return name?.endsWith('.md') ? name.slice(0, -3) : undefined
}
