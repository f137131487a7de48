// Split what one `translate` call sends into DeepL requests within DeepL's
// limits (50 texts, a 128 KiB body), and run them with bounded concurrency.

/** DeepL's documented limits for `/v2/translate`. */
export const deeplLimits = {texts: 50, requestBytes: 128 * 1024} as const

export interface RequestItem {
  /** The XML text sent to DeepL. */
  text: string
  context?: string
}

export interface PlannedRequest {
  /** Indices into the items. */
  items: number[]
  /** The distinct contexts of the items, in order, joined by newlines (DeepL takes one per request). */
  context?: string
}

export interface PlanLimits {
  texts: number
  /** Body bytes allowed for one request. */
  bytes: number
  /** Bytes of the form-encoded parameters other than `text` and `context`. */
  baseBytes: number
  /** Characters of merged context per request; items whose context would not fit start a new request. */
  contextChars: number
}

/** Form-encoded size of one `name=value` pair, with its `&`. */
export function formFieldBytes(name: string, value: string): number {
  return new URLSearchParams([[name, value]]).toString().length + 1
}

/**
 * Group items into requests, in order. A request is closed when one more item
 * would pass the text count, the body size, or the context budget. An item
 * that alone exceeds the body size is still given a request of its own (DeepL
 * will refuse it with 413, which the caller reports).
 */
export function planRequests(items: readonly RequestItem[], limits: PlanLimits): PlannedRequest[] {
  const requests: PlannedRequest[] = []
  let current: number[] = []
  let contexts: string[] = []
  let bytes = 0

  const contextOf = (list: readonly string[]) => list.join('\n')
  const contextBytes = (list: readonly string[]) => (list.length === 0 ? 0 : formFieldBytes('context', contextOf(list)))
  const flush = () => {
    if (current.length === 0) return
    requests.push({items: current, ...(contexts.length > 0 ? {context: contextOf(contexts)} : {})})
    current = []
    contexts = []
    bytes = 0
  }

  items.forEach((item, index) => {
    const textBytes = formFieldBytes('text', item.text)
    const itemContext = item.context?.slice(0, limits.contextChars)
    const nextContexts = itemContext && !contexts.includes(itemContext) ? [...contexts, itemContext] : contexts
    const fits =
      current.length < limits.texts &&
      limits.baseBytes + bytes + textBytes + contextBytes(nextContexts) <= limits.bytes &&
      contextOf(nextContexts).length <= limits.contextChars
    if (!fits && current.length > 0) {
      flush()
      const fresh = itemContext ? [itemContext] : []
      contexts = fresh
    } else {
      contexts = nextContexts
    }
    current.push(index)
    bytes += textBytes
  })
  flush()
  return requests
}

/**
 * Run `worker` over the tasks with at most `limit` at once. After the first
 * failure no new task starts; running ones finish; then the first error is
 * thrown. Results of tasks that finished are kept in `done` either way.
 */
export async function runPool<T, R>(
  tasks: readonly T[],
  limit: number,
  worker: (task: T, index: number) => Promise<R>
): Promise<{done: Map<number, R>; error?: unknown}> {
  const done = new Map<number, R>()
  let next = 0
  let failed = false
  let error: unknown
  const lane = async () => {
    while (!failed && next < tasks.length) {
      const index = next++
      try {
        done.set(index, await worker(tasks[index]!, index))
      } catch (caught) {
        if (!failed) error = caught
        failed = true
      }
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(limit, tasks.length))}, lane))
  return failed ? {done, error} : {done}
}
