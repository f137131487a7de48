// An engine for orchestration tests: pseudo-translates, counts calls and
// texts, and fails on chosen calls with a chosen error, like a real engine
// that hits its quota or loses the network mid-run.
import {createPseudoEngine} from '../../src/engines/pseudo.ts'
import type {Engine, EngineSegment} from '../../src/engines/types.ts'
import {PasserelleError, type ErrorCode} from '../../src/errors.ts'

export interface FaultEngine extends Engine {
  sent: EngineSegment[]
}

export interface FaultEngine {
  /** Most batches that were with the engine at the same time. */
  peak: number
}

export function faultEngine(
  options: {failOnCall?: number; code?: ErrorCode; maxSegments?: number; partial?: boolean; concurrency?: number; delayMs?: number} = {}
): FaultEngine {
  const inner = createPseudoEngine()
  let calls = 0
  const sent: EngineSegment[] = []
  let running = 0
  const engine: FaultEngine = {
    name: 'fault',
    sent,
    peak: 0,
    maxBatch: {segments: options.maxSegments ?? 1000, characters: 1_000_000},
    ...(options.concurrency ? {concurrency: options.concurrency} : {}),
    get calls() {
      return calls
    },
    route: (from, to) => `fault:${from}-${to}`,
    check: (from, to) => inner.check(from, to),
    async translate(batch, translateOptions) {
      const call = ++calls
      running++
      engine.peak = Math.max(engine.peak, running)
      try {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
        return await translateNow(batch, translateOptions, call)
      } finally {
        running--
      }
    }
  }
  const translateNow = async (batch: EngineSegment[], translateOptions: Parameters<Engine['translate']>[1], call: number) => {
    {
      if (options.failOnCall === call) {
        const error = new PasserelleError(options.code ?? 'E_QUOTA', 'injected fault', {hint: 'test'})
        if (!options.partial) throw error
        // Like DeepL: the first half of the batch went through (and was billed) before the fault.
        const half = batch.slice(0, Math.ceil(batch.length / 2))
        sent.push(...half)
        throw Object.assign(error, {done: await inner.translate(half, translateOptions)})
      }
      sent.push(...batch)
      return inner.translate(batch, translateOptions)
    }
  }
  return engine
}
