// Typed errors with a code, mapped to a one-line message in one place.
// Code problems (API misuse) throw plain errors; problems with the user's
// files, engines or options throw PasserelleError so that the CLI can name
// the file and the fix, and tests can assert the code rather than the text.

export type ErrorCode =
  | 'E_CONFIG' // passerelle.json or an option is invalid
  | 'E_LOCALE' // unknown or unsupported locale
  | 'E_ENCODING' // file is not UTF-8 text
  | 'E_BINARY' // file looks binary
  | 'E_EMPTY' // file has no content
  | 'E_TOO_LARGE' // file is over the size limit
  | 'E_FRONTMATTER' // front matter does not parse
  | 'E_MARKDOWN' // Markdown does not parse or cannot be segmented
  | 'E_GLOSSARY' // glossary file or entry is malformed
  | 'E_BUNDLE' // locale bundle is malformed
  | 'E_ENGINE_MISSING' // engine binary or language pair not installed
  | 'E_ENGINE' // engine failed
  | 'E_RATE_LIMIT' // engine said 429 and retries ran out
  | 'E_QUOTA' // engine quota exceeded (DeepL 456)
  | 'E_AUTH' // engine refused the key (DeepL 403)
  | 'E_NETWORK' // engine unreachable
  | 'E_BUDGET' // run would exceed --max-chars
  | 'E_MISSING' // --strict build found an untranslated segment
  | 'E_XLIFF' // XLIFF file malformed
  | 'E_TMX' // TMX file malformed
  | 'E_TBX' // TBX or CSV glossary file malformed
  | 'E_CONFLICT' // concurrent edit
  | 'E_NOT_FOUND' // no such article, segment or concept
  | 'E_DATABASE' // database unreachable, or its schema does not fit this Passerelle
  | 'E_INPUT' // any other invalid input

export interface PasserelleErrorOptions {
  /** The file the problem is in, relative to the project when possible. */
  file?: string
  /** What the user should do about it. */
  hint?: string
  cause?: unknown
}

export class PasserelleError extends Error {
  override name = 'PasserelleError'
  readonly code: ErrorCode
  readonly file: string | undefined
  readonly hint: string | undefined

  constructor(code: ErrorCode, message: string, options: PasserelleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.code = code
    this.file = options.file
    this.hint = options.hint
  }

  /** `file: message (CODE) — hint`, on one line. */
  toLine(): string {
    const where = this.file ? `${this.file}: ` : ''
    const hint = this.hint ? ` — ${this.hint}` : ''
    return oneLine(`${where}${this.message} (${this.code})${hint}`)
  }
}

export function isPasserelleError(value: unknown, code?: ErrorCode): value is PasserelleError {
  return value instanceof PasserelleError && (code === undefined || value.code === code)
}

/** A one-line description of any thrown value, for batch reports. */
export function describeError(error: unknown, file?: string): string {
  if (error instanceof PasserelleError) {
    return error.file || !file ? error.toLine() : new PasserelleError(error.code, error.message, {file, hint: error.hint}).toLine()
  }
  const message = error instanceof Error ? error.message : String(error)
  return oneLine(`${file ? `${file}: ` : ''}${message}`)
}

/** One problem in a batch, as commands report it: the file (when known), the code, one line of text. */
export interface Failure {
  file?: string
  code?: string
  message: string
}

export function failureOf(error: unknown, file?: string): Failure {
  return {file, code: error instanceof PasserelleError ? error.code : undefined, message: describeError(error, file)}
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
