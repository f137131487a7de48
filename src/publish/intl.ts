// Dates and numbers per locale through @formatjs/intl.
import {createIntl, createIntlCache, type IntlShape} from '@formatjs/intl'

const cache = createIntlCache()
const intls = new Map<string, IntlShape>()

export function intlFor(locale: string): IntlShape {
  let intl = intls.get(locale)
  if (!intl) {
    intl = createIntl({locale, defaultLocale: 'fr', messages: {}, onError: () => {}}, cache)
    intls.set(locale, intl)
  }
  return intl
}

/** A front-matter date (`2017-11-17`, or a Date from YAML) as a calendar day, or undefined. */
export function parseDay(value: unknown): Date | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** `16 novembre 2017`, `November 16, 2017` (en), `16 November 2017` (en-GB), `16 de noviembre de 2017`. */
export function formatDay(date: Date, locale: string): string {
  return intlFor(locale).formatDate(date, {dateStyle: 'long', timeZone: 'UTC'})
}

/**
 * A share as a whole percentage that never claims more than is true: 390/391
 * is `99 %`, not `100 %`, and 1/1000 is `1 %`, not `0 %`. Only all is 100 and
 * only none is 0.
 */
export function formatPercent(part: number, total: number, locale: string): string {
  const ratio = total === 0 ? 1 : part / total
  const shown = ratio <= 0 ? 0 : ratio >= 1 ? 1 : Math.min(0.99, Math.max(0.01, Math.floor(ratio * 100) / 100))
  return intlFor(locale).formatNumber(shown, {style: 'percent', maximumFractionDigits: 0})
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}
