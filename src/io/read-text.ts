// Reads a user-supplied text file and refuses what is not usable text, with
// an error naming the file and the fix. Everything downstream gets a string.
import {readFile, stat} from 'node:fs/promises'
import {fromSystemError, PasserelleError} from '../errors.ts'

export interface ReadTextOptions {
  /** Refuse files over this many bytes (default 5 MiB: a long article is ~100 KB). */
  maxBytes?: number
  /** Name to use in messages (default: the path). */
  display?: string
}

export const defaultMaxBytes = 5 * 1024 * 1024

const utf8 = new TextDecoder('utf-8', {fatal: true})

export async function readTextFile(path: string, options: ReadTextOptions = {}): Promise<string> {
  const display = options.display ?? path
  const maxBytes = options.maxBytes ?? defaultMaxBytes
  const info = await stat(path).catch((error: unknown) => {
    throw fromSystemError(error, display) ?? new PasserelleError('E_INPUT', 'cannot read file', {file: display, hint: 'check the path', cause: error})
  })
  if (info.size > maxBytes) {
    throw new PasserelleError('E_TOO_LARGE', `file is ${info.size} bytes, over the ${maxBytes}-byte limit`, {
      file: display,
      hint: 'split the article into smaller files'
    })
  }
  // A folder passes stat and fails here with EISDIR.
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fromSystemError(error, display) ?? error
  })
  return decodeText(bytes, display)
}

export function decodeText(bytes: Uint8Array, display: string): string {
  if (bytes.includes(0)) {
    throw new PasserelleError('E_BINARY', 'file contains NUL bytes: it looks binary, not text', {
      file: display,
      hint: 'give a UTF-8 text or Markdown file'
    })
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch (error) {
    throw new PasserelleError('E_ENCODING', 'file is not valid UTF-8', {
      file: display,
      hint: 're-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
      cause: error
    })
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') {
    throw new PasserelleError('E_EMPTY', 'file is empty', {file: display, hint: 'add content or remove the file'})
  }
  return text.normalize('NFC')
}
