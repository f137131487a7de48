// A throwaway PostgreSQL cluster for tests: initdb in a temporary folder,
// pg_ctl with a Unix socket only (no TCP), removed after. initdb refuses to
// run as root, so as root the cluster is created and run as the `postgres`
// OS user, which owns the temporary folder.
import {execFile, execFileSync} from 'node:child_process'
import {existsSync, rmSync} from 'node:fs'
import {chown, mkdtemp, rm} from 'node:fs/promises'
import {tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import pg from 'pg'
import {afterAll, afterEach, beforeAll} from 'vitest'

const run = promisify(execFile)
const binDir = process.env.PASSERELLE_PG_BIN ?? '/usr/lib/postgresql/15/bin'

export interface TestCluster {
  /** Folder holding the data directory and the socket. */
  dir: string
  /** Connection URL for the `postgres` database over the Unix socket. */
  url: string
  /** URL of another database of this cluster. */
  urlFor(database: string): string
  /** Create an empty database and return its URL. */
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

/** Why the cluster cannot start here, or undefined when it can. */
export function postgresMissing(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(binDir, tool))) return `PostgreSQL binaries not found (${join(binDir, tool)}); install the Debian package postgresql`
  }
  return undefined
}

async function asClusterOwner(tool: string, args: string[]): Promise<void> {
  const path = join(binDir, tool)
  if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', path, ...args])
  else await run(path, args)
}

export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-pg-'))
  if (userInfo().uid === 0) {
    const {stdout} = await run('id', ['-u', 'postgres'])
    const {stdout: gid} = await run('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const data = join(dir, 'db')
  try {
    await asClusterOwner('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C'])
    // fsync off: the cluster is thrown away, and the machine is shared.
    await asClusterOwner('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-k ${dir} -c listen_addresses='' -c fsync=off`, 'start'])
  } catch (error) {
    await rm(dir, {recursive: true, force: true})
    throw error
  }
  // A test process that ends without afterAll (a crash, an interrupted run) must not leave a
  // server behind; a SIGKILL still can, and the folder then names it for a manual pg_ctl stop.
  const onExit = () => {
    try {
      const args = ['-D', data, '-m', 'immediate', '-w', 'stop']
      if (userInfo().uid === 0) execFileSync('runuser', ['-u', 'postgres', '--', join(binDir, 'pg_ctl'), ...args], {stdio: 'ignore'})
      else execFileSync(join(binDir, 'pg_ctl'), args, {stdio: 'ignore'})
    } catch {
      // Already stopped.
    }
    rmSync(dir, {recursive: true, force: true})
  }
  process.once('exit', onExit)
  const urlFor = (database: string) => `postgresql://postgres@/${database}?host=${encodeURIComponent(dir)}`
  return {
    dir,
    url: urlFor('postgres'),
    urlFor,
    async createDatabase(name) {
      const client = new pg.Client({connectionString: urlFor('postgres')})
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`)
      } finally {
        await client.end()
      }
      return urlFor(name)
    },
    async stop() {
      process.off('exit', onExit)
      try {
        await asClusterOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        await rm(dir, {recursive: true, force: true})
      }
    }
  }
}

/**
 * Inside a `describe`: one throwaway cluster for its tests (`setup.cluster`), and
 * the temporary projects handed to `setup.track` removed after each test.
 */
export function useCluster(): {readonly cluster: TestCluster; track<T extends {cleanup(): Promise<void>}>(temp: T): T} {
  let cluster: TestCluster | undefined
  const temps: {cleanup(): Promise<void>}[] = []
  beforeAll(async () => {
    cluster = await startCluster()
  })
  afterAll(async () => {
    await cluster?.stop()
  })
  afterEach(async () => {
    for (const temp of temps.splice(0)) await temp.cleanup()
  })
  return {
    get cluster() {
      if (!cluster) throw new Error('useCluster: the cluster starts in beforeAll')
      return cluster
    },
    track(temp) {
      temps.push(temp)
      return temp
    }
  }
}
