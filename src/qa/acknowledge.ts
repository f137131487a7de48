// A reviewer's acknowledgement of a finding ("ignore this instance", as in
// Xbench or Verifika): the heuristic is wrong for this target, the reviewer
// answers for it. Pure and in one place, so the CLI (`checkBundle`),
// `translate` (`segmentChecks`) and the review app never disagree.
import type {Finding} from '../types.ts'
import {sortFindings} from './run-checks.ts'

/** What a bundle segment records in `acknowledged`. */
export interface Acknowledgement {
  rule: string
  message: string
  /** Reviewer who acknowledged it. */
  by?: string
  at: string
}

export interface AcknowledgedFindings {
  /** The findings, an acknowledged one downgraded to `info` (rule and message unchanged). */
  findings: Finding[]
  /** The acknowledgements that still match a finding; the others are dropped. */
  acknowledged: Acknowledgement[]
}

/** Whether an acknowledgement is about this finding: same rule and same message. */
export function acknowledges(acknowledgement: Pick<Acknowledgement, 'rule' | 'message'>, finding: Finding): boolean {
  return acknowledgement.rule === finding.rule && acknowledgement.message === finding.message
}

/**
 * Apply a segment's acknowledgements to freshly computed findings. An
 * acknowledged finding stays in the list with severity `info` (so reports
 * still show what was waived, and `blocksApproval` ignores it); an
 * acknowledgement that matches no finding any more (the target changed) is
 * dropped, so it can never hide a new problem.
 */
export function applyAcknowledgements(findings: readonly Finding[], acknowledged: readonly Acknowledgement[] = []): AcknowledgedFindings {
  if (acknowledged.length === 0) return {findings: [...findings], acknowledged: []}
  const kept = acknowledged.filter((item) => findings.some((finding) => acknowledges(item, finding)))
  const downgraded = findings.map((finding) =>
    finding.severity !== 'info' && kept.some((item) => acknowledges(item, finding)) ? {...finding, severity: 'info' as const} : finding
  )
  return {findings: sortFindings(downgraded), acknowledged: kept}
}

/** The segment with `acknowledged` set to the list, or without the key when it is empty (bundles stay byte-identical). */
export function withAcknowledged<T extends {acknowledged?: Acknowledgement[] | undefined}>(segment: T, acknowledged: readonly Acknowledgement[]): T {
  const {acknowledged: _previous, ...rest} = segment
  return (acknowledged.length === 0 ? rest : {...rest, acknowledged: [...acknowledged]}) as T
}
