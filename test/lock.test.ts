import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {isPasserelleError} from '../src/errors.ts'
import {withFileLock, withFileLocks} from '../src/io/lock.ts'
import {shutdown} from '../src/io/shutdown.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passerelle-lock-'))
})
afterEach(() => rm(dir, {recursive: true, force: true}))

/** A read-modify-write with a pause in the middle, where another writer could slip in. */
async function increment(file: string): Promise<void> {
  const value = Number(await readFile(file, 'utf8'))
  await sleep(2)
  await writeFile(file, String(value + 1))
}

describe('withFileLock', () => {
  it('makes the folder of a lock when it is missing (a bundle not yet written)', async () => {
    const file = join(dir, 'locales', 'xx', 'a.json')
    await withFileLock(file, () => writeFile(file, 'ok'))
    expect(await readFile(file, 'utf8')).toBe('ok')
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('serialises read-modify-write cycles (no lost update)', async () => {
    const file = join(dir, 'counter')
    await writeFile(file, '0')
    await Promise.all(Array.from({length: 20}, () => withFileLock(file, () => increment(file))))
    expect(await readFile(file, 'utf8')).toBe('20')
  })

  it('loses updates without it (the test above can fail)', async () => {
    const file = join(dir, 'counter')
    await writeFile(file, '0')
    await Promise.all(Array.from({length: 20}, () => increment(file)))
    expect(Number(await readFile(file, 'utf8'))).toBeLessThan(20)
  })

  it('breaks a stale lock left by a process that died, and removes its own lock', async () => {
    const file = join(dir, 'bundle.json')
    await writeFile(`${file}.lock`, '99999\n')
    const old = new Date(Date.now() - 120_000)
    await utimes(`${file}.lock`, old, old)
    expect(await withFileLock(file, async () => 'done')).toBe('done')
    await expect(readFile(`${file}.lock`)).rejects.toThrow()
  })

  it('gives up with E_CONFLICT naming the file when another process holds it', async () => {
    const file = join(dir, 'bundle.json')
    await writeFile(`${file}.lock`, '1\n')
    await expect(withFileLock(file, async () => 'never', {timeoutMs: 100})).rejects.toSatisfy(
      (error) => isPasserelleError(error, 'E_CONFLICT') && error.file === file
    )
  })

  it('locks several files in a fixed order', async () => {
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    await writeFile(a, '0')
    await writeFile(b, '0')
    await Promise.all([
      ...Array.from({length: 10}, () => withFileLocks([a, b], async () => (await increment(a), increment(b)))),
      ...Array.from({length: 10}, () => withFileLocks([b, a], async () => (await increment(b), increment(a))))
    ])
    expect([await readFile(a, 'utf8'), await readFile(b, 'utf8')]).toEqual(['20', '20'])
  })
})

describe('a lock held when the CLI is interrupted', () => {
  it('lets the write under way finish and removes the lock before shutdown completes', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'passerelle-lock-')), 'a.json')
    let written = false
    const held = withFileLock(file, async () => {
      await sleep(200)
      await writeFile(file, '{}')
      written = true
    })
    await sleep(50)
    expect(existsSync(`${file}.lock`)).toBe(true)
    await shutdown()
    expect(written).toBe(true)
    expect(existsSync(`${file}.lock`)).toBe(false)
    await held
  })
})
