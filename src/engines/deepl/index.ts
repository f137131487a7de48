// DeepL engine (deepl-node). Re-exports only.
export {createDeeplEngine, deeplEngineFromEnv, type DeeplEngine, type DeeplEngineOptions} from './engine.ts'
export {estimateBilledCharacters, quotaWarning} from './billing.ts'
export {DeeplBatchError} from './errors.ts'
export {glossaryEntries, glossaryHash, glossaryName, type GlossaryEntry} from './glossary.ts'
export {defaultFormalityTargets, defaultTargets, resolveTarget, type Formality} from './languages.ts'
export type {GlossaryState} from './sync.ts'
