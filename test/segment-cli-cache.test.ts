// `passerelle segment <file>` runs through lib/segment.cjs and its V8 code
// cache (src/io/code-cache.ts). What it prints must be what the full CLI
// prints, byte for byte, whatever state the cache is in; a cache that is not
// exactly what this bundle and this Node wrote must never be used.
import {execFile} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {copyFile, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'
import {loadWithCodeCache} from '../src/io/code-cache.ts'
import {repoRoot} from './helpers/project.ts'

const run = promisify(execFile)
const bin = join(repoRoot, 'bin', 'passerelle.js')
const fixtures = join(repoRoot, 'test', 'fixtures', 'segment')
const names = readdirSync(fixtures, {withFileTypes: true})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

async function passerelle(args: string[]) {
  try {
    const {stdout, stderr} = await run(process.execPath, [bin, ...args], {encoding: 'utf8', maxBuffer: 1 << 26})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
  }
}

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, {recursive: true, force: true})
  dir = undefined
})

describe('passerelle segment <file> (fast path with code cache)', {timeout: 240_000}, () => {
  it('prints each fixture exactly as expected and as the full CLI prints it', async () => {
    expect(existsSync(join(repoRoot, 'lib', 'segment.cjs.cache'))).toBe(true)
    for (const name of names) {
      const input = join(fixtures, name, 'input.md')
      const expected = `${JSON.stringify(JSON.parse(await readFile(join(fixtures, name, 'segments.json'), 'utf8')), null, 2)}\n`
      // `-C` before the command: not the fast path's shape, so commander and lib/cli.js run it.
      const [fast, full] = await Promise.all([passerelle(['segment', input]), passerelle(['-C', repoRoot, 'segment', input])])
      expect({name, ...fast}).toEqual({name, code: 0, stdout: expected, stderr: ''})
      expect(full).toEqual(fast)
    }
  })

  it('leaves a bad file to the full CLI: same one-line message and exit code', async () => {
    dir = await mkdtemp(join(tmpdir(), 'passerelle-segment-'))
    await writeFile(join(dir, 'broken.md'), '---\ntitle: [unclosed\n---\n\nTexte.\n')
    for (const file of [join(dir, 'missing.md'), join(dir, 'broken.md'), dir]) {
      const [fast, full] = await Promise.all([passerelle(['segment', file]), passerelle(['-C', repoRoot, 'segment', file])])
      expect(fast.code).toBe(1)
      expect(fast.stdout).toBe('')
      expect(fast.stderr).toMatch(/^passerelle: .+\n$/)
      expect(fast).toEqual(full)
    }
  })
})

describe('loadWithCodeCache', () => {
  /** A small CommonJS bundle whose answer lives in a lazily compiled function, as the parser's code does. */
  async function bundle(answer: string) {
    dir ??= await mkdtemp(join(tmpdir(), 'passerelle-code-cache-'))
    const file = join(dir, 'bundle.cjs')
    await writeFile(file, `exports.answer = function () { return ${JSON.stringify(answer)} }\nexports.file = __filename\n`)
    return file
  }
  const load = (file: string, cache?: string) => loadWithCodeCache<{answer(): string; file: string}>(file, cache)

  it('writes a cache after a run without one, and the next load uses it', async () => {
    const file = await bundle('first')
    const cold = load(file)
    expect(cold.cache).toBe('missing')
    expect(cold.exports.answer()).toBe('first')
    expect(cold.exports.file).toBe(file)
    expect(cold.save()).toBe(true)
    const warm = load(file)
    expect(warm.cache).toBe('used')
    expect(warm.exports.answer()).toBe('first')
    // Nothing to write when the cache was used.
    expect(warm.save()).toBe(false)
  })

  it('ignores the cache of a bundle changed to another of the same length (V8 alone would run the old code)', async () => {
    const file = await bundle('aaaa')
    const first = load(file)
    expect(first.exports.answer()).toBe('aaaa')
    first.save()
    await bundle('bbbb')
    const changed = load(file)
    expect(changed.exports.answer()).toBe('bbbb')
    expect(changed.cache).toBe('stale')
    changed.save()
    expect(load(file).cache).toBe('used')
  })

  it('ignores a damaged, truncated or foreign cache file and replaces it', async () => {
    const file = await bundle('value')
    load(file).save()
    const good = await readFile(`${file}.cache`)
    const flipped = Buffer.from(good)
    flipped[flipped.length - 10]! ^= 0xff
    const damaged: [string, Buffer][] = [
      ['one byte of the data changed', flipped],
      ['cut short', good.subarray(0, good.length - 100)],
      ['header only', good.subarray(0, good.indexOf(10, 30) + 1)],
      ['not a cache', Buffer.from('garbage\n{"node":1}\n')],
      ['empty', Buffer.alloc(0)]
    ]
    for (const [what, bytes] of damaged) {
      await writeFile(`${file}.cache`, bytes)
      const loaded = load(file)
      expect({what, cache: loaded.cache}).toEqual({what, cache: 'damaged'})
      expect(loaded.exports.answer()).toBe('value')
      expect(loaded.save()).toBe(true)
      expect(load(file).cache).toBe('used')
    }
  })

  it('refuses a cache another Node wrote', async () => {
    const file = await bundle('node')
    load(file).save()
    const bytes = await readFile(`${file}.cache`)
    const end = bytes.indexOf(10, 30)
    const header = JSON.parse(bytes.subarray(bytes.indexOf(10) + 1, end).toString()) as {node: string}
    header.node = 'v0.0.1'
    await writeFile(`${file}.cache`, Buffer.concat([bytes.subarray(0, bytes.indexOf(10) + 1), Buffer.from(JSON.stringify(header)), bytes.subarray(end)]))
    const loaded = load(file)
    expect(loaded.cache).toBe('stale')
    expect(loaded.exports.answer()).toBe('node')
  })

  it('runs without a cache where none can be written', async () => {
    const file = await bundle('read-only')
    // A cache path under a file: every write fails (as root, a read-only folder would not).
    const loaded = load(file, join(file, 'cache'))
    expect(loaded.cache).toBe('missing')
    expect(loaded.exports.answer()).toBe('read-only')
    expect(loaded.save()).toBe(false)
  })

  it('copes with the real bundle and a damaged cache beside it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'passerelle-code-cache-'))
    const file = join(dir, 'segment.cjs')
    await copyFile(join(repoRoot, 'lib', 'segment.cjs'), file)
    const good = await readFile(join(repoRoot, 'lib', 'segment.cjs.cache'))
    const flipped = Buffer.from(good)
    flipped[Math.floor(flipped.length / 2)]! ^= 0x55
    await writeFile(`${file}.cache`, flipped)
    const input = join(fixtures, 'table', 'input.md')
    const expected = JSON.stringify(JSON.parse(await readFile(join(fixtures, 'table', 'segments.json'), 'utf8')), null, 2)
    const damaged = loadWithCodeCache<{segmentsJson(file: string): Promise<string>}>(file)
    expect(damaged.cache).toBe('damaged')
    expect(await damaged.exports.segmentsJson(input)).toBe(expected)
  })

  it('the fast path uses the cache the compile step wrote instead of replacing it (same V8 flags on both sides)', async () => {
    // V8 refuses a cache written under other flags (bin/passerelle.js runs the
    // fast path with --no-turbofan); a refused cache would be rewritten by every run.
    const cache = join(repoRoot, 'lib', 'segment.cjs.cache')
    const before = await stat(cache)
    const fast = await passerelle(['segment', join(fixtures, 'table', 'input.md')])
    expect(fast.code).toBe(0)
    const after = await stat(cache)
    expect({ino: after.ino, mtimeMs: after.mtimeMs, size: after.size}).toEqual({ino: before.ino, mtimeMs: before.mtimeMs, size: before.size})
  })
})
