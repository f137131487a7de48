// Fixture cases: test/fixtures/ingest/<case>/*.txt are scraped pages; the
// files ingest writes must equal <case>/expected/*.md. `UPDATE=1` rewrites
// the expectations (check them by eye before committing).
import {mkdir, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ingestFiles, ingestPages} from '../src/ingest/index.ts'
import {parsedTree, temporaryFolder} from './ingest-helpers.ts'

const fixtures = join(import.meta.dirname, 'fixtures', 'ingest')
const cases = (await readdir(fixtures, {withFileTypes: true})).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()

describe('ingest fixtures', () => {
  it('has the expected cases', () => {
    expect(cases).toEqual(['frontmatter-title', 'headings-and-lists', 'shared-block', 'short-page', 'special-characters'])
  })

  for (const name of cases) {
    describe(name, async () => {
      const folder = join(fixtures, name)
      const inputs = (await readdir(folder)).filter((file) => file.endsWith('.txt')).sort()

      it('writes the expected Markdown files', async () => {
        const contentDir = await temporaryFolder()
        const result = await ingestFiles(
          inputs.map((input) => join(folder, input)),
          {contentDir}
        )
        expect(result.failed.map((failure) => failure.error.toLine())).toEqual([])
        const produced = (await readdir(contentDir)).sort()
        const expectedDir = join(folder, 'expected')
        if (process.env.UPDATE) {
          await rm(expectedDir, {recursive: true, force: true})
          await mkdir(expectedDir)
          for (const file of produced) await writeFile(join(expectedDir, file), await readFile(join(contentDir, file), 'utf8'))
        }
        expect(produced).toEqual((await readdir(expectedDir)).sort())
        for (const file of produced) {
          expect(await readFile(join(contentDir, file), 'utf8'), file).toBe(await readFile(join(expectedDir, file), 'utf8'))
        }
      })

      it('writes Markdown that parses back to the tree it was built from', async () => {
        const pages = await Promise.all(inputs.map(async (input) => ({name: input, text: await readFile(join(folder, input), 'utf8')})))
        const result = ingestPages(pages)
        const built = [...(result.site ? [result.site] : []), ...result.articles]
        expect(built.length).toBeGreaterThan(0)
        for (const page of built) expect(parsedTree(page.markdown), page.slug).toEqual(page.tree)
      })
    })
  }
})
