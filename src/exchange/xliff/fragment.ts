// XLIFF 2 fragment identifiers (`#f=f1/u=1/n=n1`, `#m1`), as the 2.1
// specification's "Fragment Identification" section defines them: the
// syntax, the order of the selectors, and which prefixes are known.

/** Core selectors: file, group, unit, then one leaf (note, data, target-side inline element). */
const corePrefixes = new Set(['f', 'g', 'u', 'n', 'd', 't'])
const leaves = new Set(['n', 'd', 't'])
/**
 * Module prefixes, and the extensions registered with the XLIFF TC
 * (the TBX extension, `urn:iso:std:iso:30042:ed-1:v1:en`). Anything else
 * is an unknown prefix: Passerelle cannot resolve it.
 */
const modulePrefixes = new Set(['mtc', 'gls', 'res', 'ctr', 'slr', 'val', 'mda', 'fs', 'its', 'tbx'])
const nmtoken = /^[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}._\-\u00B7\u2040]+$/u

export interface Selector {
  prefix: string | undefined
  id: string
}

export interface Fragment {
  absolute: boolean
  selectors: Selector[]
}

/** Parse `#…`; returns the fragment, or the reason it is not a valid XLIFF fragment identifier. */
export function parseFragment(value: string): Fragment | string {
  if (!value.startsWith('#')) return 'it does not start with #'
  let body = value.slice(1)
  const absolute = body.startsWith('/')
  if (absolute) body = body.slice(1)
  const parts = body.split('/')
  const selectors: Selector[] = []
  for (const part of parts) {
    const equals = part.indexOf('=')
    if (equals === -1) {
      if (parts.length > 1 || absolute) return `"${part}" has no prefix: only a single relative id may go without one`
      if (!nmtoken.test(part)) return `"${part}" is not an NMTOKEN`
      selectors.push({prefix: undefined, id: part})
      continue
    }
    const prefix = part.slice(0, equals)
    const id = part.slice(equals + 1)
    if (!nmtoken.test(prefix)) return `prefix "${prefix}" is not an NMTOKEN`
    if (!corePrefixes.has(prefix) && prefix.length < 2) return `prefix "${prefix}" is too short (only the core's f, g, u, n, d, t have one letter)`
    if (!corePrefixes.has(prefix) && !modulePrefixes.has(prefix)) return `prefix "${prefix}" is neither a core, a module nor a registered extension prefix`
    if (!nmtoken.test(id)) return `"${id}" is not an NMTOKEN`
    selectors.push({prefix, id})
  }
  // f first and once; u at most once and after f/g; g only before u; a leaf last.
  const seen = new Set<string>()
  for (const [index, {prefix}] of selectors.entries()) {
    if (prefix === undefined) continue
    const last = index === selectors.length - 1
    if (prefix === 'f' && index !== 0) return '"f=" must come first'
    if (prefix === 'u' && seen.has('u')) return '"u=" appears twice'
    if (prefix === 'f' && seen.has('f')) return '"f=" appears twice'
    if (prefix === 'g' && seen.has('u')) return '"g=" cannot come after "u="'
    if ((leaves.has(prefix) || !corePrefixes.has(prefix)) && !last) return `"${prefix}=" selects a leaf and must come last`
    if ((prefix === 'd' || prefix === 't') && index > 0 && !seen.has('u')) return `"${prefix}=" needs "u=" before it`
    seen.add(prefix)
  }
  if (absolute && selectors[0]?.prefix !== 'f') return 'an absolute fragment starts with "f="'
  return {absolute, selectors}
}
