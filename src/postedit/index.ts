// The post-edit stage: machine output made fit for institutional text before
// it is saved. It wraps an engine, so only engine output goes through it
// (translation memory, human edits and imports never do):
//   source rules (pre-edits) → engine → Spanish formal register (Apertium)
//   → typographic conventions → target rules → sentence case.
// What changed the text is returned with it (`postEdits`) and recorded on
// the segment's origin for reviewers.
import type {Config} from '../config.ts'
import type {Engine, EngineOutput, EngineSegment, TranslateOptions} from '../engines/types.ts'
import type {PasserelleError} from '../errors.ts'
import {languageOf} from '../qa/text.ts'
import type {Locale, TermHit} from '../types.ts'
import {lowerMidSentenceOf, sentenceCase} from './casing.ts'
import {applyConventions, localeConventions, type ConventionName} from './conventions.ts'
import {formalSpanish} from './register.ts'
import {applyRules, type LoadedRule, type Rule} from './rules.ts'
import {folderRulesStore, type RulesStore} from './store.ts'

export type PostEditSettings = Config['postEdit']

export interface PostEditOptions {
  glossaryDir: string
  /** Where the rules are read (default: the rule files under `glossaryDir`; a team worker: the database's rows). */
  rules?: RulesStore
  settings?: PostEditSettings
  /** Rule files with problems, reported once per locale (the other rules still apply). */
  onProblems?(problems: PasserelleError[]): void
}

/** The steps on for a target locale: every step Passerelle has for it, minus what `passerelle.json` switches off. */
export function enabledSteps(locale: Locale, settings: PostEditSettings = {}, engineName = 'apertium') {
  const own = {...settings[languageOf(locale)], ...settings[locale]}
  const on = (name: keyof typeof own, available: boolean) => available && own[name] !== false
  return {
    casing: on('casing', true),
    // Apertium is the engine that writes vosotros; DeepL has its own formality setting.
    register: on('register', languageOf(locale) === 'es' && engineName === 'apertium'),
    conventions: (localeConventions[languageOf(locale)] ?? []).filter((name) => on(name, true)) as ConventionName[],
    rules: on('rules', true)
  }
}

/** Pre-edit a segment's source text outside its protected hits, and move the hits accordingly. */
export function preEdit(segment: EngineSegment, rules: readonly Rule[]): {segment: EngineSegment; fired: string[]} {
  const fired = new Set<string>()
  const hits = [...segment.hits].sort((a, b) => a.start - b.start)
  let text = ''
  let cursor = 0
  const moved: TermHit[] = []
  const editGap = (gap: string) => {
    const result = applyRules(rules, 'source', gap)
    result.fired.forEach((id) => fired.add(id))
    return result.text
  }
  for (const hit of hits) {
    if (hit.start < cursor) continue
    text += editGap(segment.text.slice(cursor, hit.start))
    moved.push({...hit, start: text.length, end: text.length + (hit.end - hit.start)})
    text += segment.text.slice(hit.start, hit.end)
    cursor = hit.end
  }
  text += editGap(segment.text.slice(cursor))
  if (fired.size === 0) return {segment, fired: []}
  return {segment: {...segment, text, hits: moved}, fired: [...fired]}
}

export interface PostEditInput {
  /** The original source (before pre-edits). */
  source: string
  hits: readonly TermHit[]
  text: string
}

/** Everything after the engine, for one locale and a batch of outputs. */
export async function postEditBatch(
  items: readonly PostEditInput[],
  context: {from: Locale; to: Locale; rules: readonly Rule[]; steps: ReturnType<typeof enabledSteps>}
): Promise<{text: string; postEdits: string[]}[]> {
  const {steps} = context
  const registered = steps.register ? await formalSpanish(items.map((item) => item.text)) : undefined
  return items.map((item, index) => {
    const postEdits: string[] = []
    let text = item.text
    if (registered?.[index]?.changed) {
      text = registered[index]!.text
      postEdits.push('register')
    }
    const conventions = applyConventions({source: item.source, sourceLocale: context.from, target: text, targetLocale: context.to, hits: item.hits}, steps.conventions)
    text = conventions.text
    postEdits.push(...conventions.fired)
    if (steps.rules) {
      const ruled = applyRules(context.rules, 'target', text)
      text = ruled.text
      postEdits.push(...ruled.fired.map((id) => `rule:${id}`))
    }
    if (steps.casing) {
      const cased = sentenceCase(item.source, lowerMidSentenceOf(text, context.to), item.hits)
      if (cased !== text) postEdits.push('casing')
      text = cased
    }
    return {text, postEdits}
  })
}

/** Wrap an engine so that its output is post-edited. The pseudo engine is left as it is (its output is not language). */
export function withPostEdit(engine: Engine, options: PostEditOptions): Engine {
  if (engine.name === 'pseudo') return engine
  const ruleSets = new Map<Locale, Promise<LoadedRule[]>>()
  const store = options.rules ?? folderRulesStore(options.glossaryDir)
  const rulesFor = (locale: Locale) => {
    let loaded = ruleSets.get(locale)
    if (!loaded) {
      loaded = store.load(locale).then(({rules, problems}) => {
        if (problems.length > 0) options.onProblems?.(problems)
        return rules
      })
      ruleSets.set(locale, loaded)
    }
    return loaded
  }
  const wrapped: Engine = Object.create(engine)
  Object.defineProperty(wrapped, 'translate', {
    value: async (batch: EngineSegment[], translateOptions: TranslateOptions): Promise<EngineOutput[]> => {
      const steps = enabledSteps(translateOptions.to, options.settings, engine.name)
      const rules = steps.rules ? await rulesFor(translateOptions.to) : []
      const pre = batch.map((segment) => preEdit(segment, rules))
      const outputs = await engine.translate(
        pre.map((item) => item.segment),
        translateOptions
      )
      const byId = new Map(batch.map((segment, index) => [segment.id, {segment, fired: pre[index]!.fired}]))
      const known = outputs.filter((output) => byId.has(output.id))
      const edited = await postEditBatch(
        known.map((output) => ({source: byId.get(output.id)!.segment.text, hits: byId.get(output.id)!.segment.hits, text: output.text})),
        {from: translateOptions.from, to: translateOptions.to, rules, steps}
      )
      return known.map((output, index) => {
        const fired = byId.get(output.id)!.fired.map((id) => `rule:${id}`)
        const postEdits = [...fired, ...edited[index]!.postEdits]
        return {...output, text: edited[index]!.text, ...(postEdits.length > 0 ? {postEdits} : {})}
      })
    }
  })
  return wrapped
}

export {lowerMidSentenceOf, sentenceCase} from './casing.ts'
export {applyConventions, conventionNames, type ConventionName} from './conventions.ts'
export {formalSpanish} from './register.ts'
export {applyRule, applyRules, compileRule, formatRuleFile, loadRules, parseRuleFile, renderRuleSet, rulesDir, ruleSchema, type LoadedRule, type Rule} from './rules.ts'
export {folderRulesStore, type RuleSetView, type RulesStore} from './store.ts'
