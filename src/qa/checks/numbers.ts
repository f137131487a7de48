// numbers: every number of the source must be in the target with the same
// value, whatever the locale's way of writing it (`1 000,5` fr = `1,000.5` en
// = `1.000,5` es; `3,5 %` = `3.5%`). Years and days inside dates are numbers
// like any other. Digits inside do-not-translate items (phone numbers,
// `A/RES/67/219`, URLs) are left to `dnt-altered`.
//
// error   — a source number is missing, or is written so that a target reader
//           gets another value (`1,5` → `1,5` in English reads as 15)
// warning — the value is there but not in the target locale's format
//           (`1 000,5` left as is in English), a number spelled out in words
//           (`2` → `two`, `1er` → `first`), fewer occurrences than in the
//           source, or a number the source does not have.
// A numeric date's month (`24/11`) may become a month name (`24 November`).
import type {Finding} from '../../types.ts'
import {findNumberWord, formatNumber, hasMonthName, type NumberToken} from '../numbers.ts'
import type {Check} from '../types.ts'

export const numbers: Check = (_input, {source, target}) => {
  const findings: Finding[] = []
  const locale = target.locale
  const used = target.numbers.map(() => false)
  const take = (test: (t: NumberToken) => boolean): NumberToken | undefined => {
    const index = target.numbers.findIndex((t, k) => !used[k] && test(t))
    if (index === -1) return undefined
    used[index] = true
    return target.numbers[index]
  }

  // Same value, written the target locale's way.
  const pending = source.numbers.filter((s) => take((t) => t.strict && t.value === s.value) === undefined)

  const missing: NumberToken[] = []
  for (const s of pending) {
    // Same value in a foreign format: misleading when the target locale reads another number in it.
    const t = take((t) => t.readings.includes(s.value))
    if (!t) {
      missing.push(s)
    } else if (t.strict) {
      findings.push(error(`number ${s.raw} written as '${t.raw}' in target, which reads as ${formatNumber(t.value, locale)} in ${locale}`))
    } else {
      findings.push(warning(`number ${s.raw} written as '${t.raw}' in target; ${locale} writes ${formatNumber(s.value, locale)}`))
    }
  }

  for (const s of missing) {
    const inSource = source.numbers.filter((n) => n.value === s.value).length
    const inTarget = target.numbers.filter((n) => n.readings.includes(s.value)).length
    if (inTarget > 0) {
      findings.push(warning(`number ${s.raw} appears ${inSource} times in source, ${inTarget} in target`))
      continue
    }
    if (s.month && hasMonthName(target.plain, s.value, locale)) continue
    const word = findNumberWord(target.plain, s.value, locale)
    if (word) findings.push(warning(`number ${s.raw} written in words in target ('${word}')`))
    else findings.push(error(`number ${s.raw} missing in target`))
  }

  target.numbers.forEach((t, k) => {
    if (!used[k] && !source.numbers.some((s) => t.readings.includes(s.value))) {
      findings.push(warning(`number ${t.raw} in target is not in source`))
    }
  })
  return findings
}

function error(message: string): Finding {
  return {rule: 'numbers', severity: 'error', message}
}

function warning(message: string): Finding {
  return {rule: 'numbers', severity: 'warning', message}
}
