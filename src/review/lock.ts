// Serialise read-modify-write cycles per file within this server, so that two
// requests for the same bundle never interleave between read and write.
// (Another process, e.g. a `translate` run, is covered by the revision check
// and by atomic writes, not by this lock.)
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>()

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const result = previous.then(task, task)
    const tail = result.catch(() => undefined)
    this.#tails.set(key, tail)
    try {
      return await result
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    }
  }
}
