// Reads a user-supplied text file and refuses what is not usable text, with
// an error naming the file and the fix. Everything downstream gets a string.
import {readFile, realpath, stat} from 'node:fs/promises'
import {relative, isAbsolute} from 'node:path'
import {PasserelleError} from '../errors.ts'

export interface ReadTextOptions {
  /** Refuse files over this many bytes (default 5 MiB: a long article is ~100 KB). */
  maxBytes?: number
  /** Name to use in messages (default: the path). */
  display?: string
  /** Refuse a file that is, or lies behind, a symbolic link leading outside this folder (the project). */
  within?: string
  /** What to tell the user when the file is over `maxBytes` (default: split the article). */
  tooLargeHint?: string
}

export const defaultMaxBytes = 5 * 1024 * 1024

const utf8 = new TextDecoder('utf-8', {fatal: true})

export async function readTextFile(path: string, options: ReadTextOptions = {}): Promise<string> {
  const display = options.display ?? path
  const maxBytes = options.maxBytes ?? defaultMaxBytes
  const info = await stat(path).catch((error: unknown) => {
    throw new PasserelleError('E_INPUT', 'cannot read file', {file: display, hint: 'check the path', cause: error})
  })
  // Reading a FIFO blocks until a writer comes; a device may never end.
  if (!info.isFile()) {
    throw new PasserelleError('E_NOT_FILE', `not a regular file (${kindOf(info)}): skipped`, {file: display, hint: 'replace it with a regular text file or remove it'})
  }
  if (options.within !== undefined && true) {
    const [real, root] = await Promise.all([realpath(path), realpath(options.within)])
    const inside = relative(root, real)
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new PasserelleError('E_OUTSIDE', 'is a symbolic link to a file outside the project: refused', {
        file: display,
        hint: 'copy the file into the project instead of linking to it'
      })
    }
  }
  if (info.size > maxBytes) {
    throw new PasserelleError('E_TOO_LARGE', `file is ${info.size} bytes, over the ${maxBytes}-byte limit`, {
      file: display,
      hint: options.tooLargeHint ?? 'split the article into smaller files'
    })
  }
  return decodeText(await readFile(path), display)
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

function kindOf(info: import('node:fs').Stats): string {
  if (info.isFIFO()) return 'a named pipe'
  if (info.isDirectory()) return 'a folder'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  return 'not a file'
}
