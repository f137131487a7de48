// Shape limits checked on the raw Markdown before remark sees it. remark's
// block parser is super-linear in nesting depth (an 800-level list takes
// 28 s, 10,000 levels overflow the stack), so depth is refused up front with
// the line to fix; an unclosed front matter block would otherwise be
// translated as body text.
import {PasserelleError} from '../errors.ts'

/** Deepest nesting of block quotes and lists an article may have (real articles use fewer than 10). */
export const maxNestingDepth = 64
/** Longest segment, in characters: DeepL takes at most 128 KiB a request, reviewers far less. */
export const maxSegmentChars = 30_000

// The container prefix of a line: indentation, `>` markers and list markers.
const containerPrefix = /^(?:[ \t]|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))*/

/** Throws `E_TOO_DEEP` naming the first line nested deeper than `maxNestingDepth`. */
export function checkNesting(markdown: string, file?: string): void {
  let line = 0
  for (const text of markdown.split('\n')) {
    line++
    const prefix = containerPrefix.exec(text)?.[0] ?? ''
    if (prefix.length < maxNestingDepth) continue
    let depth = 0
    let columns = 0
    for (const char of prefix) {
      if (char === ' ') columns += 1
      else if (char === '\t') columns += 4
      else if (char === '>') depth++
    }
    depth += (prefix.match(/(?:[-*+]|\d{1,9}[.)])(?=[ \t])/g) ?? []).length
    // Two columns of indentation per list level, as a `- ` list indents.
    depth += Math.floor(columns / 2)
    if (depth > maxNestingDepth) {
      throw new PasserelleError('E_TOO_DEEP', `line ${line} is nested about ${depth} levels deep (lists or > quotes), over the limit of ${maxNestingDepth}`, {
        file,
        hint: 'flatten the nesting; past a few levels readers are lost too'
      })
    }
  }
}

/** Throws `E_FRONTMATTER` when the file opens a front matter block (`---`) and never closes it. */
export function checkFrontmatterClosed(markdown: string, file?: string): void {
  if (!/^---[ \t]*\r?\n/.test(markdown)) return
  if (/\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.test(markdown.slice(3))) return
  throw new PasserelleError('E_FRONTMATTER', 'front matter opened with --- on line 1 is never closed', {
    file,
    hint: 'add a --- line after the last field'
  })
}

/** Throws `E_TOO_LONG` for a segment over `maxSegmentChars`. */
export function checkSegmentLength(text: string, line: number | undefined, file?: string): void {
  if (text.length <= maxSegmentChars) return
  throw new PasserelleError('E_TOO_LONG', `the sentence${line ? ` starting on line ${line}` : ''} is ${text.length} characters long, over the limit of ${maxSegmentChars}`, {
    file,
    hint: 'break it into sentences or paragraphs'
  })
}
