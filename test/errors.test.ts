// Errors the operating system raises become coded PasserelleErrors in one
// place (errors.ts), with a hint naming the path: what the user sees is one
// line with the file and what to do, whichever command hit the error.
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {describeError, failureOf, fromSystemError, isPasserelleError} from '../src/errors.ts'
import {writeFileAtomic} from '../src/io/atomic.ts'
import {readTextFile} from '../src/io/read-text.ts'
import {loadProject} from '../src/config.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

/** An error shaped as node:fs raises it. */
function systemError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), {code, syscall, path, errno: -1})
}

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

describe('system errors', () => {
  it.each([
    ['EACCES', 'E_PERMISSION'],
    ['EPERM', 'E_PERMISSION'],
    ['EROFS', 'E_PERMISSION'],
    ['ENOSPC', 'E_NO_SPACE'],
    ['EISDIR', 'E_IS_DIRECTORY'],
    ['ENOTDIR', 'E_NOT_DIRECTORY'],
    ['ENOENT', 'E_NOT_FOUND']
  ])('%s becomes %s, one line naming the path in the message and the hint', (errno, code) => {
    const error = systemError(errno, 'open', 'locales/en/a.json')
    const line = describeError(error, 'content/fr/a.md')
    expect(line).toMatch(new RegExp(`^locales/en/a\\.json: .* \\(${code}\\) — .*locales/en/a\\.json`))
    expect(line).not.toContain('\n')
    expect(failureOf(error).code).toBe(code)
  })

  it('leaves errors that are not from the system alone (their text is the report)', () => {
    expect(fromSystemError(new Error('boom'))).toBeUndefined()
    expect(fromSystemError(systemError('ECONNRESET', 'read', 'x'))).toBeUndefined()
    expect(describeError(new Error('boom'), 'a.md')).toBe('a.md: boom')
  })

  it('names the target of an atomic write, not its temporary sibling', async () => {
    temp = await tempProject()
    const target = join(temp.root, 'locales', 'en', 'a.json')
    await mkdir(target, {recursive: true})
    const error = await writeFileAtomic(target, '{}').catch((caught: unknown) => caught)
    expect(isPasserelleError(error, 'E_IS_DIRECTORY')).toBe(true)
    expect((error as Error & {file: string}).file).toBe(target)
    expect(await readdir(join(temp.root, 'locales', 'en'))).toEqual(['a.json'])

    await writeFile(join(temp.root, 'plain'), 'x')
    const under = await writeFileAtomic(join(temp.root, 'plain', 'b.json'), '{}').catch((caught: unknown) => caught)
    expect(isPasserelleError(under, 'E_NOT_DIRECTORY')).toBe(true)
  })

  it('makes the folders of an atomic write when they are missing, and leaves no temporary file', async () => {
    temp = await tempProject()
    const target = join(temp.root, 'locales', 'xx', 'deep', 'a.json')
    await writeFileAtomic(target, '{"a": 1}')
    await writeFileAtomic(target, '{"a": 2}')
    expect(await readFile(target, 'utf8')).toBe('{"a": 2}')
    expect(await readdir(join(temp.root, 'locales', 'xx', 'deep'))).toEqual(['a.json'])
  })

  it('reads a missing file as E_NOT_FOUND and a folder as E_NOT_FILE under its display name', async () => {
    temp = await tempProject()
    await expect(readTextFile(join(temp.root, 'nope.md'), {display: 'nope.md'})).rejects.toMatchObject({code: 'E_NOT_FOUND', file: 'nope.md'})
    await expect(readTextFile(temp.root, {display: 'here'})).rejects.toMatchObject({code: 'E_NOT_FILE', file: 'here'})
  })

  it('reports a passerelle.json that is a folder as E_IS_DIRECTORY, not as bad JSON', async () => {
    temp = await tempProject()
    await mkdir(join(temp.root, 'passerelle.json'))
    await expect(loadProject(temp.root)).rejects.toMatchObject({code: 'E_IS_DIRECTORY', file: join(temp.root, 'passerelle.json')})
  })
})
