// The termbase as the review app reads it on every request, parsed once per
// change: a snapshot is reused while the store's stamp stays the same (the
// folder store's stamp is every glossary file's size and mtime, which a save
// in the app or a CLI run changes), so a segment save does not re-read the
// whole termbase.
import {readGlossary, type GlossarySnapshot} from '../glossary/snapshot.ts'
import {folderTermbaseStore, type TermbaseStore} from '../glossary/store.ts'
import type {Locale} from '../types.ts'

export class GlossaryCache {
  readonly #store: TermbaseStore
  readonly #sourceLocale: Locale
  #stamp = ''
  #snapshot: Promise<GlossarySnapshot> | undefined

  constructor(store: string | TermbaseStore, sourceLocale: Locale) {
    this.#store = typeof store === 'string' ? folderTermbaseStore(store) : store
    this.#sourceLocale = sourceLocale
  }

  async read(): Promise<GlossarySnapshot> {
    const stamp = await this.#store.stamp()
    if (!this.#snapshot || stamp !== this.#stamp) {
      this.#stamp = stamp
      this.#snapshot = readGlossary(this.#store, this.#sourceLocale)
    }
    return this.#snapshot
  }
}
