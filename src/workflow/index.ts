// The workflow core: the bundle repository (`updateBundle`, the only code that
// writes a bundle) and the pure transitions of a segment: reconcile with the
// source, update from the engine, edit, acknowledge, recheck. Stages call
// these; none of them writes a bundle or moves a state on its own.
export type {AcknowledgedFinding, Bundle, BundleSegment, Origin} from './types.ts'
export {
  bundlePath,
  bundleSchemaVersion,
  listBundleLocales,
  listBundleSlugs,
  loadBundle,
  loadLocaleBundles,
  mergeByRevision,
  parseBundle,
  parseOrigin,
  prepareUpdate,
  revisionsOf,
  serializeBundle,
  updateBundle,
  updateBundles,
  type BundleHome,
  type Revisions,
  type UpdatedBundle,
  type UpdateOptions
} from './store.ts'
export {fileBundleStore, type BundleJournal, type BundleStore, type StoreActor, type StoreUpdateOptions} from './bundle-store.ts'
export {needsMachine, reconcileBundle, updateFromEngine, updateSegment, type SourceArticle} from './reconcile.ts'
export {applyAcknowledge, applyEdit, ApprovalError, assertSameTags, ConflictError, type AcknowledgeRequest, type EditContext, type ReviewState, type SaveRequest} from './edit.ts'
export {checkableHits, checkTarget, glossaryChecks, recheck, recordedHits, segmentChecks, type HitCheck, type TargetChecks} from './check.ts'
export {checkBundle, qaInputFor, type CheckBundleOptions, type CheckedBundle, type HitsFor, type SegmentFindings} from './qa.ts'
export {heldSegments, isPublishable, publishableTargets, publishVerdict, type HoldReason, type PublishVerdict} from './publish.ts'
export {listSourceFiles, loadSources, slugOf, type LoadedArticle} from './sources.ts'
