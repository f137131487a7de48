// Every check, by rule id: the default set that options can override or
// disable (one handler per rule, mdast-util-to-markdown style).
import type {Check} from '../types.ts'
import {brackets} from './brackets.ts'
import {dntAltered} from './dnt-altered.ts'
import {doubleSpace} from './double-space.ts'
import {empty} from './empty.ts'
import {endPunctuation} from './end-punctuation.ts'
import {glossaryDeprecated} from './glossary-deprecated.ts'
import {glossaryForbidden} from './glossary-forbidden.ts'
import {glossaryMissing} from './glossary-missing.ts'
import {identical} from './identical.ts'
import {lengthRatio} from './length-ratio.ts'
import {numbers} from './numbers.ts'
import {quotes} from './quotes.ts'
import {tagsExtra} from './tags-extra.ts'
import {tagsMissing} from './tags-missing.ts'
import {tagsOrder} from './tags-order.ts'
import {unknownWords} from './unknown-words.ts'
import {whitespaceEdges} from './whitespace-edges.ts'

export const checks = {
  'tags-missing': tagsMissing,
  'tags-extra': tagsExtra,
  'tags-order': tagsOrder,
  numbers,
  'glossary-missing': glossaryMissing,
  'glossary-forbidden': glossaryForbidden,
  'glossary-deprecated': glossaryDeprecated,
  'dnt-altered': dntAltered,
  empty,
  identical,
  'whitespace-edges': whitespaceEdges,
  'double-space': doubleSpace,
  'end-punctuation': endPunctuation,
  brackets,
  quotes,
  'length-ratio': lengthRatio,
  'unknown-words': unknownWords
} as const satisfies Record<string, Check>

export type RuleId = keyof typeof checks

/** The built-in rule ids, in report order. */
export const ruleIds = Object.keys(checks) as RuleId[]
