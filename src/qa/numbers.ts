// Numbers in running text, read the way each locale writes them:
// `1 000,5` (fr, with any kind of space), `1,000.5` (en), `1.000,5` (es, ca).
// A number is read first with its own locale's conventions (from Intl), then
// with the other common ones, so that the check can tell a value that was
// changed from one that was only written in a foreign format.
import {languageOf, spaceClass} from './text.ts'

export interface NumberToken {
  /** As written, spaces normalised. */
  raw: string
  /** The value in the text's own locale (or the best guess when it is not written the locale's way). */
  value: number
  /** Whether `raw` is a well-formed number in the text's locale. */
  strict: boolean
  /** Every value `raw` can have under the common conventions (its own first). */
  readings: number[]
  /** The month of a numeric date (`24/11`, `16.11.2017`, `2017-11-16`): a translation may spell it out. */
  month: boolean
  /** UTF-16 offsets of the number in the text it was read from. */
  start: number
  end: number
}

interface Convention {
  /** `' '` stands for any space. */
  group: string
  decimal: string
}

const english: Convention = {group: ',', decimal: '.'}
const french: Convention = {group: ' ', decimal: ','}
const continental: Convention = {group: '.', decimal: ','}
/** SI / ISO 80000: space groups, point decimal (`1 000.5`). */
const international: Convention = {group: ' ', decimal: '.'}

const conventionCache = new Map<string, Convention[]>()

/** The locale's own convention (from Intl), then the common others, same decimal mark first. */
function conventionsFor(locale: string): Convention[] {
  const cached = conventionCache.get(locale)
  if (cached) return cached
  let own = french
  try {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5)
    const group = parts.find((part) => part.type === 'group')?.value ?? ''
    const decimal = parts.find((part) => part.type === 'decimal')?.value ?? '.'
    own = {group: new RegExp(`^${spaceClass}$`).test(group) ? ' ' : group, decimal}
  } catch {
    // An invalid locale tag: read numbers the French way, the source language.
  }
  const others = [english, french, continental, international]
    .filter((c) => c.group !== own.group || c.decimal !== own.decimal)
    .sort((a, b) => Number(a.decimal !== own.decimal) - Number(b.decimal !== own.decimal))
  const result = [own, ...others]
  conventionCache.set(locale, result)
  return result
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

const shapes = new Map<Convention, RegExp>()

/** Read `raw` (spaces normalised) under one convention, or `undefined` when it is not well formed there. */
function readAs(raw: string, convention: Convention): number | undefined {
  let shape = shapes.get(convention)
  if (!shape) {
    const g = escape(convention.group)
    const d = escape(convention.decimal)
    shape = new RegExp(`^(\\d+|\\d{1,3}(?:${g}\\d{3})+)(?:${d}(\\d+))?$`)
    shapes.set(convention, shape)
  }
  const match = shape.exec(raw)
  if (!match) return undefined
  const integer = (match[1] ?? '').split(convention.group).join('')
  return Number(match[2] === undefined ? integer : `${integer}.${match[2]}`)
}

const space = new RegExp(`^${spaceClass}$`)

/**
 * The numbers in `text` (plain text, do-not-translate items already masked).
 * Digit runs joined by `.` or `,` form one number; by a space, only when the
 * next run is a 3-digit group (`1 000`, not `2017 150`). A string no
 * convention reads (`16.11.2017`, `1.2.3`) counts as its digit runs.
 */
export function extractNumbers(text: string, locale: string): NumberToken[] {
  // Most segments have no digit at all.
  if (!/\d/.test(text)) return []
  const conventions = conventionsFor(locale)
  const runs = [...text.matchAll(/\d+/g)].map((m) => ({start: m.index, end: m.index + m[0].length, digits: m[0]}))
  const groups: {raw: string; runs: typeof runs}[] = []
  for (const run of runs) {
    const current = groups.at(-1)
    const last = current?.runs.at(-1)
    if (current && last && run.start === last.end + 1) {
      const gap = text.charAt(last.end)
      const spaceGroup =
        space.test(gap) &&
        run.digits.length === 3 &&
        (current.runs.length === 1 ? last.digits.length <= 3 : last.digits.length === 3 && !/[.,]/.test(current.raw))
      if (gap === '.' || gap === ',' || spaceGroup) {
        current.raw += (space.test(gap) ? ' ' : gap) + run.digits
        current.runs.push(run)
        continue
      }
    }
    groups.push({raw: run.digits, runs: [run]})
  }

  const tokens: (NumberToken & {gapBefore: string})[] = []
  let previousEnd = 0
  for (const group of groups) {
    const readings = [...new Set(conventions.map((c) => readAs(group.raw, c)).filter((v) => v !== undefined))]
    const first = group.runs[0]!
    if (readings.length > 0) {
      const strict = readAs(group.raw, conventions[0]!) !== undefined
      const end = group.runs.at(-1)!.end
      tokens.push({raw: group.raw, value: readings[0]!, strict, readings, month: false, start: first.start, end, gapBefore: text.slice(previousEnd, first.start)})
    } else {
      let before = previousEnd
      for (const run of group.runs) {
        const value = Number(run.digits)
        tokens.push({raw: run.digits, value, strict: true, readings: [value], month: false, start: run.start, end: run.end, gapBefore: text.slice(before, run.start)})
        before = run.end
      }
    }
    previousEnd = group.runs.at(-1)!.end
  }
  markMonths(tokens)
  return tokens.map(({gapBefore: _, ...token}) => token)
}

/** `24/11`, `16.11.2017` (day, month) and `2017-11-16` (year, month, day). */
function markMonths(tokens: (NumberToken & {gapBefore: string})[]): void {
  for (let i = 1; i < tokens.length; i++) {
    const previous = tokens[i - 1]!
    const token = tokens[i]!
    const isSmall = (t: NumberToken, max: number) => /^\d{1,2}$/.test(t.raw) && t.value >= 1 && t.value <= max
    if ((token.gapBefore === '/' || token.gapBefore === '.') && isSmall(previous, 31) && isSmall(token, 12)) token.month = true
    if (token.gapBefore === '-' && /^\d{4}$/.test(previous.raw) && isSmall(token, 12)) token.month = true
  }
}

/** How `value` is written in `locale` (for messages). */
export function formatNumber(value: number, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, {maximumFractionDigits: 20}).format(value).replace(new RegExp(spaceClass, 'g'), ' ')
  } catch {
    return String(value)
  }
}

const numberWords: Record<string, Record<string, number>> = {
  en: words(
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty',
    {thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, thousand: 1000, million: 1e6, billion: 1e9},
    'first second third fourth fifth sixth seventh eighth ninth tenth'
  ),
  es: words(
    'cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve veinte',
    {un: 1, una: 1, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90, cien: 100, ciento: 100, mil: 1000, primer: 1, primera: 1, segunda: 2, tercer: 3, tercera: 3, millón: 1e6},
    'primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo'
  ),
  ca: words(
    'zero u dos tres quatre cinc sis set vuit nou deu onze dotze tretze catorze quinze setze disset divuit dinou vint',
    {un: 1, una: 1, dues: 2, trenta: 30, quaranta: 40, cinquanta: 50, seixanta: 60, setanta: 70, vuitanta: 80, noranta: 90, cent: 100, mil: 1000, primera: 1, segona: 2, tercera: 3, milió: 1e6},
    'primer segon tercer quart cinquè sisè setè vuitè novè desè'
  ),
  fr: words(
    'zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf vingt',
    {une: 1, trente: 30, quarante: 40, cinquante: 50, soixante: 60, cent: 100, mille: 1000, première: 1, second: 2, seconde: 2, million: 1e6},
    'premier deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième'
  )
}

function words(cardinals: string, extra: Record<string, number>, ordinals: string): Record<string, number> {
  const table: Record<string, number> = {...extra}
  cardinals.split(' ').forEach((word, index) => (table[word] = index))
  ordinals.split(' ').forEach((word, index) => (table[word] = index + 1))
  return table
}

/** A word of `text` that spells `value` in `locale` (`two`, `primera`), if any. */
export function findNumberWord(text: string, value: number, locale: string): string | undefined {
  const table = numberWords[languageOf(locale)]
  if (!table) return undefined
  for (const word of text.toLowerCase().match(/[\p{L}-]+/gu) ?? []) {
    for (const part of [word, ...word.split('-')]) {
      if (table[part] === value) return part
    }
  }
  return undefined
}

const monthCache = new Map<string, string[][]>()

/** Whether `text` names month `month` (1–12) in `locale`, long or short form. */
export function hasMonthName(text: string, month: number, locale: string): boolean {
  let names = monthCache.get(locale)
  if (!names) {
    names = []
    for (let m = 0; m < 12; m++) {
      const date = new Date(Date.UTC(2017, m, 15))
      const forms = (['long', 'short'] as const).map((style) => {
        try {
          return new Intl.DateTimeFormat(locale, {month: style, timeZone: 'UTC'}).format(date).toLowerCase().replace(/\.$/, '')
        } catch {
          return ''
        }
      })
      names.push(forms.filter((form) => form.length >= 3))
    }
    monthCache.set(locale, names)
  }
  const wordsInText = new Set(text.toLowerCase().match(/\p{L}+/gu) ?? [])
  return (names[month - 1] ?? []).some((name) => wordsInText.has(name))
}
