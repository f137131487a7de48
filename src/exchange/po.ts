// A locale bundle as a gettext PO file, for the Translate Toolkit world
// (pofilter, pocount, po2tmx, Poedit). One entry per segment: msgctxt is
// the segment id, msgid the source and msgstr the target, both in Passerelle's
// tagged form (`<1>…</1>`, `<2/>`, `&lt;`, `&amp;`), so that tag checks such
// as pofilter's `xmltags` see the inline markup. Machine output, TM fuzzy
// matches and stale targets are `#, fuzzy`; a stale target carries the
// previous source as `#| msgid`. Export only: XLIFF is the round trip.
import * as gettextParser from 'gettext-parser'
import type {GetTextTranslation} from 'gettext-parser'
import type {Bundle, BundleSegment} from '../workflow/types.ts'

export interface PoExportOptions {
  /** Project-Id-Version header (default `passerelle <article>`). */
  project?: string
}

export function exportPo(bundle: Bundle, options: PoExportOptions = {}): string {
  const translations: Record<string, Record<string, GetTextTranslation>> = {}
  for (const segment of bundle.segments) {
    const entry: GetTextTranslation = {
      msgctxt: segment.id,
      msgid: segment.source,
      msgstr: [segment.target ?? ''],
      comments: {
        reference: `content/${bundle.sourceLocale}/${bundle.article}.md`,
        extracted: extracted(segment),
        ...(fuzzy(segment) ? {flag: 'fuzzy'} : {}),
        ...(segment.stale && segment.previous ? {previous: `msgid ${quote(segment.previous.source)}`} : {})
      }
    }
    ;(translations[segment.id] ??= {})[segment.source] = entry
  }
  const table = {
    charset: 'utf-8',
    headers: {
      'Project-Id-Version': options.project ?? `passerelle ${bundle.article}`,
      Language: bundle.locale,
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=UTF-8',
      'Content-Transfer-Encoding': '8bit',
      'X-Generator': 'Passerelle',
      'X-Source-Language': bundle.sourceLocale
    },
    translations
  }
  return gettextParser.po.compile(table, {foldLength: 0, sort: false}).toString('utf8')
}

/** Untranslated segments are empty, not fuzzy; machine, TM-fuzzy and stale targets are fuzzy. */
function fuzzy(segment: BundleSegment): boolean {
  if (segment.target === undefined) return false
  return segment.state === 'new' || segment.state === 'machine' || segment.state === 'fuzzy' || segment.stale === true
}

function extracted(segment: BundleSegment): string {
  const lines = [`state: ${segment.state}${origin(segment)}`]
  for (const record of segment.glossary) {
    const dnt = record.expected.length === 1 && record.expected[0] === record.source
    lines.push(dnt ? `glossary: ${record.source} (do not translate)` : `glossary: ${record.source} → ${record.expected.join(' | ')}`)
  }
  for (const finding of segment.qa) lines.push(`qa ${finding.severity} ${finding.rule}: ${finding.message}`)
  if (segment.unknown.length > 0) lines.push(`unknown to the engine: ${segment.unknown.join(', ')}`)
  return lines.join('\n')
}

function origin(segment: BundleSegment): string {
  const from = segment.origin
  if (!from) return ''
  const parts = [from.kind === 'engine' ? from.engine : from.kind === 'tm' && from.score !== undefined ? `tm ${from.score}%` : from.kind, from.by].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

/** A PO string literal, for the `#| msgid "…"` line. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`
}
