// Apertium, the offline default engine. fr→es and fr→ca are direct pairs;
// fr→en goes through Spanish. One long-lived pipeline per mode serves every
// batch (chain.ts): no start-up per batch, and the batches a run keeps in
// flight queue in the pipe, so Apertium works while Passerelle saves. For
// fr→en a batch moves on to the spa-eng pipeline while the next one is in
// fr-es. Glossary terms and do-not-translate items are protected with
// placeholders and restored as the target term.
import {PasserelleError} from '../../errors.ts'
import type {Locale} from '../../types.ts'
import {isPlaceholder, protect} from '../protect.ts'
import type {Engine, EngineOutput, EngineSegment, TranslateOptions} from '../types.ts'
import {ApertiumChain, type ChainOptions} from './chain.ts'
import {fromApertiumHtml} from './html.ts'
import {stripMarkers} from './markers.ts'
import {installHint, listModes, modeScript, runApertium, type RunOptions} from './process.ts'
import {fromApertiumStream, toApertiumStream} from './stream.ts'

/** Apertium modes per target, from French. */
export const apertiumRoutes: Readonly<Record<string, readonly string[]>> = {
  es: ['fr-es'],
  ca: ['fra-cat'],
  en: ['fr-es', 'spa-eng'],
  'en-US': ['fr-es', 'spa-eng_US']
}

export interface ApertiumOptions extends Pick<RunOptions, 'binary' | 'timeout'>, Pick<ChainOptions, 'idle' | 'onSpawn'> {}

export interface ApertiumEngine extends Engine {
  /**
   * End the pipelines now (they also end by themselves when idle): each closes its input and is waited
   * for; batches they still hold fail.
   */
  close(): Promise<void>
}

export function createApertiumEngine(options: ApertiumOptions = {}): ApertiumEngine {
  let calls = 0
  let installed: Promise<Set<string>> | undefined

  const stages = (from: Locale, to: Locale): readonly string[] => {
    const route = from === 'fr' ? apertiumRoutes[to] : undefined
    if (!route) {
      throw new PasserelleError('E_LOCALE', `Apertium has no route from '${from}' to '${to}'`, {
        hint: `use one of: ${Object.keys(apertiumRoutes).join(', ')}, or --engine deepl`
      })
    }
    return route
  }

  const listPairs = () => {
    // The modes folder is what `apertium -l` lists, read without starting its shell script (~0.7 s on a
    // busy machine, before the first batch of a run); a front-end named in the options is asked itself.
    installed ??= (options.binary === undefined ? listModes() : runApertium(['-l'], options)).then((text) => new Set(text.split(/\s+/).filter(Boolean)))
    // A failed listing is not kept: the next call asks again.
    installed.catch(() => (installed = undefined))
    return installed
  }

  const chains = new Map<string, Promise<ApertiumChain>>()
  const chainFor = (mode: string) => {
    let chain = chains.get(mode)
    if (!chain) {
      chain = (async () => {
        if (!(await listPairs()).has(mode)) {
          throw new PasserelleError('E_ENGINE_MISSING', `Apertium pair ${mode} is not installed`, {hint: installHint})
        }
        return new ApertiumChain(mode, await modeScript(mode), {timeout: options.timeout, idle: options.idle, onSpawn: options.onSpawn})
      })()
      chains.set(mode, chain)
      chain.catch(() => chains.delete(mode))
    }
    return chain
  }

  return {
    name: 'apertium',
    async close() {
      const ending = [...chains.values()].map((chain) => chain.then((started) => started.end(), () => {}))
      chains.clear()
      await Promise.all(ending)
    },
    maxBatch: {segments: 400, characters: 150_000},
    // Batches queued in the pipelines while the oldest one's results are saved: Apertium never waits for us.
    concurrency: 3,
    free: true,
    get calls() {
      return calls
    },
    route(from, to) {
      return stages(from, to).join('|')
    },
    async check(from, to) {
      const pairs = await listPairs()
      const missing = stages(from, to).filter((mode) => !pairs.has(mode))
      if (missing.length > 0) {
        throw new PasserelleError('E_ENGINE_MISSING', `Apertium pair ${missing.join(', ')} is not installed`, {hint: installHint})
      }
    },
    warm(from, to) {
      // Loading a pair's dictionaries and rules takes most of a second of CPU: done while the run plans.
      for (const mode of stages(from, to)) void chainFor(mode).then((chain) => chain.warm(), () => {})
    },
    async translate(batch: EngineSegment[], translateOptions: TranslateOptions): Promise<EngineOutput[]> {
      if (batch.length === 0) return []
      const route = stages(translateOptions.from, translateOptions.to)
      // Restoration happens on the final (target-language) text, so agreement follows `to`.
      const prepared = batch.map((segment) => protect(segment.text, segment.hits, {locale: translateOptions.to}))
      let texts = prepared.map((item) => item.text)
      const unknown: string[][] = batch.map(() => [])
      for (const mode of route) {
        calls++
        const chain = await chainFor(mode)
        const outputs = await chain.run(
          texts.map((text, index) => toApertiumStream(text, index)),
          translateOptions.signal
        )
        texts = outputs.map((output, index) => {
          const block = fromApertiumStream(output)
          if (block.n !== index) {
            // Out of step: every later answer would be filed under the wrong segment.
            chain.stop('its output went out of step with its input')
            throw new PasserelleError('E_ENGINE', `Apertium ${mode} returned segment ${index + 1} of ${batch.length} out of place`, {
              hint: 'report the segment text; it may contain markup Apertium cannot keep'
            })
          }
          // Record unknown words per segment, then give the next stage clean text.
          const stripped = stripMarkers(block.html)
          unknown[index]!.push(...stripped.unknown)
          return fromApertiumHtml(stripped.text)
        })
      }
      return batch.map((segment, index) => {
        // Dropped words (a reflexive `se`, an elided article) leave double spaces behind.
        const restored = prepared[index]!.restore(texts[index]!.replace(/ {2,}/g, ' '))
        const words = unknown[index]!.filter((word) => !isPlaceholder(word))
        return {id: segment.id, text: restored.text, unknown: [...new Set(words)]}
      })
    }
  }
}
