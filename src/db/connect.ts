// Connections to the team database. A connection problem becomes one
// `E_DATABASE` line naming the database (without its password) and the fix.
import pg from 'pg'
import {PasserelleError} from '../errors.ts'

export type Database = pg.ClientBase

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the database URL'
  }
}

/** Open one connection, run `work`, close it whatever happens. */
export async function withDatabase<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const client = new pg.Client({connectionString: url})
  try {
    await client.connect()
  } catch (error) {
    throw new PasserelleError('E_DATABASE', `cannot connect to PostgreSQL (${(error as Error).message})`, {
      file: displayUrl(url),
      hint: 'check --database (postgresql://user@host/db) and that the server runs',
      cause: error
    })
  }
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Run `work` in a transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(db: Database, work: () => Promise<T>): Promise<T> {
  await db.query('BEGIN')
  try {
    const result = await work()
    await db.query('COMMIT')
    return result
  } catch (error) {
    await db.query('ROLLBACK')
    throw error
  }
}

export type Pool = pg.Pool

/** A connection pool for a long-running process (the team server); the first connection is tried at once. */
export async function openPool(url: string, options: {max?: number} = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({connectionString: url, max: options.max ?? 10})
  // An idle connection that the server drops must not crash the process: the next query reconnects.
  pool.on('error', (error) => console.error(`passerelle: database connection lost (${error.message})`))
  try {
    const client = await pool.connect()
    client.release()
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw new PasserelleError('E_DATABASE', `cannot connect to PostgreSQL (${(error as Error).message})`, {
      file: displayUrl(url),
      hint: 'check --database (postgresql://user@host/db) and that the server runs',
      cause: error
    })
  }
  return pool
}

/** Borrow a pooled connection for `work` and give it back after; a client given instead is used as it is. */
export async function withClient<T>(source: Database | pg.Pool, work: (db: Database) => Promise<T>): Promise<T> {
  if (!(source instanceof pg.Pool)) return work(source)
  const client = await source.connect()
  try {
    return await work(client)
  } finally {
    client.release()
  }
}

/** Borrow a pooled connection for `work` in one transaction. */
export async function withTransaction<T>(pool: pg.Pool, work: (db: Database) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    return await inTransaction(client, () => work(client))
  } finally {
    client.release()
  }
}
