// Apply the schema migrations a database lacks, in order, each in its own
// transaction and recorded in `schema_migrations` with its checksum. Safe to
// re-run; concurrent runs wait on an advisory lock instead of racing.
import {createHash} from 'node:crypto'
import {PasserelleError} from '../errors.ts'
import {inTransaction, withClient, type Database, type Pool} from './connect.ts'
import {migrations as released, type Migration} from './migrations.ts'

// Arbitrary constant key for pg_advisory_lock, shared by every migrator.
const lockKey = 746_201_916

export interface MigrateResult {
  /** Versions applied by this run. */
  applied: number[]
  /** Schema version of the database after the run. */
  version: number
}

export function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}

export async function migrate(db: Database, migrations: readonly Migration[] = released): Promise<MigrateResult> {
  await db.query('SELECT pg_advisory_lock($1)', [lockKey])
  try {
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const {rows} = await db.query<{version: number; checksum: string}>('SELECT version, checksum FROM schema_migrations ORDER BY version')
    const known = new Map(migrations.map((migration) => [migration.version, migration]))
    for (const row of rows) {
      const migration = known.get(row.version)
      if (!migration) {
        throw new PasserelleError('E_DATABASE', `the database has schema version ${row.version}, which this Passerelle does not know`, {
          hint: 'upgrade Passerelle to the version that migrated this database'
        })
      }
      if (checksum(migration) !== row.checksum) {
        throw new PasserelleError('E_DATABASE', `schema migration ${row.version} (${migration.name}) differs from the one applied to this database`, {
          hint: 'released migrations must not change: add a new migration instead'
        })
      }
    }
    const done = new Set(rows.map((row) => row.version))
    const applied: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue
      await inTransaction(db, async () => {
        await db.query(migration.sql)
        await db.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          checksum(migration)
        ])
      })
      applied.push(migration.version)
    }
    const version = Math.max(0, ...done, ...applied)
    return {applied, version}
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [lockKey])
  }
}

/** `assertMigrated` on one of the pool's connections, given back after: every long-lived command checks first. */
export async function assertPoolMigrated(pool: Pool): Promise<void> {
  await withClient(pool, (db) => assertMigrated(db))
}

/** Refuse to work on a database that is not migrated to this Passerelle's schema. */
export async function assertMigrated(db: Database, migrations: readonly Migration[] = released): Promise<void> {
  const latest = Math.max(...migrations.map((migration) => migration.version))
  const {rows} = await db
    .query<{version: number | null}>('SELECT max(version) AS version FROM schema_migrations')
    .catch(() => ({rows: [{version: null}]}))
  if (rows[0]?.version !== latest) {
    throw new PasserelleError('E_DATABASE', `the database schema is at version ${rows[0]?.version ?? 'none'}, not ${latest}`, {
      hint: 'run `passerelle db migrate --database <url>` first'
    })
  }
}
