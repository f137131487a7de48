// deepl-node errors → PasserelleError, in one place. Messages are one line
// and never contain the API key: deepl-node's own messages can quote response
// bodies, and its errors hold the axios request (with the Authorization
// header) in `.error`, so neither the text nor the raw error is passed on.
import {
  AuthorizationError,
  ConnectionError,
  DeepLError,
  GlossaryNotFoundError,
  QuotaExceededError,
  TooManyRequestsError
} from 'deepl-node'
import {PasserelleError, type ErrorCode} from '../../errors.ts'
import type {EngineOutput} from '../types.ts'

/**
 * A DeepL fault in the middle of a batch. `done` holds the segments that were
 * translated before it (save them: they are paid for); `pending` the ids that
 * were not. The code is the fault's (`E_QUOTA`, `E_AUTH`, …).
 */
export class DeeplBatchError extends PasserelleError {
  readonly done: EngineOutput[]
  readonly pending: string[]

  constructor(error: PasserelleError, done: EngineOutput[], pending: string[]) {
    super(error.code, error.message, {hint: error.hint})
    this.done = done
    this.pending = pending
  }
}


export interface ErrorContext {
  /** Secrets to keep out of messages (the API key). */
  secrets: readonly string[]
  /** Where requests go, for network messages (credentials in it are dropped). */
  serverUrl?: string
  /** Attempts made, for rate-limit and availability messages. */
  attempts?: number
}

/** The HTTP status behind a deepl-node error, as far as its class and message tell. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof AuthorizationError) return 403
  if (error instanceof QuotaExceededError) return 456
  if (error instanceof TooManyRequestsError) return 429
  if (error instanceof GlossaryNotFoundError) return 404
  if (!(error instanceof DeepLError) || error instanceof ConnectionError) return undefined
  const unexpected = /^Unexpected status code: (\d{3})/.exec(error.message)
  if (unexpected) return Number(unexpected[1])
  if (error.message.startsWith('Service unavailable')) return 503
  if (error.message.startsWith('Bad request')) return 400
  if (error.message.startsWith('Not found')) return 404
  return undefined
}

/** Worth another try after deepl-node's own retries: 429, 529 and 5xx. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error)
  return status !== undefined && (status === 429 || status >= 500)
}

export function toPasserelleError(error: unknown, context: ErrorContext): PasserelleError {
  if (error instanceof PasserelleError) return error
  const attempts = context.attempts && context.attempts > 1 ? ` after ${context.attempts} attempts` : ''
  const status = statusOf(error)
  const make = (code: ErrorCode, message: string, hint?: string) =>
    new PasserelleError(code, redact(message, context.secrets), hint === undefined ? {} : {hint})

  if (error instanceof ConnectionError) {
    return make('E_NETWORK', `cannot reach DeepL at ${safeUrl(context.serverUrl)}: ${reason(error.message)}`, networkHint)
  }
  switch (status) {
    case 403:
      return make(
        'E_AUTH',
        'DeepL refused the API key (HTTP 403)',
        'check DEEPL_AUTH_KEY: it must be a DeepL API key (Account → API Keys); keys ending in ":fx" are for the free API'
      )
    case 456:
      return make(
        'E_QUOTA',
        'DeepL character quota for this billing period is used up (HTTP 456)',
        'what was translated is saved; raise the limit or wait for the next period, then run again: only what is left is sent'
      )
    case 429:
    case 529:
      return make('E_RATE_LIMIT', `DeepL is rate-limiting requests (HTTP ${status})${attempts}`, 'wait a few minutes and run again; what was translated is saved')
    case 502:
    case 503:
    case 504:
      return make('E_NETWORK', `DeepL is unavailable (HTTP ${status})${attempts}`, networkHint)
  }
  const message = error instanceof Error ? error.message : String(error)
  return make('E_ENGINE', `DeepL error: ${reason(message)}`)
}

const networkHint = 'check the connection, DEEPL_SERVER_URL and any proxy, then run again; what was translated is saved'

/** First line, at most 300 characters. */
function reason(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 297)}…` : line
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  return out.replace(/(DeepL-Auth-Key\s+)\S+/gi, '$1[redacted]')
}

function safeUrl(serverUrl: string | undefined): string {
  if (!serverUrl) return 'the DeepL API'
  try {
    const url = new URL(serverUrl)
    return `${url.protocol}//${url.host}`
  } catch {
    return 'the configured DEEPL_SERVER_URL'
  }
}
