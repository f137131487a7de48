// Apertium, the offline default engine. fr→es and fr→ca are direct pairs;
// fr→en goes through Spanish. One process per batch and stage, never one
// per segment (start-up costs ~0.09 s). Glossary terms and do-not-translate
// items are protected with placeholders and restored as the target term.
import {PasserelleError} from '../../errors.ts'
import type {Locale} from '../../types.ts'
import {isPlaceholder, protect} from '../protect.ts'
import type {Engine, EngineOutput, EngineSegment, TranslateOptions} from '../types.ts'
import {fromApertiumHtml, toApertiumHtml} from './html.ts'
import {stripMarkers} from './markers.ts'
import {installHint, runApertium, type RunOptions} from './process.ts'

/** Apertium modes per target, from French. */
export const apertiumRoutes: Readonly<Record<string, readonly string[]>> = {
  es: ['fr-es'],
  ca: ['fra-cat'],
  en: ['fr-es', 'spa-eng'],
  'en-US': ['fr-es', 'spa-eng_US']
}

export interface ApertiumOptions extends Pick<RunOptions, 'binary' | 'timeout'> {}

export function createApertiumEngine(options: ApertiumOptions = {}): Engine {
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

  const listPairs = () =>
    (installed ??= runApertium(['-l'], undefined, options).then((text) => new Set(text.split(/\s+/).filter(Boolean))))

  return {
    name: 'apertium',
    maxBatch: {segments: 400, characters: 150_000},
    // Two process chains at once keep both cores busy while the previous batch is saved.
    concurrency: 2,
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
    async translate(batch: EngineSegment[], translateOptions: TranslateOptions): Promise<EngineOutput[]> {
      if (batch.length === 0) return []
      const route = stages(translateOptions.from, translateOptions.to)
      // Restoration happens on the final (target-language) text, so agreement follows `to`.
      const prepared = batch.map((segment) => protect(segment.text, segment.hits, {locale: translateOptions.to}))
      let html = prepared.map((item, index) => `<p id="s${index}">${toApertiumHtml(item.text)}</p>`).join('\n')
      const unknown: string[][] = batch.map(() => [])
      for (const mode of route) {
        calls++
        const output = await runApertium(['-f', 'html', mode], html, {...options, signal: translateOptions.signal})
        // Record unknown words per segment, then give the next stage clean text.
        const paragraphs = splitParagraphs(output, batch.length, mode)
        html = paragraphs
          .map((text, index) => {
            const stripped = stripMarkers(text)
            unknown[index]!.push(...stripped.unknown)
            return `<p id="s${index}">${stripped.text}</p>`
          })
          .join('\n')
      }
      const finals = splitParagraphs(html, batch.length, route.join('|'))
      return batch.map((segment, index) => {
        // Dropped words (a reflexive `se`, an elided article) leave double spaces behind.
        const restored = prepared[index]!.restore(fromApertiumHtml(finals[index]!).replace(/ {2,}/g, ' '))
        const words = unknown[index]!.filter((word) => !isPlaceholder(word))
        return {id: segment.id, text: restored.text, unknown: [...new Set(words)]}
      })
    }
  }
}

function splitParagraphs(html: string, count: number, mode: string): string[] {
  const found: string[] = new Array<string>(count)
  for (const match of html.matchAll(/<p id="s(\d+)">([\s\S]*?)<\/p>/g)) {
    found[Number(match[1])] = match[2]!
  }
  const missing = [...Array(count).keys()].filter((index) => found[index] === undefined)
  if (missing.length > 0) {
    throw new PasserelleError('E_ENGINE', `Apertium ${mode} lost ${missing.length} of ${count} segments in its output`, {
      hint: 'report the segment text; it may contain markup Apertium cannot keep'
    })
  }
  return found
}
