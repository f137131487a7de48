// A generated corpus for the scale benchmarks: the real articles of
// content/fr copied under new slugs, each copy's sentences made distinct (the
// copy number before each full stop) so that no stage can reuse another
// copy's work. French throughout, so Apertium does real work on it.
import {cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {loadProject, type Project} from '../src/config.ts'

export const repoRoot = new URL('..', import.meta.url).pathname

export interface GeneratedProject {
  project: Project
  root: string
  slugs: string[]
  words: number
  cleanup(): Promise<void>
}

export async function realArticles(): Promise<{name: string; text: string}[]> {
  const dir = join(repoRoot, 'content', 'fr')
  const names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort()
  return Promise.all(names.map(async (name) => ({name, text: await readFile(join(dir, name), 'utf8')})))
}

export function variant(text: string, copy: number): string {
  const [front, ...body] = text.split(/^---$/m).length >= 3 ? splitFront(text) : ['', text]
  return front + body.join('').replace(/([a-zà-ÿ])\.(\s)/g, `$1 ${copy}.$2`)
}

function splitFront(text: string): [string, string] {
  const end = text.indexOf('\n---', 3)
  return [text.slice(0, end + 4), text.slice(end + 4)]
}

/** A project folder with `articles` generated articles and the real glossary. */
export async function generateProject(articles: number): Promise<GeneratedProject> {
  const root = await mkdtemp(join(tmpdir(), 'passerelle-bench-'))
  await mkdir(join(root, 'content', 'fr'), {recursive: true})
  await cp(join(repoRoot, 'glossary'), join(root, 'glossary'), {recursive: true})
  const all = await realArticles()
  // `_site.md` (the site navigation) is a partial, not an article: kept once, as it is.
  const sources = all.filter((source) => !source.name.startsWith('_'))
  for (const partial of all.filter((source) => source.name.startsWith('_'))) await writeFile(join(root, 'content', 'fr', partial.name), partial.text)
  const slugs: string[] = []
  let words = 0
  for (let index = 0; index < articles; index++) {
    const source = sources[index % sources.length]!
    const copy = Math.floor(index / sources.length)
    const slug = `${source.name.replace(/\.md$/, '')}-${copy}`
    const text = variant(source.text, copy)
    words += text.split(/\s+/).filter(Boolean).length
    await writeFile(join(root, 'content', 'fr', `${slug}.md`), text)
    slugs.push(slug)
  }
  return {project: await loadProject(root), root, slugs, words, cleanup: () => rm(root, {recursive: true, force: true})}
}
