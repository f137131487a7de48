// Bundle segments for tests: every required field filled, the test gives what matters.
import type {BundleSegment} from '../../src/bundle/schema.ts'

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
