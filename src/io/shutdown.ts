// What a command started and must stop when the user interrupts it (Ctrl-C,
// `kill <pid>`): the review server, engine processes. Owners register a stop
// function while the thing runs; the CLI calls `stopOnSignals()` once.
const hooks = new Set<() => unknown>()

/** Run `stop` on SIGINT/SIGTERM until the returned function is called. */
export function onShutdown(stop: () => unknown): () => void {
  hooks.add(stop)
  return () => hooks.delete(stop)
}

/**
 * On SIGINT or SIGTERM, run every registered stop function (waiting at most
 * `graceMs` for them), then exit 128 + the signal number, as a shell reports
 * a process the signal killed. A second signal exits at once.
 */
export function stopOnSignals(graceMs = 3000): void {
  let stopping = false
  const handle = (signal: 'SIGINT' | 'SIGTERM') => {
    const code = 128 + (signal === 'SIGINT' ? 2 : 15)
    if (stopping) process.exit(code)
    stopping = true
    void shutdown(graceMs).finally(() => process.exit(code))
  }
  process.on('SIGINT', () => handle('SIGINT'))
  process.on('SIGTERM', () => handle('SIGTERM'))
}

/** Run every registered stop function; settles when all have, or after `graceMs`. */
export async function shutdown(graceMs = 3000): Promise<void> {
  const pending = [...hooks].map(async (stop) => stop())
  const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref())
  await Promise.race([Promise.allSettled(pending), grace])
}
