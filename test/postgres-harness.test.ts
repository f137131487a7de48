import {existsSync} from 'node:fs'
import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {postgresMissing, startCluster, type TestCluster} from './helpers/postgres.ts'

const missing = postgresMissing()
if (missing) console.log(`SKIP postgres-harness: ${missing}`)

describe.skipIf(missing !== undefined)('throwaway PostgreSQL cluster', () => {
  let cluster: TestCluster
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(async () => {
    await cluster?.stop()
  })

  it('answers over the Unix socket and listens on no TCP address', async () => {
    const client = new pg.Client({connectionString: cluster.url})
    await client.connect()
    try {
      const {rows} = await client.query<{listen: string; dir: string}>(
        "select current_setting('listen_addresses') as listen, current_setting('unix_socket_directories') as dir"
      )
      expect(rows[0]).toEqual({listen: '', dir: cluster.dir})
    } finally {
      await client.end()
    }
  })

  it('creates separate databases, and removes its folder when stopped', async () => {
    const url = await cluster.createDatabase('other')
    const client = new pg.Client({connectionString: url})
    await client.connect()
    const {rows} = await client.query<{name: string}>('select current_database() as name')
    await client.end()
    expect(rows[0]?.name).toBe('other')

    const second = await startCluster()
    expect(existsSync(second.dir)).toBe(true)
    await second.stop()
    expect(existsSync(second.dir)).toBe(false)
  })
})
