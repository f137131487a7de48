// Concept edits: one concept changed through the database termbase store (a
// transaction: rows of one concept + an audit row) against the peer, the
// folder store (lock, parse every glossary file, rewrite the YAML), on this
// repository's termbase, interleaved in one run. Also times `db import` and
// `db export` of the glossary.
import {cp, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {loadProject} from '../src/config.ts'
import {exportProject, importProject, migrate, withDatabase} from '../src/db/index.ts'
import {databaseTermbaseStore} from '../src/db/glossary.ts'
import {folderTermbaseStore, type TermbaseStore} from '../src/glossary/store.ts'
import {startCluster} from '../test/helpers/postgres.ts'

const root = new URL('..', import.meta.url).pathname

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export async function benchTeamGlossary(rounds = 30) {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-bench-glossary-'))
  const cluster = await startCluster()
  try {
    await cp(join(root, 'glossary'), join(dir, 'glossary'), {recursive: true})
    const project = await loadProject(dir)
    const url = await cluster.createDatabase('bench')
    return await withDatabase(url, async (db) => {
      await migrate(db)
      let start = performance.now()
      const imported = await importProject(db, project)
      const importMs = performance.now() - start
      const out = await mkdtemp(join(tmpdir(), 'passerelle-bench-glossary-out-'))
      start = performance.now()
      await exportProject(db, {...project, root: out, localesDir: join(out, 'locales')})
      const exportMs = performance.now() - start
      await rm(out, {recursive: true, force: true})

      const database = databaseTermbaseStore(db)
      const folder = folderTermbaseStore(project.glossaryDir)
      const edit = (store: TermbaseStore, round: number) =>
        store.update(({termbase}) => ({
          termbase: {...termbase, concepts: termbase.concepts.map((concept) => (concept.id === 'human-rights' ? {...concept, note: `edit ${round}`} : concept))},
          value: undefined
        }), {name: 'bench'})
      const times = {database: [] as number[], files: [] as number[]}
      for (let round = 0; round < rounds; round++) {
        // Interleaved, alternating which goes first, so that the shared machine's load hits both alike.
        const order: Array<[keyof typeof times, TermbaseStore]> = round % 2 ? [['database', database], ['files', folder]] : [['files', folder], ['database', database]]
        for (const [name, store] of order) {
          const t = performance.now()
          await edit(store, round)
          times[name].push(performance.now() - t)
        }
      }
      const result = {
        concepts: imported.concepts,
        rounds,
        importMs: Math.round(importMs),
        exportMs: Math.round(exportMs),
        editMedianMs: {database: Number(median(times.database).toFixed(2)), files: Number(median(times.files).toFixed(2))},
        ratioFilesOverDatabase: Number((median(times.files) / median(times.database)).toFixed(2))
      }
      console.log(`teamGlossary: ${result.concepts} concepts; edit median ${result.editMedianMs.database} ms in PostgreSQL vs ${result.editMedianMs.files} ms in files (x${result.ratioFilesOverDatabase}); import ${result.importMs} ms, export ${result.exportMs} ms`)
      return result
    })
  } finally {
    await cluster.stop()
    await rm(dir, {recursive: true, force: true})
  }
}
