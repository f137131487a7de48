export {translateProject, type TranslateOptions, type TranslateReport, type RunPlan, type ProgressEvent} from './run.ts'
