// Reads a user-supplied text file and refuses what is not usable text, with
// an error naming the file and the fix. Everything downstream gets a string.
//
// Exchange files from CAT and termbase tools are not always UTF-8: OmegaT and
// the TMX Compliance Kit write UTF-16 with a byte-order mark, some TBX files
// declare a Windows code page in their XML declaration. `encoding: 'xml'`
// honours both (BOM first, then the declaration, as XML 1.0 appendix F says);
// plain text (Markdown, YAML, CSV) accepts UTF-8 with or without BOM and
// UTF-16 with a BOM.
import {readFile, realpath, stat} from 'node:fs/promises'
import {isAbsolute, relative} from 'node:path'
import {fromSystemError, PasserelleError} from '../errors.ts'

export interface ReadTextOptions {
  /** Refuse files over this many bytes (default 5 MiB: a long article is ~100 KB). */
  maxBytes?: number
  /** Name to use in messages (default: the path). */
  display?: string
  /** Refuse a file that is, or lies behind, a symbolic link leading outside this folder (the project). */
  within?: string
  /** 'xml' also honours the encoding named in an XML declaration. */
  encoding?: 'text' | 'xml'
  /** What to say when the file is too large (default: split the article). */
  tooLargeHint?: string
}

export const defaultMaxBytes = 5 * 1024 * 1024

export async function readTextFile(path: string, options: ReadTextOptions = {}): Promise<string> {
  const display = options.display ?? path
  const maxBytes = options.maxBytes ?? defaultMaxBytes
  const info = await stat(path).catch((error: unknown) => {
    throw fromSystemError(error, display) ?? new PasserelleError('E_INPUT', 'cannot read file', {file: display, hint: 'check the path', cause: error})
  })
  // Reading a FIFO blocks until a writer comes; a device may never end.
  if (!info.isFile()) {
    throw new PasserelleError('E_NOT_FILE', `not a regular file (${kindOf(info)}): skipped`, {file: display, hint: 'replace it with a regular text file or remove it'})
  }
  if (options.within !== undefined) {
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
  // A folder passes stat and fails here with EISDIR.
  const bytes = await readFile(path).catch((error: unknown) => {
    throw fromSystemError(error, display) ?? error
  })
  return decodeText(bytes, display, {encoding: options.encoding})
}

interface Detected {
  label: string
  /** Bytes of byte-order mark to skip. */
  skip: number
}

/** The encoding a byte-order mark, or an XML document's first bytes, announce. */
export function sniffEncoding(bytes: Uint8Array): Detected | undefined {
  const [a, b, c, d] = bytes
  if (a === 0xef && b === 0xbb && c === 0xbf) return {label: 'utf-8', skip: 3}
  if (a === 0xff && b === 0xfe) return {label: 'utf-16le', skip: 2}
  if (a === 0xfe && b === 0xff) return {label: 'utf-16be', skip: 2}
  // UTF-16 without BOM but starting with "<?" (XML 1.0 appendix F).
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return {label: 'utf-16le', skip: 0}
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return {label: 'utf-16be', skip: 0}
  return undefined
}

/** The `encoding` pseudo-attribute of an XML declaration, read as ASCII. */
export function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1')
  const declaration = /^<\?xml\s[^?]*?\bencoding\s*=\s*(["'])([A-Za-z][\w.:-]*)\1/.exec(head)
  return declaration?.[2]?.toLowerCase()
}

const utf8Labels = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'unicode-1-1-utf-8'])

export function decodeText(bytes: Uint8Array, display: string, options: {encoding?: 'text' | 'xml'} = {}): string {
  const sniffed = sniffEncoding(bytes)
  let label = sniffed?.label ?? 'utf-8'
  if (!sniffed && options.encoding === 'xml') {
    const declared = declaredXmlEncoding(bytes)
    if (declared && !utf8Labels.has(declared)) label = declared
  }
  const body = bytes.subarray(sniffed?.skip ?? 0)
  // NUL bytes are legitimate in UTF-16; elsewhere they mean a binary file.
  if (!label.startsWith('utf-16') && body.includes(0)) {
    throw new PasserelleError('E_BINARY', 'file contains NUL bytes: it looks binary, not text', {
      file: display,
      hint: 'give a UTF-8 text or Markdown file'
    })
  }
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(label, {fatal: true})
  } catch (error) {
    throw new PasserelleError('E_ENCODING', `file declares the encoding "${label}", which cannot be read`, {
      file: display,
      hint: `re-save it as UTF-8 (e.g. iconv -f ${label} -t utf-8) and change its XML declaration to encoding="UTF-8"`,
      cause: error
    })
  }
  let text: string
  try {
    text = decoder.decode(body)
  } catch (error) {
    const fromLabel = label === 'utf-8' ? 'latin1' : label
    throw new PasserelleError('E_ENCODING', `file is not valid ${label === 'utf-8' ? 'UTF-8' : label}`, {
      file: display,
      hint: `re-save it as UTF-8 (e.g. iconv -f ${fromLabel} -t utf-8)`,
      cause: error
    })
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (label !== 'utf-8' && options.encoding === 'xml') {
    // The string is now Unicode: a declaration naming the old encoding would mislead the next reader.
    text = text.replace(/^(<\?xml\s[^?]*?\bencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2')
  }
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
