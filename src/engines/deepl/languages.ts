// Passerelle locales → DeepL language codes, and which DeepL targets accept
// `formality`. Pure tables and lookups: no request is made to find out (DeepL's
// `/v2/languages?type=target` would cost one request per run for a list that
// changes a few times a year); both tables can be overridden in the options.
import {PasserelleError} from '../../errors.ts'
import type {Locale} from '../../types.ts'

/** Languages DeepL accepts both as source and target (deepl-node 1.28 `CommonLanguageCode`). */
const commonCodes = [
  'ace', 'af', 'an', 'ar', 'as', 'ay', 'az', 'ba', 'be', 'bg', 'bho', 'bn', 'br', 'bs', 'ca', 'ceb', 'ckb', 'cs', 'cy',
  'da', 'de', 'el', 'eo', 'es', 'et', 'eu', 'fa', 'fi', 'fr', 'ga', 'gl', 'gn', 'gom', 'gu', 'ha', 'he', 'hi', 'hr',
  'ht', 'hu', 'hy', 'id', 'ig', 'is', 'it', 'ja', 'jv', 'ka', 'kk', 'kmr', 'ko', 'ky', 'la', 'lb', 'lmo', 'ln', 'lt',
  'lv', 'mai', 'mg', 'mi', 'mk', 'ml', 'mn', 'mr', 'ms', 'mt', 'my', 'nb', 'ne', 'nl', 'oc', 'om', 'pa', 'pag', 'pam',
  'pl', 'prs', 'ps', 'qu', 'ro', 'ru', 'sa', 'scn', 'sk', 'sl', 'sq', 'sr', 'st', 'su', 'sv', 'sw', 'ta', 'te', 'tg',
  'th', 'tk', 'tl', 'tn', 'tr', 'ts', 'tt', 'uk', 'ur', 'uz', 'vi', 'wo', 'xh', 'yi', 'yue', 'zh', 'zu'
] as const

export const deeplSourceCodes: ReadonlySet<string> = new Set([...commonCodes, 'en', 'pt'])

/** Target codes, standardised as deepl-node writes them (`en-GB`, `zh-HANS`). */
export const deeplTargetCodes: ReadonlySet<string> = new Set([
  ...commonCodes,
  'en-GB', 'en-US', 'es-419', 'pt-BR', 'pt-PT', 'zh-HANS', 'zh-HANT'
])

/**
 * Default locale → target code. DeepL refuses bare `en` and `pt` as targets;
 * `zh` is accepted but ambiguous, so the script is made explicit.
 */
export const defaultTargets: Readonly<Record<Locale, string>> = {
  en: 'en-GB',
  pt: 'pt-PT',
  zh: 'zh-HANS',
  'zh-Hans': 'zh-HANS',
  'zh-Hant': 'zh-HANT'
}

/**
 * Targets whose `supports_formality` is true in DeepL's `/v2/languages`
 * (German, French, Italian, Spanish, Dutch, Polish, Portuguese, Japanese,
 * Russian; checked against DeepL's documentation, 2025). Lower case.
 */
export const defaultFormalityTargets: readonly string[] = ['de', 'fr', 'it', 'es', 'es-419', 'nl', 'pl', 'pt-br', 'pt-pt', 'ja', 'ru']

export type Formality = 'more' | 'less' | 'prefer_more' | 'prefer_less' | 'default'

/** `EN-gb` → `en-GB`, `zh-hans` → `zh-HANS` (deepl-node's own normalisation). */
export function standardizeCode(code: string): string {
  const [lang = '', region] = code.trim().split('-', 2)
  return region === undefined ? lang.toLowerCase() : `${lang.toLowerCase()}-${region.toUpperCase()}`
}

/** `en-GB` → `en`: glossaries are per base language. */
export function baseLanguage(code: string): string {
  return (code.split('-', 1)[0] ?? code).toLowerCase()
}

const codeShape = /^[a-z]{2,3}(-[A-Z0-9]{2,4})?$/

/**
 * The DeepL target code for a Passerelle locale: the configured mapping, then
 * the defaults, then the locale itself or its base language when DeepL knows
 * it. Throws `E_LOCALE` otherwise.
 */
export function resolveTarget(locale: Locale, targets: Readonly<Record<Locale, string>> = {}): string {
  const configured = targets[locale]
  if (configured !== undefined) {
    const code = standardizeCode(configured)
    if (!codeShape.test(code)) {
      throw new PasserelleError('E_CONFIG', `'${configured}' is not a DeepL language code (deepl.targets.${locale})`, {
        hint: 'use a code such as en-GB, en-US, es, pt-BR, zh-HANS'
      })
    }
    if (code === 'en' || code === 'pt') {
      throw new PasserelleError('E_CONFIG', `DeepL needs a variant for '${code}' (deepl.targets.${locale})`, {
        hint: code === 'en' ? 'use en-GB or en-US' : 'use pt-PT or pt-BR'
      })
    }
    return code
  }
  const fallback = defaultTargets[locale]
  if (fallback !== undefined) return fallback
  const code = standardizeCode(locale)
  if (deeplTargetCodes.has(code)) return code
  const base = baseLanguage(code)
  if (deeplTargetCodes.has(base)) return base
  throw new PasserelleError('E_LOCALE', `DeepL cannot translate into '${locale}'`, {
    hint: `map it to a DeepL target code in passerelle.json: "deepl": {"targets": {"${locale}": "…"}}`
  })
}

/** The DeepL source code for a Passerelle locale (`fr`, `en`, `pt`…). Throws `E_LOCALE`. */
export function resolveSource(locale: Locale): string {
  const base = baseLanguage(locale)
  if (deeplSourceCodes.has(base)) return base
  throw new PasserelleError('E_LOCALE', `DeepL cannot translate from '${locale}'`)
}

/**
 * The formality to send, or undefined: `default` is never sent, and targets
 * that do not support formality get none (not even `prefer_…`), so the request
 * is the same as without the setting.
 */
export function formalityFor(
  target: string,
  wanted: Formality | undefined,
  supported: readonly string[] = defaultFormalityTargets
): Exclude<Formality, 'default'> | undefined {
  if (wanted === undefined || wanted === 'default') return undefined
  return supported.includes(target.toLowerCase()) ? wanted : undefined
}
