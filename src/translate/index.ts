export {translateProject, type TranslateOptions, type TranslateReport, type RunPlan, type ProgressEvent} from './run.ts'
export {reconcileBundle, updateSegment} from './reconcile.ts'
export {loadSources, type LoadedArticle} from './sources.ts'
