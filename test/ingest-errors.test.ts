// Bad input: each bad file fails alone with a one-line error naming it and the
// fix; the good files are still written. Existing articles are not replaced
// unless forced.
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {ErrorCode} from '../src/errors.ts'
import {ingestFiles, ingestPages} from '../src/ingest/index.ts'
import {seedPaths, temporaryFolder} from './ingest-helpers.ts'
import {needsShared} from './helpers/shared.ts'

const hasSeeds = needsShared('seeds', 'ingest errors among the real seeds (test/ingest-errors.test.ts)')

const article = 'Un titre\nGenève - Un paragraphe.\n'

async function writeInputs(files: Record<string, string | Uint8Array>): Promise<Record<string, string>> {
  const folder = await temporaryFolder()
  const paths: Record<string, string> = {}
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(folder, name)
    await writeFile(paths[name], content)
  }
  return paths
}

describe('ingestFiles with bad files among good ones', () => {
  it.runIf(hasSeeds)('reports binary, Latin-1, empty and menu-only files, and still writes the seeds', async () => {
    const navigation = (await readFile(seedPaths[0]!, 'utf8')).split('\n').slice(0, 29).join('\n')
    const bad = await writeInputs({
      'image.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a]),
      'latin1.txt': new Uint8Array([...Buffer.from('Un titre\nCaf'), 0xe9, 0x0a]),
      'empty.txt': '',
      'blank.txt': '  \n\t\n',
      'menu-only.txt': `${navigation}\n`
    })
    const contentDir = await temporaryFolder()
    const result = await ingestFiles([bad['image.txt']!, ...seedPaths.slice(0, 4), bad['latin1.txt']!, bad['empty.txt']!, bad['blank.txt']!, bad['menu-only.txt']!], {
      contentDir
    })

    const failures = Object.fromEntries(result.failed.map((failure) => [basename(failure.file), failure.error]))
    const codes: Record<string, ErrorCode> = {
      'image.txt': 'E_BINARY',
      'latin1.txt': 'E_ENCODING',
      'empty.txt': 'E_EMPTY',
      'blank.txt': 'E_EMPTY',
      'menu-only.txt': 'E_EMPTY'
    }
    expect(Object.fromEntries(Object.entries(failures).map(([file, error]) => [file, error.code]))).toEqual(codes)
    for (const [file, error] of Object.entries(failures)) {
      const line = error.toLine()
      expect(line).not.toContain('\n')
      expect(line.startsWith(`${bad[file]}: `), line).toBe(true)
      expect(error.hint, file).toBeTruthy()
    }
    expect(failures['menu-only.txt']?.message).toBe('nothing after the site navigation block')
    expect(result.written.map((path) => basename(path))).toEqual([
      '_site.md',
      'le-gouvernement-belge-et-la-ville-de-malines-organisent-une.md',
      'l-oim-et-les-partenaires-gouvernementaux-debattent-des.md',
      'les-personnes-en-deplacement-font-partie-de-la-solution.md',
      'les-autorites-locales-a-turin-sont-formees-a-la-gouvernance.md'
    ])
  })

  it('reports a missing file and a folder given as a file', async () => {
    const folder = await temporaryFolder()
    const good = await writeInputs({'good.txt': article})
    const result = await ingestFiles([join(folder, 'missing.txt'), folder, good['good.txt']!], {contentDir: join(folder, 'content')})
    expect(result.failed.map((failure) => [failure.file, failure.error.code])).toEqual([
      [join(folder, 'missing.txt'), 'E_NOT_FOUND'],
      [folder, 'E_NOT_FILE']
    ])
    expect(result.written.map((path) => basename(path))).toEqual(['un-titre.md'])
  })
})

describe('front matter in a scraped page', () => {
  const cases: [string, string, string][] = [
    ['unclosed', '---\ntitle: Un titre\nGenève - Texte.\n', 'never closed'],
    ['invalid YAML', '---\ntitle: Un titre : mal cité\n---\nUn titre\nGenève - Texte.\n', 'not valid YAML'],
    ['unknown key', '---\ntitel: Un titre\n---\nUn titre\nGenève - Texte.\n', 'unknown keys titel'],
    ['impossible date', '---\ndate: 2017-02-30\n---\nUn titre\nGenève - Texte.\n', '`date` is not a calendar date'],
    ['date not ISO', '---\ndate: 20 juin 2017\n---\nUn titre\nGenève - Texte.\n', '`date` must be YYYY-MM-DD'],
    ['empty title', '---\ntitle: ""\n---\nUn titre\nGenève - Texte.\n', '`title` must not be empty']
  ]
  for (const [name, text, message] of cases) {
    it(`refuses ${name} with E_FRONTMATTER`, () => {
      const result = ingestPages([
        {name: 'bad.txt', text, file: 'seeds/bad.txt'},
        {name: 'good.txt', text: article}
      ])
      expect(result.articles.map((page) => page.frontmatter.source)).toEqual(['good.txt'])
      const [failure] = result.failed
      expect(failure?.error.code).toBe('E_FRONTMATTER')
      expect(failure?.error.message).toContain(message)
      expect(failure?.error.toLine()).toMatch(/^seeds\/bad\.txt: front matter .* \(E_FRONTMATTER\) — .+/)
    })
  }

  it('takes title and date from it over the text', () => {
    const [page] = ingestPages([{name: 'a.txt', text: '---\ntitle: Titre choisi\ndate: 2020-01-31\n---\nTitre scrapé\nParis - Le 3 mai 2019, un texte.\n'}]).articles
    expect(page?.frontmatter).toEqual({title: 'Titre choisi', source: 'a.txt', date: '2020-01-31'})
    expect(page?.slug).toBe('titre-choisi')
    // The scraped title line is replaced, not kept in the body.
    expect(page?.markdown).not.toContain('Titre scrapé')
  })
})

describe('pages without a usable body', () => {
  it('refuses a page with a title and nothing else (E_EMPTY)', () => {
    const {failed} = ingestPages([{name: 'a.txt', text: 'Seulement un titre\n'}])
    expect(failed.map((failure) => failure.error.code)).toEqual(['E_EMPTY'])
  })

  it('refuses a page that starts with a field and has no title given (E_INPUT)', () => {
    const {failed} = ingestPages([{name: 'a.txt', text: 'Date de création : 2001\nObjectifs\nUn texte.\n'}])
    expect(failed.map((failure) => failure.error.code)).toEqual(['E_INPUT'])
    expect(failed[0]?.error.hint).toContain('title')
  })

  it('refuses two pages with the same file name (E_INPUT)', () => {
    const {articles, failed} = ingestPages([
      {name: 'a.txt', text: article, file: 'one/a.txt'},
      {name: 'a.txt', text: article, file: 'two/a.txt'}
    ])
    expect(articles).toHaveLength(1)
    expect(failed.map((failure) => [failure.error.file, failure.error.code])).toEqual([['two/a.txt', 'E_INPUT']])
  })
})

describe('existing articles', () => {
  it('are not replaced when their text differs, unless forced', async () => {
    const inputs = await writeInputs({'a.txt': article})
    const contentDir = await temporaryFolder()
    const first = await ingestFiles([inputs['a.txt']!], {contentDir})
    const target = first.written[0]!
    const edited = (await readFile(target, 'utf8')).replace('Un paragraphe.', 'Un paragraphe relu.')
    await writeFile(target, edited)

    const refused = await ingestFiles([inputs['a.txt']!], {contentDir})
    expect(refused.written).toEqual([])
    expect(refused.failed.map((failure) => [failure.file, failure.error.code, failure.error.hint])).toEqual([
      [inputs['a.txt'], 'E_CONFLICT', 'use --force to replace it']
    ])
    expect(refused.failed[0]?.error.toLine()).toContain(target)
    expect(await readFile(target, 'utf8')).toBe(edited)

    const forced = await ingestFiles([inputs['a.txt']!], {contentDir, force: true})
    expect(forced.written).toEqual([target])
    expect(await readFile(target, 'utf8')).not.toBe(edited)
  })

  it('keep their slug; another source with the same title gets -2', async () => {
    const contentDir = await temporaryFolder()
    await mkdir(contentDir, {recursive: true})
    await writeFile(join(contentDir, 'un-titre.md'), '---\ntitle: Un titre\nsource: other.txt\n---\n\nAutre texte.\n')
    const inputs = await writeInputs({'a.txt': article})
    const result = await ingestFiles([inputs['a.txt']!], {contentDir})
    expect(result.written).toEqual([join(contentDir, 'un-titre-2.md')])
    const again = await ingestFiles([inputs['a.txt']!], {contentDir})
    expect(again.unchanged).toEqual([join(contentDir, 'un-titre-2.md')])
  })

  it.runIf(hasSeeds)('ingesting twice writes byte-identical files and reports them unchanged', async () => {
    const contentDir = await temporaryFolder()
    const first = await ingestFiles(seedPaths.slice(0, 4), {contentDir})
    const before = await Promise.all(first.written.map((path) => readFile(path)))
    const second = await ingestFiles(seedPaths.slice(0, 4), {contentDir})
    expect(second).toEqual({written: [], unchanged: first.written, failed: []})
    expect(await Promise.all(first.written.map((path) => readFile(path)))).toEqual(before)
  })
})
