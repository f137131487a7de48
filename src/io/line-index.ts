// Character offset → 1-based line number, for parse errors that name a line.
export function lineIndex(text: string): (offset: number) => number {
  const position = positionIndex(text)
  return (offset) => position(offset).line
}

/** Character offset → 1-based line and column (columns count UTF-16 code units from the line start). */
export function positionIndex(text: string): (offset: number) => {line: number; column: number} {
  const starts = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((starts[middle] ?? 0) <= offset) low = middle
      else high = middle - 1
    }
    return {line: low + 1, column: offset - (starts[low] ?? 0) + 1}
  }
}
