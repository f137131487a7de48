export {countBundle, localeStatus, type ArticleStatus, type Counts, type LocaleStatus} from './compute.ts'
export {formatStatus} from './format.ts'
export {projectStatus} from './run.ts'
