// QA checks: findings (diagnostics with a rule id) for a translated segment.
export {checks, ruleIds, type RuleId} from './checks/index.ts'
export {
  blocksApproval,
  createContext,
  defaultLengthRatio,
  resolveChecks,
  runChecks,
  sortFindings,
  summarize,
  type FindingSummary
} from './run-checks.ts'
export {acknowledges, applyAcknowledgements, withAcknowledged, type Acknowledgement, type AcknowledgedFindings} from './acknowledge.ts'
export {formatQaReport, qaProject, type FormatOptions, type QaBundleReport, type QaFailure, type QaProjectOptions, type QaReport} from './run.ts'
export {defaultDntClasses, type DntClass, type DntItem} from './dnt.ts'
export {tokenizeTags, type TagToken} from './text.ts'
export type {Check, FindForbidden, LengthRatioSettings, QaContext, QaInput, QaOptions, QaSettings, QaTermHit, SideView, TargetHasTerm} from './types.ts'
