// The termbase as the review app reads it on every request, parsed once per
// change: a snapshot is reused while every `*.yaml`/`*.yml` file in the
// glossary folder keeps its size and mtime (a save in the app or a CLI run
// changes them), so a segment save does not re-parse the whole termbase.
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {readGlossary, type GlossarySnapshot} from '../glossary/snapshot.ts'
import type {Locale} from '../types.ts'

export class GlossaryCache {
  readonly #dir: string
  readonly #sourceLocale: Locale
  #stamp = ''
  #snapshot: Promise<GlossarySnapshot> | undefined

  constructor(dir: string, sourceLocale: Locale) {
    this.#dir = dir
    this.#sourceLocale = sourceLocale
  }

  async read(): Promise<GlossarySnapshot> {
    const stamp = await this.#currentStamp()
    if (!this.#snapshot || stamp !== this.#stamp) {
      this.#stamp = stamp
      this.#snapshot = readGlossary(this.#dir, this.#sourceLocale)
    }
    return this.#snapshot
  }

  async #currentStamp(): Promise<string> {
    const names = (await readdir(this.#dir).catch(() => [] as string[])).filter((name) => /\.ya?ml$/.test(name)).sort()
    const parts = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(this.#dir, name)).catch(() => undefined)
        return `${name}:${info?.size ?? '-'}:${info?.mtimeMs ?? '-'}`
      })
    )
    return parts.join('\n')
  }
}
