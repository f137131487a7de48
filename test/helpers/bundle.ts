// Bundle segments for tests: every required field filled, the test gives what matters.
import type {Bundle, BundleSegment} from '../../src/workflow/types.ts'
import {updateBundle} from '../../src/workflow/store.ts'

export function makeSegment(source: string, target: string | undefined, more: Partial<BundleSegment> = {}): BundleSegment {
  const id = more.id ?? 'aaaaaaaaaaaa'
  return {
    id,
    hash: more.hash ?? id,
    unit: 'u1',
    kind: 'paragraph',
    index: 0,
    source,
    tags: {},
    ...(target === undefined ? {} : {target}),
    state: target === undefined ? 'new' : 'machine',
    glossary: [],
    unknown: [],
    qa: [],
    revision: 0,
    updated: '2026-01-01T00:00:00.000Z',
    ...more
  }
}

/** Write a whole bundle where the project keeps it, through the one writer. */
export async function writeBundleFile(localesDir: string, bundle: Bundle): Promise<void> {
  await updateBundle({localesDir}, bundle.locale, bundle.article, () => bundle)
}
