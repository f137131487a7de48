// The publish gate (workflow/publish.ts): one rule for build and the i18next
// export. A target with an unacknowledged QA error, a stale one, or one below
// the publish state is held back with its reason.
import {describe, expect, it} from 'vitest'
import {heldSegments, publishVerdict} from '../src/workflow/publish.ts'
import type {Bundle, BundleSegment} from '../src/workflow/types.ts'
import {i18nextResource} from '../src/exchange/index.ts'

const numbers = {rule: 'numbers', severity: 'error' as const, message: 'number 30 000 is missing from the target'}

function segment(id: string, patch: Partial<BundleSegment>): BundleSegment {
  return {
    id,
    hash: id,
    unit: 'u1',
    kind: 'paragraph',
    index: 0,
    source: "30 000 personnes d'ici à la fin de 2027.",
    tags: {},
    target: '30,000 people by the end of 2027.',
    state: 'reviewed',
    glossary: [],
    unknown: [],
    qa: [],
    revision: 1,
    updated: '2026-01-01T00:00:00Z',
    ...patch
  }
}

const bundle: Bundle = {
  schema: 1,
  article: 'villes',
  sourceLocale: 'fr',
  locale: 'en',
  sourceHash: 'x',
  retired: [],
  segments: [
    segment('aaaaaaaaaaa1', {}),
    segment('aaaaaaaaaaa2', {target: '20,000 people by the end of 2026.', qa: [numbers]}),
    segment('aaaaaaaaaaa3', {target: '20,000 people by the end of 2026.', qa: [{...numbers, severity: 'info'}], acknowledged: [{rule: 'numbers', message: numbers.message, at: '2026-01-01T00:00:00Z'}]}),
    segment('aaaaaaaaaaa4', {stale: true, qa: [numbers]}),
    segment('aaaaaaaaaaa5', {state: 'machine'}),
    segment('aaaaaaaaaaa6', {target: undefined, state: 'new'}),
    segment('aaaaaaaaaaa7', {source: 'Voir <1>le site</1>.', target: 'See the site.'}),
    segment('aaaaaaaaaaa8', {qa: [{rule: 'glossary-forbidden', severity: 'warning', message: 'deprecated term'}]})
  ]
}

describe('publish gate', () => {
  it('holds back QA errors, stale, low-state, missing and tag-broken targets, each with its reason', () => {
    const held = heldSegments(bundle, 'translated')
    expect(Object.fromEntries([...held].map(([id, item]) => [id, item.reason]))).toEqual({
      aaaaaaaaaaa2: 'qa',
      aaaaaaaaaaa4: 'stale',
      aaaaaaaaaaa5: 'state',
      aaaaaaaaaaa6: 'missing',
      aaaaaaaaaaa7: 'tags'
    })
    expect(held.get('aaaaaaaaaaa2')!.detail).toBe('QA numbers: number 30 000 is missing from the target')
  })

  it('publishes a target whose QA error a reviewer acknowledged, and warnings', () => {
    expect(publishVerdict(bundle.segments[2]!, 'translated')).toEqual({publish: true, target: '20,000 people by the end of 2026.'})
    expect(publishVerdict(bundle.segments[7]!, 'translated').publish).toBe(true)
  })

  it('an error still recorded as error is not waived by an acknowledgement of another message', () => {
    const other = segment('aaaaaaaaaab1', {qa: [numbers], acknowledged: [{rule: 'numbers', message: 'another', at: '2026-01-01T00:00:00Z'}]})
    expect(publishVerdict(other, 'machine')).toMatchObject({publish: false, reason: 'qa'})
  })

  it('the i18next export follows the same gate', () => {
    expect(Object.keys(i18nextResource(bundle, {minState: 'translated'})).sort()).toEqual(['aaaaaaaaaaa1', 'aaaaaaaaaaa3', 'aaaaaaaaaaa8'])
    expect(Object.keys(i18nextResource(bundle, {minState: 'machine'})).sort()).toEqual(['aaaaaaaaaaa1', 'aaaaaaaaaaa3', 'aaaaaaaaaaa5', 'aaaaaaaaaaa8'])
  })
})
