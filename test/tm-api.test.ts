import {expect, it} from 'vitest'
import * as tm from '../src/tm/index.ts'

it('should expose the public api', () => {
  expect(Object.keys(tm).sort()).toEqual([
    'TranslationMemory',
    'canonicalLocale',
    'caseCost',
    'contextAt',
    'dedupeUnits',
    'defaultLimit',
    'defaultPenalties',
    'defaultThreshold',
    'exportProjectTm',
    'exportTmx',
    'folderTmxSource',
    'importTmxFile',
    'importedState',
    'indexedMemory',
    'isoDate',
    'languageOf',
    'leverageMatch',
    'liveSegmentUnits',
    'loadBundles',
    'loadImportedTmx',
    'loadProjectTm',
    'loadProjectUnits',
    'maxTmxBytes',
    'parseTmx',
    'persistedIndexFrom',
    'repairNumbers',
    'sameContext',
    'scoreTexts',
    'tmFromBundles',
    'tmxDate',
    'tmxProps',
    'tokenize',
    'unitBase',
    'unitsFromBundles',
    'unitsOfTmxFiles'
  ])
})
