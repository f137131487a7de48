// A locale bundle as an i18next JSON v4 resource (one namespace per
// article): `{segment id: target}`, for the segments a publisher may show.
// The values are tagged text (`<1>…</1>`, ICU-style), as `build` gives
// i18next; stale targets and those below `minState` are left out, so that
// i18next falls back to the source language for them.
import type {Bundle} from '../bundle/schema.ts'
import {stateRank, type SegmentState} from '../types.ts'

export interface I18nextExportOptions {
  /** Lowest state to include (the project's `publishState` on the command line). */
  minState: SegmentState
}

export function i18nextResource(bundle: Bundle, options: I18nextExportOptions): Record<string, string> {
  const resource: Record<string, string> = {}
  for (const segment of bundle.segments) {
    if (segment.target === undefined || segment.target === '' || segment.stale) continue
    if (stateRank(segment.state) < stateRank(options.minState)) continue
    resource[segment.id] = segment.target
  }
  return resource
}

/** The resource as JSON text (two-space indent, final newline). */
export function exportI18next(bundle: Bundle, options: I18nextExportOptions): string {
  return `${JSON.stringify(i18nextResource(bundle, options), null, 2)}\n`
}
