// The segment cache of `translate` (.passerelle/cache/segments/): an article
// whose exact text an earlier run already segmented is not parsed again, and
// any other text, or a damaged cache, is parsed as if there were no cache.
import {cp, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'
import {hashSegmenterInputs, segmenterIdentity} from '../src/segment/identity.ts'
import {translateProject} from '../src/translate/run.ts'
import {faultEngine} from './helpers/fault-engine.ts'
import {tempProject, type TempProject} from './helpers/project.ts'
import {readBundle} from './fixtures/review/project.ts'

const article = `---
title: Les villes
---

L'OIM et le PNUD soutiennent les villes. La gouvernance locale compte.

Une phrase sur le climat.
`

let temp: TempProject
afterEach(() => temp?.cleanup())

async function run(locale: string) {
  const engine = faultEngine()
  const report = await translateProject(temp.project, {locales: [locale], engine})
  return {report, sent: engine.sent.map((item) => item.text)}
}

const cacheFile = () => join(temp.root, '.passerelle', 'cache', 'segments', 'a.json')
const sources = async (locale: string) => (await readBundle(temp, locale, 'a')).segments.map((segment) => segment.source)

describe('translate, segment cache', () => {
  it('a second locale takes the segments the first one cut from the same text', async () => {
    temp = await tempProject({'content/fr/a.md': article})
    await run('en')
    expect(await sources('en')).toEqual(['Les villes', "L'OIM et le PNUD soutiennent les villes.", 'La gouvernance locale compte.', 'Une phrase sur le climat.'])
    // Shown by editing the cached segments: the run trusts an entry made from this very text.
    const entry = JSON.parse(await readFile(cacheFile(), 'utf8'))
    entry.segments[3].source = 'Une phrase venue du cache.'
    await writeFile(cacheFile(), JSON.stringify(entry))
    const second = await run('es')
    expect(second.sent).toContain('Une phrase venue du cache.')
    expect(await sources('es')).toContain('Une phrase venue du cache.')
  })

  it('a changed text is parsed again, never served the segments of its old text', async () => {
    temp = await tempProject({'content/fr/a.md': article})
    await run('en')
    await temp.write('content/fr/a.md', article.replace('Une phrase sur le climat.', 'Une phrase sur la mer.'))
    const second = await run('es')
    expect(await sources('es')).toEqual(['Les villes', "L'OIM et le PNUD soutiennent les villes.", 'La gouvernance locale compte.', 'Une phrase sur la mer.'])
    expect(second.report.failures).toEqual([])
    // …and the cache now holds the new text's segments.
    expect(JSON.parse(await readFile(cacheFile(), 'utf8')).segments.map((segment: {source: string}) => segment.source)).toContain('Une phrase sur la mer.')
  })

  it('a damaged cache file is ignored and written again', async () => {
    temp = await tempProject({'content/fr/a.md': article})
    await run('en')
    await writeFile(cacheFile(), '{"key": "')
    const second = await run('es')
    expect(second.report.failures).toEqual([])
    expect(await sources('es')).toEqual(await sources('en'))
    expect(JSON.parse(await readFile(cacheFile(), 'utf8')).segments).toHaveLength(4)
  })

  it('an article that fails to parse is reported on every run, not cached', async () => {
    temp = await tempProject({'content/fr/a.md': article, 'content/fr/b.md': '---\ntitle: [unclosed\n---\n\nTexte.\n'})
    for (const locale of ['en', 'es']) {
      const {report} = await run(locale)
      expect(report.failures.map((failure) => [failure.file, failure.code])).toEqual([['content/fr/b.md', 'E_FRONTMATTER']])
    }
  })
})

describe('segmenter identity (the cache key of the code that cut a text)', () => {
  const repoRoot = fileURLToPath(new URL('..', import.meta.url))

  it('changes when any file that decides the cut changes, and only then', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'passerelle-identity-'))
    try {
      for (const path of ['src/segment', 'src/types.ts', 'src/errors.ts', 'src/io/read-text.ts', 'package-lock.json']) await cp(join(repoRoot, path), join(copy, path), {recursive: true})
      const original = hashSegmenterInputs(copy)
      expect(original).toBe(hashSegmenterInputs(repoRoot))
      await writeFile(join(copy, 'src', 'segment', 'README.md'), 'notes only')
      expect(hashSegmenterInputs(copy)).toBe(original)
      const sentences = join(copy, 'src', 'segment', 'sentences.ts')
      await writeFile(sentences, `${await readFile(sentences, 'utf8')}\n// a change\n`)
      expect(hashSegmenterInputs(copy)).not.toBe(original)
      await writeFile(sentences, await readFile(join(repoRoot, 'src', 'segment', 'sentences.ts')))
      const lock = join(copy, 'package-lock.json')
      await writeFile(lock, (await readFile(lock, 'utf8')).replace(/"version": "[^"]+"/, '"version": "0.0.0-other"'))
      expect(hashSegmenterInputs(copy)).not.toBe(original)
    } finally {
      await rm(copy, {recursive: true, force: true})
    }
  })

  it('is the same from the sources and in the compiled CLI', async () => {
    expect(segmenterIdentity()).toBe(hashSegmenterInputs(repoRoot))
    const lib = join(repoRoot, 'lib')
    const chunks = await Promise.all((await readdir(lib)).filter((name) => name.endsWith('.js')).map((name) => readFile(join(lib, name), 'utf8')))
    expect(chunks.some((code) => code.includes(JSON.stringify(segmenterIdentity())))).toBe(true)
  })
})
