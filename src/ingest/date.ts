// The date a page states for itself. Rule: the first full French date
// (day, month name, year) in the title, else in the lead paragraph when that
// lead is a press-release dateline (`Belgique - …`, `Genève, le 3 mai 2017 – …`).
// A date elsewhere is about what the text discusses, not when it was
// published: `résolution 58/208 du 23 décembre 2003` in a lead without a
// dateline, or `Date d’établissement : 2006`, give no date. A day without a
// year (`(20-24/11)`) or a year alone gives none either: no date is invented.
// For a range (`les 16 et 17 novembre 2017`) the first day counts.
import {isRealDate} from './frontmatter.ts'

const months: Record<string, number> = {
  janvier: 1,
  février: 2,
  fevrier: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  août: 8,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  décembre: 12,
  decembre: 12
}

const month = `(${Object.keys(months).join('|')})`
const day = '(\\d{1,2})(?:er)?'
// `20 juin 2017`, `1er juin 2017`, `16 et 17 novembre 2017`, `16-17 novembre 2017`,
// `30 novembre au 2 décembre 2017`.
const fullDate = new RegExp(
  `(?<!\\d)${day}(?:\\s+${month})?(?:\\s*(?:et|au|à|-|–)\\s*\\d{1,2}(?:er)?)?\\s+${month}\\s+(\\d{4})(?!\\d)`,
  'giu'
)

// A place (possibly hyphenated, possibly with `, le <date>`) then a spaced dash.
const dateline = /^\p{Lu}[^.!?:;]{0,60}?\s[-–—]\s/u

/** ISO date of the first full date in `text`, or undefined. */
export function findFullDate(text: string): string | undefined {
  for (const match of text.matchAll(fullDate)) {
    const [, dayText = '', startMonth, endMonth = '', yearText = ''] = match
    const monthNumber = months[(startMonth ?? endMonth).toLowerCase()]
    const endMonthNumber = months[endMonth.toLowerCase()]
    if (monthNumber === undefined || endMonthNumber === undefined) continue
    // `31 décembre au 2 janvier 2018` starts the year before.
    const year = Number(yearText) - (monthNumber > endMonthNumber ? 1 : 0)
    const iso = `${String(year).padStart(4, '0')}-${pad(monthNumber)}-${pad(Number(dayText))}`
    if (isRealDate(iso)) return iso
  }
  return undefined
}

export function isDateline(paragraph: string): boolean {
  return dateline.test(paragraph)
}

/** The publication date a page states, by the rule above. */
export function statedDate(title: string, lead: string | undefined): string | undefined {
  return findFullDate(title) ?? (lead !== undefined && isDateline(lead) ? findFullDate(lead) : undefined)
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
