// Segment text ↔ Apertium's stream format, written and read here instead of
// by a deformatter process (`apertium -f html` runs Transfuse's tf-extract and
// tf-inject around the pipeline, two more processes and a temporary database
// per batch). We produce what tf-extract produces for our markup:
//   - reserved characters escaped with a backslash (`\[`, `\^`, `\<`, `\@`…);
//   - a paired tag as a word-bound blank around its content, `[[t:b:1]]site officiel[[/]]`,
//     which the pipeline attaches to each word and carries through reordering;
//   - a self-closing tag as a superblank, `[t:p:3]`, which stays in place;
//   - a full stop and an empty superblank at the end (`.[]`), so that the
//     tagger and transfer see a sentence end; it is removed from the output.
// Each segment is one null-terminated block headed by `[s<n>]`, so that a
// block that comes back out of place is noticed rather than mis-filed.
// The output is turned into the `<b data-t>` HTML that fromApertiumHtml
// already knows how to merge (a span copied onto several words becomes one).

const reserved = /[\\[\]{}^$@/<>]/g

/** Tagged segment text (`<1>…</1>`, `<2/>`, `&lt;`, `&amp;`) → one stream block for segment `n` (without its null). */
export function toApertiumStream(tagged: string, n: number): string {
  let out = `[s${n}]`
  for (const part of tagged.split(/(<\/?\d+\/?>|&lt;|&amp;)/)) {
    const tag = /^<(\/?)(\d+)(\/?)>$/.exec(part)
    if (tag) out += tag[3] ? `[t:p:${tag[2]}]` : tag[1] ? '[[/]]' : `[[t:b:${tag[2]}]]`
    else if (part === '&lt;') out += '\\<'
    else if (part === '&amp;') out += '&'
    else out += part.replace(reserved, '\\$&')
  }
  return `${out}.[]\n`
}

export interface StreamBlock {
  /** The segment number from the block's `[s<n>]` head, or undefined when the head is missing. */
  n: number | undefined
  /** The block as `<b data-t>` HTML, unknown-word markers still in (see markers.ts). */
  html: string
}

/** One output block of the pipeline → its segment number and `<b data-t>` HTML. */
export function fromApertiumStream(block: string): StreamBlock {
  const head = /^\s*\[s(\d+)\]/.exec(block)
  let body = head ? block.slice(head[0].length) : block
  // The full stop we added, and the blank after it.
  body = body.replace(/\.?\[\]\s*$/, '')
  let html = ''
  let index = 0
  while (index < body.length) {
    const char = body[index]!
    if (char === '\\' && index + 1 < body.length) {
      html += escapeHtml(body[index + 1]!)
      index += 2
    } else if (body.startsWith('[[', index)) {
      const end = closing(body, index + 2, ']]')
      const inside = body.slice(index + 2, end)
      index = end + 2
      if (inside === '/') continue
      // `[[t:b:1; t:b:3]]word[[/]]`: the word carries every span around it.
      const numbers = [...inside.matchAll(/t:b:(\d+)/g)].map((match) => match[1]!)
      const close = body.indexOf('[[/]]', index)
      const word = close < 0 ? body.slice(index) : body.slice(index, close)
      index = close < 0 ? body.length : close + 5
      html += numbers.map((number) => `<b data-t="${number}">`).join('') + unescape(word) + '</b>'.repeat(numbers.length)
    } else if (char === '[') {
      const end = closing(body, index + 1, ']')
      const point = /^t:p:(\d+)$/.exec(body.slice(index + 1, end))
      // A point tag; any other superblank (the empty ones the pipeline adds) holds nothing of ours.
      if (point) html += `<br data-t="${point[1]}">`
      index = end + 1
    } else {
      html += escapeHtml(char)
      index++
    }
  }
  return {n: head ? Number(head[1]) : undefined, html}
}

/** Where a blank opened before `from` closes, skipping escaped characters. */
function closing(text: string, from: number, mark: string): number {
  for (let index = from; index < text.length; index++) {
    if (text[index] === '\\') index++
    else if (text.startsWith(mark, index)) return index
  }
  return text.length
}

function unescape(text: string): string {
  return text.replace(/\\(.)|[<>&]/gs, (whole, escaped?: string) => escapeHtml(escaped ?? whole))
}

function escapeHtml(char: string): string {
  return char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : char
}
