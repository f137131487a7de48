// Spanish formal register for Apertium output. Apertium fr→es renders French
// *vous* as *vosotros* (`podéis consultar`, `consultad`, `os`, `vuestro`);
// institutional Spanish addresses readers as *ustedes*. Rather than a list of
// verb forms, the output is analysed with Apertium's own Spanish analyser,
// each second-person-plural reading is rewritten to third person plural
// (imperative → imperative of usted, which the dictionary generates as the
// subjunctive `consulten`), and Apertium's generator spells the new form.
// A form the generator cannot spell is left as the engine wrote it.
import {runLtProc, spanishDictionaries, type LtProcOptions} from './ltproc.ts'

type Piece = string | {surface: string; readings: string[]}

/** Segment text → lt-proc input: tags and entities ride in superblanks, stream metacharacters are escaped. */
export function toStream(text: string): string {
  return text.replace(/(<\/?\d+\/?>|&[a-z]+;|&#\d+;)|([\\[\]^$/@<>{}])/g, (_whole, keep?: string, special?: string) =>
    keep !== undefined ? `[${keep}]` : `\\${special}`
  )
}

// Where the next character the stream format gives a meaning to is: everything up to it is plain text.
const streamSpecial = /[\\[^]/g

/** lt-proc output → blanks (plain text) and lexical units (surface, readings). */
export function parseStream(stream: string): Piece[] {
  const pieces: Piece[] = []
  let text = ''
  let i = 0
  while (i < stream.length) {
    streamSpecial.lastIndex = i
    const found = streamSpecial.exec(stream)
    if (!found) {
      text += stream.slice(i)
      break
    }
    const at = found.index
    if (at > i) text += stream.slice(i, at)
    const c = stream[at]!
    if (c === '\\') {
      text += stream[at + 1] ?? ''
      i = at + 2
    } else if (c === '[') {
      const end = findUnescaped(stream, ']', at + 1)
      text += stream.slice(at + 1, end)
      i = end + 1
    } else {
      const end = findUnescaped(stream, '$', at + 1)
      if (text) pieces.push(text)
      text = ''
      const parts = splitUnescaped(stream.slice(at + 1, end), '/')
      pieces.push({surface: unescape(parts[0] ?? ''), readings: parts.slice(1)})
      i = end + 1
    }
  }
  if (text) pieces.push(text)
  return pieces
}

function findUnescaped(text: string, char: string, from: number): number {
  const end = text.indexOf(char, from)
  const escape = text.indexOf('\\', from)
  // No escape before it (the usual case): the first one is the one.
  if (escape === -1 || (end !== -1 && end < escape)) return end === -1 ? text.length : end
  for (let i = escape; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === char) return i
  }
  return text.length
}

function splitUnescaped(text: string, char: string): string[] {
  if (!text.includes('\\')) return text.split(char)
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      current += text.slice(i, i + 2)
      i++
    } else if (text[i] === char) {
      parts.push(current)
      current = ''
    } else current += text[i]
  }
  parts.push(current)
  return parts
}

function unescape(text: string): string {
  return text.includes('\\') ? text.replace(/\\(.)/g, '$1') : text
}

const verb = /<(vblex|vbmod|vbser|vbhaver|vaux)>/
const secondPlural = /<p2>(<[a-z]+>)*<pl>|<p2><mf><pl>|<p2><pl>/

/**
 * The formal reading of one lexical unit, or undefined when it is not a
 * *vosotros* form. `reflexive` says whether `os` belongs to a following
 * *vosotros* verb (`os registráis` → `se registran`); otherwise it is an
 * object pronoun (`os invitamos` → `les invitamos`).
 */
export function formalReading(readings: readonly string[], reflexive: boolean): string | undefined {
  const first = readings[0]
  if (first === undefined || first.startsWith('*')) return undefined
  // Only unambiguous units: every reading a second-person-plural form.
  if (!readings.every((reading) => secondPlural.test(reading) || /^vuestro</i.test(reading))) return undefined
  const [head, ...clitics] = first.split('+')
  const lemma = head!.slice(0, head!.indexOf('<'))
  const tags = head!.slice(head!.indexOf('<'))
  let out: string
  if (verb.test(tags)) out = lemma + tags.replace('<p2>', '<p3>')
  else if (tags.startsWith('<prn><tn>')) out = matchCase(lemma, 'usted') + '<prn><tn><p3><mf><pl>'
  else if (tags.startsWith('<prn><pro>')) out = reflexive ? matchCase(lemma, 'se') + '<prn><pro><ref><p3><mf><sp>' : matchCase(lemma, 'le') + '<prn><pro><p3><mf><pl>'
  else if (/^vuestro$/i.test(lemma) && /^<(det|adj)><pos>/.test(tags)) out = matchCase(lemma, 'suyo') + '<det><pos><mf>' + (tags.includes('<pl>') ? '<pl>' : '<sg>')
  else return undefined
  // An enclitic `os` on a vosotros imperative (`comprometeos`) is the reflexive: `comprométanse`.
  const formalClitics = clitics.map((clitic) => (/^os<prn><enc>/.test(clitic) ? 'se<prn><enc><ref><p3><mf><sp>' : clitic))
  return [out, ...formalClitics].join('+')
}

function matchCase(model: string, word: string): string {
  return model[0] !== undefined && model[0] !== model[0].toLowerCase() ? word[0]!.toUpperCase() + word.slice(1) : word
}

/** What to generate for each unit of one analysed segment: index → reading. */
export function formalPlan(pieces: readonly Piece[]): Map<number, string> {
  const plan = new Map<number, string>()
  const units = pieces.map((piece, index) => ({piece, index})).filter((item) => typeof item.piece !== 'string')
  units.forEach(({piece, index}, position) => {
    if (typeof piece === 'string') return
    // Most units are not vosotros forms, and `formalReading` says no to them from their first reading alone.
    const first = piece.readings[0]
    if (first === undefined || !(first.includes('<p2>') || /^vuestro</i.test(first))) return
    const next = units[position + 1]?.piece
    const nextIsVosotrosVerb =
      next !== undefined && typeof next !== 'string' && next.readings.some((reading) => verb.test(reading) && secondPlural.test(reading))
    const reading = formalReading(piece.readings, nextIsVosotrosVerb)
    if (reading !== undefined) plan.set(index, reading)
  })
  return plan
}

export interface RegisterResult {
  text: string
  /** Whether anything was rewritten. */
  changed: boolean
}

/** Rewrite *vosotros* forms of Spanish segment texts to *ustedes* forms. */
export async function formalSpanish(texts: readonly string[], options: LtProcOptions = {}): Promise<RegisterResult[]> {
  const analysed = await runLtProc([spanishDictionaries.analyser], texts.map(toStream), options)
  const parsed = analysed.map(parseStream)
  const plans = parsed.map(formalPlan)
  // One generator run for every form to spell, across the batch.
  const requests: string[] = []
  for (const plan of plans) for (const reading of plan.values()) requests.push(`^${reading}$`)
  const generated = await runLtProc(['-g', spanishDictionaries.generator], requests, options)
  let next = 0
  return parsed.map((pieces, segment) => {
    const plan = plans[segment]!
    if (plan.size === 0) return {text: texts[segment]!, changed: false}
    let changed = false
    const text = pieces
      .map((piece, index) => {
        if (typeof piece === 'string') return piece
        if (!plan.has(index)) return piece.surface
        const form = generated[next++]!.replace(/~/g, '').trim()
        // `#`: the generator has no such form; keep the engine's word.
        if (form === '' || form.startsWith('#') || /\s/.test(form)) return piece.surface
        changed = true
        return form
      })
      .join('')
    return {text: changed ? text : texts[segment]!, changed}
  })
}
