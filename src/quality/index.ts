export {addStatistics, chrfScore, chrfStatistics, corpusChrf, type ChrfOptions, type ChrfStatistics} from './chrf.ts'
export {loadReferences, parseReferences, type ReferencePair} from './refs.ts'
export {formatQuality, scoreReferences, type QualityLine, type QualityReport} from './run.ts'
