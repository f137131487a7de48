// Files that are not what they seem (issue 10): a FIFO or a folder in
// content/, a symbolic link out of the project, a bad slug, a file name
// carrying terminal escapes, a review token kept out of `ps`.
import {execFileSync} from 'node:child_process'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {PasserelleError} from '../src/errors.ts'
import {reviewToken} from '../src/review/cli.ts'
import {loadSources} from '../src/workflow/sources.ts'
import {tempProject, type TempProject} from './helpers/project.ts'

let temp: TempProject | undefined
afterEach(async () => {
  await temp?.cleanup()
  temp = undefined
})

const article = '---\ntitle: Bonjour\n---\n\nUn article.\n'

describe('what content/ holds', () => {
  it('skips a FIFO and a folder with E_NOT_FILE instead of hanging, and loads the rest', async () => {
    temp = await tempProject({'content/fr/ok.md': article})
    execFileSync('mkfifo', [join(temp.root, 'content/fr/pipe.md')])
    await mkdir(join(temp.root, 'content/fr/folder.md'))
    const {articles, failures} = await loadSources(temp.project)
    expect(articles.map((entry) => entry.slug)).toEqual(['ok'])
    expect(failures.map((failure) => [failure.file, failure.code])).toEqual([
      ['content/fr/folder.md', 'E_NOT_FILE'],
      ['content/fr/pipe.md', 'E_NOT_FILE']
    ])
  })

  it('refuses a symbolic link leading outside the project with E_OUTSIDE, keeps one inside', async () => {
    temp = await tempProject({'content/fr/ok.md': article, 'notes/inside.md': article})
    const outside = join(temp.root, '..', `${temp.root.split('/').pop()}-outside.md`)
    await writeFile(outside, 'root:x:0:0:root:/root:/bin/bash\n')
    try {
      await symlink(outside, join(temp.root, 'content/fr/passwd.md'))
      await symlink(join(temp.root, 'notes/inside.md'), join(temp.root, 'content/fr/linked.md'))
      const {articles, failures} = await loadSources(temp.project)
      expect(articles.map((entry) => entry.slug)).toEqual(['linked', 'ok'])
      expect(failures.map((failure) => [failure.file, failure.code])).toEqual([['content/fr/passwd.md', 'E_OUTSIDE']])
      expect(JSON.stringify(articles)).not.toContain('root:x')
    } finally {
      execFileSync('rm', ['-f', outside])
    }
  })

  it('refuses a file name that is not a slug with E_SLUG and the name to use', async () => {
    temp = await tempProject({'content/fr/ok.md': article, 'content/fr/Mon article été.md': article})
    const {articles, failures} = await loadSources(temp.project)
    expect(articles.map((entry) => entry.slug)).toEqual(['ok'])
    expect(failures.map((failure) => failure.code)).toEqual(['E_SLUG'])
    expect(failures[0]?.message).toContain('mon-article-ete.md')
  })
})

describe('error lines', () => {
  it('print terminal escape sequences and bidi overrides in file names escaped', () => {
    const line = new PasserelleError('E_EMPTY', 'file is empty', {file: 'content/fr/\u001b]0;pwned\u0007\u001b[31mred\u202Edm.md'}).toLine()
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/)
    expect(line).toContain('\\x1b]0;pwned\\x07\\x1b[31mred\\u202edm.md')
  })
})

describe('review token', () => {
  it('reads the token from a file or the environment; an inline --token earns a warning', async () => {
    temp = await tempProject()
    const file = join(temp.root, 'token.txt')
    await writeFile(file, 'file-secret-0123456789\n')
    const warnings: string[] = []
    const warn = (line: string) => warnings.push(line)
    expect(await reviewToken({tokenFile: file}, {}, warn)).toBe('file-secret-0123456789')
    expect(await reviewToken({}, {PASSERELLE_REVIEW_TOKEN: 'env-secret-0123456789'}, warn)).toBe('env-secret-0123456789')
    expect(warnings).toEqual([])
    expect(await reviewToken({token: 'inline-secret-0123456789'}, {}, warn)).toBe('inline-secret-0123456789')
    expect(warnings).toEqual([expect.stringContaining('ps')])
  })
})
