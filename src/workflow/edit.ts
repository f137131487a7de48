// The workflow rules for one human action on one segment, pure: check the
// revision, the tags and the state move, recompute the glossary records and
// QA findings, and give back the new segment (or throw). The review app and
// the XLIFF import both apply edits through here, inside `updateBundle`.
import type {BundleSegment, Origin} from './types.ts'
import {PasserelleError} from '../errors.ts'
import {acknowledges, withAcknowledged} from '../qa/acknowledge.ts'
import {blocksApproval} from '../qa/run-checks.ts'
import {tagMismatches} from '../segment/index.ts'
import {stateRank, type Finding, type Locale, type SegmentState, type TermHit} from '../types.ts'
import {checkTarget} from './check.ts'
import {updateSegment} from './reconcile.ts'

/** The states a person may move a segment to. */
export type ReviewState = Extract<SegmentState, 'translated' | 'reviewed' | 'approved'>

export interface SaveRequest {
  /** The revision the reviewer edited. */
  revision: number
  /** New target (tagged text); omitted to change the state only. */
  target?: string
  /** Move the segment forward to this state. */
  state?: ReviewState
}

/** Acknowledge one finding of the current target: the heuristic is wrong here, the reviewer answers for it. */
export interface AcknowledgeRequest {
  /** The revision the reviewer saw. */
  revision: number
  /** Rule and message of the finding, exactly as reported. */
  rule: string
  message: string
}

/** The revision on disk is not the one the reviewer edited. */
export class ConflictError extends PasserelleError {
  readonly theirs: BundleSegment
  constructor(theirs: BundleSegment, yours: number) {
    super('E_CONFLICT', `segment ${theirs.id} changed since you opened it (your revision ${yours}, now ${theirs.revision})`, {
      hint: 'compare both versions and keep one'
    })
    this.theirs = theirs
  }
}

/** Approval refused: QA errors remain. */
export class ApprovalError extends PasserelleError {
  readonly findings: Finding[]
  constructor(findings: Finding[]) {
    const errors = findings.filter((finding) => finding.severity === 'error')
    super('E_INPUT', `cannot approve: ${errors.length} QA error${errors.length === 1 ? '' : 's'} (${errors.map((f) => f.message).join('; ')})`, {
      hint: 'fix the target first; warnings do not block approval'
    })
    this.findings = findings
  }
}

export interface EditContext {
  /** Reviewer name recorded in `origin.by`. */
  by: string
  now: string
  /** Glossary hits of the segment's source for the bundle's locale. */
  hits: readonly TermHit[]
  locales: {source: Locale; target: Locale}
}

/**
 * Apply a save: a new target moves the segment to `translated` (also from
 * `reviewed` or `approved`: an edited approval is no approval); a requested
 * state may only move it forward; `approved` needs a target without QA errors
 * (acknowledged findings do not count). A new target clears the
 * acknowledgements: they were about the old one.
 */
export function applyEdit(current: BundleSegment, request: SaveRequest, context: EditContext): BundleSegment {
  if (request.revision !== current.revision) throw new ConflictError(current, request.revision)

  let target = current.target
  let state: SegmentState = current.state
  let origin: Origin | undefined = current.origin
  let unknown = current.unknown
  const by = context.by

  if (request.target !== undefined) {
    if (request.target.trim() === '') throw new PasserelleError('E_INPUT', 'the target is empty', {hint: 'write a translation, or leave the segment as it is'})
    assertSameTags(current.source, request.target)
    if (request.target !== current.target) {
      target = request.target
      state = 'translated'
      origin = {kind: 'human', by}
      // The engine's unknown words were about its own output.
      unknown = []
    } else if (stateRank(state) < stateRank('translated')) {
      // Confirming machine or TM output as it stands: the reviewer answers for it now.
      state = 'translated'
      origin = {...(origin ?? {kind: 'human'}), by}
    }
  }

  if (request.state !== undefined && request.state !== state) {
    if (target === undefined || target === '') throw new PasserelleError('E_INPUT', `segment ${current.id} has no target to mark ${request.state}`)
    if (stateRank(request.state) < stateRank(state)) {
      throw new PasserelleError('E_INPUT', `segment ${current.id} is ${state}: states only move forward (edit the target to reopen it)`)
    }
    state = request.state
    origin = {...(origin ?? {kind: 'human'}), by}
  }

  const acknowledged = target === current.target ? (current.acknowledged ?? []) : []
  const checks = checkTarget(current, target, state, context.hits, context.locales, acknowledged)
  const approving = state === 'approved' && (current.state !== 'approved' || target !== current.target)
  if (approving && blocksApproval(checks.qa)) throw new ApprovalError(checks.qa)

  const moved = target !== current.target || state !== current.state
  const change: Partial<BundleSegment> = {glossary: checks.glossary, qa: checks.qa}
  if (current.acknowledged !== undefined) change.acknowledged = checks.acknowledged
  if (moved) Object.assign(change, {target, state, origin, unknown})
  let next = updateSegment(current, change, context.now)
  if (next !== current && next.acknowledged?.length === 0) next = withAcknowledged(next, [])
  // A human decision on a stale segment settles it.
  if (moved && next.stale) {
    const {stale: _stale, ...settled} = next
    return settled
  }
  return next
}

/**
 * Acknowledge one finding of the current target (same rule and message): it
 * is then reported as `info` and no longer blocks approval. Only a finding
 * the target has now (error or warning) can be acknowledged; acknowledging
 * one twice changes nothing. Bumps the revision: the segment's approvability
 * changed.
 */
export function applyAcknowledge(current: BundleSegment, request: AcknowledgeRequest, context: EditContext): BundleSegment {
  if (request.revision !== current.revision) throw new ConflictError(current, request.revision)
  if (current.target === undefined) throw new PasserelleError('E_INPUT', `segment ${current.id} has no target, so no finding to acknowledge`)
  const raw = checkTarget(current, current.target, current.state, context.hits, context.locales).qa
  const finding = raw.find((item) => item.severity !== 'info' && acknowledges(request, item))
  if (!finding) {
    throw new PasserelleError('E_INPUT', `segment ${current.id} has no ${request.rule} finding "${request.message}" to acknowledge`, {
      hint: 'reload the segment: its findings may have changed'
    })
  }
  const before = checkTarget(current, current.target, current.state, context.hits, context.locales, current.acknowledged ?? [])
  if (before.acknowledged.some((item) => acknowledges(item, finding))) return current
  const acknowledged = [...before.acknowledged, {rule: finding.rule, message: finding.message, by: context.by, at: context.now}]
  const checks = checkTarget(current, current.target, current.state, context.hits, context.locales, acknowledged)
  return {...withAcknowledged(current, checks.acknowledged), glossary: checks.glossary, qa: checks.qa, revision: current.revision + 1, updated: context.now}
}

/**
 * The target must use exactly the source's tags: the same paired and the same
 * self-closing numbers, none missing, none extra, each well formed.
 */
export function assertSameTags(source: string, target: string): void {
  let problems: string[]
  try {
    problems = tagMismatches(source, target)
  } catch (error) {
    if (error instanceof PasserelleError) {
      throw new PasserelleError('E_INPUT', error.message.replace(/^malformed tagged text/, 'broken tags in the target'), {hint: error.hint})
    }
    throw error
  }
  if (problems.length > 0) {
    throw new PasserelleError('E_INPUT', `tags do not match the source: ${problems.join('; ')}`, {hint: 'keep every tag of the source, once each, in the target'})
  }
}
