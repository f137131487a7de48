// The exchange stage: standard files for CAT and termbase tools, and back.
export {exportXliff, selectUnits, exportedTarget, canonicalTagged} from './xliff/export.ts'
export type {XliffExportOptions, UnitSelection} from './xliff/export.ts'
export {parseXliff, applyXliff} from './xliff/import.ts'
export type {
  ApplyXliffOptions,
  ApplyXliffResult,
  ParseXliffOptions,
  XliffDocument,
  XliffFile,
  XliffImportReport,
  XliffOutcome,
  XliffOutcomeKind,
  XliffSegment,
  XliffUnit
} from './xliff/import.ts'
export {validateXliff, validateXliffTree} from './xliff/validate.ts'
export type {XliffProblem} from './xliff/validate.ts'
export {validateFile, validateText, formatProblem} from './validate.ts'
export type {Problem, ValidationResult, ExchangeFormat} from './validate.ts'
export {toXliffState, fromXliffState, subStateOf, codeFor, xliffNamespace, xliffStates} from './xliff/map.ts'
export type {XliffState, CodeInfo} from './xliff/map.ts'
export {exportTbx, parseTbx, tbxNamespace} from './tbx.ts'
export type {ParsedGlossary, ParseTbxOptions, TbxExportOptions} from './tbx.ts'
export {exportCsv, parseCsv, csvColumns} from './csv.ts'
export {mergeTermbase} from './merge.ts'
export type {GlossaryConflict, GlossaryMergeReport, MergeOptions} from './merge.ts'
export {exportPo} from './po.ts'
export type {PoExportOptions} from './po.ts'
export {exportI18next, i18nextResource} from './i18next.ts'
export type {I18nextExportOptions} from './i18next.ts'
export {registerExchangeCommands} from './cli.ts'
