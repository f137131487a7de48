/// <reference lib="dom" />
// Live segment updates (team mode): an EventSource on /api/events for the
// article on screen. The browser reconnects by itself and sends the last
// event id; the server then replays what was missed or asks for a re-read
// (`resync`). The first connection also re-reads once, since changes saved
// between loading the article and subscribing would otherwise be missed.

export interface LiveHandlers {
  /** A segment of this article was saved (by anyone) at this revision. */
  change(id: string, revision: number): void
  /** Changes may have been missed: re-read the article. */
  resync(): void
}

export function watchArticle(locale: string, slug: string, handlers: LiveHandlers): () => void {
  const source = new EventSource(`/api/events?locale=${encodeURIComponent(locale)}&article=${encodeURIComponent(slug)}`)
  let opened = false
  source.addEventListener('open', () => {
    if (!opened) handlers.resync()
    opened = true
  })
  source.addEventListener('segment', (event) => {
    try {
      const data = JSON.parse((event as MessageEvent<string>).data) as {id?: unknown; revision?: unknown}
      if (typeof data.id === 'string' && typeof data.revision === 'number') handlers.change(data.id, data.revision)
    } catch {
      handlers.resync()
    }
  })
  source.addEventListener('resync', () => handlers.resync())
  return () => source.close()
}
