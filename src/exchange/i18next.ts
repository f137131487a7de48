// A locale bundle as an i18next JSON v4 resource (one namespace per
// article): `{segment id: target}`, for the segments a publisher may show.
// The values are tagged text (`<1>…</1>`, ICU-style), as `build` gives
// i18next; what is not publishable (stale, below `minState`, tags unlike the
// source's: `workflow/publish.ts`, the build's rule) is left out, so that
// i18next falls back to the source language for it.
import type {Bundle} from '../workflow/types.ts'
import {publishableTargets} from '../workflow/publish.ts'
import type {SegmentState} from '../types.ts'

export interface I18nextExportOptions {
  /** Lowest state to include (the project's `publishState` on the command line). */
  minState: SegmentState
}

export function i18nextResource(bundle: Bundle, options: I18nextExportOptions): Record<string, string> {
  return publishableTargets(bundle, options.minState)
}

/** The resource as JSON text (two-space indent, final newline). */
export function exportI18next(bundle: Bundle, options: I18nextExportOptions): string {
  return `${JSON.stringify(i18nextResource(bundle, options), null, 2)}\n`
}
