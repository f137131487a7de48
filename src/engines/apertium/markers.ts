// Apertium marks words it could not handle: `*word` unknown to the
// dictionary, `#word` a generation error, `@word` a transfer error. We record
// unknown words for the translator and strip every marker from the text.

const marked = /(^|[^\p{L}\p{N}_])([*#@]+)(?=[\p{L}\p{N}])([\p{L}\p{N}][\p{L}\p{N}'’-]*)?/gu

export function stripMarkers(text: string): {text: string; unknown: string[]} {
  const unknown: string[] = []
  const stripped = text.replace(marked, (_whole, before: string, markers: string, word: string | undefined) => {
    if (markers.includes('*') && word) unknown.push(word)
    return before + (word ?? '')
  })
  return {text: stripped, unknown}
}
