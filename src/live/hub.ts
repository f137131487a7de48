// Live segment updates: one dedicated connection LISTENs on the channel the
// segments trigger notifies (in the writing transaction, so only committed
// changes arrive), and the hub fans each change out to the browsers watching
// that article. Events carry ids; the last ones are kept so that a browser
// reconnecting with Last-Event-ID gets what it missed, and one whose id is
// too old (or from before a restart, or across a lost LISTEN connection) is
// told to re-read the article instead.
import {randomBytes} from 'node:crypto'
import pg from 'pg'
import {z} from 'zod'
import {displayUrl} from '../db/connect.ts'
import {PasserelleError} from '../errors.ts'

export const segmentsChannel = 'passerelle_segments'

const payloadSchema = z.object({
  locale: z.string(),
  article: z.string(),
  id: z.string(),
  revision: z.number().int(),
  state: z.string()
})

export type SegmentChange = z.infer<typeof payloadSchema>

export type LiveEvent = {id: string; type: 'segment'; change: SegmentChange} | {id: string; type: 'resync'}

export interface Subscription {
  locale: string
  article: string
}

type Listener = (event: LiveEvent) => void

/** Parse a notification's payload; undefined for one that is not ours (never throws on the wire). */
export function parseChange(payload: string | undefined): SegmentChange | undefined {
  try {
    const result = payloadSchema.safeParse(JSON.parse(payload ?? ''))
    return result.success ? result.data : undefined
  } catch {
    return undefined
  }
}

export interface HubOptions {
  /** Events kept for reconnecting browsers (default 2000). */
  keep?: number
  log?: (line: string) => void
}

export class SegmentHub {
  /** Distinguishes this process's event ids from another's (or a restarted one's). */
  private readonly epoch = randomBytes(4).toString('hex')
  private sequence = 0
  private readonly recent: Array<{seq: number; event: LiveEvent & {type: 'segment'}}> = []
  private readonly listeners = new Map<Listener, Subscription>()
  private client: pg.Client | undefined
  private closed = false
  private retry: ReturnType<typeof setTimeout> | undefined

  private constructor(
    private readonly url: string,
    private readonly options: HubOptions
  ) {}

  /** Connect and LISTEN; throws `E_DATABASE` when the first connection fails. */
  static async start(url: string, options: HubOptions = {}): Promise<SegmentHub> {
    const hub = new SegmentHub(url, options)
    try {
      await hub.connect()
    } catch (error) {
      throw new PasserelleError('E_DATABASE', `cannot listen for segment changes (${(error as Error).message})`, {
        file: displayUrl(url),
        hint: 'check --database and that the server runs',
        cause: error
      })
    }
    return hub
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({connectionString: this.url})
    client.on('notification', (message) => {
      if (message.channel !== segmentsChannel) return
      const change = parseChange(message.payload)
      if (change) this.publish(change)
    })
    // A lost connection loses notifications: reconnect, then tell every browser to re-read.
    const lost = (error?: Error) => {
      if (this.client !== client || this.closed) return
      this.client = undefined
      this.log(`live updates: database connection lost${error ? ` (${error.message})` : ''}; reconnecting`)
      client.end().catch(() => undefined)
      this.reconnect(1000)
    }
    client.on('error', lost)
    client.on('end', () => lost())
    await client.connect()
    await client.query(`LISTEN ${segmentsChannel}`)
    this.client = client
  }

  private reconnect(delayMs: number): void {
    this.retry = setTimeout(() => {
      this.connect().then(
        () => {
          this.log('live updates: listening again')
          this.broadcastResync()
        },
        () => this.reconnect(Math.min(delayMs * 2, 30_000))
      )
    }, delayMs)
    this.retry.unref()
  }

  private log(line: string): void {
    ;(this.options.log ?? ((text: string) => console.error(`passerelle: ${text}`)))(line)
  }

  private nextId(): {seq: number; id: string} {
    const seq = ++this.sequence
    return {seq, id: `${this.epoch}-${seq}`}
  }

  private publish(change: SegmentChange): void {
    const {seq, id} = this.nextId()
    const event = {id, type: 'segment' as const, change}
    this.recent.push({seq, event})
    if (this.recent.length > (this.options.keep ?? 2000)) this.recent.shift()
    for (const [listener, subscription] of this.listeners) {
      if (subscription.locale === change.locale && subscription.article === change.article) listener(event)
    }
  }

  private broadcastResync(): void {
    const {id} = this.nextId()
    for (const listener of this.listeners.keys()) listener({id, type: 'resync'})
  }

  /**
   * Watch one article. With `lastEventId` (a reconnecting browser), first the
   * events it missed, or one `resync` when they are no longer known.
   */
  subscribe(subscription: Subscription, listener: Listener, lastEventId?: string): () => void {
    if (lastEventId !== undefined) {
      for (const event of this.missed(subscription, lastEventId)) listener(event)
    }
    this.listeners.set(listener, subscription)
    return () => this.listeners.delete(listener)
  }

  private missed(subscription: Subscription, lastEventId: string): LiveEvent[] {
    const [epoch, raw] = lastEventId.split('-')
    const seq = Number(raw)
    const oldest = this.recent[0]?.seq ?? this.sequence + 1
    // Another process's id, or older than what is kept (the browser may have missed dropped events): re-read.
    if (epoch !== this.epoch || !Number.isInteger(seq) || seq < oldest - 1 || seq > this.sequence) {
      return [{id: this.nextId().id, type: 'resync'}]
    }
    return this.recent
      .filter((item) => item.seq > seq && item.event.change.locale === subscription.locale && item.event.change.article === subscription.article)
      .map((item) => item.event)
  }

  get watchers(): number {
    return this.listeners.size
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retry)
    for (const listener of this.listeners.keys()) this.listeners.delete(listener)
    await this.client?.end().catch(() => undefined)
    this.client = undefined
  }
}
