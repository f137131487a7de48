// Translation-memory suggestions for the segment a reviewer is on. The
// project memory (human work in every bundle plus imported TMX) is rebuilt
// only when a bundle or TMX file changed (size and mtime), so a save in the
// app or a CLI run shows in the next lookup.
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import type {Bundle, BundleSegment} from '../workflow/types.ts'
import type {Project} from '../config.ts'
import {loadProjectTm, type TranslationMemory} from '../tm/index.ts'
import type {Suggestion} from './wire.ts'

/** How many suggestions the app offers (and binds to Ctrl+1…3). */
const suggestionLimit = 3

export class TmCache {
  readonly #project: Project
  #fingerprint = ''
  #tm: Promise<TranslationMemory | undefined> | undefined

  constructor(project: Project) {
    this.#project = project
  }

  async memory(): Promise<TranslationMemory | undefined> {
    const fingerprint = await this.#currentFingerprint()
    if (!this.#tm || fingerprint !== this.#fingerprint) {
      this.#fingerprint = fingerprint
      this.#tm = loadProjectTm({localesDir: this.#project.localesDir, tmDir: this.#project.tmDir})
        .then((loaded) => (loaded.tm.size > 0 ? loaded.tm : undefined))
        .catch(() => undefined)
    }
    return this.#tm
  }

  async #currentFingerprint(): Promise<string> {
    const parts: string[] = []
    const add = async (dir: string, test: (name: string) => boolean) => {
      const names = await readdir(dir).catch(() => [] as string[])
      for (const name of names.filter(test).sort()) {
        const info = await stat(join(dir, name)).catch(() => undefined)
        if (info?.isFile()) parts.push(`${dir}/${name}:${info.size}:${info.mtimeMs}`)
      }
    }
    const locales = await readdir(this.#project.localesDir, {withFileTypes: true}).catch(() => [])
    for (const entry of locales.filter((item) => item.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      await add(join(this.#project.localesDir, entry.name), (name) => name.endsWith('.json'))
    }
    await add(this.#project.tmDir, (name) => name.endsWith('.tmx'))
    return parts.join('\n')
  }
}

/** Best suggestions for one segment: its own former translation when stale, then TM matches other than its current target. */
export function suggestionsFor(tm: TranslationMemory | undefined, bundle: Bundle, segment: BundleSegment): Suggestion[] {
  const out: Suggestion[] = []
  const seen = new Set<string>([segment.target ?? ''])
  if (segment.previous && segment.previous.target !== '' && !seen.has(segment.previous.target)) {
    seen.add(segment.previous.target)
    out.push({score: 0, kind: 'previous', source: segment.previous.source, target: segment.previous.target, ...(segment.origin ? {origin: segment.origin} : {})})
  }
  if (tm) {
    const index = bundle.segments.findIndex((item) => item.id === segment.id)
    const previousHash = bundle.segments[index - 1]?.hash
    const nextHash = bundle.segments[index + 1]?.hash
    const matches = tm.lookup(
      {
        source: segment.source,
        sourceLocale: bundle.sourceLocale,
        targetLocale: bundle.locale,
        hash: segment.hash,
        context: {...(previousHash ? {previousHash} : {}), ...(nextHash ? {nextHash} : {})},
        article: bundle.article,
        unit: segment.unit
      },
      {limit: suggestionLimit + 2}
    )
    for (const match of matches) {
      if (seen.has(match.unit.target)) continue
      seen.add(match.unit.target)
      out.push({
        score: match.score,
        kind: match.kind,
        source: match.unit.source,
        target: match.unit.target,
        origin: match.unit.origin,
        ...(match.unit.article ? {article: match.unit.article} : {})
      })
    }
  }
  return out.slice(0, suggestionLimit)
}
