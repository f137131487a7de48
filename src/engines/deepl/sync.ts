// Keep one DeepL glossary per language pair in step with the termbase:
// find it by name (the name carries the content hash), create it when absent,
// then delete this prefix's older glossaries for the same pair.
import {GlossaryEntries, type GlossaryInfo, type GlossaryLanguagePair} from 'deepl-node'
import {PasserelleError} from '../../errors.ts'
import type {Locale} from '../../types.ts'
import {glossaryHash, glossaryName, isOwnGlossaryName, type GlossaryEntry} from './glossary.ts'

/** The deepl-node calls the sync needs, already counted, retried and error-mapped by the engine. */
export interface GlossaryApi {
  glossaryLanguagePairs(): Promise<readonly GlossaryLanguagePair[]>
  listGlossaries(): Promise<readonly GlossaryInfo[]>
  getGlossary(id: string): Promise<GlossaryInfo>
  createGlossary(name: string, sourceLang: string, targetLang: string, entries: GlossaryEntries): Promise<GlossaryInfo>
  deleteGlossary(id: string): Promise<void>
}

export interface GlossaryState {
  /** `glossary`: terms enforced by DeepL; `placeholders`: by placeholder protection, as with Apertium. */
  mode: 'glossary' | 'placeholders'
  /** The DeepL glossary in use (none when the termbase has no entries for the pair). */
  glossaryId?: string
  name?: string
  hash: string
  entries: number
  /** This sync uploaded the glossary. */
  created: boolean
  /** Stale glossaries of this prefix and pair that were deleted. */
  deleted: number
  /** Why placeholders are used. */
  reason?: string
}

export interface SyncOptions {
  prefix: string
  from: Locale
  to: Locale
  /** DeepL base codes (`fr`, `en`). */
  sourceLang: string
  targetLang: string
  entries: readonly GlossaryEntry[]
  sleep(ms: number): Promise<void>
  /** How often to ask whether a new glossary is ready, one second apart. */
  readyPolls?: number
}

export async function syncGlossary(api: GlossaryApi, options: SyncOptions): Promise<GlossaryState> {
  const {prefix, from, to, sourceLang, targetLang, entries} = options
  const hash = glossaryHash(entries, sourceLang, targetLang)
  const base = {hash, entries: entries.length, created: false, deleted: 0}

  const pairs = await api.glossaryLanguagePairs()
  const supported = pairs.some((pair) => pair.sourceLang.toLowerCase() === sourceLang && pair.targetLang.toLowerCase() === targetLang)
  if (!supported) {
    return {...base, mode: 'placeholders', reason: `DeepL has no glossaries for ${sourceLang}→${targetLang}`}
  }

  const name = glossaryName(prefix, from, to, hash)
  const listed = await api.listGlossaries()
  const fits = (info: GlossaryInfo) =>
    info.name === name && info.sourceLang.toLowerCase() === sourceLang && info.targetLang.toLowerCase() === targetLang && info.entryCount === entries.length

  let current: GlossaryInfo | undefined
  let created = false
  if (entries.length > 0) {
    current = listed.find(fits)
    if (!current) {
      current = await api.createGlossary(name, sourceLang, targetLang, new GlossaryEntries({entries: Object.fromEntries(entries.map((entry) => [entry.source, entry.target]))}))
      created = true
    }
    current = await whenReady(api, current, options)
    if (!current.ready) {
      return {...base, created, mode: 'placeholders', reason: `DeepL glossary ${name} is still not ready`}
    }
  }

  let deleted = 0
  for (const info of listed) {
    if (info.glossaryId === current?.glossaryId || !isOwnGlossaryName(info.name, prefix, from, to)) continue
    try {
      await api.deleteGlossary(info.glossaryId)
      deleted++
    } catch (error) {
      // A stale glossary that cannot be deleted now is deleted by a later sync; faults that stop the run still do.
      if (!(error instanceof PasserelleError) || error.code !== 'E_ENGINE') throw error
    }
  }
  return {
    ...base,
    mode: 'glossary',
    created,
    deleted,
    ...(current ? {glossaryId: current.glossaryId, name: current.name} : {})
  }
}

async function whenReady(api: GlossaryApi, info: GlossaryInfo, options: SyncOptions): Promise<GlossaryInfo> {
  let current = info
  for (let poll = 0; !current.ready && poll < (options.readyPolls ?? 30); poll++) {
    await options.sleep(1000)
    current = await api.getGlossary(current.glossaryId)
  }
  return current
}
