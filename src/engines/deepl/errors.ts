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

/**
 * The HTTP status behind a deepl-node error, as its classes tell it:
 * deepl-node's checkStatusCode turns 403, 456, 429 and a glossary's 404 into
 * their own classes, and every other status into a plain DeepLError that does
 * not carry the status (only its message text does, which is not an API).
 */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof AuthorizationError) return 403
  if (error instanceof QuotaExceededError) return 456
  if (error instanceof TooManyRequestsError) return 429
  if (error instanceof GlossaryNotFoundError) return 404
  return undefined
}

/**
 * Worth another try after deepl-node's own retries: rate limiting only.
 * deepl-node has already retried 5xx answers and the connection errors it
 * marks `shouldRetry`; a plain DeepLError that still reaches us is a refusal
 * or a lasting failure, and retrying a refusal only delays the report.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof TooManyRequestsError
}

export function toPasserelleError(error: unknown, context: ErrorContext): PasserelleError {
  if (error instanceof PasserelleError) return error
  const attempts = context.attempts && context.attempts > 1 ? ` after ${context.attempts} attempts` : ''
  const make = (code: ErrorCode, message: string, hint?: string) =>
    new PasserelleError(code, redact(message, context.secrets), hint === undefined ? {} : {hint})
  const text = error instanceof Error ? reason(error.message) : reason(String(error))

  if (error instanceof ConnectionError) {
    return make('E_NETWORK', `cannot reach DeepL at ${safeUrl(context.serverUrl)}: ${text}`, networkHint)
  }
  if (error instanceof AuthorizationError) {
    return make(
      'E_AUTH',
      'DeepL refused the API key (HTTP 403)',
      'check DEEPL_AUTH_KEY: it must be a DeepL API key (Account → API Keys); keys ending in ":fx" are for the free API'
    )
  }
  if (error instanceof QuotaExceededError) {
    return make(
      'E_QUOTA',
      'DeepL character quota for this billing period is used up (HTTP 456)',
      'what was translated is saved; raise the limit or wait for the next period, then run again: only what is left is sent'
    )
  }
  if (error instanceof TooManyRequestsError) {
    return make('E_RATE_LIMIT', `DeepL is rate-limiting requests (HTTP 429)${attempts}`, 'wait a few minutes and run again; what was translated is saved')
  }
  if (error instanceof DeepLError) {
    // A status deepl-node has no class for (400, 404, 5xx after its retries): its text is shown, never parsed.
    return make(
      'E_ENGINE',
      `DeepL could not serve the request: ${text}`,
      'what was translated is saved; run again later, and if it persists check https://www.deeplstatus.com and DEEPL_SERVER_URL'
    )
  }
  return make('E_ENGINE', `DeepL error: ${text}`)
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
