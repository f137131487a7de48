import {describe, expect, it} from 'vitest'
import {declaredXmlEncoding, decodeText} from '../src/io/read-text.ts'
import {isPasserelleError} from '../src/errors.ts'

const xml = '<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>Été à l’OIM</seg></tuv></tu></body></tmx>\n'

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le')
  const be = Buffer.alloc(le.length)
  for (let index = 0; index < le.length; index += 2) {
    be[index] = le[index + 1]!
    be[index + 1] = le[index]!
  }
  return be
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run()
  } catch (error) {
    return isPasserelleError(error) ? error.code : 'not a PasserelleError'
  }
  return undefined
}

describe('decodeText', () => {
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeText(Buffer.from('Été'), 'a.md')).toBe('Été')
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Été')]), 'a.md')).toBe('Été')
  })

  it('reads UTF-16 LE and BE with a byte-order mark, in text and XML mode', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')])
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(xml)])
    for (const bytes of [le, be]) {
      const text = decodeText(bytes, 'm.tmx', {encoding: 'xml'})
      expect(text).toContain('Été à l’OIM')
      // The declaration no longer names an encoding the string is not in.
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
      expect(decodeText(bytes, 'm.csv')).toContain('Été à l’OIM')
    }
  })

  it('reads UTF-16 without a byte-order mark when the document starts with an XML declaration', () => {
    expect(decodeText(Buffer.from(xml, 'utf16le'), 'm.tmx', {encoding: 'xml'})).toContain('Été')
    expect(decodeText(utf16be(xml), 'm.tmx', {encoding: 'xml'})).toContain('Été')
  })

  it('honours a single-byte encoding named in the XML declaration', () => {
    const declared = '<?xml version="1.0" encoding="windows-1254"?><martif><text>ğış é</text></martif>'
    const bytes = encodeWindows1254(declared)
    expect(declaredXmlEncoding(bytes)).toBe('windows-1254')
    expect(decodeText(bytes, 't.tbx', {encoding: 'xml'})).toContain('ğış é')
    // Without XML mode the same bytes are not UTF-8: a clear refusal, not mojibake.
    expect(codeOf(() => decodeText(bytes, 't.tbx'))).toBe('E_ENCODING')
  })

  it('refuses an encoding it cannot decode with the re-save instruction', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="x-no-such-thing"?><a/>')
    expect(codeOf(() => decodeText(bytes, 'x.xlf', {encoding: 'xml'}))).toBe('E_ENCODING')
    try {
      decodeText(bytes, 'x.xlf', {encoding: 'xml'})
    } catch (error) {
      expect(isPasserelleError(error) && error.hint).toMatch(/iconv -f x-no-such-thing -t utf-8/)
    }
  })

  it('still refuses NUL bytes outside UTF-16, and empty files', () => {
    expect(codeOf(() => decodeText(Buffer.from([0x61, 0x00, 0x62]), 'b.md'))).toBe('E_BINARY')
    expect(codeOf(() => decodeText(Buffer.from([0xff, 0xfe]), 'e.tmx', {encoding: 'xml'}))).toBe('E_EMPTY')
  })
})

// windows-1254 differs from latin1 only in a few letters; enough for the test.
function encodeWindows1254(text: string): Buffer {
  const special: Record<string, number> = {'ğ': 0xf0, 'ı': 0xfd, 'ş': 0xfe}
  return Buffer.from([...text].map((char) => special[char] ?? char.charCodeAt(0)))
}
