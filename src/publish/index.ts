export {buildProject, type BuildOptions, type BuildReport} from './run.ts'
export {formatDay, formatPercent, parseDay} from './intl.ts'
export {escapeHtml, htmlPage, markdownTreeToHtml} from './html.ts'
