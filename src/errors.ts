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
  | 'E_TOO_DEEP' // Markdown nested deeper than the parser can take in linear time
  | 'E_TOO_LONG' // one segment is longer than an engine or a reviewer can take
  | 'E_NOT_FILE' // a FIFO, device, socket or folder where a file was expected
  | 'E_OUTSIDE' // a symbolic link leading outside the project
  | 'E_SLUG' // a slug that is not lower-case ASCII letters, digits and hyphens
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
  | 'E_UNPUBLISHED' // --strict build: a segment is held back by the publish gate (QA error, stale, below the publish state)
  | 'E_TEMPLATE' // a publisher's page template does not parse
  | 'E_XLIFF' // XLIFF file malformed
  | 'E_TMX' // TMX file malformed
  | 'E_TBX' // TBX or CSV glossary file malformed
  | 'E_CONFLICT' // concurrent edit
  | 'E_NOT_FOUND' // no such article, segment, concept, file or folder
  | 'E_PERMISSION' // the system refused access to a file (EACCES, EPERM, EROFS)
  | 'E_NO_SPACE' // the disk or quota is full (ENOSPC, EDQUOT)
  | 'E_IS_DIRECTORY' // a folder where a file was expected (EISDIR)
  | 'E_NOT_DIRECTORY' // a file where a folder was expected (ENOTDIR)
  | 'E_DATABASE' // database unreachable, or its schema does not fit this Passerelle
  | 'E_INPUT' // any other invalid input

export interface PasserelleErrorOptions {
  /** The file the problem is in, relative to the project when possible. */
  file?: string
  /** What the user should do about it. */
  hint?: string
  cause?: unknown
  /** 1-based position in `file`, when the problem has one (validators print it). */
  line?: number
  column?: number
}

export class PasserelleError extends Error {
  override name = 'PasserelleError'
  readonly code: ErrorCode
  readonly file: string | undefined
  readonly hint: string | undefined
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(code: ErrorCode, message: string, options: PasserelleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.code = code
    this.file = options.file
    this.hint = options.hint
    this.line = options.line
    this.column = options.column
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

/** What the system said, what it means here, and what to do about it, per errno code. */
const systemErrors: Record<string, {code: ErrorCode; message: string; hint: (path: string) => string}> = {
  EACCES: {code: 'E_PERMISSION', message: 'permission denied', hint: (path) => `check the owner and permissions of ${path} (ls -l), or run as a user who may use it`},
  EPERM: {code: 'E_PERMISSION', message: 'operation not permitted', hint: (path) => `check the owner and permissions of ${path} (ls -l) and whether it is immutable`},
  EROFS: {code: 'E_PERMISSION', message: 'read-only file system', hint: (path) => `${path} is on a read-only file system: work on a writable copy of the project`},
  ENOSPC: {code: 'E_NO_SPACE', message: 'no space left on the device', hint: (path) => `free disk space where ${path} is (df -h), then run again`},
  EDQUOT: {code: 'E_NO_SPACE', message: 'disk quota exceeded', hint: (path) => `free some of your quota where ${path} is, then run again`},
  EISDIR: {code: 'E_IS_DIRECTORY', message: 'is a folder, not a file', hint: (path) => `name a file instead of ${path}`},
  ENOTDIR: {code: 'E_NOT_DIRECTORY', message: 'a part of the path is a file, not a folder', hint: (path) => `check each folder along ${path}: one of them is a file`},
  ENOENT: {code: 'E_NOT_FOUND', message: 'no such file or folder', hint: (path) => `check ${path} (a relative path starts at the current folder)`}
}

/**
 * The PasserelleError for an error the operating system raised (fs, spawn):
 * a code and a hint naming the path, so that every command reports EACCES,
 * ENOSPC, EISDIR… the same way. `path` names the file the operation was on
 * when the caller knows it better than the error (a display name, the target
 * of an atomic write). Undefined for anything else.
 */
export function fromSystemError(error: unknown, path?: string): PasserelleError | undefined {
  if (!(error instanceof Error)) return undefined
  const errno = error as NodeJS.ErrnoException & {dest?: string}
  const known = errno.code === undefined ? undefined : systemErrors[errno.code]
  if (!known) return undefined
  const where = path ?? errno.path ?? errno.dest
  return new PasserelleError(known.code, known.message, {...(where ? {file: where} : {}), hint: known.hint(where ?? 'the path given'), cause: error})
}

/** A thrown value as a PasserelleError when it is one or a system error; otherwise undefined (a bug: keep its text). */
export function asPasserelleError(error: unknown): PasserelleError | undefined {
  return error instanceof PasserelleError ? error : fromSystemError(error)
}

/** A one-line description of any thrown value, for batch reports. */
export function describeError(error: unknown, file?: string): string {
  const known = asPasserelleError(error)
  if (known) {
    return known.file || !file ? known.toLine() : new PasserelleError(known.code, known.message, {file, hint: known.hint}).toLine()
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
  return {file, code: asPasserelleError(error)?.code, message: describeError(error, file)}
}

function oneLine(text: string): string {
  return escapeControls(text.replace(/\s*\n\s*/g, ' ').trim())
}

/**
 * Control characters and bidirectional overrides written visibly (`\x1b`,
 * `\u202e`): a file named with an escape sequence must not drive the terminal
 * that prints its error, nor a name read backwards hide what it is.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const code = char.charCodeAt(0)
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
