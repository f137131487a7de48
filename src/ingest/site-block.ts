// The site navigation that scraped pages share. The scraper copied the same
// menu to the top of every page; it is recognised by comparing pages, kept
// once as `_site`, and stripped from every article.

/**
 * The longest run of leading lines shared by at least two pages and by more
 * than half of them. Requiring a majority (not just two) keeps two articles
 * with the same title in a batch of four or more from turning that title into
 * "navigation". Empty when no such run exists.
 */
export function findSharedBlock(pages: readonly (readonly string[])[]): string[] {
  const needed = Math.max(2, Math.floor(pages.length / 2) + 1)
  // A majority is unique, so one group of pages is followed line by line.
  let group = pages.map((_, index) => index)
  for (let depth = 0; ; depth++) {
    const byLine = new Map<string, number[]>()
    for (const index of group) {
      const line = pages[index]?.[depth]
      if (line === undefined) continue
      const members = byLine.get(line)
      if (members) members.push(index)
      else byLine.set(line, [index])
    }
    const majority = [...byLine.values()].find((members) => members.length >= needed)
    if (majority === undefined) return pages[group[0] ?? 0]?.slice(0, depth) ?? []
    group = majority
  }
}

export function startsWithBlock(lines: readonly string[], block: readonly string[]): boolean {
  return block.length > 0 && block.length <= lines.length && block.every((line, index) => lines[index] === line)
}

/**
 * The menu as the scraper left it, tidied: lone `-` separators dropped, a
 * label glued to its teaser (`Qui sommes nousL'Organisation…` after the label
 * line `Qui sommes nous`) reduced to the teaser, and consecutive duplicate
 * lines (`Structure` / `Structure`) kept once.
 */
export function cleanSiteLines(lines: readonly string[]): string[] {
  const cleaned: string[] = []
  for (const line of lines) {
    if (line === '-') continue
    const previous = cleaned.at(-1)
    if (line === previous) continue
    const teaser = previous !== undefined && line.startsWith(previous) ? line.slice(previous.length) : ''
    cleaned.push(/^\p{Lu}/u.test(teaser) ? teaser : line)
  }
  return cleaned
}

/**
 * How many leading lines of a page make up the navigation known from
 * `_site.md` (given as its block texts), or 0. Lines are compared by text,
 * list markers aside, so a hand-tidied `_site.md` still matches.
 */
export function matchKnownBlock(lines: readonly string[], siteTexts: readonly string[]): number {
  if (siteTexts.length === 0) return 0
  // Doubled labels and separators make the raw block at most ~3 times the cleaned one.
  for (let length = Math.min(lines.length, 3 * siteTexts.length + 3); length > 0; length--) {
    const texts = cleanSiteLines(lines.slice(0, length)).map((line) => (line.startsWith('- ') ? line.slice(2).trim() : line))
    if (texts.length === siteTexts.length && texts.every((text, index) => text === siteTexts[index])) return length
  }
  return 0
}
