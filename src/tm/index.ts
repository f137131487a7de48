// The translation memory stage: public API.
export type {LookupOptions, LookupStats, NumberDifferences, TagDifferences, TmContext, TmDifferences, TmMatch, TmMatchKind, TmPenalties, TmQuery, TmUnit} from './types.ts'
export {TranslationMemory, defaultLimit, defaultThreshold, languageOf, sameContext} from './memory.ts'
export {caseCost, defaultPenalties, scoreTexts, type TextScore} from './score.ts'
export {tokenize, type Tokenized} from './tokens.ts'
export {leverageMatch, repairNumbers, type Leverage, type LeverageOptions} from './leverage.ts'
export {contextAt, liveSegmentUnits, tmFromBundles, unitBase, unitsFromBundles, type UnitBase} from './from-bundles.ts'
export {exportTmx, parseTmx, tmxDate, isoDate, canonicalLocale, importedState, tmxProps, type TmxExportOptions, type TmxParseResult} from './tmx.ts'
export {
  dedupeUnits,
  exportProjectTm,
  importTmxFile,
  indexedMemory,
  persistedIndexFrom,
  loadBundles,
  loadImportedTmx,
  folderTmxSource,
  unitsOfTmxFiles,
  type ImportedTmSource,
  loadProjectTm,
  loadProjectUnits,
  maxTmxBytes,
  type ExportOptions,
  type ImportOptions,
  type ImportReport,
  type LoadedTm,
  type ProjectTmPaths
} from './store.ts'
