// Our retry layer on top of deepl-node's: deepl-node already retries 429 and
// 5xx a few times within about a second or two (and ignores Retry-After);
// this waits longer between whole requests, with exponential back-off, jitter
// and a cap, like deepl-node's BackoffTimer but on a coarser scale.

export interface BackoffPolicy {
  /** Retries after the first attempt. */
  retries: number
  /** First delay, in milliseconds. */
  initialMs: number
  multiplier: number
  /** Longest delay, in milliseconds. */
  maxMs: number
  /** Proportion of random spread: 0.2 → delay × [0.8, 1.2]. */
  jitter: number
}

export const defaultBackoff: BackoffPolicy = {retries: 3, initialMs: 5_000, multiplier: 2, maxMs: 60_000, jitter: 0.2}

/** Delay before retry number `retry` (from 0). `random` returns [0, 1). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const plain = Math.min(policy.initialMs * policy.multiplier ** retry, policy.maxMs)
  return Math.round(plain * (1 + policy.jitter * (2 * random() - 1)))
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, {once: true})
  })

export interface RetryOptions {
  policy: BackoffPolicy
  isRetryable(error: unknown): boolean
  sleep: Sleep
  random?: () => number
  signal?: AbortSignal
  /** Told before each wait, e.g. to report progress. */
  onRetry?(retry: number, delayMs: number, error: unknown): void
}

/** Run `attempt` until it succeeds, fails for good, or retries run out; gives the attempts made on failure. */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let retry = 0; ; retry++) {
    options.signal?.throwIfAborted()
    try {
      return await attempt()
    } catch (error) {
      if (retry >= options.policy.retries || !options.isRetryable(error)) throw new RetryExhausted(error, retry + 1)
      const delay = backoffDelay(retry, options.policy, options.random)
      options.onRetry?.(retry, delay, error)
      await options.sleep(delay, options.signal)
    }
  }
}

/** The last error of a retried operation, with the number of attempts made. */
export class RetryExhausted extends Error {
  override name = 'RetryExhausted'
  constructor(
    readonly last: unknown,
    readonly attempts: number
  ) {
    super('retries exhausted')
  }
}
