// Acknowledged QA findings: a reviewer waives one finding (same rule and
// message) that a heuristic got wrong; it stops blocking approval, and an
// acknowledgement that no longer matches is dropped.
import {describe, expect, it} from 'vitest'
import type {Bundle, BundleSegment} from '../src/workflow/types.ts'
import {parseBundle, serializeBundle} from '../src/workflow/store.ts'
import {applyAcknowledgements, blocksApproval, runChecks, type Acknowledgement, type QaInput} from '../src/qa/index.ts'
import {checkBundle} from '../src/workflow/qa.ts'
import {segmentChecks} from '../src/workflow/check.ts'
import {updateSegment} from '../src/workflow/reconcile.ts'
import {makeSegment} from './helpers/bundle.ts'

const source = 'Dans les années 90, la migration a changé.'
const decade = 'In the 1990s, migration changed.'
const input = (target: string): QaInput => ({source, target, sourceLocale: 'fr', targetLocale: 'en', hits: [], unknown: [], state: 'translated', tags: {}})
const ack = (rule: string, message: string): Acknowledgement => ({rule, message, by: 'Zoé', at: '2026-01-02T00:00:00.000Z'})
const missing90 = ack('numbers', 'number 90 missing in target')

function segment(target: string | undefined, more: Partial<BundleSegment> = {}): BundleSegment {
  return makeSegment(source, target, {state: target === undefined ? 'new' : 'translated', revision: 3, ...more})
}

const bundleOf = (...segments: BundleSegment[]): Bundle => ({schema: 1, article: 'a', sourceLocale: 'fr', locale: 'en', sourceHash: 'abc', segments, retired: []})

describe('applyAcknowledgements', () => {
  it('downgrades an acknowledged error to info, so it no longer blocks approval', () => {
    const raw = runChecks(input(decade))
    expect(raw).toContainEqual({rule: 'numbers', severity: 'error', message: 'number 90 missing in target'})
    expect(blocksApproval(raw)).toBe(true)
    const {findings, acknowledged} = applyAcknowledgements(raw, [missing90])
    expect(blocksApproval(findings)).toBe(false)
    expect(findings).toContainEqual({rule: 'numbers', severity: 'info', message: 'number 90 missing in target'})
    // Other findings are untouched, and the list stays sorted: errors, warnings, then info.
    expect(findings.map((finding) => finding.severity)).toEqual(['warning', 'info'])
    expect(acknowledged).toEqual([missing90])
  })

  it('matches rule AND message: another message, or the same message under another rule, still blocks', () => {
    const raw = runChecks(input(decade))
    for (const other of [ack('numbers', 'number 91 missing in target'), ack('dnt-altered', 'number 90 missing in target')]) {
      const {findings, acknowledged} = applyAcknowledgements(raw, [other])
      expect(blocksApproval(findings)).toBe(true)
      expect(findings).toEqual(raw)
      expect(acknowledged).toEqual([])
    }
  })

  it('drops an acknowledgement whose finding no longer occurs, so it cannot hide a new problem', () => {
    const fixed = runChecks(input('In the 90s, migration changed.'))
    expect(fixed.some((finding) => finding.message === missing90.message)).toBe(false)
    expect(applyAcknowledgements(fixed, [missing90]).acknowledged).toEqual([])
    expect(applyAcknowledgements([], [missing90])).toEqual({findings: [], acknowledged: []})
  })
})

describe('acknowledgements in bundles', () => {
  it('checkBundle applies them, and drops stale ones from the segment', () => {
    const waived = segment(decade, {acknowledged: [missing90]})
    const {bundle, checked} = checkBundle(bundleOf(waived))
    expect(blocksApproval(checked[0]!.findings)).toBe(false)
    expect(bundle.segments[0]!.acknowledged).toEqual([missing90])
    expect(bundle.segments[0]!.qa).toContainEqual({rule: 'numbers', severity: 'info', message: missing90.message})
    // Checking again changes nothing.
    expect(checkBundle(bundle).changed).toBe(false)

    const stale = segment('In the 90s, migration changed.', {acknowledged: [missing90]})
    const result = checkBundle(bundleOf(stale))
    expect(result.changed).toBe(true)
    expect('acknowledged' in result.bundle.segments[0]!).toBe(false)
  })

  it('segmentChecks (translate) applies them the same way', () => {
    const bundle = bundleOf()
    const waived = segmentChecks(bundle, segment(decade, {acknowledged: [missing90]}), [])
    expect(blocksApproval(waived.qa)).toBe(false)
    expect(waived.acknowledged).toEqual([missing90])
    expect(segmentChecks(bundle, segment('In the 90s, migration changed.', {acknowledged: [missing90]}), []).acknowledged).toBeUndefined()
    expect('acknowledged' in segmentChecks(bundle, segment(decade), [])).toBe(false)
  })

  it('a new target written by translate drops them', () => {
    const next = updateSegment(segment(decade, {acknowledged: [missing90]}), {target: 'In the nineties, migration changed.', state: 'machine'}, 'now')
    expect('acknowledged' in next).toBe(false)
  })

  it('is optional in the schema: bundles without it serialise byte-identically, with it after qa', () => {
    const plain = bundleOf(segment(decade))
    const text = serializeBundle(plain)
    expect(text).not.toContain('acknowledged')
    expect(serializeBundle(parseBundle(text, 'a.json'))).toBe(text)
    const withAck = serializeBundle(bundleOf(segment(decade, {acknowledged: [missing90]})))
    const keys = Object.keys((JSON.parse(withAck) as Bundle).segments[0]!)
    expect(keys.indexOf('acknowledged')).toBe(keys.indexOf('qa') + 1)
    expect(parseBundle(withAck, 'a.json').segments[0]!.acknowledged).toEqual([missing90])
  })
})
