// Turns the body lines of a scraped page into blocks: headings, paragraphs
// and lists. The scraped text has no markup, so structure is inferred from the
// shape of lines and what follows them. The rules, in the order applied:
//
// 1. `- x` is a list item; consecutive items form one list; a lone `-`
//    ends a list (two lists in a row stay two lists).
// 2. Tab label: a heading-like item directly followed by a lone `-`
//    (`- Principaux documents` / `-` / `- A/RES/…`) is how the scraper renders
//    tab and accordion titles: it becomes a level-2 heading.
// 3. Lost dash: a heading-like line between two list items is an item whose
//    `- ` the scraper dropped (`Université des Nations Unies (UNU)`).
// 4. Headings: a run of heading-like lines (see `isHeadingLike`) directly
//    followed by running text (see `isSentenceLine`) or a list. One line is a
//    level-2 heading; two are a section heading and its subtitle (levels 2
//    and 3: `Rapport phare sur les ODD de l'OIM` / `Exploiter la mobilité…`);
//    in longer runs (menus) only the last line is a heading. A run followed by
//    anything else (a heading, a separator, an address or contact line, the
//    end of the page) stays paragraphs: postal addresses are short lines too.
// 5. Every other line is a paragraph.
import {isHeadingLike, isSentenceLine, isSeparator, listItemText} from './lines.ts'

export type Block =
  | {kind: 'heading'; depth: 2 | 3; text: string}
  | {kind: 'paragraph'; text: string}
  | {kind: 'list'; items: string[]}

type Token =
  | {kind: 'item'; text: string}
  | {kind: 'label'; text: string}
  | {kind: 'separator'}
  | {kind: 'text'; text: string}

export function linesToBlocks(lines: readonly string[]): Block[] {
  return tokensToBlocks(recoverLostDashes(tokenize(lines)))
}

function tokenize(lines: readonly string[]): Token[] {
  const tokens: Token[] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (isSeparator(line)) {
      tokens.push({kind: 'separator'})
      continue
    }
    const item = listItemText(line)
    if (item === undefined) {
      tokens.push({kind: 'text', text: line})
    } else if (isSeparator(lines[index + 1] ?? '') && isHeadingLike(item)) {
      tokens.push({kind: 'label', text: item})
      index++ // the separator only marked the label
    } else {
      tokens.push({kind: 'item', text: item})
    }
  }
  return tokens
}

function recoverLostDashes(tokens: Token[]): Token[] {
  return tokens.map((token, index) =>
    token.kind === 'text' &&
    tokens[index - 1]?.kind === 'item' &&
    tokens[index + 1]?.kind === 'item' &&
    isHeadingLike(token.text)
      ? {kind: 'item', text: token.text}
      : token
  )
}

function tokensToBlocks(tokens: readonly Token[]): Block[] {
  const blocks: Block[] = []
  let index = 0
  while (index < tokens.length) {
    const token = tokens[index]!
    if (token.kind === 'separator') {
      index++
    } else if (token.kind === 'label') {
      blocks.push({kind: 'heading', depth: 2, text: token.text})
      index++
    } else if (token.kind === 'item') {
      const items: string[] = []
      for (let next = tokens[index]; next?.kind === 'item'; next = tokens[++index]) items.push(next.text)
      blocks.push({kind: 'list', items})
    } else {
      const run: string[] = []
      for (let next = tokens[index]; next?.kind === 'text' && isHeadingLike(next.text); next = tokens[++index]) {
        run.push(next.text)
      }
      if (run.length === 0) {
        blocks.push({kind: 'paragraph', text: token.text})
        index++
      } else {
        blocks.push(...headingRun(run, startsParagraphOrList(tokens[index])))
      }
    }
  }
  return blocks
}

function startsParagraphOrList(token: Token | undefined): boolean {
  return token?.kind === 'item' || (token?.kind === 'text' && isSentenceLine(token.text))
}

function headingRun(run: readonly string[], beforeContent: boolean): Block[] {
  const paragraphs = (texts: readonly string[]): Block[] => texts.map((text) => ({kind: 'paragraph', text}))
  if (!beforeContent) return paragraphs(run)
  const [first, second] = run
  if (run.length === 1 && first !== undefined) return [{kind: 'heading', depth: 2, text: first}]
  if (run.length === 2 && first !== undefined && second !== undefined) {
    return [
      {kind: 'heading', depth: 2, text: first},
      {kind: 'heading', depth: 3, text: second}
    ]
  }
  return [...paragraphs(run.slice(0, -1)), {kind: 'heading', depth: 2, text: run.at(-1) ?? ''}]
}
