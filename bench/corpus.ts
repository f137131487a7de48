// A generated corpus for the scale benchmarks: the real articles of
// content/fr copied under new slugs, each copy's sentences made distinct (the
// copy number before each full stop) so that no stage can reuse another
// copy's work. French throughout, so Apertium does real work on it.
// Headings, list items and table cells have no full stop: with `distinct`,
// each copy also swaps words (deterministically) for other words of the same
// articles, so that those repeat no more than sentences do and an engine
// gets (almost) as many distinct words as the corpus holds.
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

function frontAndBody(text: string): [string, string] {
  return text.split(/^---$/m).length >= 3 ? splitFront(text) : ['', text]
}

function splitFront(text: string): [string, string] {
  const end = text.indexOf('\n---', 3)
  return [text.slice(0, end + 4), text.slice(end + 4)]
}

/** FNV-1a: a small deterministic hash for choosing words. */
function fnv(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0
  return hash
}

const word = /[A-Za-zÀ-ÖØ-öø-ÿœŒ]{3,}/g
// Markup and addresses that must stay as they are: tags and autolinks, link targets, code, attributes, URLs.
const kept = /(<[^>\n]*>|\]\([^)\n]*\)|`[^`\n]*`|\{[^}\n]*\}|https?:\/\/\S+)/

export interface Vocabulary {
  lower: string[]
  capital: string[]
}

export function vocabularyOf(texts: readonly string[]): Vocabulary {
  const words = new Set<string>()
  for (const text of texts) for (const part of frontAndBody(text)[1].split(kept)) if (!kept.test(part)) for (const match of part.matchAll(word)) words.add(match[0])
  const sorted = [...words].sort()
  return {lower: sorted.filter((item) => item === item.toLowerCase() && item.length >= 4), capital: sorted.filter((item) => /^[A-ZÀ-ÖØ-Þ][a-zß-ÿœ]/.test(item))}
}

/**
 * Copy `copy` with words swapped: in each line, the first word of three letters or more always (a
 * one-word heading or list item must differ too), then about every other one, for a word of the same
 * case from the vocabulary. Acronyms (all capitals) and markup stay.
 */
export function distinctVariant(text: string, copy: number, vocabulary: Vocabulary): string {
  if (copy === 0) return variant(text, copy)
  const [front, body] = frontAndBody(text)
  const swap = (line: string, lineIndex: number) => {
    let position = 0
    return line
      .split(kept)
      .map((part) =>
        kept.test(part)
          ? part
          : part.replace(word, (found) => {
              const here = `${copy}:${lineIndex}:${position++}`
              if (position > 1 && fnv(here) % 2 === 0) return found
              const pool = found === found.toLowerCase() ? vocabulary.lower : /^[A-ZÀ-ÖØ-Þ][a-zß-ÿœ]/.test(found) ? vocabulary.capital : undefined
              return pool && pool.length > 0 ? pool[fnv(`${here}:${found}`) % pool.length]! : found
            })
      )
      .join('')
  }
  const frontVaried = front.replace(/^title: (.*)$/m, (_whole, title: string) => `title: ${swap(title, -1)}`)
  return variant(frontVaried + body.split('\n').map(swap).join('\n'), copy)
}

/** Words of the distinct sentences (segment sources, tags removed) of these Markdown texts, and of all of them. */
export function sentenceWords(sources: readonly string[][]): {words: number; distinctWords: number; distinctSentences: string[]} {
  const count = (text: string) => text.split(/\s+/).filter(Boolean).length
  const seen = new Set<string>()
  let words = 0
  let distinctWords = 0
  for (const segments of sources) {
    for (const source of segments) {
      const n = count(source)
      words += n
      if (seen.has(source)) continue
      seen.add(source)
      distinctWords += n
    }
  }
  return {words, distinctWords, distinctSentences: [...seen]}
}

/**
 * A project folder with `articles` generated articles and the real glossary. `words`: as many articles
 * as reach that many words instead. `distinct`: copies vary their words too (see distinctVariant).
 */
export async function generateProject(articles: number, options: {distinct?: boolean; words?: number} = {}): Promise<GeneratedProject> {
  const root = await mkdtemp(join(tmpdir(), 'passerelle-bench-'))
  await mkdir(join(root, 'content', 'fr'), {recursive: true})
  await cp(join(repoRoot, 'glossary'), join(root, 'glossary'), {recursive: true})
  const all = await realArticles()
  // `_site.md` (the site navigation) is a partial, not an article: kept once, as it is.
  const sources = all.filter((source) => !source.name.startsWith('_'))
  for (const partial of all.filter((source) => source.name.startsWith('_'))) await writeFile(join(root, 'content', 'fr', partial.name), partial.text)
  const slugs: string[] = []
  let words = 0
  const vocabulary = options.distinct ? vocabularyOf(sources.map((source) => source.text)) : undefined
  for (let index = 0; options.words !== undefined ? words < options.words : index < articles; index++) {
    const source = sources[index % sources.length]!
    const copy = Math.floor(index / sources.length)
    const slug = `${source.name.replace(/\.md$/, '')}-${copy}`
    const text = vocabulary ? distinctVariant(source.text, copy, vocabulary) : variant(source.text, copy)
    words += text.split(/\s+/).filter(Boolean).length
    await writeFile(join(root, 'content', 'fr', `${slug}.md`), text)
    slugs.push(slug)
  }
  return {project: await loadProject(root), root, slugs, words, cleanup: () => rm(root, {recursive: true, force: true})}
}
