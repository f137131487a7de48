// `status` keeps what it computed per bundle (.passerelle/cache/status/) and
// reads only the bundles whose identity changed since (size, mtime, ctime,
// inode: src/io/file-identity.ts). What it prints, the table and the
// --json figures, must be exactly what a run without the cache prints,
// before and after a reviewer changes a bundle. (That unchanged bundles are
// not read is a speed matter: `npm run bench -- buildStatus`.)
import {execFile} from 'node:child_process'
import * as fs from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterEach, describe, expect, it} from 'vitest'
import {translateProject} from '../src/translate/run.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {repoRoot, tempProject, type TempProject} from './helpers/project.ts'

const run = promisify(execFile)
const bin = join(repoRoot, 'bin', 'passerelle.js')
const article = 'les-personnes-en-deplacement-font-partie-de-la-solution'

let temp: TempProject
afterEach(() => temp?.cleanup())

/** What a user sees: `passerelle status [args]`, stdout and stderr and the exit code. */
async function status(...args: string[]) {
  try {
    const {stdout, stderr} = await run(process.execPath, [bin, '-C', temp.root, 'status', ...args], {encoding: 'utf8'})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const failed = error as {code: number; stdout: string; stderr: string}
    return {code: failed.code, stdout: failed.stdout, stderr: failed.stderr}
  }
}

/** The same, with no cache to start from. */
async function scratch(...args: string[]) {
  await fs.rm(join(temp.root, '.passerelle', 'cache', 'status'), {recursive: true, force: true})
  return status(...args)
}

/** Bundles as if written an hour ago: older than the cache's "too recent to trust" window. */
async function age(locale: string) {
  const dir = join(temp.project.localesDir, locale)
  const past = new Date(Date.now() - 3600_000)
  for (const name of await fs.readdir(dir)) await fs.utimes(join(dir, name), past, past)
}

/** The table row of one article in one locale's section of the printed status. */
function row(printed: string, locale: string, slug: string): string[] {
  const section = printed.slice(printed.indexOf(`${locale}: `))
  const line = section.split('\n').find((text) => text.startsWith(`${slug} `))
  if (!line) throw new Error(`no row for ${slug} under ${locale} in:\n${printed}`)
  return line.split(/\s+/)
}

const headline = (printed: string, locale: string) => printed.split('\n').find((line) => line.startsWith(`${locale}: `))

describe('status cache', {timeout: 240_000}, () => {
  it('prints a reviewer’s change as a run without the cache does, and nothing else changes', async () => {
    temp = await tempProject({}, {content: true})
    await translateProject(temp.project, {locales: ['en', 'es'], engine: faultEngine()})
    await age('en')
    await age('es')

    const first = await status()
    expect(first.code).toBe(0)
    expect(first.stderr).toBe('')
    expect(headline(first.stdout, 'es')).toMatch(/^es: \d+ segments, \d+ machine \(100\.0 %\), 0 human-translated, 0 reviewed, 0 approved;/)
    expect(row(first.stdout, 'es', article).slice(6, 8)).toEqual(['0', '0'])
    // From the cache now: the same table and the same figures.
    expect(await status()).toEqual(first)
    const firstJson = await status('--json')

    // A reviewer approves a segment: one bundle is rewritten.
    const file = join(temp.project.localesDir, 'es', `${article}.json`)
    const bundle = JSON.parse(await fs.readFile(file, 'utf8'))
    bundle.segments[1].state = 'approved'
    bundle.segments[1].revision++
    await fs.writeFile(file, JSON.stringify(bundle, null, 2) + '\n')

    const changed = await status()
    expect(headline(changed.stdout, 'es')).toMatch(/, 1 approved \(\d+\.\d %\);/)
    // Columns: article, segments, new, machine, fuzzy, translated, reviewed, approved…
    const [before, after] = [row(first.stdout, 'es', article), row(changed.stdout, 'es', article)]
    expect(after[3]).toBe(String(Number(before[3]) - 1))
    expect(after[7]).toBe('1')
    expect(headline(changed.stdout, 'en')).toBe(headline(first.stdout, 'en'))
    expect(changed).toEqual(await scratch())
    const changedJson = await status('--json')
    expect(changedJson).toEqual(await scratch('--json'))
    expect(changedJson.stdout).not.toBe(firstJson.stdout)
  })

  it('is not fooled by an edit that keeps the size and puts the old mtime back', async () => {
    temp = await tempProject({}, {content: true})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    await age('es')
    const file = join(temp.project.localesDir, 'es', `${article}.json`)
    const before = await fs.stat(file)
    const first = await status()
    expect(row(first.stdout, 'es', article)[6]).toBe('0')

    const text = await fs.readFile(file, 'utf8')
    const edited = text.replace('"state": "machine"', '"state":"reviewed"')
    expect(edited.length).toBe(text.length)
    await fs.writeFile(file, edited)
    await fs.utimes(file, before.atime, before.mtime)

    const after = await status()
    expect(row(after.stdout, 'es', article)[6]).toBe('1')
    expect(headline(after.stdout, 'es')).toMatch(/, 1 reviewed \(\d+\.\d %\),/)
    expect(after).toEqual(await scratch())
  })

  it('reports a broken bundle every time, and the others from the cache', async () => {
    temp = await tempProject({}, {content: true})
    await translateProject(temp.project, {locales: ['es'], engine: faultEngine()})
    await fs.writeFile(join(temp.project.localesDir, 'es', `${article}.json`), '{"schema": 1,')
    await age('es')
    const first = await status()
    const second = await status()
    expect(first.code).toBe(1)
    expect(first.stderr).toMatch(new RegExp(`^passerelle: locales/es/${article}\\.json: bundle is not valid JSON .*\\n$`))
    expect(first.stdout).not.toContain(article)
    expect(second).toEqual(first)
    expect(second).toEqual(await scratch())
  })
})
