export {buildProject, type ArticleReport, type BuildOptions, type BuildReport, type LocaleReport} from './run.ts'
export {formatDay, formatPercent, parseDay} from './intl.ts'
export {escapeHtml, markdownTreeToHtml} from './html.ts'
export {isSafeUrl} from './urls.ts'
