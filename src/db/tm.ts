// The imported translation memories of team mode: the TMX files kept as
// text in `tm_files`, parsed by the TM stage's own reader (`unitsOfTmxFiles`,
// `parseTmx`). With the database bundle store, the review app's TM cache and
// translate build the same TranslationMemory from the database that they
// build from locales/ and tm/ in file mode.
import {decodeText} from '../io/read-text.ts'
import {unitsOfTmxFiles, type ImportedTmSource} from '../tm/store.ts'
import type {Database, Pool} from './connect.ts'

export function databaseTmxSource(db: Database | Pool): ImportedTmSource {
  return {
    async load() {
      // Files directly in tm/, as the folder source reads them.
      const {rows} = await db.query<{path: string; text: string}>("SELECT path, text FROM tm_files WHERE path ~ '^[^/]+\\.tmx$' ORDER BY path COLLATE \"C\"")
      return unitsOfTmxFiles(rows.map((row) => ({file: `tm/${row.path}`, read: async () => decodeText(Buffer.from(row.text, 'utf8'), `tm/${row.path}`, {encoding: 'xml'})})))
    },
    async stamp() {
      const {rows} = await db.query<{stamp: string}>("SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') AS stamp FROM tm_files WHERE path ~ '^[^/]+\\.tmx$'")
      return rows[0]!.stamp
    }
  }
}
